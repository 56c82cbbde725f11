"""Bad input: exit 2, one line naming the file (and line), and not a single file written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_l10n, snapshot, write


def malformed_front_matter(root: Path) -> tuple[list[str], str]:
    write(root / "content/fr/zz-bad.md", '---\ntitle: "Sans fin\ntags: [a\n---\n\n# Titre\n')
    return ["sync"], "content/fr/zz-bad.md:"


def undecodable_bytes(root: Path) -> tuple[list[str], str]:
    write(root / "content/fr/latin1.md", b"# Titre\n\nCaf" + b"\xe9 cr\xe8me\n")
    return ["sync"], "content/fr/latin1.md:3: not valid UTF-8"


def broken_catalog(root: Path) -> tuple[list[str], str]:
    assert run_l10n("extract", cwd=root).returncode == 0
    catalog = root / "locales/en/soupe.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + '\nmsgid "Non fermé\nmsgstr ""\n', encoding="utf-8")
    return ["sync"], "locales/en/soupe.po:"


def undecodable_catalog(root: Path) -> tuple[list[str], str]:
    assert run_l10n("extract", cwd=root).returncode == 0
    catalog = root / "locales/de/soupe.po"
    catalog.write_bytes(catalog.read_bytes() + b'\nmsgid "x"\nmsgstr "\xff"\n')
    return ["build"], "locales/de/soupe.po:"


def missing_source_directory(root: Path) -> tuple[list[str], str]:
    write(root / "l10n.toml", 'source_dir = "content/fr-typo"\n')
    return ["sync"], "content/fr-typo: source directory not found"


def path_escaping_with_dotdot(root: Path) -> tuple[list[str], str]:
    write(root / "secret.md", "# Secret\n")
    return ["extract", "content/fr/../../secret.md"], "not inside the source directory"


def symlink_leading_out(root: Path) -> tuple[list[str], str]:
    outside = write(root.parent / "outside.md", "# Dehors\n")
    os.symlink(outside, root / "content/fr/lien.md")
    return ["sync"], "content/fr/lien.md: symlink leads out of the source directory"


def symlinked_directory_leading_out(root: Path) -> tuple[list[str], str]:
    outside = root.parent / "ailleurs"
    write(outside / "post.md", "# Ailleurs\n")
    os.symlink(outside, root / "content/fr/ailleurs")
    return ["check"], "content/fr/ailleurs: symlink leads out of the source directory"


def unknown_configuration_key(root: Path) -> tuple[list[str], str]:
    write(root / "l10n.toml", 'target_langs = ["en"]\nmin_completoin = 50\n')
    return ["sync"], "l10n.toml:2: min_completoin: unknown key"


def bad_locale_in_configuration(root: Path) -> tuple[list[str], str]:
    write(root / "l10n.toml", 'target_langs = ["english"]\n')
    return ["status"], "l10n.toml:1: target_langs: unknown locale code 'english'"


def two_sources_for_one_catalog(root: Path) -> tuple[list[str], str]:
    write(root / "content/fr/jardin/hiver.mdx", "# Hiver, en MDX\n")
    return ["extract"], "content/fr/jardin/hiver.mdx: same catalog path as content/fr/jardin/hiver.md"


CASES: dict[str, Callable[[Path], tuple[list[str], str]]] = {
    case.__name__: case
    for case in (
        malformed_front_matter,
        undecodable_bytes,
        broken_catalog,
        undecodable_catalog,
        missing_source_directory,
        path_escaping_with_dotdot,
        symlink_leading_out,
        symlinked_directory_leading_out,
        unknown_configuration_key,
        bad_locale_in_configuration,
        two_sources_for_one_catalog,
    )
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(project: Path, case: str) -> None:
    arguments, expected = CASES[case](project)
    before = snapshot(project)
    result = run_l10n(*arguments, cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before  # nothing written, not even for the good posts
    assert not list(project.rglob("*.tmp"))


def test_malformed_front_matter_names_the_line(project: Path) -> None:
    write(project / "content/fr/zz-bad.md", "---\ntitle: ok\nliste: [a, b\nautre: 1\n---\n\n# Titre\n")
    result = run_l10n("extract", cwd=project)
    assert result.returncode == 2
    path, line = result.stderr.removeprefix("error: ").split(":")[:2]
    assert path == "content/fr/zz-bad.md"
    assert 2 <= int(line) <= 5


def test_a_failed_run_leaves_no_temporary_files_and_old_files_intact(project: Path) -> None:
    assert run_l10n("sync", cwd=project).returncode == 0
    before = snapshot(project)
    malformed_front_matter(project)
    assert run_l10n("sync", cwd=project).returncode == 2
    after = snapshot(project)
    after.pop("content/fr/zz-bad.md")
    assert after == before
