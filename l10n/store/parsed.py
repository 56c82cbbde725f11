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
import zlib
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING

from l10n.store import sqlite as db
from l10n.store.identity import cache_identity, digest

if TYPE_CHECKING:
    from l10n.document.dialect import Dialect
    from l10n.document.extract import Body

PARSED_FILE = "parsed.sqlite"
FORMAT = 2  # of the stored bodies (l10n.document.stored), beside the cache's format in the meta table
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE parsed (path BLOB PRIMARY KEY, key TEXT NOT NULL, body BLOB NOT NULL)",
)
_SHAPE = ("SELECT path, key, body FROM parsed LIMIT 0",)


def parse_key(source_digest: str, front_matter_keys: tuple[str, ...], dialect: Dialect) -> str:
    """What a post's extraction depends on, besides the tool: the source (by its digest), keys, dialect."""
    return digest(json.dumps([source_digest, list(front_matter_keys), astuple(dialect)]).encode())


def encode_body(body: Body) -> bytes:
    from l10n.document.stored import body_to_json

    return zlib.compress(json.dumps(body_to_json(body), separators=(",", ":")).encode(), 1)


def decode_body(data: bytes, text: str) -> Body:
    """The stored body, checked against ``text`` (the source it is for); ``ValueError`` if it does not fit."""
    # the document model is imported by the first post read, not by a run that reads none
    from l10n.document.extract import join_lines
    from l10n.document.stored import body_from_json

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


class ParsedStore:
    """Stored extractions of a project's posts: looked up by any process of a run, saved by the run's parent.

    A worker process forked from the parent opens its own connection (an SQLite connection must not cross a
    fork); this run's new entries wait in a temporary database until :meth:`save`.
    """

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / db.CACHE_DIR / PARSED_FILE
        self._connections: dict[int, sqlite3.Connection | None] = {}
        self._pending: sqlite3.Connection | None = None

    def _database(self) -> sqlite3.Connection | None:
        pid = os.getpid()
        if pid not in self._connections:
            self._connections[pid] = _open(self.path, read_only=True)
        return self._connections[pid]

    def lookup(self, rel: str, key: str, text: str) -> Body | None:
        """The stored body of a post whose source, of text ``text``, has digest ``key``; None if there is none
        that can be trusted."""
        database = self._database()
        if database is None:
            return None
        try:
            row = database.execute("SELECT key, body FROM parsed WHERE path = ?", (db.path_key(rel),)).fetchone()
            if row is None or row[0] != key or not isinstance(row[1], bytes):
                return None
            return decode_body(row[1], text)
        except db.ERRORS:
            return None

    def remember(self, rel: str, key: str, body: bytes) -> None:
        """Store an extraction at :meth:`save` (parent process only)."""
        if self._pending is None:
            self._pending = db.scratch_database()
            self._pending.execute("CREATE TABLE parsed (path BLOB PRIMARY KEY, key TEXT NOT NULL, body BLOB)")
        self._pending.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", (db.path_key(rel), key, body))

    def save(self, exists: Callable[[str], bool]) -> None:
        """Write this run's entries and drop those of posts that do not ``exists`` any more."""
        self.close_lookups()
        with contextlib.suppress(*db.ERRORS):  # an optimization: not saving only costs time
            database = _open(self.path, read_only=False)
            if database is None and self._pending is not None:
                db.make_cache_dir(self.path.parent)
                db.create_database(self.path, _SCHEMA, _identity())
                database = _open(self.path, read_only=False)
            if database is not None:
                rows = self._pending.execute("SELECT path, key, body FROM parsed") if self._pending else ()
                try:
                    db.replace_rows(database, "parsed", 3, (row for row in rows if exists(db.path_of(row[0]))), exists)
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


def _open(path: Path, *, read_only: bool) -> sqlite3.Connection | None:
    return db.open_trusted(path, _SHAPE, _identity(), read_only=read_only)


def _identity() -> dict[str, str]:
    return {**cache_identity(), "parsed": str(FORMAT)}
