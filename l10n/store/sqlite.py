"""The run cache's SQLite plumbing: opened only when a file is this tool's, made anew aside and renamed in,
path keys, replacing a run's rows, private scratch databases.

Every database of ``.l10n-cache/`` has a ``meta`` table holding at least the cache format and the tool's
fingerprint (:func:`l10n.store.identity.tool_fingerprint`); one that does not open, lacks a table or a column
the caller names, or was written by another format or version of the tool is not trusted: the caller acts as
if there were none, and makes a new one in its place.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from l10n.fileio import atomic_write_text

CACHE_DIR = ".l10n-cache"
ERRORS = (sqlite3.Error, OSError, ValueError, UnicodeError)


def path_key(rel: str) -> bytes:
    """A path as stored in a database: its bytes, undecodable file names (lone surrogates) included."""
    return rel.encode("utf-8", "surrogateescape")


def path_of(key: bytes | str) -> str:
    """The path a :func:`path_key` stands for."""
    return key.decode("utf-8", "surrogateescape") if isinstance(key, bytes) else str(key)


def make_cache_dir(directory: Path) -> list[Path]:
    """Create the cache directory and its ``.gitignore`` when missing; what was made, last made first."""
    created: list[Path] = []
    if not directory.is_dir():
        directory.mkdir(parents=True)
        created.insert(0, directory)
    ignore = directory / ".gitignore"
    if not ignore.exists():
        atomic_write_text(ignore, "*\n")
        created.insert(0, ignore)
    return created


def scratch_database(*schema: str) -> sqlite3.Connection:
    """A private temporary database (the empty file name), never synced: it only outlives nothing. ``schema``:
    the statements that create its tables."""
    database = sqlite3.connect("", isolation_level=None)
    database.execute("PRAGMA journal_mode = OFF")
    database.execute("PRAGMA synchronous = OFF")
    for statement in schema:
        database.execute(statement)
    return database


def replace_rows(
    database: sqlite3.Connection,
    table: str,
    columns: int,
    rows: Iterable[Sequence[object]],
    exists: Callable[[str], bool],
) -> None:
    """In one transaction: drop the rows (keyed by ``path``) of paths that do not ``exists`` any more, then
    insert or replace ``rows`` of ``columns`` values (all of this run's rows or none)."""
    database.execute("BEGIN IMMEDIATE")
    try:
        gone = [(key,) for (key,) in database.execute(f"SELECT path FROM {table}") if not exists(path_of(key))]
        database.executemany(f"DELETE FROM {table} WHERE path = ?", gone)
        marks = ", ".join("?" * columns)
        database.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
    except BaseException:
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
            database.execute("ROLLBACK")
        raise
    database.execute("COMMIT")


def open_trusted(
    path: Path, shape: Sequence[str], identity: Mapping[str, str], *, read_only: bool = False, begin: bool = False
) -> sqlite3.Connection | None:
    """The database at ``path`` (in autocommit mode) when it opens, answers every query of ``shape`` and its
    ``meta`` table holds ``identity``; else None. ``begin``: the checks and what follows share one read
    transaction (the caller ends it)."""
    if not path.is_file():
        return None
    mode = "ro" if read_only else "rw"
    try:
        database = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None)
    except ERRORS:
        return None
    try:
        if begin:
            database.execute("BEGIN")
        meta = dict(database.execute("SELECT key, value FROM meta").fetchall())
        for query in shape:
            database.execute(query).fetchall()
    except ERRORS:
        database.close()
        return None
    if any(meta.get(key) != value for key, value in identity.items()):
        database.close()
        return None
    return database


def new_file_mode() -> int:
    """The mode an ordinary new file gets (``mkstemp`` makes private ones)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def create_database(
    path: Path,
    schema: Sequence[str],
    meta: Mapping[str, str],
    rows: Mapping[str, Iterable[Sequence[object]]] | None = None,
) -> None:
    """A new database at ``path`` in place of whatever was there: the ``schema`` statements, the ``meta``
    pairs and, per insert statement, its ``rows``, in one transaction of a file written aside, then renamed in
    (a reader sees the old file or the whole new one)."""
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".sqlite")
    os.close(descriptor)
    temporary = Path(name)
    try:
        os.chmod(temporary, new_file_mode())
        database = sqlite3.connect(temporary, isolation_level=None)
        try:
            database.execute("BEGIN")
            for statement in schema:
                database.execute(statement)
            database.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
            for statement, values in (rows or {}).items():
                database.executemany(statement, values)
            database.execute("COMMIT")
        finally:
            database.close()
        # a journal left by a run killed while writing belongs to the old file: it must not meet the new one
        Path(f"{path}-journal").unlink(missing_ok=True)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
