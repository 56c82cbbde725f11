"""Atomic, change-only writes and strict UTF-8 reads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from l10n import fileio
from l10n.fileio import InputError, atomic_write_text, read_text
from l10n.run.plan import Plan


def test_write_creates_parents_and_reports_change(tmp_path: Path) -> None:
    target = tmp_path / "a/b/c.md"
    assert atomic_write_text(target, "un\r\ndeux") is True
    assert target.read_bytes() == b"un\r\ndeux"  # no newline translation
    assert atomic_write_text(target, "un\r\ndeux") is False


def test_unchanged_content_does_not_touch_the_file(tmp_path: Path) -> None:
    target = tmp_path / "post.md"
    atomic_write_text(target, "texte\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert atomic_write_text(target, "texte\n") is False
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_mode_of_an_existing_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "post.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_text(target, "new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "post.md"
    target.write_text("old", encoding="utf-8")

    def broken_replace(source: str, destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["post.md"]


def test_read_keeps_bom_and_crlf_and_names_the_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_bytes(b"\xef\xbb\xbf# Titre\r\n")
    assert read_text(good) == "\ufeff# Titre\r\n"
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"ligne 1\nligne 2\nd\xe9j\xe0\n")
    with pytest.raises(InputError) as caught:
        read_text(bad)
    assert (caught.value.path, caught.value.line) == (bad, 3)
    assert str(caught.value).startswith(f"{bad}:3: not valid UTF-8")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux) to name what fsync flushed")
def test_staged_files_reach_the_disk_before_any_target_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash during the renames must not leave a target pointing at data still in the page cache."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        real_fsync(descriptor)

    def replace(source: str, destination: str) -> None:
        events.append(("replace", str(source)))
        real_replace(source, destination)

    targets = [tmp_path / f"dir{index}/post.md" for index in range(5)]
    staged = [fileio.stage_text(target, f"texte {index}\n") for index, target in enumerate(targets)]
    monkeypatch.setattr(fileio.os, "fsync", fsync)
    monkeypatch.setattr(fileio.os, "replace", replace)
    plan = Plan()
    plan.stage(staged)
    plan.commit()
    first_replace = next(index for index, (kind, _) in enumerate(events) if kind == "replace")
    flushed = {path for kind, path in events[:first_replace] if kind == "fsync"}
    assert flushed == {temporary for _, temporary in staged}
    assert [target.read_text(encoding="utf-8") for target in targets] == [f"texte {i}\n" for i in range(5)]
