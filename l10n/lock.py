"""One lock per site, so that writers (commands and review saves) never interleave read and write.

A command that writes reads catalogs, computes, then renames new versions in: a second writer working at the
same time (a review save, another ``sync``) would have its change replaced by a copy made before it. Every writer
therefore holds the site's lock from its first read to its last rename.

The lock is an OS lock (``fcntl.flock``; ``msvcrt.locking`` on Windows) on ``.l10n-cache/lock``: the OS releases
it when its holder ends, however it ends, so a crash never leaves a site locked. Within one process the lock is
re-entrant and shared by threads in turn (the review server saves from several threads).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from l10n.fileio import InputError
from l10n.oserrors import describe

LOCK_DIR = ".l10n-cache"
LOCK_NAME = "lock"
TIMEOUT_VARIABLE = "L10N_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 600.0  # seconds a command waits for another writer (a big site's sync can take minutes)
_POLL = 0.05


class SiteBusy(InputError):
    """The site's lock stayed held by another writer for the whole timeout (exit 2, like bad input)."""


def lock_path(root: Path) -> Path:
    return Path(root) / LOCK_DIR / LOCK_NAME


def default_timeout() -> float:
    """The wait of a command: ``L10N_LOCK_TIMEOUT`` seconds when set (and a number), else 10 minutes."""
    try:
        return max(0.0, float(os.environ[TIMEOUT_VARIABLE]))
    except (KeyError, ValueError):
        return DEFAULT_TIMEOUT


@dataclass
class _Held:
    """This process's hold of one site's lock: which thread has it, how deeply, through which descriptor."""

    guard: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    descriptor: int | None = None


_held: dict[str, _Held] = {}
_registry = threading.Lock()


def _held_for(path: Path) -> _Held:
    with _registry:
        return _held.setdefault(os.path.abspath(path), _Held())


@contextmanager
def site_lock(
    root: Path, *, timeout: float | None = None, waiting: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the site's lock for the block. Waits up to ``timeout`` seconds (default: :func:`default_timeout`)
    for another writer, calling ``waiting`` once with a message when it has to wait; raises :class:`SiteBusy`
    when the time is up, :class:`InputError` when the lock file cannot be made (``.l10n-cache`` a file...)."""
    path = lock_path(root)
    held = _held_for(path)
    limit = default_timeout() if timeout is None else timeout
    deadline = time.monotonic() + limit
    if not held.guard.acquire(timeout=limit if limit > 0 else 0):
        raise _busy(path, limit)
    try:
        if held.depth == 0:
            held.descriptor = _acquire(path, deadline, limit, waiting)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.descriptor is not None:
                _release(held.descriptor, path)
                held.descriptor = None
    finally:
        held.guard.release()


def _busy(path: Path, limit: float) -> SiteBusy:
    return SiteBusy(path, None, f"another l10n command is writing this site; gave up after {limit:g} s")


def _open(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        if isinstance(error, (FileExistsError, NotADirectoryError)) or not path.parent.is_dir():
            raise InputError(path.parent, None, "cannot make the lock: not a directory (remove or rename it)") from None
        where, message = describe(error)
        raise InputError(where or path, None, f"cannot make the lock: {message}") from None


def _acquire(path: Path, deadline: float, limit: float, waiting: Callable[[str], None] | None) -> int:
    told = False
    while True:
        descriptor = _open(path)
        try:
            if _try_lock(descriptor):
                if _still_there(descriptor, path):
                    return descriptor
                continue  # its holder removed it as we took it (closed by _still_there): take the new one
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)
        if time.monotonic() >= deadline:
            raise _busy(path, limit)
        if not told and waiting is not None:
            waiting(f"waiting for another l10n command writing this site ({path} is locked)...")
            told = True
        time.sleep(_POLL)


def _still_there(descriptor: int, path: Path) -> bool:
    """Whether the locked file is still the one at ``path`` (a holder removes it when done, see _release)."""
    if sys.platform == "win32":  # pragma: no cover - never removed there
        return True
    try:
        same = os.path.samestat(os.fstat(descriptor), os.stat(path))
    except OSError:
        same = False
    if not same:
        _unlock(descriptor)
        os.close(descriptor)
    return same


def _release(descriptor: int, path: Path) -> None:
    """Remove the lock file (a site is left as it was found), then let go: a writer that opened it meanwhile
    finds it gone once it holds it, and makes a new one."""
    try:
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                os.unlink(path)
        _unlock(descriptor)
    finally:
        os.close(descriptor)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        try:
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
