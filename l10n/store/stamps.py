"""Files' content digests remembered with their status, the way git's index does: a run that finds a file
with the size, times and inode it had when last hashed takes the digest it had then instead of reading it.

A file's stamp is its size, modification time, status-change time (``ctime``) and inode. The ``ctime`` is what
catches a change whose author put the modification time back (``touch -r``, an editor or a sync tool that
preserves times): nobody can set it, any write or ``utime`` moves it to the present. A stamp is remembered only
when both times are older than the moment it was taken by :data:`RACY_NS` ("racily clean", as git calls
it): a file written in the same clock tick as it was looked at (on a file system whose timestamps are coarse,
or by the kernel's coarse clock) could change again within that tick and keep its stamp, so it is hashed again
by every run until it is old enough. That holds as long as the file system's clock agrees with this machine's
within :data:`RACY_NS` (a network file system with a skewed server clock can break it), and where ``ctime``
is the status-change time (on Windows it is the creation time: there, a change that keeps the size and puts
the modification time back is not seen). Deleting ``.l10n-cache/`` is always safe.

Like the rest of ``.l10n-cache/`` this is an optimization only: a missing, damaged or foreign database is the
same as an empty one, and a stamp that does not match means reading the file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from time import time_ns

from l10n.store import sqlite as db
from l10n.store.identity import UNREADABLE, cache_identity, file_digest

STAMPS_FILE = "stamps.sqlite"
# How much older than the moment a file was looked at its times must be for its stamp to be remembered: more
# than the coarsest common timestamp granularity (FAT's two seconds, one second elsewhere) and the lag of the
# kernel's coarse clock.
RACY_NS = 3_000_000_000
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE stamps (path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL,"
    " ctime INTEGER NOT NULL, inode INTEGER NOT NULL, digest TEXT NOT NULL)",
)
_PARAMETERS = 500  # keys per query: below SQLite's oldest limit of parameters (999)
_SHAPE = ("SELECT path, size, mtime, ctime, inode, digest FROM stamps LIMIT 0",)

Stamp = tuple[int, int, int, int]  # size, mtime, ctime (nanoseconds), inode


def stamp_of(status: os.stat_result) -> Stamp:
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


def looked_at() -> int:
    """The moment files are looked at (nanoseconds), for :func:`settled`: taken before their status."""
    return time_ns()


def settled(status: os.stat_result, looked: int) -> bool:
    """Whether a file's stamp may be remembered: both its times older than ``looked`` by :data:`RACY_NS`."""
    return max(status.st_mtime_ns, status.st_ctime_ns) < looked - RACY_NS


