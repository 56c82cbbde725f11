"""Temporary files a writer left behind (killed between writing a file in full and renaming it in).

Every temporary file is named ``.<target name>.l10n-<pid>-<random>.tmp``, where ``pid`` is the process of the
run that wrote it (workers write under their run's pid). A file whose process is gone will never be renamed in:
the next run removes it. Files named as earlier versions named theirs (``.<target name>.<8 random>.tmp``) carry
no pid: they are removed only by a run holding the site's lock (no other writer of this tool can be at work).
``check`` reports what is left.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from l10n.config import Config
from l10n.fileio import TEMPORARY_MARK
from l10n.lock import LOCK_DIR
from l10n.problems import Problem

_OURS = re.compile(rf"^\..+\.{re.escape(TEMPORARY_MARK)}-(?P<pid>\d+)-[^./]+\.tmp$")
_EARLIER = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # tempfile.mkstemp's names, as versions before used them


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - no cheap probe there: never taken for gone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no permission to ask: alive as far as we know
        return True
    return True


def _directories(config: Config, langs: Sequence[str]) -> Iterator[tuple[Path, bool]]:
    """The directories the tool writes in, each with whether to search it below too."""
    yield config.root, False
    yield config.root / LOCK_DIR, False
    yield config.locales_dir, True
    for lang in langs:
        for directory in config.output_roots(lang):
            yield directory, True


def _walk(directory: Path, recursive: bool) -> Iterator[os.DirEntry[str]]:
    pending = [str(directory)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir(follow_symlinks=False)
                    except OSError:
                        continue
                    if is_dir:
                        if recursive:
                            pending.append(entry.path)
                    elif entry.name.endswith(".tmp"):
                        yield entry
        except OSError:  # absent, not a directory, unreadable: nothing of ours there
            continue


def leftovers(config: Config, langs: Sequence[str] | None = None) -> Iterator[Path]:
    """Every temporary file of this tool in the site, whoever wrote it (each path once)."""
    seen: set[str] = set()
    for directory, recursive in _directories(config, config.target_langs if langs is None else langs):
        for entry in _walk(directory, recursive):
            if (_OURS.match(entry.name) or _EARLIER.match(entry.name)) and entry.path not in seen:
                seen.add(entry.path)
                yield Path(entry.path)


def abandoned(path: Path, *, locked: bool) -> bool:
    """Whether ``path`` (one of :func:`leftovers`) will never be renamed in by its writer."""
    match = _OURS.match(path.name)
    if match is not None:
        return not _alive(int(match["pid"]))
    return locked


def sweep(config: Config, *, locked: bool) -> list[Path]:
    """Remove the abandoned temporary files; the paths removed. ``locked``: the caller holds the site's lock."""
    removed = []
    for path in list(leftovers(config)):
        if abandoned(path, locked=locked):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def leftover_diagnostics(config: Config, display: Callable[[Path], str]) -> Iterator[Problem]:
    """``check``'s findings: each abandoned temporary file (an error: ``git add -A`` would commit it)."""
    for path in leftovers(config):
        if abandoned(path, locked=True):  # a file of a live run is not reported
            yield Problem(
                "leftover-temporary",
                "error",
                "temporary file of an interrupted run: the next sync, build or extract removes it (never commit it)",
                path=display(path),
            )
