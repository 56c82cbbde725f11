"""What a run produces post by post but uses only at its end, kept on disk meanwhile, so that the run's
memory does not grow with the number of posts.

Each spool is a table in a private temporary SQLite database: SQLite keeps a few pages in memory and the rest
in a temporary file, deleted when the connection closes (or the process ends).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from l10n.store.sqlite import scratch_database


def sortable(text: str) -> bytes:
    """``text`` as bytes whose byte order is the code point order Python sorts strings by (lone surrogates,
    from undecodable file names, included)."""
    return text.encode("utf-8", "surrogatepass")


class Rows:
    """An append-only list of JSON values, read back in the order added or sorted by a text key."""

    def __init__(self) -> None:
        self._database = scratch_database()
        self._database.execute("CREATE TABLE rows (seq INTEGER PRIMARY KEY, key BLOB NOT NULL, row TEXT NOT NULL)")
        self._count = 0

    def add(self, row: Sequence[Any], key: str = "") -> None:
        # ASCII JSON: lone surrogates are escaped, so any str round-trips
        self._database.execute("INSERT INTO rows (key, row) VALUES (?, ?)", (sortable(key), json.dumps(row)))
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[list[Any]]:
        return self._read("ORDER BY seq")

    def by_key(self) -> Iterator[list[Any]]:
        return self._read("ORDER BY key, seq")

    def _read(self, order: str) -> Iterator[list[Any]]:
        for (row,) in self._database.execute(f"SELECT row FROM rows {order}"):
            yield json.loads(row)

    def clear(self) -> None:
        self._database.execute("DELETE FROM rows")
        self._count = 0
