"""Parsed sources kept between runs: each post's body extraction, so an unchanged source is not parsed again.

Parsing the Markdown is the costliest part of extracting a post. A run that finds a post's source as it was
when last parsed (``build`` after ``extract``, ``sync`` after a translator edited a catalog, ``check`` after
``sync``) reads the stored extraction instead. Each entry is keyed by a digest of what the extraction depends
on (the source's bytes, the front matter keys, MDX or not); the tool's fingerprint is in the database's meta
table. The front matter is always read again from the source (it is quick); the stored body must match the
text it is applied to, segment by segment, or it is not used.

Like the rest of ``.l10n-cache/`` this is an optimization only: a missing, damaged or foreign database, or an
entry that does not check out, is the same as no entry.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from l10n.cache import CACHE_DIR, digest, tool_fingerprint
from l10n.document.extract import Body, join_lines
from l10n.document.stored import body_from_json, body_to_json
from l10n.spool import scratch_database

PARSED_FILE = "parsed.sqlite"
FORMAT = 1
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE parsed (path BLOB PRIMARY KEY, key TEXT NOT NULL, body BLOB NOT NULL)",
)
_ERRORS = (sqlite3.Error, OSError, ValueError, UnicodeError)


def parse_key(source: bytes, front_matter_keys: tuple[str, ...], mdx: bool) -> str:
    """What a post's extraction depends on, besides the tool."""
    return digest(json.dumps([digest(source), list(front_matter_keys), mdx]).encode())


def encode_body(body: Body) -> bytes:
    return zlib.compress(json.dumps(body_to_json(body), separators=(",", ":")).encode(), 1)


def decode_body(data: bytes, text: str) -> Body:
    """The stored body, checked against ``text`` (the source it is for); ``ValueError`` if it does not fit."""
    try:
        body = body_from_json(json.loads(zlib.decompress(data)))
    except (zlib.error, RecursionError, UnicodeDecodeError) as error:
        raise ValueError(f"not a stored body: {error}") from None
    for segment, layout in zip(body.segments, body.layouts, strict=True):
        pieces = [text[span.start : span.end] for span in segment.spans]
        if any(not 0 <= span.start <= span.end <= len(text) for span in segment.spans):
            raise ValueError("a segment lies outside the source")
        located = join_lines(pieces, list(layout.hard_breaks)) if layout.mode == "lines" else "".join(pieces)
        if located != segment.msgid:
            raise ValueError("a segment's text is not where the stored body says")
    return body


def _key(rel: str) -> bytes:
    return rel.encode("utf-8", "surrogateescape")


class ParsedStore:
    """Stored extractions of a project's posts: looked up by any process of a run, saved by the run's parent.

    A worker process forked from the parent opens its own connection (an SQLite connection must not cross a
    fork); this run's new entries wait in a temporary database until :meth:`save`.
    """

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / CACHE_DIR / PARSED_FILE
        self._connections: dict[int, sqlite3.Connection | None] = {}
        self._pending: sqlite3.Connection | None = None

    def _database(self) -> sqlite3.Connection | None:
        pid = os.getpid()
        if pid not in self._connections:
            self._connections[pid] = _open_trusted(self.path, read_only=True)
        return self._connections[pid]

    def lookup(self, rel: str, key: str, text: str) -> Body | None:
        """The stored body of a post whose source, of text ``text``, has digest ``key``; None if there is none
        that can be trusted."""
        database = self._database()
        if database is None:
            return None
        try:
            row = database.execute("SELECT key, body FROM parsed WHERE path = ?", (_key(rel),)).fetchone()
            if row is None or row[0] != key or not isinstance(row[1], bytes):
                return None
            return decode_body(row[1], text)
        except _ERRORS:
            return None

    def remember(self, rel: str, key: str, body: bytes) -> None:
        """Store an extraction at :meth:`save` (parent process only)."""
        if self._pending is None:
            self._pending = scratch_database()
            self._pending.execute("CREATE TABLE parsed (path BLOB PRIMARY KEY, key TEXT NOT NULL, body BLOB)")
        self._pending.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", (_key(rel), key, body))

    def save(self, exists: Callable[[str], bool]) -> None:
        """Write this run's entries and drop those of posts that do not ``exists`` any more."""
        self.close_lookups()
        with contextlib.suppress(*_ERRORS):  # an optimization: not saving only costs time
            database = _open_trusted(self.path, read_only=False)
            if database is None and self._pending is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                database = _create(self.path)
            if database is not None:
                try:
                    _update(database, self._pending, exists)
                finally:
                    database.close()
        self.close()

    def close_lookups(self) -> None:
        for connection in self._connections.values():
            if connection is not None:
                connection.close()
        self._connections.clear()

    def close(self) -> None:
        self.close_lookups()
        if self._pending is not None:
            self._pending.close()
            self._pending = None


def _open_trusted(path: Path, *, read_only: bool) -> sqlite3.Connection | None:
    """The database when it is there, of the expected shape and this tool's; else None."""
    if not path.is_file():
        return None
    try:
        database = sqlite3.connect(f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}", uri=True)
    except _ERRORS:
        return None
    try:
        meta = dict(database.execute("SELECT key, value FROM meta").fetchall())
        database.execute("SELECT path, key, body FROM parsed LIMIT 0").fetchall()
    except _ERRORS:
        database.close()
        return None
    if meta.get("format") != str(FORMAT) or meta.get("tool") != tool_fingerprint():
        database.close()
        return None
    return database


def _create(path: Path) -> sqlite3.Connection:
    """A new, empty database in place of a missing or untrusted one (made aside, then renamed in)."""
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".parsed-", suffix=".sqlite")
    os.close(descriptor)
    temporary = Path(name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        database = sqlite3.connect(temporary)
        with database:
            for statement in _SCHEMA:
                database.execute(statement)
            database.executemany(
                "INSERT INTO meta VALUES (?, ?)", [("format", str(FORMAT)), ("tool", tool_fingerprint())]
            )
        database.close()
        Path(f"{path}-journal").unlink(missing_ok=True)  # a journal left beside an old file must not meet this one
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return sqlite3.connect(path)


def _update(
    database: sqlite3.Connection, pending: sqlite3.Connection | None, exists: Callable[[str], bool]
) -> None:
    with database:  # one transaction: all of this run's entries or none
        gone = [(path,) for (path,) in database.execute("SELECT path FROM parsed") if not exists(_rel(path))]
        database.executemany("DELETE FROM parsed WHERE path = ?", gone)
        if pending is None:
            return
        database.executemany(
            "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)",
            (row for row in pending.execute("SELECT path, key, body FROM parsed") if exists(_rel(row[0]))),
        )


def _rel(path: bytes | str) -> str:
    return path.decode("utf-8", "surrogateescape") if isinstance(path, bytes) else path
