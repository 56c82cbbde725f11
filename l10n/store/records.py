"""The run cache (``.l10n-cache/``): what earlier runs verified, keyed by content hashes, so a run can skip
every post whose inputs and outputs are exactly as they were.

A record claims, for one post and one exact state of its files (source, template, catalog, output, by
content hash) and one context (tool, configuration, options, glossary), that ``extract`` and/or ``build``
would write nothing, and which diagnostics they report. Claims are pure functions of what they are keyed on,
so a record never needs invalidating: it simply stops matching. The fill from the translation memory also
depends on every catalog of the locale: a record names the memory token it was verified against (see
:class:`LangRecord`), kept with the memory in :mod:`l10n.memory.database`.

Deleting the directory only costs time. A cache that does not load, does not have the expected shape, or was
written by another version of the tool (or of its parsing libraries) is ignored, never trusted.

Post records live in an SQLite database (``posts.sqlite``) and are read one post at a time, so a run never
holds all of them; the records a run verifies wait in a temporary database until its files are committed.
The translation memory is an SQLite database per locale in the same directory (:mod:`l10n.memory.database`),
never loaded whole either.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.problems import Problem
from l10n.store.identity import cache_identity, digest
from l10n.store.sqlite import (
    CACHE_DIR,
    ERRORS,
    create_database,
    make_cache_dir,
    open_trusted,
    path_key,
    path_of,
    replace_rows,
    scratch_database,
)

POSTS_FILE = "posts.sqlite"


# ---- diagnostics as JSON ----


def diagnostics_to_json(items: Iterable[Problem]) -> list[list[Any]]:
    return [[item.path, item.line, item.check, item.severity, item.message] for item in items]


def diagnostics_from_json(items: list[list[Any]]) -> list[Problem]:
    return [Problem(check, severity, message, line=line, path=path) for path, line, check, severity, message in items]


# ---- records ----


@dataclass
class LangRecord:
    """One locale of a post: its catalog and output hashes, and what was verified for them."""

    po: str | None
    out: str | None
    extract: bool = False  # extract would write nothing to the template or this catalog
    build: str | None = None  # build context under which build would write nothing, with these diagnostics
    fill: str | None = None  # "complete" (no empty entry) or the memory token the catalog is settled against
    diagnostics: list[Problem] = field(default_factory=list)  # build's
    below: tuple[str, str, float] | None = None  # build's below-min-completion report
    # Other posts' pages the build linked into: source path -> what each was built from (l10n.run.anchors).
    depends: dict[str, str] = field(default_factory=dict)
    layout: str | None = None  # content hash of the page's layout patch the build applied (None: none)


@dataclass
class PostRecord:
    source: str | None
    pot: str | None
    context: str  # extract context (tool, configuration, project root)
    diagnostics: list[Problem] = field(default_factory=list)  # extract's (the document's problems)
    langs: dict[str, LangRecord] = field(default_factory=dict)


def _record_to_json(record: PostRecord) -> dict[str, Any]:
    return {
        "source": record.source,
        "pot": record.pot,
        "context": record.context,
        "diagnostics": diagnostics_to_json(record.diagnostics),
        "langs": {
            lang: {
                "po": item.po,
                "out": item.out,
                "extract": item.extract,
                "build": item.build,
                "fill": item.fill,
                "diagnostics": diagnostics_to_json(item.diagnostics),
                "below": list(item.below) if item.below else None,
                "depends": dict(sorted(item.depends.items())),
                "layout": item.layout,
            }
            for lang, item in sorted(record.langs.items())
        },
    }


def _optional_str(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _diagnostics(value: Any) -> list[Problem]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    items = diagnostics_from_json(value)
    for item in items:
        if not all(isinstance(part, str) for part in (item.path, item.check, item.severity, item.message)):
            raise TypeError("bad diagnostic")
        if item.line is not None and not isinstance(item.line, int):
            raise TypeError("bad diagnostic line")
    return items


def _record_from_json(value: Any) -> PostRecord:
    langs: dict[str, LangRecord] = {}
    for lang, item in value["langs"].items():
        below = item["below"]
        if below is not None:
            output, code, percent = below
            if not (isinstance(output, str) and isinstance(code, str) and isinstance(percent, int | float)):
                raise TypeError("bad below")
            below = (output, code, float(percent))
        if not isinstance(item["extract"], bool):
            raise TypeError("bad extract flag")
        depends = item.get("depends", {})
        if not isinstance(depends, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in depends.items()
        ):
            raise TypeError("bad dependencies")
        langs[lang] = LangRecord(
            po=_optional_str(item["po"]),
            out=_optional_str(item["out"]),
            extract=item["extract"],
            build=_optional_str(item["build"]),
            fill=_optional_str(item["fill"]),
            diagnostics=_diagnostics(item["diagnostics"]),
            below=below,
            depends=depends,
            layout=_optional_str(item.get("layout")),
        )
    context = value["context"]
    if not isinstance(context, str):
        raise TypeError("bad context")
    return PostRecord(
        _optional_str(value["source"]), _optional_str(value["pot"]), context, _diagnostics(value["diagnostics"]), langs
    )


# ---- loading and saving ----


# The post records: one row per post, looked up one at a time, so that no run holds all of them. Each row
# carries a digest of its key and text: a damaged row is not trusted even where SQLite finds no damage.
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE posts (path BLOB PRIMARY KEY, record TEXT NOT NULL, digest TEXT NOT NULL)",
)


def encode_record(record: PostRecord) -> str:
    return json.dumps(_record_to_json(record), sort_keys=True, separators=(",", ":"))


def _row_digest(key: bytes, text: str) -> str:
    return digest(key + b"\0" + text.encode("ascii"))


def _open_records(path: Path) -> sqlite3.Connection | None:
    """The records database when it is there, readable, of the expected shape and this tool's; else None.

    Opened read-write but written only by :meth:`RunCache.save` (SQLite may roll back what a run killed
    half-way through saving left behind). The lookups of a run share one read transaction.
    """
    return open_trusted(path, ["SELECT path, record, digest FROM posts LIMIT 0"], cache_identity(), begin=True)


@dataclass
class RunCache:
    """Post records: looked up one at a time; new ones held on disk until :meth:`save`."""

    directory: Path
    _records: sqlite3.Connection | None = None  # the earlier runs' records, when trusted
    _pending: sqlite3.Connection = field(default_factory=scratch_database)  # this run's records

    def __post_init__(self) -> None:
        self._pending.execute("CREATE TABLE posts (path BLOB PRIMARY KEY, record TEXT NOT NULL)")

    @classmethod
    def load(cls, root: Path) -> RunCache:
        directory = Path(root) / CACHE_DIR
        return cls(directory, _open_records(directory / POSTS_FILE))

    def record(self, rel: str) -> PostRecord | None:
        """The record of a post (its path relative to the source directory) from earlier runs, if trusted."""
        return self.records([rel])[0]

    def records(self, rels: Sequence[str]) -> list[PostRecord | None]:
        """:meth:`record` of each post, looked up together."""
        found: list[PostRecord | None] = [None] * len(rels)
        if self._records is None or not rels:
            return found
        keys = [path_key(rel) for rel in rels]
        try:
            rows = self._records.execute(
                f"SELECT path, record, digest FROM posts WHERE path IN ({','.join('?' * len(keys))})", keys
            ).fetchall()
        except ERRORS:
            self._distrust()
            return found
        places = {key: index for index, key in enumerate(keys)}
        for key, text, check in rows:
            index = places.get(key) if isinstance(key, bytes) else None
            if index is None or not isinstance(text, str) or not text.isascii() or check != _row_digest(key, text):
                continue
            try:
                found[index] = _record_from_json(json.loads(text))
            except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
                continue
        return found

    def _distrust(self) -> None:
        if self._records is not None:
            self._records.close()
            self._records = None

    def remember(self, rel: str, record: PostRecord) -> None:
        """Record a post at :meth:`save`, merged with what earlier runs verified for the very same files."""
        merged = _merge_records(self.record(rel), record)
        self._pending.execute(
            "INSERT OR REPLACE INTO posts (path, record) VALUES (?, ?)", (path_key(rel), encode_record(merged))
        )

    def end_lookups(self) -> None:
        """Release the records database until :meth:`save` (other runs may then write it)."""
        if self._records is not None:
            with contextlib.suppress(sqlite3.Error):
                self._records.execute("COMMIT")

    def save(self, exists: Callable[[str], bool]) -> None:
        """Write the remembered records and drop those of posts that do not ``exists`` any more."""
        self.end_lookups()
        make_cache_dir(self.directory)
        with contextlib.suppress(*ERRORS):  # the cache is an optimization: not saving only costs time
            self._write_records(exists)
        self.close()

    def _write_records(self, exists: Callable[[str], bool]) -> None:
        if self._records is not None:
            try:
                self._update(self._records, exists)
                return
            except sqlite3.OperationalError:  # busy, full, read-only: try again next run
                raise
            except sqlite3.DatabaseError:  # damaged after all
                self._distrust()
        self._rebuild(exists)

    def _pending_rows(self) -> Iterator[tuple[bytes, str, str]]:
        for key, text in self._pending.execute("SELECT path, record FROM posts ORDER BY path"):
            yield key, text, _row_digest(key, text)

    def _update(self, database: sqlite3.Connection, exists: Callable[[str], bool]) -> None:
        replace_rows(database, "posts", 3, self._pending_rows(), exists)

    def _rebuild(self, exists: Callable[[str], bool]) -> None:
        """A new database with this run's records only, in place of a missing or untrusted one."""
        rows = (row for row in self._pending_rows() if exists(path_of(row[0])))
        statement = "INSERT INTO posts VALUES (?, ?, ?)"
        create_database(self.directory / POSTS_FILE, _SCHEMA, cache_identity(), {statement: rows})

    def close(self) -> None:
        self._distrust()
        self._pending.close()


def _merge_records(old: PostRecord | None, new: PostRecord) -> PostRecord:
    """``new``, keeping what ``old`` verified for the very same files."""
    if old is None or (old.source, old.pot, old.context) != (new.source, new.pot, new.context):
        return new
    extracted = any(item.extract for item in new.langs.values())
    diagnostics = new.diagnostics if extracted else old.diagnostics
    merged = PostRecord(new.source, new.pot, new.context, diagnostics, dict(old.langs))
    for lang, item in new.langs.items():
        previous = old.langs.get(lang)
        if previous is not None and (previous.po, previous.out) == (item.po, item.out):
            if not item.extract and previous.extract:
                item.extract = True
            if item.build is None and previous.build is not None:
                item.build, item.diagnostics, item.below = previous.build, previous.diagnostics, previous.below
                item.depends = previous.depends
            if item.fill is None:
                item.fill = previous.fill
        merged.langs[lang] = item
    return merged
