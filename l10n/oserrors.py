"""An operating system error (a full disk, a read-only site, a file where a directory belongs...) as the one
line a user can act on: the path concerned and what is wrong with it."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from pathlib import Path

from l10n.fileio import TEMPORARY_MARK

_MESSAGES = {
    errno.ENOSPC: "no space left on the device",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EEXIST: "a file is where a directory is expected",
    errno.ENOTDIR: "a file is where a directory is expected (in this path)",
    errno.EISDIR: "a directory is where a file is expected",
    errno.ENAMETOOLONG: "path too long",
    errno.ELOOP: "too many symbolic links",
    errno.EDQUOT: "disk quota exceeded",
    errno.EMFILE: "too many open files",
    errno.EIO: "input/output error",
}
_TEMPORARY = re.compile(rf"^\.(?P<name>.+)\.{re.escape(TEMPORARY_MARK)}-\d+-[^./]+\.tmp$")


def _path_of(error: OSError) -> Path | None:
    """The file the user knows: the destination of a rename, and a temporary file's target, not itself."""
    name = error.filename2 if error.filename2 is not None else error.filename
    if name is None:
        return None
    path = Path(os.fsdecode(name)) if isinstance(name, (str, bytes)) else None
    if path is None:
        return None
    temporary = _TEMPORARY.match(path.name)
    return path.with_name(temporary["name"]) if temporary else path


def describe(error: OSError) -> tuple[Path | None, str]:
    """The path concerned (None when the error names none) and a short message."""
    message = _MESSAGES.get(error.errno or 0) or error.strerror or str(error) or type(error).__name__
    return _path_of(error), message


def describe_database(error: sqlite3.Error, cache: Path) -> tuple[Path, str]:
    """A failure of a run-cache database (disk full, read-only...): the cache directory and SQLite's words."""
    return cache, f"run cache: {error}"
