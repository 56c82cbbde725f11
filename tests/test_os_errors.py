"""Operating system errors a user can cause (a full disk, a read-only site, a file where a directory belongs, a
directory where a file belongs, ``.l10n-cache`` a file): one line ``path: message``, exit 2, nothing written
and no temporary file left, no traceback unless asked (``--debug``).

Tests run as root, where permissions do not bite: the errors of a full disk or a read-only file system are
raised at the operating system calls (``os.fsync``, ``os.open``), as the kernel would."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import project_files, run_l10n, snapshot
from typer.testing import CliRunner

from l10n.cli import app


def _change_a_source(project: Path) -> None:
    post = project / "content/fr/soupe.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nUn paragraphe de plus.\n", encoding="utf-8")


def _synced(project: Path) -> dict[str, tuple[str, int]]:
    result = run_l10n("sync", cwd=project)
    assert result.returncode in (0, 1), result.stderr
    _change_a_source(project)
    return project_files(snapshot(project))


def _invoke(project: Path, *args: str) -> Any:
    """The command in this process (where the OS calls are patched); its result (stdout and stderr)."""
    cwd = Path.cwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)


def _lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def _failing(real: Callable[..., Any], code: int, applies: Callable[..., bool]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        if applies(*args, **kwargs):  # named as the kernel's errors are: by the path, when there is one
            path = args[0] if args and isinstance(args[0], (str, os.PathLike)) else None
            raise OSError(code, os.strerror(code), *([os.fspath(path)] if path is not None else []))
        return real(*args, **kwargs)

    return call


@pytest.mark.parametrize("command", ["sync", "extract", "build"])
def test_a_full_disk_is_one_line_exit_2_and_nothing_written(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    before = _synced(project)
    if command == "build":  # a catalog changed by hand: build has an output to write
        catalog = project / "locales/en/soupe.po"
        catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Soup"\n\n', 1))
        before = project_files(snapshot(project))
    monkeypatch.setattr(os, "fsync", _failing(os.fsync, errno.ENOSPC, lambda *_: True))
    result = _invoke(project, command, "-j", "1", *(["--min-completion", "0"] if command == "build" else []))
    assert result.exit_code == 2, result.output
    lines = _lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and lines[0].endswith(": no space left on the device")
    assert "Traceback" not in result.output
    named = lines[0].removeprefix("error: ").removesuffix(": no space left on the device")
    assert (project / named).suffix in (".po", ".pot", ".md") and ".tmp" not in named  # the file, not its temporary
    assert project_files(snapshot(project)) == before
    assert not list(project.rglob("*.tmp"))


def test_a_read_only_site_is_one_line_exit_2(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _synced(project)
    root = str(project)

    def writes_in_site(path: Any, flags: int, *_: Any, **__: Any) -> bool:
        return str(path).startswith(root) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))

    monkeypatch.setattr(os, "open", _failing(os.open, errno.EROFS, writes_in_site))
    result = _invoke(project, "sync", "-j", "1")
    assert result.exit_code == 2, result.output
    lines = _lines(result)
    assert len(lines) == 1 and "read-only file system" in lines[0], result.stderr
    assert project_files(snapshot(project)) == before


@pytest.mark.parametrize(
    ("code", "message"),
    [(errno.EACCES, "permission denied"), (errno.ENAMETOOLONG, "path too long"), (errno.EDQUOT, "disk quota exceeded")],
)
def test_a_catalog_that_cannot_be_written_is_one_line_exit_2(
    project: Path, monkeypatch: pytest.MonkeyPatch, code: int, message: str
) -> None:
    before = _synced(project)
    locales = str(project / "locales")

    def writes_in_locales(path: Any, flags: int, *_: Any, **__: Any) -> bool:
        return str(path).startswith(locales) and bool(flags & os.O_CREAT)

    monkeypatch.setattr(os, "open", _failing(os.open, code, writes_in_locales))
    result = _invoke(project, "sync", "-j", "1")
    assert result.exit_code == 2, result.output
    lines = _lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: locales/") and lines[0].endswith(f": {message}")
    assert project_files(snapshot(project)) == before
    assert not list(project.rglob("*.tmp"))


def test_debug_shows_the_traceback(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _synced(project)
    monkeypatch.setattr(os, "fsync", _failing(os.fsync, errno.ENOSPC, lambda *_: True))
    result = _invoke(project, "--debug", "sync", "-j", "1")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and result.stderr.rstrip().endswith(": no space left on the device")


@pytest.mark.parametrize("command", ["sync", "check", "extract", "build"])
def test_a_cache_path_that_is_a_file_is_one_line_exit_2(project: Path, command: str) -> None:
    (project / ".l10n-cache").write_text("not a directory\n", encoding="utf-8")
    before = snapshot(project)
    result = run_l10n(command, cwd=project)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: .l10n-cache: "), result.stderr
    assert snapshot(project) == before


def test_a_file_where_a_directory_belongs_and_a_directory_where_a_file_belongs(project: Path) -> None:
    (project / "locales").mkdir()
    (project / "locales/en").write_text("", encoding="utf-8")  # a file where the catalogs' directory belongs
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: locales/en/"), result.stderr
    (project / "locales/en").unlink()
    (project / "content/en/soupe.md").mkdir(parents=True)  # a directory where an output belongs
    before = project_files(snapshot(project))
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: content/en/soupe.md: "), result.stderr
    assert project_files(snapshot(project)) == before
    assert not list(project.rglob("*.tmp"))