class FileDigests:
    """Content digests of a project's files (:func:`l10n.store.identity.file_digest`), read from the stamps
    of earlier runs where a file's stamp is unchanged; the stamps taken now are written by :meth:`save`.

    ``status`` is ``os.stat`` (a test may give the files a coarse file system's timestamps).
    """

    def __init__(self, root: Path, *, status: Callable[[str], os.stat_result] = os.stat) -> None:
        self.path = Path(root) / db.CACHE_DIR / STAMPS_FILE
        self._prefix = str(root).rstrip(os.sep) + os.sep
        self._status = status
        self._database: sqlite3.Connection | None = None
        self._opened = False
        # Until :meth:`save`, on disk (a site has thousands of files): the stamps taken now, old enough to be
        # remembered, and (without a digest) the files whose stored stamp no longer holds.
        self._pending: sqlite3.Connection | None = None

    def _key(self, name: str) -> str:
        return name[len(self._prefix) :] if name.startswith(self._prefix) else name

    def _lookups(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            self._database = db.open_trusted(self.path, _SHAPE, cache_identity(), read_only=True, begin=True)
        return self._database

    def _stored(self, keys: Sequence[str]) -> dict[str, tuple[Stamp, str]]:
        """The stamps remembered for ``keys`` (one query), by key; a key without one is left out."""
        database = self._lookups()
        if database is None or not keys:
            return {}
        rows = []
        try:
            for start in range(0, len(keys), _PARAMETERS):
                some = keys[start : start + _PARAMETERS]
                marks = ",".join("?" * len(some))
                rows += database.execute(
                    f"SELECT path, size, mtime, ctime, inode, digest FROM stamps WHERE path IN ({marks})",
                    [db.path_key(key) for key in some],
                ).fetchall()
        except db.ERRORS:
            self._close_lookups()
            return {}
        found: dict[str, tuple[Stamp, str]] = {}
        for key, *stamp, value in rows:
            if isinstance(key, bytes) and all(isinstance(part, int) for part in stamp) and isinstance(value, str):
                found[db.path_of(key)] = ((stamp[0], stamp[1], stamp[2], stamp[3]), value)
        return found

    def digest(self, path: Path | str) -> str | None:
        """The file's content digest; None when it does not exist (as :func:`file_digest`)."""
        return self.digests([os.fspath(path)])[0]

    def digests(self, names: Sequence[str]) -> list[str | None]:
        """:meth:`digest` of each file, their stamps looked up together."""
        looked = looked_at()
        statuses: list[os.stat_result | OSError | None] = []
        keys: list[str] = []
        for name in names:
            try:
                status: os.stat_result | OSError | None = self._status(name)
            except FileNotFoundError:
                status = None
            except OSError as error:
                status = error
            statuses.append(status)
            if isinstance(status, os.stat_result) and stat.S_ISREG(status.st_mode):
                keys.append(self._key(name))
        stored = self._stored(keys)
        return [self._digest(name, status, stored, looked) for name, status in zip(names, statuses, strict=True)]

    def _digest(
        self, name: str, status: os.stat_result | OSError | None, stored: dict[str, tuple[Stamp, str]], looked: int
    ) -> str | None:
        if status is None:
            return None
        if isinstance(status, OSError) or not stat.S_ISREG(status.st_mode):
            return file_digest(Path(name))  # unreadable or not a file: what file_digest makes of it
        stamp, key = stamp_of(status), self._key(name)
        found = stored.get(key)
        if found is not None and found[0] == stamp:
            return found[1]
        if found is not None:
            self._note("INSERT OR IGNORE INTO stamps VALUES (?, 0, 0, 0, 0, NULL)", key)
        value = file_digest(Path(name))  # read after the stamp was taken: a later change moves the stamp
        if value is not None and not value.startswith(UNREADABLE) and settled(status, looked):
            self._note("INSERT OR REPLACE INTO stamps VALUES (?, ?, ?, ?, ?, ?)", key, *stamp, value)
        return value

    def _note(self, statement: str, key: str, *values: object) -> None:
        if self._pending is None:
            self._pending = db.scratch_database(
                "CREATE TABLE stamps (path BLOB PRIMARY KEY, size INTEGER, mtime INTEGER, ctime INTEGER,"
                " inode INTEGER, digest TEXT)"
            )
        self._pending.execute(statement, (db.path_key(key), *values))

    def save(self) -> None:
        """Remember the stamps taken now, forget those that no longer hold and those of files that are gone
        (nothing is written when every stamp held)."""
        self._close_lookups()
        pending, root = self._pending, self._prefix
        if pending is None:
            return

        def keep(key: str) -> bool:
            noted = pending.execute("SELECT 1 FROM stamps WHERE path = ?", (db.path_key(key),)).fetchone()
            return noted is None and os.path.lexists(os.path.join(root, key))

        def rows() -> Iterator[tuple[object, ...]]:
            yield from pending.execute("SELECT * FROM stamps WHERE digest IS NOT NULL")

        with contextlib.suppress(*db.ERRORS):  # an optimization: not saving only costs time
            database = db.open_trusted(self.path, _SHAPE, cache_identity())
            if database is None:
                db.make_cache_dir(self.path.parent)
                db.create_database(self.path, _SCHEMA, cache_identity())
                database = db.open_trusted(self.path, _SHAPE, cache_identity())
            if database is not None:
                try:
                    db.replace_rows(database, "stamps", 6, rows(), keep)
                finally:
                    database.close()
        self.close()

    def _close_lookups(self) -> None:
        if self._database is not None:
            with contextlib.suppress(sqlite3.Error):
                self._database.close()
            self._database = None

    def close(self) -> None:
        self._close_lookups()
        if self._pending is not None:
            self._pending.close()
            self._pending = None
