"""A locale's translation memory on disk: one SQLite database per locale in the run cache
(``.l10n-cache/memory-<lang>.sqlite``), so that a run holds neither the memory nor its inputs in RAM.

- ``catalogs``: each catalog (and compendium) the memory is made of, with its place in the memory's order
  (``sortkey``), its path and the content hash its pairs were read from.
- ``pairs``: each catalog's reviewed (msgid, msgstr) pairs, in catalog order. A changed catalog replaces its
  rows; a removed one loses them.
- ``pending``: each catalog's fuzzy entries' (msgid, msgstr) pairs (machine drafts aside), in catalog order,
  kept and replaced with the catalog's ``pairs``: a text with no reviewed translation is offered the first of
  them, as fuzzy.
- ``sources``: one row per distinct source text: the winning translation (most frequent, ties to the first
  seen) and where the text first appears. Derived from ``pairs``, recomputed only for the texts whose pairs
  change, and equal to what the reference memory of the tests computes from the same catalogs in order.
- ``blocks``: the source texts again, by band of lengths (:func:`length_band`), each band in the memory's
  order and cut into parts (``start``: the place from which a part holds the band's texts; the first part
  starts at ``''``): a fuzzy lookup reads only the bands its length window
  (:func:`l10n.memory.fuzzy.length_window`) spans, a part at a time. Only the parts whose texts change are
  rewritten; a part that grows past ``2 * BLOCK`` texts is cut in parts of :data:`BLOCK`.
- ``meta``: format, tool fingerprint, and the token of the set of source texts (see
  :class:`l10n.store.records.LangRecord`'s ``fill``).

The order is the memory's: the locale's catalogs by path (as ``sorted`` orders paths), then the compendia in
configuration order. ``sortkey`` is a text whose byte order is that order, so the place of a pair,
``sortkey || seq``, needs no renumbering when catalogs come and go.

Like the post records, the database is only an optimization: a file that does not open, has another shape or
was written by another version of the tool is replaced by an empty one, which the run fills again from the
catalogs. Each catalog's rows are keyed by the hash of the file they were read from, so rows never outlive
the file content they describe.

One module of over 500 lines, on purpose: the schema, the writer that keeps it up to date (:class:`MemoryStore`)
and the reader (:class:`DiskMemory`) share the tables' layout and its invariants; apart, each would have to
restate the other's.

Longer than 500 lines because the tables above share one schema, one identity and one connection discipline
(open trusted, create aside and rename in): split, each part would need the others' internals.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import math
import os
import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from l10n.memory.rules import DEFAULT_FUZZY_CUTOFF, FuzzyMatch, MemoryPair
from l10n.store.identity import cache_identity, file_digest
from l10n.store.spool import sortable
from l10n.store.sqlite import create_database, make_cache_dir, open_trusted, path_key, path_of, scratch_database

Pairs = Sequence[MemoryPair]  # a catalog's, in catalog order
# Fuzzy candidates are stored, read and scored this many at a time: a few hundred KB of text at most.
BLOCK = 1000
# Changed catalogs read together (only their paths wait in memory meanwhile).
CHANGED_BATCH = 4000
# Source texts a process keeps decoded for fuzzy lookups (the bands used last): a few MB whatever the site.
CACHED_SOURCES = 20_000


def _band_starts() -> list[int]:
    starts = [0, 1]
    while starts[-1] < 2**40:
        starts.append(max(starts[-1] + 1, math.ceil(starts[-1] * 1.25)))
    return starts


_BAND_STARTS = _band_starts()


def length_band(length: int) -> int:
    """Bands of text lengths, each a quarter longer than the one before: a length window of a fuzzy lookup
    (at cutoff 75, from 0.6 to 1.67 times the text's length) spans about six of them."""
    return bisect.bisect_right(_BAND_STARTS, length) - 1


_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE catalogs (id INTEGER PRIMARY KEY, sortkey TEXT NOT NULL UNIQUE, path BLOB NOT NULL,"
    " hash TEXT NOT NULL)",
    "CREATE INDEX catalogs_path ON catalogs (path)",
    "CREATE TABLE pairs (catalog INTEGER NOT NULL, seq INTEGER NOT NULL, msgid TEXT NOT NULL,"
    " msgstr TEXT NOT NULL, length INTEGER NOT NULL, PRIMARY KEY (catalog, seq)) WITHOUT ROWID",
    "CREATE INDEX pairs_msgid ON pairs (msgid)",
    "CREATE TABLE pending (catalog INTEGER NOT NULL, seq INTEGER NOT NULL, msgid TEXT NOT NULL,"
    " msgstr TEXT NOT NULL, PRIMARY KEY (catalog, seq)) WITHOUT ROWID",
    "CREATE INDEX pending_msgid ON pending (msgid)",
    "CREATE TABLE sources (msgid TEXT PRIMARY KEY, band INTEGER NOT NULL, first TEXT NOT NULL, msgstr TEXT NOT NULL)",
    "CREATE INDEX sources_band ON sources (band, first)",
    "CREATE TABLE blocks (band INTEGER NOT NULL, start TEXT NOT NULL, texts TEXT NOT NULL,"
    " joined INTEGER NOT NULL, PRIMARY KEY (band, start)) WITHOUT ROWID",
)
_CHECKS = (
    "SELECT key, value FROM meta LIMIT 0",
    "SELECT id, sortkey, path, hash FROM catalogs LIMIT 0",
    "SELECT catalog, seq, msgid, msgstr, length FROM pairs LIMIT 0",
    "SELECT catalog, seq, msgid, msgstr FROM pending LIMIT 0",
    "SELECT msgid, band, first, msgstr FROM sources LIMIT 0",
    "SELECT band, start, texts, joined FROM blocks LIMIT 0",
)

# The texts whose best translation must be computed again, then the computation: votes per (msgid, msgstr),
# the winner per msgid (most votes, then first seen), and the msgid's own first place.
_TOUCHED = (
    "CREATE TEMP TABLE IF NOT EXISTS touched (msgid TEXT PRIMARY KEY)",
    "CREATE TEMP TABLE IF NOT EXISTS places (band INTEGER NOT NULL, first TEXT NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS listed (sortkey TEXT PRIMARY KEY)",
)
# Where the touched texts were and are: the parts of ``blocks`` to rewrite.
_PLACES = "INSERT INTO temp.places SELECT band, first FROM sources WHERE msgid IN (SELECT msgid FROM temp.touched)"
_RECOMPUTE = (
    _PLACES,
    "DELETE FROM sources WHERE msgid IN (SELECT msgid FROM temp.touched)",
    """
    INSERT INTO sources (msgid, band, first, msgstr)
    WITH votes AS (
        SELECT p.msgid AS msgid, p.msgstr AS msgstr, MIN(p.length) AS length, COUNT(*) AS count,
               MIN(c.sortkey || printf('%010d', p.seq)) AS first
        FROM temp.touched AS t JOIN pairs AS p ON p.msgid = t.msgid JOIN catalogs AS c ON c.id = p.catalog
        GROUP BY p.msgid, p.msgstr
    ), ranked AS (
        SELECT msgid, msgstr, length, MIN(first) OVER (PARTITION BY msgid) AS msgid_first,
               ROW_NUMBER() OVER (PARTITION BY msgid ORDER BY count DESC, first) AS place
        FROM votes
    )
    SELECT msgid, length_band(length), msgid_first, msgstr FROM ranked WHERE place = 1
    """,
    _PLACES,
)


def catalog_sortkey(parts: Sequence[str]) -> str:
    """The place of a locale catalog, from its path's parts under the locale's directory: byte order is the
    order ``sorted`` gives the paths (part by part; every part ends with a NUL, which no name contains, so
    no key is the start of another)."""
    return "00" + b"".join(sortable(part) + b"\0" for part in parts).hex()


def compendium_sortkey(index: int) -> str:
    """The place of the configured compendium ``index``: after every catalog."""
    return f"01{index:08x}"


def memory_file(directory: Path, lang: str) -> Path:
    return directory / f"memory-{lang}.sqlite"


def _trusted(path: Path) -> sqlite3.Connection | None:
    """The database when it opens, has the expected shape and is this tool's; else None."""
    return open_trusted(path, _CHECKS, cache_identity())


def _create(path: Path, created: list[Path]) -> sqlite3.Connection:
    """An empty memory at ``path``, in place of whatever was there (written aside, then renamed); what did
    not exist before is added to ``created``, last made first."""
    created[:0] = make_cache_dir(path.parent)
    create_database(path, _SCHEMA, {**cache_identity(), "token": ""})
    created.insert(0, path)
    database = _trusted(path)
    if database is None:
        raise sqlite3.DatabaseError(f"cannot open the memory just written: {path}")
    return database


class MemoryStore:
    """The writing side of a locale's memory database, used by the main process of a run, outside the
    workers: :meth:`synchronize` before the posts are processed, :meth:`apply` after the run's files are
    committed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._created: list[Path] = []  # files and directory made for an empty memory, last made first
        database = _trusted(path)
        self._database = database if database is not None else _create(path, self._created)
        self._database.execute("PRAGMA busy_timeout = 10000")
        # small page caches (512 KiB instead of 2 MiB): the recomputation after a full sync otherwise adds
        # several MB to the run's peak; the system's file cache keeps the pages close anyway
        self._database.execute("PRAGMA cache_size = -512")
        self._database.execute("PRAGMA temp.cache_size = -512")
        self._database.create_function("length_band", 1, length_band, deterministic=True)
        self._database.create_function("text_length", 1, len, deterministic=True)

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._database.close()

    @property
    def token(self) -> str:
        row = self._database.execute("SELECT value FROM meta WHERE key = 'token'").fetchone()
        return row[0] if row is not None else ""

    def synchronize(
        self,
        catalogs: Iterable[tuple[str, str, Path]],
        read_pairs: Callable[[Sequence[Path]], Iterable[Pairs]],
        digest: Callable[[Path], str | None] = file_digest,
        listing: tuple[str, bool] | None = None,
    ) -> tuple[str, bool]:
        """Bring the memory up to date with ``catalogs`` ((sortkey, path as shown, file), in any order):
        the catalogs whose content hash changed are read (``read_pairs``, in order) and replace their rows;
        catalogs not listed leave the memory. Returns the token the memory had and whether it gained source
        texts; the token is renewed when it did (or was never set). ``digest``: a file's content hash.

        ``listing``: a digest of the catalogs' paths and stamps, and whether it may be kept (see
        :func:`l10n.run.memories.catalogs_listing`). When it is the one kept by the last synchronization,
        no catalog was added, removed or written since: the catalogs are not looked at."""
        database = self._database
        for statement in _TOUCHED:
            database.execute(statement)
        database.execute("BEGIN")  # reads only (the temporary tables aside), unless something changed
        try:
            previous = self.token
            kept = database.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
            if previous and listing is not None and kept is not None and kept[0] == listing[0]:
                database.execute("COMMIT")
                return previous, False
            self._keep_listing(listing if listing is not None and listing[1] else None, kept)
            database.execute("DELETE FROM temp.listed")
            grew = not previous
            changed = False
            batch: list[tuple[str, str, Path, str]] = []
            for sortkey, shown, path in catalogs:
                database.execute("INSERT OR IGNORE INTO temp.listed VALUES (?)", (sortkey,))
                hash_ = digest(path) or ""
                row = database.execute("SELECT path, hash FROM catalogs WHERE sortkey = ?", (sortkey,)).fetchone()
                if row is None or row[0] != path_key(shown) or row[1] != hash_:
                    batch.append((sortkey, shown, path, hash_))
                    if len(batch) == CHANGED_BATCH:
                        grew = self._replace(batch, read_pairs, grew)
                        changed, batch = True, []
            if batch:
                grew = self._replace(batch, read_pairs, grew)
                changed = True
            gone = "sortkey NOT IN (SELECT sortkey FROM temp.listed)"
            if previous and not changed and database.execute(f"SELECT 1 FROM catalogs WHERE {gone}").fetchone() is None:
                database.execute("COMMIT")
                return previous, False  # nothing written: a run that changes nothing changes no file
            self._remove(gone, ())
            self._recompute()
            token = new_token(previous, grew)
            database.execute("UPDATE meta SET value = ? WHERE key = 'token'", (token,))
        except BaseException:
            self._rollback()
            self._undo_creation()  # a run stopped by bad input leaves no new file behind
            raise
        database.execute("COMMIT")
        return previous, grew

    def _replace(
        self,
        changed: Sequence[tuple[str, str, Path, str]],
        read_pairs: Callable[[Sequence[Path]], Iterable[Pairs]],
        grew: bool,
    ) -> bool:
        """Replace the rows of changed catalogs by their pairs as read now; whether the memory grew (so far)."""
        parsed = read_pairs([path for _, _, path, _ in changed])
        for (sortkey, shown, _, hash_), pairs in zip(changed, parsed, strict=True):
            # ``sources`` still lists every text the memory had: rows are replaced, sources recomputed last
            grew = grew or self._new_texts(pairs)
            self._remove("sortkey = ?", (sortkey,))
            self._insert(sortkey, shown, hash_, pairs)
        return grew

    def _keep_listing(self, listing: tuple[str, bool] | None, kept: tuple[str] | None) -> None:
        """Keep the catalogs' listing for the next synchronization (forget a kept one that no longer holds);
        an optimization: a database that cannot be written here is written by the next run that changes it."""
        with contextlib.suppress(sqlite3.OperationalError):
            if listing is not None and (kept is None or kept[0] != listing[0]):
                self._database.execute("INSERT OR REPLACE INTO meta VALUES ('listing', ?)", (listing[0],))
            elif listing is None and kept is not None:
                self._database.execute("DELETE FROM meta WHERE key = 'listing'")

    def apply(self, updates: Iterable[tuple[str, str, str | None, Pairs]]) -> None:
        """Catalogs rewritten by a run, as (sortkey, path as shown, new content hash or None when the file
        is gone, pairs): every row of that path takes the new pairs, a new catalog takes its place at
        ``sortkey``. The token stays unless a text the memory did not know came with them (a run's fill adds
        none; its merge may make a fuzzy entry of a new text, which other posts may then be offered)."""
        database = self._database
        for statement in _TOUCHED:
            database.execute(statement)
        begun = grew = False
        try:
            for sortkey, shown, hash_, pairs in updates:
                if not begun:
                    database.execute("BEGIN IMMEDIATE")
                    begun = True
                grew = grew or self._new_texts(pairs)
                rows = database.execute(
                    "SELECT id, sortkey, hash FROM catalogs WHERE path = ?", (path_key(shown),)
                ).fetchall()
                if hash_ is None:
                    self._remove("path = ?", (path_key(shown),))
                    continue
                places = [place for _, place, old in rows if old != hash_]
                if not rows:
                    places = [sortkey]
                for place in places:
                    self._remove("sortkey = ?", (place,))
                    self._insert(place, shown, hash_, pairs)
            if not begun:
                return
            self._recompute()
            if grew:
                database.execute("UPDATE meta SET value = ? WHERE key = 'token'", (new_token(self.token, True),))
        except BaseException:
            self._rollback()
            raise
        database.execute("COMMIT")

    @property
    def created(self) -> tuple[Path, ...]:
        """What opening the store made (an empty memory, the cache directory, its ``.gitignore``), last made
        first: what :func:`remove_created` takes away should the run fail."""
        return tuple(self._created)

    def _undo_creation(self) -> None:
        if self._created:
            self._database.close()
            remove_created(self._created)
            self._created = []

    # -- inside a transaction --

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
            self._database.execute("ROLLBACK")

    def _known(self, msgid: str) -> bool:
        return self._database.execute("SELECT 1 FROM sources WHERE msgid = ?", (msgid,)).fetchone() is not None

    def _new_texts(self, pairs: Pairs) -> bool:
        """Whether ``pairs`` would offer a text something the memory does not offer yet: a reviewed translation
        of a text it has none for, or a pending one of a text it has nothing for, not even a close match (a
        text the memory already fills as fuzzy is filled wherever it is empty)."""
        reader: DiskMemory | None = None
        for msgid, *pending in pairs:
            if self._known(msgid):
                continue
            if not pending:
                return True
            if self._database.execute("SELECT 1 FROM pending WHERE msgid = ?", (msgid,)).fetchone():
                continue
            reader = reader or DiskMemory.reading(self.path, self._database)  # inside this transaction
            if reader.fuzzy(msgid) is None:
                return True
        return False

    def _insert(self, sortkey: str, shown: str, hash_: str, pairs: Pairs) -> None:
        database = self._database
        cursor = database.execute(
            "INSERT INTO catalogs (sortkey, path, hash) VALUES (?, ?, ?)", (sortkey, path_key(shown), hash_)
        )
        catalog = cursor.lastrowid
        reviewed = [(msgid, msgstr) for msgid, msgstr, *pending in pairs if msgid and msgstr and not pending]
        database.executemany(
            "INSERT INTO pairs VALUES (?, ?, ?, ?, ?)",
            ((catalog, seq, msgid, msgstr, len(msgid)) for seq, (msgid, msgstr) in enumerate(reviewed)),
        )
        database.executemany("INSERT OR IGNORE INTO temp.touched VALUES (?)", ((msgid,) for msgid, _ in reviewed))
        pending = [(msgid, msgstr) for msgid, msgstr, *flag in pairs if msgid and msgstr and flag and flag[0]]
        database.executemany(
            "INSERT INTO pending VALUES (?, ?, ?, ?)",
            ((catalog, seq, msgid, msgstr) for seq, (msgid, msgstr) in enumerate(pending)),
        )

    def _remove(self, where: str, parameters: tuple[Any, ...]) -> None:
        database = self._database
        selected = f"SELECT id FROM catalogs WHERE {where}"
        database.execute(
            f"INSERT OR IGNORE INTO temp.touched SELECT msgid FROM pairs WHERE catalog IN ({selected})",
            parameters,
        )
        database.execute(f"DELETE FROM pairs WHERE catalog IN ({selected})", parameters)
        database.execute(f"DELETE FROM pending WHERE catalog IN ({selected})", parameters)
        database.execute(f"DELETE FROM catalogs WHERE {where}", parameters)

    def _recompute(self) -> None:
        database = self._database
        for statement in _RECOMPUTE:
            database.execute(statement)
        bands = [band for (band,) in database.execute("SELECT DISTINCT band FROM temp.places").fetchall()]
        for band in bands:
            self._rewrite_parts(band)
        database.execute("DELETE FROM temp.places")
        database.execute("DELETE FROM temp.touched")

    def _rewrite_parts(self, band: int) -> None:
        """Rewrite the parts of ``band`` where touched texts were or are."""
        database = self._database
        starts: set[str] = set()
        if database.execute("SELECT 1 FROM blocks WHERE band = ? LIMIT 1", (band,)).fetchone() is None:
            starts.add("")  # a new band: written whole
        else:
            places = database.execute("SELECT DISTINCT first FROM temp.places WHERE band = ?", (band,)).fetchall()
            for (first,) in places:
                (start,) = database.execute(
                    "SELECT MAX(start) FROM blocks WHERE band = ? AND start <= ?", (band, first)
                ).fetchone()
                starts.add(start)
        for start in sorted(starts):
            (end,) = database.execute(
                "SELECT MIN(start) FROM blocks WHERE band = ? AND start > ?", (band, start)
            ).fetchone()
            self._write_part(band, start, end)
        (lowest,) = database.execute("SELECT MIN(start) FROM blocks WHERE band = ?", (band,)).fetchone()
        if lowest is not None and lowest != "":  # the first part was left empty: the next one starts the band
            database.execute("UPDATE blocks SET start = '' WHERE band = ? AND start = ?", (band, lowest))

    def _write_part(self, band: int, start: str, end: str | None) -> None:
        """The texts of ``band`` placed from ``start`` up to ``end`` as one part, cut in parts of ``BLOCK``
        when there are more than twice that (texts are read a part at a time, never the band at once)."""
        database = self._database
        database.execute("DELETE FROM blocks WHERE band = ? AND start = ?", (band, start))
        rows = database.execute(
            "SELECT msgid, first FROM sources WHERE band = ? AND first >= ? AND (?3 IS NULL OR first < ?3)"
            " ORDER BY first",
            (band, start, end),
        )
        pending: list[tuple[str, str]] = []
        for row in rows:
            pending.append(row)
            if len(pending) == 2 * BLOCK:
                self._insert_part(band, start, pending[:BLOCK])
                pending = pending[BLOCK:]
                start = pending[0][1]
        if pending:
            self._insert_part(band, start, pending)

    def _insert_part(self, band: int, start: str, rows: list[tuple[str, str]]) -> None:
        self._database.execute("INSERT INTO blocks VALUES (?, ?, ?, ?)", (band, start, *_encode([r[0] for r in rows])))


def _encode(texts: list[str]) -> tuple[str, int]:
    """A part's texts as one: joined with NUL (fast to split), or JSON should a text contain a NUL."""
    if any("\0" in text for text in texts):
        return json.dumps(texts, ensure_ascii=False), 0
    return "\0".join(texts), 1


