"""What a run produces post by post but uses only at its end, kept on disk meanwhile, so that the run's
memory does not grow with the number of posts.

Each spool is a table in a private temporary SQLite database: SQLite keeps a few pages in memory and the rest
in a temporary file, deleted when the connection closes (or the process ends).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from l10n.store.sqlite import scratch_database


def sortable(text: str) -> bytes:
    """``text`` as bytes whose byte order is the code point order Python sorts strings by (lone surrogates,
    from undecodable file names, included)."""
    return text.encode("utf-8", "surrogatepass")


class Rows:
    """An append-only list of JSON values, read back in the order added or sorted by a text key.

    The first :data:`IN_MEMORY` rows stay in memory (most runs have a few); past that, every row goes to the
    spool's database, so a run of any size holds at most that many."""

    IN_MEMORY = 2000

    def __init__(self) -> None:
        self._database: sqlite3.Connection | None = None
        self._rows: list[tuple[bytes, str]] = []  # (sortable key, JSON row) until spilled
        self._count = 0

    def add(self, row: Sequence[Any], key: str = "") -> None:
        # ASCII JSON: lone surrogates are escaped, so any str round-trips
        item = (sortable(key), json.dumps(row))
        self._count += 1
        if self._database is None:
            self._rows.append(item)
            if len(self._rows) > self.IN_MEMORY:
                self._spill()
            return
        self._database.execute("INSERT INTO rows (key, row) VALUES (?, ?)", item)

    def _spill(self) -> None:
        database = scratch_database()
        database.execute("CREATE TABLE rows (seq INTEGER PRIMARY KEY, key BLOB NOT NULL, row TEXT NOT NULL)")
        database.executemany("INSERT INTO rows (key, row) VALUES (?, ?)", self._rows)
        self._database, self._rows = database, []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[list[Any]]:
        if self._database is None:
            return (json.loads(row) for _key, row in list(self._rows))
        return self._read("ORDER BY seq")

    def by_key(self) -> Iterator[list[Any]]:
        if self._database is None:  # by key, then in the order added (a stable sort), as the query orders them
            return (json.loads(row) for _key, row in sorted(self._rows, key=lambda item: item[0]))
        return self._read("ORDER BY key, seq")

    def _read(self, order: str) -> Iterator[list[Any]]:
        assert self._database is not None
        for (row,) in self._database.execute(f"SELECT row FROM rows {order}"):
            yield json.loads(row)

    def clear(self) -> None:
        if self._database is not None:
            self._database.execute("DELETE FROM rows")
        self._rows = []
        self._count = 0
