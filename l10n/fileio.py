"""File input and output at the edges: strict UTF-8 reading and atomic, change-only writing."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

TEMPORARY_MARK = "l10n"  # temporary files are ".<target name>.l10n-<pid>-<random>.tmp" (see l10n.tempfiles)
# The run's process, set on import: worker processes (forked) inherit it, so what they stage carries the pid of
# the run that will rename it in, and stays while that run lives.
_WRITER_PID = os.getpid()


class InputError(Exception):
    """Bad input (undecodable bytes, malformed file...): reported as ``file:line: message``, exit code 2."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type, tuple[Path, int | None, str]]:
        # Raised in worker processes: rebuilt from its fields on the other side.
        return (type(self), (self.path, self.line, self.message))


def decode_utf8(data: bytes, path: Path | str) -> str:
    """Decode strictly; a BOM and CR/LF are kept as they are (layout is preserved byte for byte)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            path, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 text file without newline translation."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _cannot_read(path, error) from None
    return decode_utf8(data, path)


def read_bytes_if_any(path: Path) -> bytes | None:
    """A file's bytes, None when it does not exist; any other failure is bad input naming the file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _cannot_read(path, error) from None


def read_text_if_any(path: Path) -> str | None:
    """A UTF-8 text file as :func:`read_text` reads it, None when it does not exist."""
    data = read_bytes_if_any(path)
    return None if data is None else decode_utf8(data, path)


def _cannot_read(path: Path, error: OSError) -> InputError:
    return InputError(path, None, f"cannot read: {error.strerror or error}")


def _write_temporary(
    path: Path, data: bytes | Iterable[bytes], directory: Path | None = None, *, flush: bool = True
) -> Path:
    """``data`` (or its pieces, in order) in a new temporary file next to ``path`` (or in ``directory``, on the
    same file system), flushed to disk unless told otherwise, with ``path``'s mode."""
    if directory is None:
        directory = path.parent
        directory.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}.{TEMPORARY_MARK}-{_WRITER_PID}-"
    import tempfile  # here: not every command writes, and every command imports this module

    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            if flush:
                handle.flush()
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and not error.filename:  # a write or flush on a full disk: name the file
            error.filename = temporary
        raise
    return Path(temporary)


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same directory and ``os.replace``.

    Returns False, without touching the file (nor its mtime), when it already holds exactly these bytes.
    """
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    temporary = _write_temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def atomic_write_text(path: Path, text: str) -> bool:
    """Write UTF-8 text atomically (no newline translation); returns whether the file changed."""
    return atomic_write_bytes(Path(path), text.encode("utf-8"))


class Staged(NamedTuple):
    """A file written in full, waiting to be moved over its target (paths as strings: a run holds one per
    changed file until it commits)."""

    target: str
    temporary: str


def stage_text(path: Path, text: str) -> Staged:
    """The first half of an atomic write: ``text`` in a temporary file to be moved over ``path`` by
    :func:`move_staged` once flushed (or removed by :func:`discard_staged`).

    The temporary file goes next to ``path`` or, when its directory does not exist yet, into the nearest
    existing one above it (same file system): staging creates no directory, so a run that is abandoned
    leaves no trace.
    """
    return stage_pieces(path, [text.encode("utf-8")])


def stage_pieces(path: Path, pieces: Iterable[bytes]) -> Staged:
    """:func:`stage_text` for a text made a piece at a time (a huge catalog's is never held whole)."""
    path = Path(path)
    directory = next(parent for parent in path.parents if parent.is_dir())
    return Staged(str(path), str(_write_temporary(path, pieces, directory, flush=False)))


def _flush_to_disk(path: str) -> None:
    descriptor = os.open(path, os.O_RDWR)
    try:
        os.fsync(descriptor)
    except OSError as error:  # a full disk shows here: name the file
        error.filename = error.filename or path
        raise
    finally:
        os.close(descriptor)


def flush_staged(staged: Iterable[Staged]) -> None:
    """Flush staged files to disk, side by side: the file system then commits them together, much faster
    than one ``fsync`` per file as it is written. Read in batches, so a stream of any length is never held
    whole."""
    from concurrent.futures import ThreadPoolExecutor

    temporaries = (temporary for _, temporary in staged)
    with ThreadPoolExecutor(max_workers=32) as pool:
        while batch := list(itertools.islice(temporaries, 256)):
            list(pool.map(_flush_to_disk, batch))


def move_staged(item: Staged) -> None:
    """Move one staged (and flushed) file over its target, making the directories it needs."""
    os.makedirs(os.path.dirname(item.target), exist_ok=True)
    os.replace(item.temporary, item.target)


def discard_staged(staged: Iterable[Staged]) -> None:
    for _, temporary in staged:
        Path(temporary).unlink(missing_ok=True)
