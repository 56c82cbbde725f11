"""Digests taken from files' stamps (``.l10n-cache/stamps.sqlite``): a run reads a file only when its size,
times or inode moved since an earlier run hashed it, yet every change to a file is still seen, including one
that keeps the file's size and modification time.

The stamps of files younger than a few seconds are not trusted (a change within the same clock tick would keep
them), so the tests that need trusted stamps move the stamps' clock an hour ahead: the run happens later.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import ENGLISH, translate_catalog, write

from l10n.config import load_config
from l10n.project import iter_posts
from l10n.run import operations
from l10n.run.plan import Plan
from l10n.store import stamps
from l10n.store.identity import digest
from l10n.store.sqlite import CACHE_DIR
from l10n.store.stamps import STAMPS_FILE, FileDigests

HOUR = 3600 * 10**9


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stamps' clock an hour ahead: every file counts as settled, its stamp is remembered."""
    monkeypatch.setattr(stamps, "time_ns", lambda: time.time_ns() + HOUR)


def sync(root: Path) -> Plan:
    config = load_config(root)
    options = operations.options_from(config, None, None)
    plan = operations.sync(config, iter_posts(config), list(config.target_langs), options, jobs=1)
    plan.commit()
    return plan


def digest_now(path: Path, **options: Callable[[str], os.stat_result]) -> str | None:
    """The digest a new run's :class:`FileDigests` gives, its stamps saved for the next run."""
    digests = FileDigests(path.parent, **options)
    value = digests.digest(path)
    digests.save()
    return value


def rewrite_in_place(path: Path, data: bytes, *, keep_mtime: bool) -> None:
    """Overwrite the file's bytes (same inode), optionally putting its modification time back."""
    before = path.stat()
    with path.open("r+b") as handle:
        handle.write(data)
        handle.truncate()
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_file_whose_stamp_is_unchanged_is_not_read(tmp_path: Path, later: None) -> None:
    path = write(tmp_path / "post.md", "Bonjour.\n")
    first = os.stat(path)
    assert digest_now(path) == digest(b"Bonjour.\n")
    assert (tmp_path / CACHE_DIR / STAMPS_FILE).is_file()
    path.write_text("Bonsoir.\n", encoding="utf-8")
    # a file system that shows the old stamp (as none would): the digest is the stamp's, the file was not read
    assert digest_now(path, status=lambda name: first) == digest(b"Bonjour.\n")
    assert digest_now(path) == digest(b"Bonsoir.\n")


def test_a_change_that_keeps_size_and_modification_time_is_seen(tmp_path: Path, later: None) -> None:
    path = write(tmp_path / "post.md", "Bonjour.\n")
    assert digest_now(path) == digest(b"Bonjour.\n")
    time.sleep(0.02)  # past the kernel's coarse clock tick: the change's status time is another one
    rewrite_in_place(path, b"Bonsoir.\n", keep_mtime=True)
    assert digest_now(path) == digest(b"Bonsoir.\n")


def _coarse(name: str) -> os.stat_result:
    """``os.stat`` on a file system whose timestamps are whole seconds."""
    status = os.stat(name)
    seconds = [int(status.st_atime), int(status.st_mtime), int(status.st_ctime)]
    kinds = ("atime", "mtime", "ctime")
    nanoseconds = {f"st_{kind}_ns": value * 10**9 for kind, value in zip(kinds, seconds, strict=True)}
    return os.stat_result([*status[:7], *seconds], nanoseconds)


def test_a_change_within_the_same_second_is_seen_on_a_coarse_file_system(tmp_path: Path) -> None:
    """Racily clean: the file is hashed, then changed within the same second (same size), so its stamp is as it
    was; the stamp of so young a file must not have been trusted."""
    path = tmp_path / "post.md"
    for _ in range(20):  # until hashing and changing fall in the same second
        write(path, "Bonjour.\n")
        stamp = _coarse(str(path))
        assert digest_now(path, status=_coarse) == digest(b"Bonjour.\n")
        rewrite_in_place(path, b"Bonsoir.\n", keep_mtime=False)
        if tuple(_coarse(str(path))) == tuple(stamp):
            break
        # the next second came between writing and changing (a loaded machine): try again from no stamps. A
        # young file's stamp is never remembered, so there may be no stamps file to remove
        shutil.rmtree(tmp_path / CACHE_DIR, ignore_errors=True)
    else:
        pytest.skip("could not change a file within the same second")
    assert digest_now(path, status=_coarse) == digest(b"Bonsoir.\n")


def test_a_damaged_stamps_file_is_not_trusted(tmp_path: Path, later: None) -> None:
    path = write(tmp_path / "post.md", "Bonjour.\n")
    write(tmp_path / CACHE_DIR / STAMPS_FILE, b"not a database")
    assert digest_now(path) == digest(b"Bonjour.\n")
    rewrite_in_place(path, b"Bonsoir.\n", keep_mtime=True)
    assert digest_now(path) == digest(b"Bonsoir.\n")


