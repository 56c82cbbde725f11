"""Writers at the same time on one site: review saves racing with ``sync``, two ``sync``, ``translate``.

A save answered 200 must stay in the catalog (or be replaced by a later save of the same entry): a command that
read the catalog before the save must not rename its copy over it afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import polib
import pytest
from conftest import l10n_executable
from starlette.testclient import TestClient
from test_review_api import HIKE, HIKE_HEADING, HIKE_PO, HIKE_TITLE, client_for, post_json, sample_blog

from l10n.lock import site_lock

SOURCE = Path("content/fr") / HIKE
ROUNDS = 3
FILLERS = 60  # posts after the reviewed one, changed every round: a run reads its catalog long before it writes
WORDS = ["crest", "ridge", "trail", "summit", "plateau", "valley", "forest", "meadow", "cliff", "pass"]


def _msgstr(count: int, msgid: str) -> str:
    word = f"{WORDS[count % len(WORDS)]} {WORDS[count // len(WORDS) % len(WORDS)]}"
    return f"Three days on the Vercors {word}" if msgid == HIKE_TITLE else f"The {word} route"


def _run(*commands: list[str], cwd: Path) -> list[subprocess.CompletedProcess[str]]:
    """Run the commands at the same time; their results."""
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    running = [
        subprocess.Popen([l10n_executable(), *command], cwd=cwd, env=environment, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for command in commands
    ]
    results = []
    for process in running:
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _change_sources(root: Path, round_number: int) -> None:
    """A paragraph more in the reviewed post and in every filler post (created on the first round)."""
    word = WORDS[round_number % len(WORDS)]
    for index in range(FILLERS):
        filler = root / "content/fr/zz" / f"billet-{index:03}.md"
        if not filler.exists():
            filler.parent.mkdir(parents=True, exist_ok=True)
            filler.write_text(f"# Billet {index}\n\nLe premier paragraphe du billet.\n", encoding="utf-8")
        with filler.open("a", encoding="utf-8") as text:
            text.write(f"\nUn paragraphe ajouté au tour {word}, billet {index}.\n")
    with (root / SOURCE).open("a", encoding="utf-8") as source:
        source.write(f"\nUn paragraphe ajouté au tour {word}.\n")


def _start(*commands: list[str], cwd: Path) -> list[subprocess.Popen[str]]:
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    return [
        subprocess.Popen([l10n_executable(), *command], cwd=cwd, env=environment, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for command in commands
    ]


def _entries(root: Path) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(root / HIKE_PO)) if entry.msgid and not entry.obsolete}


def _save(client: TestClient, msgid: str, msgstr: str) -> int:
    """A reviewer's save through the review app's API, as its page sends it; the HTTP status."""
    found = post_json(client, "/api/entry", {"post": HIKE, "lang": "en", "msgid": msgid})
    if found.status_code != 200:
        return found.status_code  # gone from the catalog (the source changed)
    state = found.json()
    body = {
        "post": HIKE, "lang": "en", "msgid": msgid, "msgctxt": state["entry"]["msgctxt"],
        "msgstr": msgstr, "approve": False, "machine": None,
        "version": state["version"], "entry_version": state["entry"]["version"],
    }  # fmt: skip
    return int(post_json(client, "/api/save", body).status_code)


@pytest.mark.parametrize(
    "competitors",
    [
        [["sync", "-j", "1"]],
        [["sync", "-j", "1"], ["sync", "-j", "1"]],
        [["translate", "--backend", "pseudo"], ["sync", "-j", "1"]],
    ],
    ids=["sync", "two-syncs", "translate-and-sync"],
)
def test_every_review_save_answered_200_survives_commands_writing_at_the_same_time(
    tmp_path: Path, competitors: list[list[str]]
) -> None:
    """While the commands run, each entry of a post is saved once (never superseded): every save answered 200
    must be in the catalog when they are done."""
    root = sample_blog(tmp_path / "blog")
    saves = 0
    with client_for(root) as client:
        for round_number in range(ROUNDS):
            _change_sources(root, round_number)
            processes = _start(*competitors, cwd=root)
            saved: dict[str, str] = {}
            pending = list(_entries(root).values())
            while pending and any(process.poll() is None for process in processes):
                entry = pending.pop()
                msgstr = f"{entry.msgstr or entry.msgid} ({WORDS[round_number]})"
                status = _save(client, entry.msgid, msgstr)
                assert status in (200, 404, 409), status  # a conflict is said to the reviewer: no claim of a save
                if status == 200:
                    saved[entry.msgid] = msgstr
            for process in processes:
                _, err = process.communicate(timeout=300)
                assert process.returncode in (0, 1), err
            saves += len(saved)
            now = _entries(root)
            lost = [msgid for msgid, msgstr in saved.items() if msgid not in now or now[msgid].msgstr != msgstr]
            assert not lost, f"round {round_number}: {len(lost)} of {len(saved)} saves answered 200 were lost"
    assert saves > 0


def test_a_second_writer_waits_then_gives_up_with_exit_2_and_one_line(tmp_path: Path) -> None:
    root = sample_blog(tmp_path / "blog")
    before = (root / HIKE_PO).read_bytes()
    (root / SOURCE).write_text((root / SOURCE).read_text(encoding="utf-8") + "\nUn ajout.\n", encoding="utf-8")
    environment = {**os.environ, "L10N_LOCK_TIMEOUT": "1"}
    environment.pop("GITHUB_ACTIONS", None)
    with site_lock(root):  # another writer holds the site
        result = subprocess.run(
            [l10n_executable(), "sync"], cwd=root, env=environment, capture_output=True, text=True, timeout=120
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("waiting for another l10n command")
    assert lines[-1].startswith("error: .l10n-cache/lock: another l10n command is writing this site")
    assert "Traceback" not in result.stderr
    assert (root / HIKE_PO).read_bytes() == before
    after = _run(["sync"], cwd=root)[0]  # the lock is released with its holder
    assert after.returncode in (0, 1), after.stderr
    assert (root / HIKE_PO).read_bytes() != before


def test_a_review_save_while_a_command_holds_the_site_is_refused_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l10n.review import catalogs

    root = sample_blog(tmp_path / "blog")
    monkeypatch.setattr(catalogs, "SAVE_LOCK_TIMEOUT", 0.2)
    locked, release = threading.Event(), threading.Event()

    def command() -> None:  # another process's command, holding the site
        code = f"""
