"""Shared helpers: temporary projects and the installed ``l10n`` command run as a subprocess."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import polib
import pytest
from hypothesis import settings

# CI runs the property tests on a fixed seed (HYPOTHESIS_PROFILE=ci, set by .ci/run): a submission is judged on
# the same examples each time; a developer's run explores new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


_LOOPBACK = ("127.", "localhost", "::1")


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the internet: an in-process connection to anything but loopback fails loudly."""
    real_connect = socket.socket.connect

    def loopback_only(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(_LOOPBACK):
            raise OSError(f"a test tried to reach {address!r}: stub it (responses) or use 127.0.0.1")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


def l10n_executable() -> str:
    """The console script installed next to the running interpreter (the venv's), else one on PATH."""
    found = shutil.which("l10n", path=str(Path(sys.executable).parent)) or shutil.which("l10n")
    if found is None:
        pytest.skip("the l10n command is not installed (pip install -e '.[test]')")
    return found


def run_l10n(*args: str | Path, cwd: Path, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``l10n ARGS`` in ``cwd``; never raises on a non-zero exit (tests assert the code). The command runs
    without the machine's API keys (``*_KEY``: DEEPL_API_KEY, MICROSOFT_TRANSLATOR_KEY, OPENAI_API_KEY...), so
    that a backend left pointing at a real service is refused for want of a key instead of reaching it; a test
    gives a key in ``env`` with a local server's address."""
    environment = {
        key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS" and not key.endswith("_KEY")
    }
    environment.update(env or {})
    return subprocess.run(
        [l10n_executable(), *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


POST_A = """\
---
title: "Le jardin en hiver"
description: >
  Ce qu'il reste à faire au potager
  quand il fait froid.
date: 2024-01-15
tags:
  - Jardin
  - Hiver
---

# Le jardin en hiver

Le potager semble endormi, mais il y a encore **beaucoup** à faire.
Voici quelques idées pour [bien commencer](/jardin/debuter).

## Les tâches du mois

- Tailler les arbres fruitiers
  - pommiers et poiriers
  - jamais par temps de gel
- Pailler les massifs

| Tâche | Durée |
|---|---|
| Tailler | 2 heures |

> Un jardin se prépare en hiver.

```sh
echo "pas traduit"
```
"""

POST_B = """\
---
title: "Une recette de soupe"
---

# Une recette de soupe

Une soupe de légumes se prépare en trente minutes.

Il faut des poireaux, des carottes et des pommes de terre.
"""

ENGLISH = {
    "Le jardin en hiver": "The garden in winter",
    "Ce qu'il reste à faire au potager quand il fait froid.\n": (
        "What is left to do in the vegetable garden when it is cold.\n"
    ),
    "Jardin": "Garden",
    "Hiver": "Winter",
    "Le potager semble endormi, mais il y a encore **beaucoup** à faire. Voici quelques idées pour "
    "[bien commencer](/jardin/debuter).": "The vegetable garden seems asleep, but there is still **a lot** "
    "to do. Here are a few ideas to [get started](/jardin/debuter).",
    "Les tâches du mois": "This month's jobs",
    "Tailler les arbres fruitiers": "Prune the fruit trees",
    "pommiers et poiriers": "apple and pear trees",
    "jamais par temps de gel": "never in frosty weather",
    "Pailler les massifs": "Mulch the beds",
    "Tâche": "Job",
    "Durée": "Time",
    "Tailler": "Pruning",
    "2 heures": "2 hours",
    "Un jardin se prépare en hiver.": "A garden is prepared in winter.",
    "Une recette de soupe": "A soup recipe",
    "Une soupe de légumes se prépare en trente minutes.": "A vegetable soup takes thirty minutes to make.",
    "Il faut des poireaux, des carottes et des pommes de terre.": "You need leeks, carrots and potatoes.",
}

CONFIG = """\
source_lang = "fr"
target_langs = ["en", "de"]
front_matter_keys = ["title", "description", "tags[]"]
min_completion = 80
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small site: l10n.toml (targets en and de) and two French posts, one in a subdirectory."""
    root = tmp_path / "site"
    write(root / "l10n.toml", CONFIG)
    write(root / "content/fr/jardin/hiver.md", POST_A)
    write(root / "content/fr/soupe.md", POST_B)
    return root


def translate_catalog(path: Path, translations: Mapping[str, str], *, fuzzy: bool = False) -> int:
    """What a translator does in a PO editor: fill msgstr of the given msgids, save. Returns entries set."""
    catalog = polib.pofile(str(path))
    count = 0
    for entry in catalog:
        if entry.msgid in translations and not entry.obsolete:
            entry.msgstr = translations[entry.msgid]
            if fuzzy and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            count += 1
    catalog.save(str(path))
    return count


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``root``: sha256 and mtime (ns)."""
    return {
        path.relative_to(root).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def project_files(files: dict[str, tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """A snapshot without the run cache (``.l10n-cache/``, not a project file: a run may update it)."""
    return {name: state for name, state in files.items() if not name.startswith(".l10n-cache/")}


@pytest.fixture
def l10n() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_l10n
