"""The translation memory of each locale during a run: its database in the run cache brought up to date
with the catalogs on disk before the posts are processed, or a private one when the cache cannot be written."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from l10n.config import Config
from l10n.fileio import InputError
from l10n.memory.database import (
    DiskMemory,
    MemoryStore,
    catalog_sortkey,
    compendium_sortkey,
    memory_file,
    remove_created,
)
from l10n.memory.rules import MemoryPair, memory_pairs
from l10n.project import display, files_below
from l10n.store.identity import file_digest
from l10n.store.sqlite import CACHE_DIR
from l10n.store.stamps import looked_at, settled, stamp_of
from l10n.workers import default_jobs, ordered_map


@dataclass(frozen=True)
class MemoryState:
    path: Path  # the memory's database
    previous: str  # the memory's token before the run
    token: str  # after it
    grew: bool  # whether the run found new source texts in the catalogs
    private: bool = False  # a temporary database (the cache could not be written), gone after the run
    created: tuple[Path, ...] = ()  # what the run made to hold the memory (removed if the run fails)

    def release(self) -> None:
        """Remove a private database (the cache's own stays for the next run)."""
        if self.private:
            shutil.rmtree(self.path.parent, ignore_errors=True)

    def undo(self) -> None:
        """What a failed run does: remove what it made to hold the memory, and a private database."""
        remove_created(self.created)
        self.release()


def memory_catalogs(config: Config, lang: str) -> Iterator[tuple[str, str, Path]]:
    """The files the translation memory of ``lang`` is made of, each with its place in the memory's order and
    its path as shown: every catalog of the locale (renamed and removed posts included), then the configured
    compendia. Listed one directory at a time: a site's catalogs are never all held at once."""
    for compendium in config.compendia:
        if not compendium.is_file():
            raise InputError(compendium, None, "compendium not found (see compendia in the configuration)")
    directory = config.locales_dir / lang
    shown = display(config, directory)
    above = () if shown == "." else (shown,)
    for parts, path in files_below(str(directory), ".po"):
        yield catalog_sortkey(parts), "/".join((*above, *parts)), Path(path)
    for index, compendium in enumerate(config.compendia):
        yield compendium_sortkey(index), display(config, compendium), compendium


def catalogs_listing(config: Config, lang: str) -> tuple[str, bool] | None:
    """A digest of the paths and stamps (:mod:`l10n.store.stamps`) of :func:`memory_catalogs`' files, and
    whether every one of them is old enough for its stamp to be trusted the next time: while the digest is
    the same, no catalog was added, removed or written. None when a file cannot be looked at (the full
    listing then says why)."""
    looked = looked_at()
    listing = hashlib.blake2b(digest_size=16)
    every_settled = True
    try:
        for name, status in _files_with_status(str(config.locales_dir / lang), ".po"):
            listing.update(os.fsencode(name) + b"\0%d %d %d %d\0" % stamp_of(status))
            every_settled = every_settled and settled(status, looked)
        for compendium in config.compendia:
            status = os.stat(compendium)
            listing.update(b"\1" + os.fsencode(compendium) + b"\0%d %d %d %d\0" % stamp_of(status))
            every_settled = every_settled and settled(status, looked)
    except OSError:
        return None
    return listing.hexdigest(), every_settled


def _files_with_status(directory: str, suffix: str) -> Iterator[tuple[str, os.stat_result]]:
    """The entries named ``*suffix`` below ``directory`` (as :func:`l10n.project.files_below` lists them:
    symbolic links to directories not followed), with their status; one directory listed at a time."""
    pending = [directory]
    while pending:
        with os.scandir(pending.pop()) as listed:
            entries = sorted(listed, key=lambda entry: entry.name)
        for entry in entries:
            if entry.name.endswith(suffix):
                yield entry.path, entry.stat()
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)


def memory_path(config: Config, lang: str) -> Path:
    return memory_file(config.root / CACHE_DIR, lang)


def synchronize_memory(
    config: Config, lang: str, jobs: int, digest: Callable[[Path], str | None] = file_digest
) -> MemoryState:
    """Bring the memory database of ``lang`` (in the run cache) up to date with the catalogs on disk, parsing
    only those that changed since it last saw them; its token before and after, and whether it grew.

    A database found damaged is started again empty. Where the cache cannot be written (read-only, or held
    by another run), the run gets a private memory in a temporary directory (``MemoryState.private``).
    ``digest``: the content digest of a catalog (a run's :class:`l10n.store.stamps.FileDigests`)."""
    catalogs = memory_catalogs(config, lang)
    listing = catalogs_listing(config, lang)

    def synchronize(path: Path) -> MemoryState:
        with MemoryStore(path) as store:
            previous, grew = store.synchronize(
                catalogs, lambda paths: ordered_map(_memory_pairs_of, None, paths, jobs), digest, listing
            )
            return MemoryState(path, previous, store.token, grew, created=store.created)

    path = memory_path(config, lang)
    try:
        return synchronize(path)
    except (OSError, sqlite3.OperationalError):
        private = Path(tempfile.mkdtemp(prefix="l10n-memory-"))
        return dataclasses.replace(synchronize(private / path.name), private=True)
    except sqlite3.DatabaseError:  # damaged, though it opened as this tool's
        path.unlink(missing_ok=True)
        return synchronize(path)


def build_memory(config: Config, lang: str, jobs: int | None = None) -> DiskMemory:
    """The translation memory of ``lang``: reviewed (and pending) translations of every catalog of the locale
    (renamed and removed posts included), then of the configured compendia; read from the run cache's database, brought
    up to date first."""
    state = synchronize_memory(config, lang, jobs or config.jobs or default_jobs())
    memory = DiskMemory(state.path)
    if state.private:
        weakref.finalize(memory, state.release)
    return memory


def _memory_pairs_of(_: None, path: Path) -> list[MemoryPair]:
    from l10n.catalog.io import read_catalog  # only for catalogs changed since the memory last read them

    catalog = read_catalog(path)
    return list(memory_pairs(catalog)) if catalog is not None else []