import sys, time
from pathlib import Path
from l10n.lock import site_lock
with site_lock(Path({str(root)!r})):
    print("locked", flush=True)
    sys.stdin.readline()
"""
        process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True)
        assert process.stdout is not None and process.stdin is not None
        process.stdout.readline()
        locked.set()
        release.wait(60)
        process.stdin.write("\n")
        process.stdin.close()
        process.wait(60)

    holder = threading.Thread(target=command)
    holder.start()
    try:
        assert locked.wait(60)
        with client_for(root) as client:
            state = post_json(client, "/api/entry", {"post": HIKE, "lang": "en", "msgid": HIKE_HEADING}).json()
            body = {
                "post": HIKE, "lang": "en", "msgid": HIKE_HEADING, "msgctxt": state["entry"]["msgctxt"],
                "msgstr": "The route", "approve": True, "machine": None,
                "version": state["version"], "entry_version": state["entry"]["version"],
            }  # fmt: skip
            refused = post_json(client, "/api/save", body)
            assert refused.status_code == 422
            assert "another l10n command is writing this site" in refused.json()["error"]
            release.set()
            holder.join(60)
            assert post_json(client, "/api/save", body).status_code == 200
    finally:
        release.set()
        holder.join(60)
    assert {e.msgid: e for e in polib.pofile(str(root / HIKE_PO))}[HIKE_HEADING].msgstr == "The route"