def _decode(texts: str, joined: int) -> list[str]:
    return texts.split("\0") if joined else json.loads(texts)


def new_token(previous: str, grew: bool) -> str:
    """The memory token after a run: the same unless new source texts entered the memory."""
    if previous and not grew:
        return previous
    return secrets.token_hex(8)


def remove_created(paths: Iterable[Path]) -> None:
    """Remove files and (then empty) directories, in the order given."""
    for made in paths:
        with contextlib.suppress(OSError):
            if made.is_dir() and not made.is_symlink():
                made.rmdir()
            else:
                made.unlink()


class DiskMemory:
    """The reading side of a locale's memory database: exact and fuzzy matches, the same as
    the tests' reference memory over the same catalogs. Handed to forked workers: each process
    opens its own connection on first use (a connection is never used across a fork)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._cache: OrderedDict[int, list[list[str]]] = OrderedDict()  # band -> its parts
        self._cached = 0  # source texts in the cache

    @classmethod
    def reading(cls, path: Path, connection: sqlite3.Connection) -> DiskMemory:
        """A reader over a connection the caller holds (and closes)."""
        reader = cls(path)
        reader._connection, reader._pid = connection, os.getpid()
        return reader

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    def _database(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            # the connection inherited from a parent, if any, is left alone: it is the parent's
            self._connection = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
            self._connection.execute("PRAGMA busy_timeout = 10000")
            self._pid = os.getpid()
        return self._connection

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def __len__(self) -> int:
        return int(self._database().execute("SELECT COUNT(*) FROM sources").fetchone()[0])

    def exact(self, msgid: str) -> str | None:
        row = self._database().execute("SELECT msgstr FROM sources WHERE msgid = ?", (msgid,)).fetchone()
        return None if row is None else str(row[0])

    def pending(self, msgid: str) -> str | None:
        row = (
            self._database()
            .execute(
                "SELECT p.msgstr FROM pending AS p JOIN catalogs AS c ON c.id = p.catalog WHERE p.msgid = ?"
                " ORDER BY c.sortkey, p.seq LIMIT 1",
                (msgid,),
            )
            .fetchone()
        )
        return None if row is None else str(row[0])

    def fuzzy(self, msgid: str, cutoff: float = DEFAULT_FUZZY_CUTOFF) -> FuzzyMatch | None:
        from l10n.memory.fuzzy import first_best, length_window  # rapidfuzz: only when a lookup is fuzzy

        window = length_window(len(msgid), cutoff)
        low, high = window if window is not None else (0, _BAND_STARTS[-1])
        if low > high:
            return None
        with contextlib.closing(self._parts(length_band(low), length_band(high))) as parts:
            found = first_best(msgid, parts, cutoff, self._place)
        if found is None:
            return None
        source, score = found
        row = self._database().execute("SELECT msgstr FROM sources WHERE msgid = ?", (source,)).fetchone()
        return FuzzyMatch(str(row[0]), score, source)

    def _place(self, source: str) -> str:
        return str(self._database().execute("SELECT first FROM sources WHERE msgid = ?", (source,)).fetchone()[0])

    def _parts(self, first_band: int, last_band: int) -> Generator[list[str], None, None]:
        """The source texts of the bands, band by band, each in the memory's order, a part at a time: from
        the process's cache of recently used bands, else from the database (then cached, if small enough)."""
        for band in range(first_band, last_band + 1):
            cached = self._cache.get(band)
            if cached is not None:
                self._cache.move_to_end(band)
                yield from cached
                continue
            kept: list[list[str]] | None = []
            size = 0
            cursor = self._database().execute("SELECT texts, joined FROM blocks WHERE band = ? ORDER BY start", (band,))
            try:
                for texts, joined in cursor:
                    part = _decode(texts, joined)
                    yield part
                    if kept is not None:
                        kept.append(part)
                        size += len(part)
                        if size > CACHED_SOURCES // 2:
                            kept = None  # a band this large is read again when needed
            finally:
                cursor.close()  # a statement left open would hold the database
            if kept is not None:
                self._keep(band, kept, size)

    def _keep(self, band: int, parts: list[list[str]], size: int) -> None:
        while self._cache and self._cached + size > CACHED_SOURCES:
            _, dropped = self._cache.popitem(last=False)
            self._cached -= sum(len(part) for part in dropped)
        self._cache[band] = parts
        self._cached += size