# ---- through sync ----


def translated(project: Path) -> Path:
    sync(project)
    for name in ("jardin/hiver.po", "soupe.po"):
        translate_catalog(project / "locales/en" / name, ENGLISH)
    sync(project)
    return project


def test_a_catalog_edited_with_its_modification_time_put_back_is_built(project: Path, later: None) -> None:
    translated(project)
    assert sync(project).skipped == 2  # the stamps are taken; the next run trusts them
    catalog = project / "locales/en/soupe.po"
    text = catalog.read_text(encoding="utf-8")
    edited = text.replace("You need leeks", "You want leeks")  # same length
    assert len(edited.encode()) == len(text.encode()) and edited != text
    time.sleep(0.02)
    rewrite_in_place(catalog, edited.encode(), keep_mtime=True)
    plan = sync(project)
    assert plan.skipped == 1
    assert "You want leeks, carrots" in (project / "content/en/soupe.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("removed", [STAMPS_FILE, ""])
def test_without_stamps_a_run_reads_every_file(project: Path, later: None, removed: str) -> None:
    """A fresh clone (no ``.l10n-cache/``), or the stamps alone deleted: the change is seen all the same."""
    translated(project)
    sync(project)
    cache = project / CACHE_DIR
    if removed:
        (cache / removed).unlink()
    else:
        shutil.rmtree(cache)
    source = project / "content/fr/soupe.md"
    text = source.read_text(encoding="utf-8")
    rewrite_in_place(source, text.replace("poireaux", "navettes").encode(), keep_mtime=True)
    sync(project)
    assert "Il faut des navettes" in (project / "locales/en/soupe.po").read_text(encoding="utf-8")


# ---- the translation memory's catalogs (listed by their stamps) ----

SOUP = "Une soupe de légumes se prépare en trente minutes."


def listing_kept(project: Path) -> bool:
    """Whether the memory kept the catalogs' listing: the next run's memory looks at no catalog whose
    listing is unchanged."""
    connection = sqlite3.connect(project / CACHE_DIR / "memory-en.sqlite")
    try:
        return connection.execute("SELECT 1 FROM meta WHERE key = 'listing'").fetchone() is not None
    finally:
        connection.close()


def filled(project: Path, name: str, msgid: str) -> str:
    found = polib.pofile(str(project / "locales/en" / name)).find(msgid)
    assert found is not None
    return found.msgstr


def test_a_catalog_edited_with_its_time_put_back_reaches_the_memory(project: Path, later: None) -> None:
    translated(project)
    sync(project)
    assert listing_kept(project)
    catalog = project / "locales/en/soupe.po"
    text = catalog.read_text(encoding="utf-8")
    edited = text.replace("vegetable soup takes", "vegetable soup needs")  # same length, a PO editor's save
    assert len(edited.encode()) == len(text.encode()) and edited != text
    time.sleep(0.02)
    rewrite_in_place(catalog, edited.encode(), keep_mtime=True)
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SOUP}\n")
    sync(project)
    assert filled(project, "velouté.po", SOUP) == "A vegetable soup needs thirty minutes to make."


def test_a_catalog_added_or_removed_in_a_subdirectory_reaches_the_memory(project: Path, later: None) -> None:
    translated(project)
    sync(project)
    assert listing_kept(project)
    # a catalog put back by hand (an old post's), its times those of the copy it came from: it sorts before
    # soupe.po, so its translation is the memory's first
    added = project / "locales/en/archive/potage.po"
    added.parent.mkdir()
    shutil.copy2(project / "locales/en/soupe.po", added)
    translate_catalog(added, {SOUP: "Soup in half an hour."})
    shutil.copystat(project / "locales/en/soupe.po", added)
    new = write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SOUP}\n")
    sync(project)
    assert filled(project, "velouté.po", SOUP) == "Soup in half an hour."
    new.unlink()
    (project / "locales/en/velouté.po").unlink()
    sync(project)
    assert listing_kept(project)
    added.unlink()
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SOUP}\n")
    sync(project)
    assert filled(project, "velouté.po", SOUP) == ENGLISH[SOUP]


def test_the_listing_of_catalogs_just_written_is_not_kept(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Racily clean: a catalog written within the clock tick of the listing could change again and keep
    its stamp, so a listing with a young catalog is not kept (the next run looks at every catalog)."""
    translated(project)
    monkeypatch.setattr(stamps, "time_ns", lambda: time.time_ns() + HOUR)
    sync(project)
    assert listing_kept(project)
    catalog = project / "locales/en/soupe.po"
    translate_catalog(catalog, {SOUP: "Soup in half an hour."})
    # the listing is taken as soon as the catalog is written: the stamps' clock a tick ahead, not three seconds
    monkeypatch.setattr(stamps, "time_ns", lambda: max(catalog.stat().st_mtime_ns, catalog.stat().st_ctime_ns) + 1)
    sync(project)
    assert not listing_kept(project)
