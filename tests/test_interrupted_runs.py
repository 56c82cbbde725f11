"""Runs killed (``kill -9``) while they write: no temporary file survives the next run, no file is torn,
no translation is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import polib
from conftest import l10n_executable, run_l10n, write

POSTS = 200
ROUNDS = 4
CONFIG = """\
source_lang = "fr"
target_langs = ["en"]
min_completion = 0
backend = "pseudo"
"""


def _post(index: int, round_number: int) -> str:
    paragraphs = [f"# Billet numéro {index}"] + [
        f"Le paragraphe {chr(97 + number)} du billet {index} parle de jardins et de soupe." for number in range(4)
    ]
    paragraphs += [f"Une ligne ajoutée au tour {chr(97 + number)}." for number in range(round_number)]
    return "\n\n".join(paragraphs) + "\n"


def _temporaries(root: Path) -> list[Path]:
    return [path for path in root.rglob("*.tmp") if path.is_file()]


def _human_translation(index: int) -> str:
    return f"Post number {index}, as its translator wrote it"


def _kill_while_writing(root: Path, command: list[str], rng: random.Random) -> None:
    """Start ``command``, wait until it has begun writing files, kill -9 it a random moment later."""
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    process = subprocess.Popen(
        [l10n_executable(), *command],
        cwd=root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its workers are killed with it
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and not _temporaries(root) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.4))
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def test_kill_9_during_sync_and_translate_leaves_nothing_after_the_next_run(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write(root / "l10n.toml", CONFIG)
    for index in range(POSTS):
        write(root / f"content/fr/billets/b{index:03}.md", _post(index, 0))
    first = run_l10n("sync", cwd=root)
    assert first.returncode in (0, 1), first.stderr
    for index in range(0, POSTS, 10):  # a translator's work, which no crash may take away
        catalog_path = root / f"locales/en/billets/b{index:03}.po"
        catalog = polib.pofile(str(catalog_path))
        catalog[0].msgstr = _human_translation(index)
        catalog.save(str(catalog_path))

    rng = random.Random(16)
    left = 0
    for round_number in range(1, ROUNDS + 1):
        for index in range(POSTS):
            write(root / f"content/fr/billets/b{index:03}.md", _post(index, round_number))
        command = ["sync"] if round_number % 2 else ["translate", "--backend", "pseudo"]
        _kill_while_writing(root, command, rng)
        left += len(_temporaries(root))
        check = run_l10n("check", cwd=root)
        reported = check.stdout.count("leftover-temporary")
        assert reported == len(_temporaries(root)), check.stdout
        finished = run_l10n(*command, cwd=root)  # the next run
        assert finished.returncode in (0, 1), finished.stderr
        assert _temporaries(root) == []
    assert left > 0, "no run was killed while it had files staged: the test tested nothing"

    final = run_l10n("sync", cwd=root)
    assert final.returncode in (0, 1), final.stderr
    for index in range(POSTS):
        catalog = polib.pofile(str(root / f"locales/en/billets/b{index:03}.po"))  # parses: not torn
        assert len([entry for entry in catalog if not entry.obsolete]) == 5 + ROUNDS
        if index % 10 == 0:
            assert catalog[0].msgstr == _human_translation(index)
        output = (root / f"content/en/billets/b{index:03}.md").read_text(encoding="utf-8")
        assert output.endswith(".\n") and f"tour {chr(97 + ROUNDS - 1)}" in output
    assert run_l10n("check", cwd=root).returncode == 0