class PendingCatalogs:
    """Catalogs a run rewrites, spooled to a scratch database until the run's files are committed."""

    def __init__(self) -> None:
        self._database = scratch_database(
            "CREATE TABLE pending (seq INTEGER PRIMARY KEY, entry INTEGER NOT NULL, lang TEXT NOT NULL,"
            " sortkey TEXT NOT NULL, path BLOB NOT NULL, hash TEXT, msgid TEXT, msgstr TEXT, pending INTEGER)"
        )
        self._entries = 0

    def add(self, lang: str, sortkey: str, shown: str, hash_: str | None, pairs: Pairs) -> None:
        self._entries += 1
        head = (self._entries, lang, sortkey, path_key(shown), hash_)
        self._database.executemany(
            "INSERT INTO pending (entry, lang, sortkey, path, hash, msgid, msgstr, pending)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*head, msgid, msgstr, int(bool(flag and flag[0]))) for msgid, msgstr, *flag in pairs]
            or [(*head, None, None, 0)],
        )

    def of(self, lang: str) -> Iterator[tuple[str, str, str | None, list[MemoryPair]]]:
        """The catalogs of ``lang``, in the order added, each with its pairs."""
        current: tuple[int, str, bytes, str | None] | None = None
        pairs: list[MemoryPair] = []
        rows = self._database.execute(
            "SELECT entry, sortkey, path, hash, msgid, msgstr, pending FROM pending WHERE lang = ? ORDER BY seq",
            (lang,),
        )
        for entry, sortkey, path, hash_, msgid, msgstr, pending in rows:
            if current is not None and current[0] != entry:
                yield current[1], path_of(current[2]), current[3], pairs
                pairs = []
            current = (entry, sortkey, path, hash_)
            if msgid is not None:
                pairs.append((msgid, msgstr, True) if pending else (msgid, msgstr))
        if current is not None:
            yield current[1], path_of(current[2]), current[3], pairs

    def close(self) -> None:
        self._database.close()
