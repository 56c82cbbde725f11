"""Replies of chat models kept in ``.l10n-cache/llm-replies.sqlite``, keyed by a digest of the request
(endpoint, model, messages), so that a run interrupted half way, or run again, does not pay twice.

Only a reply that was read back as sound (right ids, right order, nothing around the JSON) is stored, and only
after its segments went through verification; a stored reply is verified again each time it is used, so a
segment that failed once fails again and is never taken from here. The database is trusted by its format
alone, not by the tool's fingerprint: a paid reply stays useful across versions of the tool, since every use
verifies it afresh. Like the rest of the cache, deleting it only costs (here: money and time).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from l10n.fileio import atomic_write_text
from l10n.store.identity import digest
from l10n.store.sqlite import CACHE_DIR, ERRORS, create_database, open_trusted

REPLIES_FILE = "llm-replies.sqlite"
_IDENTITY = {"format": "llm-replies 1"}
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE replies (key TEXT PRIMARY KEY, reply TEXT NOT NULL)",
)
_SHAPE = ("SELECT key, reply FROM replies LIMIT 0",)


def request_key(endpoint: str, model: str, messages: Sequence[dict[str, str]]) -> str:
    """The digest a request is cached under."""
    text = json.dumps([endpoint, model, list(messages)], ensure_ascii=False, sort_keys=True)
    return digest(text.encode("utf-8"))


class ReplyCache:
    """Lookups and stores from any thread (one connection per thread); errors only cost a request."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / CACHE_DIR / REPLIES_FILE
        self._local = threading.local()
        self._create_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    def _database(self, create: bool) -> sqlite3.Connection | None:
        database: sqlite3.Connection | None = getattr(self._local, "database", None)
        if database is not None:
            return database
        with self._create_lock:
            database = open_trusted(self.path, _SHAPE, _IDENTITY)
            if database is None and create:
                with contextlib.suppress(*ERRORS):
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    ignore = self.path.parent / ".gitignore"
                    if not ignore.exists():  # the cache is never committed
                        atomic_write_text(ignore, "*\n")
                    create_database(self.path, _SCHEMA, _IDENTITY)
                    database = open_trusted(self.path, _SHAPE, _IDENTITY)
            if database is not None:
                # Each reply is committed as it arrives, so that Ctrl-C loses none; in a write-ahead log
                # without a sync per commit (a reply costs a write, not a wait on the disk): a commit survives
                # the process being stopped, only a power cut may lose the last ones (a cache: they cost a request).
                with contextlib.suppress(*ERRORS):
                    database.execute("PRAGMA journal_mode = WAL")
                    database.execute("PRAGMA synchronous = NORMAL")
                self._local.database = database
                self._connections.append(database)
        return database

    def prepare(self) -> None:
        """Create the database now if it is missing (rather than when the first reply is stored)."""
        self._database(create=True)

    def get(self, key: str) -> str | None:
        database = self._database(create=False)
        if database is None:
            return None
        try:
            row = database.execute("SELECT reply FROM replies WHERE key = ?", (key,)).fetchone()
        except ERRORS:
            return None
        return row[0] if row and isinstance(row[0], str) else None

    def put(self, key: str, reply: str) -> None:
        database = self._database(create=True)
        if database is None:
            return
        with contextlib.suppress(*ERRORS):
            database.execute("INSERT OR REPLACE INTO replies VALUES (?, ?)", (key, reply))

    def close(self) -> None:
        with self._create_lock:
            for database in self._connections:
                with contextlib.suppress(*ERRORS):
                    database.close()
            self._connections.clear()
            self._local = threading.local()
