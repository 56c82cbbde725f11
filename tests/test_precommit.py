"""The pre-commit hooks of this repository, tried with ``pre-commit try-repo`` in a temporary site.

``try-repo`` builds the hooks' environment the way a site's pre-commit would (``language: python``: a virtualenv
with this repository pip-installed), so the test needs PyPI or a configured package index. When that
environment cannot be built, the test is skipped with the reason, never passed silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

# L10N_HOOKS_REPOSITORY: try the hooks of another checkout (e.g. a snapshot with uncommitted work).
REPOSITORY = Path(os.environ.get("L10N_HOOKS_REPOSITORY") or Path(__file__).resolve().parent.parent)
HOOKS = REPOSITORY / ".pre-commit-hooks.yaml"

POST = "---\ntitle: Bonjour\n---\n\n# Bonjour\n\nUn texte avec [un lien](/ailleurs).\n"


def pre_commit() -> list[str] | None:
    installed = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    return [installed] if installed else None


def test_hook_definitions() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"l10n-check", "l10n-extract"}
    for hook in hooks.values():
        assert hook["entry"].split()[0] == "l10n"
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False  # the commands work on the whole project


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=test@example.org", "-c", "user.name=Test", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def try_repo(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    command = pre_commit()
    assert command is not None
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    environment["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(
        [*command, "try-repo", str(REPOSITORY), "--all-files", "--verbose"],
        cwd=project,
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
    )


def skip_if_environment_failed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    if result.returncode == 3 or "An unexpected error has occurred" in output:
        pytest.skip(f"pre-commit could not build the hook environment (no package index?): {output[-500:]}")


@pytest.mark.skipif(pre_commit() is None, reason="pre-commit is not installed (pip install -e '.[test]')")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.skipif(not (REPOSITORY / ".git").exists(), reason="not a git checkout: try-repo needs one")
def test_hooks_pass_on_a_synced_site_and_fail_on_a_stale_one(tmp_path: Path) -> None:
    project = tmp_path / "site"
    (project / "content" / "fr").mkdir(parents=True)
    (project / "content" / "fr" / "bonjour.md").write_text(POST, encoding="utf-8")
    (project / "l10n.toml").write_text('source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\n')
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "a French post")
    home = tmp_path / "pre-commit-home"

    # A site whose catalogs were never extracted: the extract hook writes them and fails (files changed),
    # then the check hook fails too (outputs missing).
    first = try_repo(project, home)
    skip_if_environment_failed(first)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "l10n extract" in first.stdout and "Failed" in first.stdout
    assert (project / "locales" / "en" / "bonjour.po").is_file()
    assert (project / "locales" / "templates" / "bonjour.pot").is_file()

    # Once built and committed, both hooks pass.
    subprocess.run([sys.executable, "-m", "l10n", "--root", str(project), "build"], check=True, capture_output=True)
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "catalogs and English post")
    second = try_repo(project, home)
    skip_if_environment_failed(second)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("Passed") == 2, second.stdout


def test_github_actions_example_syncs_and_checks_on_every_push() -> None:
    workflow = yaml.safe_load((REPOSITORY / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the `on` key as True
    assert "push" in triggers
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [line.strip() for run in steps for line in run.splitlines()]
    assert "l10n sync" in commands
    assert "l10n check --format github" in commands
    assert commands.index("l10n sync") < commands.index("l10n check --format github")
