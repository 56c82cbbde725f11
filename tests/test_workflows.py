"""The example GitHub Actions workflows: their shape, and their steps run here, in order, on a small site in a
git repository with a local bare repository as ``origin`` and a stand-in for the ``gh`` command line (it
records what it is asked), with the offline pseudo backend."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
TRANSLATE = REPO / "examples" / "github-actions-translate.yml"
CHECK = REPO / "examples" / "github-actions.yml"

POST = """\
---
title: "Le potager en hiver"
---

# Le potager en hiver

Il reste **beaucoup** à faire au [jardin](https://exemple.fr/jardin) quand il fait froid.

Protégez les salades avec un voile.
"""

FAKE_GH = """\
#!/bin/sh
# records each call; "pr list" prints the open pull request's number once one was created
echo "$*" >> "$GH_LOG"
case "$1 $2" in
  "pr list") cat "$GH_STATE" 2>/dev/null || true ;;
  "pr create") echo 1 > "$GH_STATE" ;;
esac
"""


def _workflow(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(path: Path) -> list[dict[str, Any]]:
    [job] = _workflow(path)["jobs"].values()
    return list(job["steps"])


def test_the_translate_workflow_has_the_expected_shape() -> None:
    workflow = _workflow(TRANSLATE)
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    [job] = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    uses = [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache"]
    cache = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".l10n-cache"
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "l10n translate" in runs and "gh pr create" in runs
    translate = next(step for step in job["steps"] if "l10n translate" in step.get("run", ""))
    assert translate["env"]["OPENAI_API_KEY"] == "${{ secrets.OPENAI_API_KEY }}"
    assert "--force" not in runs and "push -f" not in runs
    for step in job["steps"]:  # expressions go through env:, never into a script's text
        assert "${{" not in step.get("run", ""), step.get("name")


def test_the_check_workflow_caches_the_run_cache() -> None:
    workflow = _workflow(CHECK)
    assert {"push", "pull_request"} <= set(workflow["on"])
    steps = _steps(CHECK)
    cache = [step for step in steps if step.get("uses", "").startswith("actions/cache@")]
    assert len(cache) == 1 and cache[0]["with"]["path"] == ".l10n-cache"
    runs = [step.get("run", "") for step in steps]
    assert cache[0] is steps[next(i for i, r in enumerate(runs) if "l10n sync" in r) - 1]


_EXPRESSIONS = {
    "github.event.repository.default_branch": "main",
    "secrets.OPENAI_API_KEY": "",
    "github.token": "not-a-token",
}


def _environment(values: dict[str, Any]) -> dict[str, str]:
    def expand(value: Any) -> str:
        return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: _EXPRESSIONS[m.group(1)], str(value))

    return {name: expand(value) for name, value in (values or {}).items()}


def _run_steps(path: Path, cwd: Path, env: dict[str, str]) -> None:
    """Each ``run`` step of the workflow, in order, as Actions runs it (bash -e), but the install step."""
    [job] = _workflow(path)["jobs"].values()
    job_env = _environment(job.get("env", {}))
    for step in job["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        step_env = {**env, **job_env, **_environment(step.get("env", {}))}
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=cwd, env=step_env,
            capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, f"{step.get('name')}: {result.stdout}\n{result.stderr}"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    origin = tmp_path / "origin.git"
    work = tmp_path / "site"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "init", "-q", "-b", "main", str(work))
    (work / "l10n.toml").write_text(
        'source_lang = "fr"\ntarget_langs = ["en"]\nbackend = "pseudo"\ninclude_fuzzy = false\n', encoding="utf-8"
    )
    post = work / "content" / "fr" / "potager.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    (bin_dir / "l10n").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m l10n "$@"\n', encoding="utf-8")
    (bin_dir / "l10n").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GH_LOG": str(tmp_path / "gh.log"),
        "GH_STATE": str(tmp_path / "gh.state"),
        "GIT_AUTHOR_NAME": "writer", "GIT_AUTHOR_EMAIL": "writer@example.org",
        "GIT_COMMITTER_NAME": "writer", "GIT_COMMITTER_EMAIL": "writer@example.org",
    }
    subprocess.run(["git", "add", "-A"], cwd=work, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "French post"], cwd=work, check=True, env=env)
    _git(work, "remote", "add", "origin", str(origin))
    _git(work, "push", "-q", "origin", "main")
    return work, origin, env


def _checkout(origin: Path, where: Path) -> Path:
    """What actions/checkout leaves: a fresh clone of the default branch, every branch fetched."""
    _git(where.parent, "clone", "-q", "-b", "main", str(origin), str(where))
    return where


def test_the_workflows_steps_open_one_drafts_pull_request_and_check_passes(
    site: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    work, origin, env = site
    main_before = _git(origin, "rev-parse", "main")

    _run_steps(TRANSLATE, _checkout(origin, tmp_path / "run-1"), env)  # a writer pushed French

    assert _git(origin, "rev-parse", "main") == main_before  # never pushes to the default branch
    assert _git(origin, "branch", "--list", "l10n/drafts")
    catalog = polib.pofile(_git(origin, "show", "l10n/drafts:locales/en/potager.po"))
    drafts = [entry for entry in catalog if entry.msgstr]
    assert drafts and all(entry.fuzzy and "machine translation: pseudo" in entry.tcomment for entry in drafts)
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert sum(call.startswith("pr create --head l10n/drafts --base main") for call in calls) == 1
    assert ".l10n-cache" not in _git(origin, "ls-tree", "-r", "--name-only", "l10n/drafts")

    # the check workflow on the drafts branch: everything committed, check passes (drafts are fuzzy, left out)
    reviewer = tmp_path / "review"
    _git(tmp_path, "clone", "-q", "-b", "l10n/drafts", str(origin), str(reviewer))
    _run_steps(CHECK, reviewer, env)

    # the writer pushes again: the same pull request is updated, no second one
    post = work / "content" / "fr" / "potager.md"
    post.write_text(POST + "\nSemez les fèves en novembre.\n", encoding="utf-8")
    subprocess.run(["git", "commit", "-q", "-am", "More French"], cwd=work, check=True, env=env)
    _git(work, "push", "-q", "origin", "main")
    first_drafts = _git(origin, "rev-parse", "l10n/drafts")
    _run_steps(TRANSLATE, _checkout(origin, tmp_path / "run-2"), env)
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert sum(call.startswith("pr create") for call in calls) == 1
    catalog = polib.pofile(_git(origin, "show", "l10n/drafts:locales/en/potager.po"))
    assert catalog.find("Semez les fèves en novembre.").fuzzy
    # the drafts branch grew on top of the first drafts (no force push) and holds the new French
    _git(origin, "merge-base", "--is-ancestor", first_drafts, "l10n/drafts")
    _git(origin, "merge-base", "--is-ancestor", "main", "l10n/drafts")
