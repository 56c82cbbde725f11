"""The smaller items of issue 16: each was a user's stumble on a real site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from conftest import ENGLISH, run_l10n, translate_catalog, write
from mt_server import MTServer

from l10n.argv import hoist_global_options
from l10n.checks import check_translation


def test_inline_code_before_a_colon_is_not_french_typography() -> None:
    def checks(msgstr: str) -> set[str]:
        found = check_translation("Lancez `npm` : c'est fait.", msgstr, source_lang="fr", target_lang="en")
        return {finding.check for finding in found}

    assert "french-typography" not in checks("Use `npm`: done.")
    assert "french-typography" not in checks("Use ``npm x``; done!")
    assert "french-typography" in checks("Use `npm` : done.")  # the real mistake is still seen


def test_global_options_after_the_command_are_moved_before_it() -> None:
    assert hoist_global_options(["build", "-q"]) == ["-q", "build"]
    assert hoist_global_options(["--root", "site", "check", "-vv", "--format", "json"]) == [
        "--root",
        "site",
        "-vv",
        "check",
        "--format",
        "json",
    ]
    assert hoist_global_options(["check", "--root", "site"]) == ["--root", "site", "check"]
    assert hoist_global_options(["extract", "--", "-q"]) == ["extract", "--", "-q"]  # a post named -q
    assert hoist_global_options(["--help"]) == ["--help"]


def test_build_q_is_quiet(project: Path) -> None:
    loud = run_l10n("build", cwd=project)
    quiet = run_l10n("build", "-q", cwd=project)
    assert loud.returncode == quiet.returncode == 0, quiet.stderr
    assert "not written" in loud.stderr and quiet.stderr == ""


def test_the_backend_table_typo_names_its_line_and_the_right_spelling(project: Path) -> None:
    write(project / "l10n.toml", 'target_langs = ["en"]\n\n[backend.libre]\nurl = "http://127.0.0.1:1/"\n')
    result = run_l10n("status", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: l10n.toml:3: backend: expected a backend name, got a table "
        "(settings of a backend go in [backends.libre])"
    )
    write(project / "l10n.toml", 'target_langs = ["en"]\nbackend = "libre"\n[backend.libre]\nurl = "x"\n')
    result = run_l10n("status", cwd=project)
    assert result.returncode == 2 and "l10n.toml:3: invalid TOML" in result.stderr
    assert "[backends.NAME]" in result.stderr


def test_an_unknown_key_suggests_the_known_one(project: Path) -> None:
    write(project / "l10n.toml", 'target_langs = ["en"]\nmin_completoin = 50\n')
    result = run_l10n("status", cwd=project)
    assert "l10n.toml:2: min_completoin: unknown key (did you mean 'min_completion'?" in result.stderr


def test_a_fuzzy_preview_left_under_min_completion_fails_check(project: Path) -> None:
    """build --include-fuzzy, then sync without it: the post is under min_completion with reviewed
    translations only, so it is not rebuilt; its machine drafts must not stay published without an error."""
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", ENGLISH, fuzzy=True)
    preview = run_l10n("build", "--include-fuzzy", "--lang", "en", cwd=project)
    assert preview.returncode == 0, preview.stderr
    output = project / "content/en/soupe.md"
    assert "You need leeks" in output.read_text(encoding="utf-8")

    synced = run_l10n("sync", cwd=project)
    assert synced.returncode == 1, synced.stderr
    assert "content/en/soupe.md: [unreviewed-output]" in synced.stderr
    checked = run_l10n("check", "--format", "json", cwd=project)
    assert checked.returncode == 1
    found = [item for item in json.loads(checked.stdout) if item["check"] == "unreviewed-output"]
    assert [item["path"] for item in found] == ["content/en/soupe.md"]
    assert found[0]["severity"] == "error"

    # once reviewed (fuzzy flag removed), the same text is fine
    catalog = polib.pofile(str(project / "locales/en/soupe.po"))
    for entry in catalog:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()
    reviewed = run_l10n("sync", cwd=project)
    assert reviewed.returncode == 0, reviewed.stderr
    assert "unreviewed-output" not in reviewed.stderr


@pytest.fixture
def server() -> Iterator[MTServer]:
    with MTServer() as running:
        yield running


def test_translate_reports_on_stderr_and_prints_brackets_as_they_are(project: Path, server: MTServer) -> None:
    write(project / "l10n.toml", f'target_langs = ["en"]\n[backends.libre]\nurl = "{server.url}"\n')
    write(project / "content/fr/ref.md", "Voir [ref:id: la note] pour le détail.\n")
    assert run_l10n("extract", cwd=project).returncode == 0
    server.script("la note", ["url", "url"])  # the draft adds a link twice: refused and reported
    result = run_l10n("translate", "--backend", "libre", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert "[ref:id: la note]" in result.stderr and "🆔" not in result.stderr
    assert "en (libre): sent" in result.stderr
