"""A localized post l10n did not write, or that a person edited after a build, is never overwritten: on a
fresh clone too (what l10n wrote is recorded in a committed file, not in the run cache); ``--force`` overrides."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ENGLISH, POST_B, project_files, run_l10n, snapshot, translate_catalog, write

HAND_WRITTEN = "---\ntitle: My own soup\n---\n\n# My own soup\n\nWritten by a person.\n"
REFUSAL = "content/en/soupe.md: [not-written-by-l10n] not written by l10n (or edited since): run l10n adopt, or --force"


def built_project(project: Path) -> Path:
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", ENGLISH)
    translate_catalog(project / "locales/en/jardin/hiver.po", ENGLISH)
    result = run_l10n("sync", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def fresh_clone(project: Path) -> None:
    """What CI has: the committed files, no run cache."""
    shutil.rmtree(project / ".l10n-cache", ignore_errors=True)


def test_a_hand_written_page_is_not_replaced_by_machine_drafts(project: Path) -> None:
    write(project / "content/en/soupe.md", HAND_WRITTEN)
    assert run_l10n("extract", cwd=project).returncode == 0
    assert run_l10n("translate", "--backend", "pseudo", "--lang", "en", cwd=project).returncode == 0
    result = run_l10n("build", "--lang", "en", "--include-fuzzy", cwd=project)
    assert result.returncode == 1
    assert REFUSAL in result.stderr
    assert (project / "content/en/soupe.md").read_text(encoding="utf-8") == HAND_WRITTEN
    assert (project / "content/en/jardin/hiver.md").is_file()  # the others are built
    check = run_l10n("check", "--lang", "en", cwd=project)  # drafts are not used: under min_completion
    assert "content/en/soupe.md: warning: [not-written-by-l10n]" in check.stdout
    assert "content/en/soupe.md: [stale-output]" not in check.stdout  # one line says why, not two


def test_a_page_edited_after_a_build_is_kept_on_a_fresh_clone_too(project: Path) -> None:
    built_project(project)
    page = project / "content/en/soupe.md"
    edited = page.read_text(encoding="utf-8").replace("thirty minutes", "half an hour")
    page.write_text(edited, encoding="utf-8")
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    for clone in (False, True):
        if clone:
            fresh_clone(project)
        for command in ("build", "sync"):
            result = run_l10n(command, "--lang", "en", cwd=project)
            assert result.returncode == 1
            assert REFUSAL in result.stderr
            assert page.read_text(encoding="utf-8") == edited
        check = run_l10n("check", "--lang", "en", cwd=project)
        assert REFUSAL in check.stdout


def test_no_false_alarm_on_a_fresh_clone_for_pages_l10n_built(project: Path) -> None:
    built_project(project)
    assert (project / "locales/en/outputs.lock").is_file()
    fresh_clone(project)
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    result = run_l10n("sync", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Une phrase de plus." in (project / "content/en/soupe.md").read_text(encoding="utf-8")
    fresh_clone(project)
    assert run_l10n("check", "--lang", "en", cwd=project).returncode == 0


def test_an_existing_output_equal_to_the_build_counts_as_l10ns(project: Path) -> None:
    """A site built before ownership was recorded: its outputs are what l10n builds, so they are l10n's."""
    built_project(project)
    (project / "locales/en/outputs.lock").unlink()
    fresh_clone(project)
    assert run_l10n("check", "--lang", "en", cwd=project).returncode == 0
    assert run_l10n("sync", "--lang", "en", cwd=project).returncode == 0
    assert "soupe.md\t" in (project / "locales/en/outputs.lock").read_text(encoding="utf-8")
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    assert run_l10n("sync", "--lang", "en", cwd=project).returncode == 0


def test_force_overwrites_and_takes_the_page_back(project: Path) -> None:
    built_project(project)
    page = project / "content/en/soupe.md"
    built = page.read_text(encoding="utf-8")
    page.write_text(HAND_WRITTEN, encoding="utf-8")
    result = run_l10n("build", "--lang", "en", "--force", cwd=project)
    assert result.returncode == 0, result.stderr
    assert page.read_text(encoding="utf-8") == built
    page.write_text(built.replace("thirty", "30"), encoding="utf-8")  # edited again: refused again
    assert run_l10n("build", "--lang", "en", cwd=project).returncode == 1


def test_the_record_does_not_churn(project: Path) -> None:
    built_project(project)
    before = project_files(snapshot(project))
    fresh_clone(project)
    for command in ("build", "sync", "check"):
        assert run_l10n(command, "--lang", "en", cwd=project).returncode == 0
    assert project_files(snapshot(project)) == before


def test_a_malformed_record_is_bad_input(project: Path) -> None:
    built_project(project)
    lock = project / "locales/en/outputs.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "soupe.md not-a-hash\n", encoding="utf-8")
    before = project_files(snapshot(project))
    result = run_l10n("build", "--lang", "en", cwd=project)
    assert result.returncode == 2
    assert "locales/en/outputs.lock:6:" in result.stderr
    assert project_files(snapshot(project)) == before
