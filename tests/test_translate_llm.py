"""``l10n translate`` with the llm backend: the real ``openai`` client against a local OpenAI-compatible server
(tests/llm_server.py) on 127.0.0.1, with every fault of the issue; assertions on the catalogs and the report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from llm_server import LLMServer, request_digest, segments_of
from mt_server import fake_translation

from l10n.config import Config, load_config
from l10n.project import display, iter_posts
from l10n.run import operations
from l10n.translate.backends import BackendError
from l10n.translate.command import summary_lines, translate_project
from l10n.translate.llm_cache import REPLIES_FILE
from l10n.translate.orchestrator import RetryPolicy

pytest.importorskip("openai")

REPO = Path(__file__).resolve().parent.parent
NO_WAIT = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)
MODEL = "test-model"

POST = """\
---
title: "Le potager en hiver"
description: "Que faire au jardin quand il gèle."
---

# Le potager en hiver

Il reste **beaucoup** à faire au [jardin](https://exemple.fr/jardin) quand il fait froid.

## Les salades

Protégez les salades avec un voile, puis lisez la [notice][ref].

Le RGPD ne concerne pas les poireaux.

Une phrase fragile avec du `code` et *un mot*.

[ref]: https://exemple.fr/notice
"""
FRAGILE = "Une phrase fragile avec du `code` et *un mot*."
ENTRIES = 7  # title and heading 1 share one entry; the description; heading 2; four paragraphs


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer(hang=2.0) as running:
        yield running


def _project(root: Path, server: LLMServer, posts: dict[str, str] | None = None, **settings: object) -> Config:
    options = {"model": MODEL, "base_url": server.base_url, **settings}
    lines = [f"{key} = {json.dumps(value)}" for key, value in options.items()]
    toml = 'source_lang = "fr"\ntarget_langs = ["en"]\nbackend = "llm"\n[backends.llm]\n' + "\n".join(lines) + "\n"
    (root / "l10n.toml").write_text(toml, encoding="utf-8")
    (root / "locales").mkdir(exist_ok=True)
    (root / "locales" / "glossary.tsv").write_text("fr\ten\nRGPD\tGDPR\n", encoding="utf-8")
    for name, text in (posts or {"jardin.md": POST}).items():
        path = root / "content" / "fr" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = load_config(root)
    operations.extract_catalogs(config, iter_posts(config), ["en"]).commit()
    return config


def _translate(config: Config, **options: object) -> list:  # type: ignore[type-arg]
    options = {"retry": NO_WAIT, "timeout": 1.0, "environ": {}, **options}
    return translate_project(config, **options)  # type: ignore[arg-type]


def _catalog(config: Config, name: str = "jardin.md") -> polib.POFile:
    return polib.pofile(str(config.locales_dir / "en" / Path(name).with_suffix(".po")))


def _entry(config: Config, msgid: str, name: str = "jardin.md") -> polib.POEntry:
    found = _catalog(config, name).find(msgid)
    assert found is not None, msgid
    return found


def _drafted(config: Config, name: str = "jardin.md") -> list[polib.POEntry]:
    return [entry for entry in _catalog(config, name) if entry.msgstr]


def test_a_good_reply_fills_every_entry_with_a_fuzzy_draft_in_one_request(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server, instructions="Use British spelling.")
    [report] = _translate(config)
    assert server.requests == 1 and not report.failures and report.sent == ENTRIES
    for entry in _catalog(config):
        assert entry.fuzzy and f"machine translation: llm {MODEL}" in entry.tcomment
    assert _entry(config, FRAGILE).msgstr == "uNE PHRASE FRAGILE AVEC DU `code` ET *UN MOT*."
    # glossary terms decode to their required translation
    assert _entry(config, "Le RGPD ne concerne pas les poireaux.").msgstr == "lE GDPR NE CONCERNE PAS LES POIREAUX."
    # the context: title, description, kinds, heading paths, glossary hits, rules and the style guide
    system, user = server.bodies[0]["messages"]
    assert "<gN>" in system["content"] and "<xN/>" in system["content"]
    assert "Use British spelling." in system["content"]
    payload = json.loads(user["content"])
    assert payload["post"]["title"] == "Le potager en hiver"
    assert payload["post"]["description"].startswith("Que faire au jardin")
    assert payload["glossary"] == [{"source": "RGPD", "target": "GDPR"}]
    salads = next(s for s in payload["segments"] if s["text"].startswith("Protégez"))
    assert salads["kind"] == "paragraph" and salads["headings"] == ["Le potager en hiver", "Les salades"]
    assert [s["id"] for s in payload["segments"]] == sorted(s["id"] for s in payload["segments"])
    assert server.bodies[0]["response_format"]["type"] == "json_schema"
    assert server.bodies[0]["model"] == MODEL


@pytest.mark.parametrize(
    ("fault", "stated"),
    [
        ("missing", "missing id"),
        ("extra", "was not asked for"),
        ("duplicate", "more than once"),
        ("reorder", "not in the order"),
        ("fence", "code fence"),
        ("preamble", "text before the JSON object"),
    ],
)
def test_a_reply_of_the_wrong_form_is_asked_again_with_its_problems_stated(
    tmp_path: Path, server: LLMServer, fault: str, stated: str
) -> None:
    config = _project(tmp_path, server)
    server.default_faults = [fault]
    [report] = _translate(config)
    assert not report.failures and report.sent == ENTRIES
    assert server.requests == 2
    follow_up = server.bodies[1]["messages"]
    assert [m["role"] for m in follow_up] == ["system", "user", "assistant", "user"]
    assert stated in follow_up[-1]["content"]
    assert len(segments_of(follow_up)) == ENTRIES  # the whole batch again: its alignment cannot be trusted
    assert _entry(config, FRAGILE).msgstr == "uNE PHRASE FRAGILE AVEC DU `code` ET *UN MOT*."


@pytest.mark.parametrize("fault", ["missing", "extra", "duplicate", "reorder", "fence", "preamble"])
def test_a_reply_of_the_wrong_form_twice_leaves_the_batch_empty_and_reported(
    tmp_path: Path, server: LLMServer, fault: str
) -> None:
    config = _project(tmp_path, server)
    server.default_faults = [fault, fault]
    [report] = _translate(config)
    assert server.requests == 2
    assert not _drafted(config)
    assert len(report.failures) == ENTRIES
    lines = [failure.describe(display(config, failure.path)) for failure in report.failures]
    assert all(line.startswith("locales/en/jardin.po:") and "unusable reply after a retry" in line for line in lines)


@pytest.mark.parametrize(
    ("fault", "stated"),
    [
        ("drop", "missing"),
        ("repeat", "repeated"),
        ("move", "badly nested"),
        ("url", "https://traduit.example/page"),
        ("html", "added html"),
        ("component", "added html"),
    ],
)
def test_a_segment_that_fails_verification_is_asked_again_alone(
    tmp_path: Path, server: LLMServer, fault: str, stated: str
) -> None:
    config = _project(tmp_path, server)
    server.script("fragile", [fault])
    [report] = _translate(config)
    assert not report.failures and report.sent == ENTRIES
    assert server.requests == 2
    follow_up = server.bodies[1]["messages"]
    assert [s["text"] for s in segments_of(follow_up)] == ["Une phrase fragile avec du <x1/> et <g2>un mot</g2>."]
    assert stated in follow_up[-1]["content"]
    assert _entry(config, FRAGILE).msgstr == "uNE PHRASE FRAGILE AVEC DU `code` ET *UN MOT*."


@pytest.mark.parametrize("fault", ["drop", "repeat", "move", "url", "html", "component"])
def test_a_segment_that_fails_twice_is_left_empty_and_reported_with_its_line(
    tmp_path: Path, server: LLMServer, fault: str
) -> None:
    config = _project(tmp_path, server)
    server.script("fragile", [fault, fault])
    [report] = _translate(config)
    assert report.sent == ENTRIES - 1
    assert _entry(config, FRAGILE).msgstr == ""
    [failure] = report.failures
    line = failure.describe(display(config, failure.path))
    assert line.startswith("locales/en/jardin.po:") and "not translated" in line
    assert int(line.split(":")[1]) > 0
    text = _catalog(config).__unicode__()
    for hostile in ("traduit.example", "onerror", "<Banner"):
        assert hostile not in text


def test_a_truncated_reply_is_split_and_asked_again(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server)
    server.default_faults = ["truncate"]
    [report] = _translate(config)
    assert not report.failures and report.sent == ENTRIES
    assert server.requests == 3  # the batch, then each half
    halves = [len(segments_of(body["messages"])) for body in server.bodies[1:]]
    assert sum(halves) == ENTRIES and all(len(body["messages"]) == 2 for body in server.bodies[1:])


def test_a_segment_too_long_for_the_output_limit_is_reported(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server)
    server.script("fragile", ["truncate1", "truncate1", "truncate1", "truncate1"])
    [report] = _translate(config)
    assert [failure.msgid for failure in report.failures] == [FRAGILE]
    assert "output limit" in report.failures[0].reason
    assert report.sent == ENTRIES - 1


def test_a_failed_reply_is_never_cached(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server)
    server.default_faults = ["fence", "fence"]
    [report] = _translate(config)
    assert len(report.failures) == ENTRIES
    [report] = _translate(config)  # the failed replies were not stored: asked again, and paid again
    assert server.requests == 3 and report.sent == ENTRIES


def test_429_honours_retry_after(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server)
    server.retry_after = "1"
    server.default_faults = ["429"]
    [report] = _translate(config, retry=RetryPolicy(attempts=3, base_delay=0.0, max_delay=5.0))
    assert not report.failures and report.sent == ENTRIES and server.requests == 2
    assert server.arrivals[1] - server.arrivals[0] >= 0.9


@pytest.mark.parametrize("fault", ["500", "reset", "hang"])
def test_server_errors_dropped_connections_and_hangs_are_retried(
    tmp_path: Path, server: LLMServer, fault: str
) -> None:
    config = _project(tmp_path, server)
    server.default_faults = [fault]
    [report] = _translate(config, timeout=0.5)
    assert not report.failures and report.sent == ENTRIES
    assert server.requests == 2


def test_a_request_that_keeps_failing_is_reported_after_the_last_try(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server)
    server.default_faults = ["500", "500", "500"]
    [report] = _translate(config)
    assert server.requests == 3 and not _drafted(config)
    assert len(report.failures) == ENTRIES and "HTTP 500 (after 3 tries)" in report.failures[0].reason


def test_structured_output_falls_back_when_the_server_has_none(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server)
    server.reject_schema = True
    [report] = _translate(config)
    assert report.sent == ENTRIES
    assert [body.get("response_format", {}).get("type") for body in server.bodies] == ["json_schema", "json_object"]


def test_reviewed_entries_are_never_sent_and_machine_drafts_are_redone_on_request(
    tmp_path: Path, server: LLMServer
) -> None:
    config = _project(tmp_path, server)
    path = config.locales_dir / "en" / "jardin.po"
    po = polib.pofile(str(path))
    po.find("Le RGPD ne concerne pas les poireaux.").msgstr = "GDPR does not apply to leeks."
    po.save(str(path))
    _translate(config)
    sent = json.dumps([body["messages"] for body in server.bodies], ensure_ascii=False)
    assert "poireaux" not in sent
    assert _entry(config, "Le RGPD ne concerne pas les poireaux.").msgstr == "GDPR does not apply to leeks."
    before = server.requests
    [report] = _translate(config)
    assert server.requests == before and report.sent == 0  # nothing left to do
    [report] = _translate(config, retranslate_machine=True)
    assert report.sent == ENTRIES - 1
    assert server.requests == before  # the same requests: the verified replies come from the cache
    assert report.cached_requests == 1
    assert _entry(config, "Le RGPD ne concerne pas les poireaux.").msgstr == "GDPR does not apply to leeks."


def test_a_long_post_goes_in_a_few_requests(tmp_path: Path, server: LLMServer) -> None:
    body = "\n\n".join(f"Le paragraphe numéro {n} parle de **jardinage** et de `code`." for n in range(300))
    config = _project(tmp_path, server, {"long.md": body + "\n"})
    [report] = _translate(config, jobs=4)
    assert report.sent == 300 and not report.failures
    assert server.requests <= 10
    ids = [s["id"] for b in sorted(server.bodies, key=lambda b: segments_of(b["messages"])[0]["id"])
           for s in segments_of(b["messages"])]
    assert ids == list(range(1, 301))


def test_memory_fills_what_it_knows_in_every_batch_and_only_the_rest_is_sent(
    tmp_path: Path, server: LLMServer
) -> None:
    # Batches are readied as they go out: an entry of the last batch is still taken from memory, not sent.
    paragraphs = ["Les tomates aiment le soleil.", "Arrosez le soir, jamais à midi.", "Le **paillage** garde l'eau.",
                  "Semez les radis en avril.", "Une haie protège du vent.", "Les limaces craignent la cendre.",
                  "Taillez les rosiers en mars.", "Le compost nourrit la terre."]
    remembered = paragraphs[-1]
    config = _project(tmp_path, server, {"long.md": "\n\n".join(paragraphs) + "\n", "autre.md": remembered + "\n"},
                      max_segments=2)
    other = config.locales_dir / "en" / "autre.po"
    po = polib.pofile(str(other))
    po.find(remembered).msgstr = "Compost feeds the soil."
    po.save(str(other))
    [report] = _translate(config, jobs=2)
    sent = [s["text"] for body in server.bodies for s in segments_of(body["messages"])]
    assert len(sent) == 7 and not any("compost" in text for text in sent)
    assert report.from_memory == 1 and report.sent == 7 and report.segments == 7 and not report.failures
    entry = _entry(config, remembered, "long.md")
    assert entry.msgstr == "Compost feeds the soil." and not entry.fuzzy


def test_drafts_are_saved_while_the_next_request_is_out(tmp_path: Path) -> None:
    # Not only every few seconds: what an answer brought is on disk before the next answer comes.
    from l10n.translate.command import Progress

    paragraphs = "\n\n".join(f"Le paragraphe numéro {n} parle de **jardinage**." for n in range(8))
    on_disk: list[int] = []

    class Watch(Progress):
        def advance(self, segments: int, characters: int) -> None:
            if segments:
                on_disk.append(len(_drafted(config, "long.md")))

    with LLMServer(delay=0.3) as server:
        config = _project(tmp_path, server, {"long.md": paragraphs + "\n"}, max_segments=2)
        [report] = _translate(config, jobs=1, progress=Watch())
    assert report.sent == 8
    assert on_disk == [0, 2, 4, 6]  # when each answer is written, the answers before it are saved


def test_dry_run_estimates_tokens_and_cost_and_sends_nothing(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server, input_price=0.15, output_price=0.6)
    [report] = _translate(config, dry_run=True)
    assert server.requests == 0 and not _drafted(config)
    [line] = summary_lines([report], dry_run=True)
    assert line.startswith(f"en (llm): would send {ENTRIES} segments, ")
    assert "in 1 requests, about " in line and " input and " in line and "output tokens, about $0.0" in line
    assert report.input_tokens > 0 and report.output_tokens > 0 and report.cost is not None and report.cost > 0


def test_dry_run_through_the_command_line(tmp_path: Path, server: LLMServer) -> None:
    _project(tmp_path, server)
    result = subprocess.run(
        [sys.executable, "-m", "l10n", "translate", "--dry-run"], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "OPENAI_API_KEY": ""}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "would send 7 segments" in result.stderr and "output tokens" in result.stderr  # reports go to stderr
    assert server.requests == 0


def test_settings_are_checked(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server, max_segments="many")
    with pytest.raises(BackendError, match="max_segments"):
        _translate(config)
    (tmp_path / "l10n.toml").write_text('backend = "llm"\n[backends.llm]\nmodel = "gpt-4o-mini"\n', encoding="utf-8")
    with pytest.raises(BackendError, match="OPENAI_API_KEY"):
        _translate(load_config(tmp_path))
    assert server.requests == 0


def test_a_refused_key_stops_the_run_without_touching_the_catalogs(tmp_path: Path, server: LLMServer) -> None:
    config = _project(tmp_path, server, max_segments=2)
    before = (config.locales_dir / "en" / "jardin.po").read_bytes()
    server.default_faults = ["401"] * 10
    with pytest.raises(BackendError, match="API key was refused"):
        _translate(config, jobs=1)
    assert server.requests == 1
    assert (config.locales_dir / "en" / "jardin.po").read_bytes() == before


def test_the_interpreters_thread_switching_is_the_callers_again_after_a_run(
    tmp_path: Path, server: LLMServer
) -> None:
    # The run shortens it while its requests are out (a library caller's process keeps its own setting),
    # whether the run ends well or is stopped by a refusal.
    (tmp_path / "good").mkdir()
    (tmp_path / "refused").mkdir()
    config = _project(tmp_path / "good", server, max_segments=2)
    refused = _project(tmp_path / "refused", server, max_segments=2)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.004)
    chosen = sys.getswitchinterval()  # as the interpreter keeps it (in microseconds)
    try:
        [report] = _translate(config, jobs=2)
        assert report.sent == ENTRIES and sys.getswitchinterval() == chosen
        server.default_faults = ["401"] * 10
        with pytest.raises(BackendError, match="API key was refused"):
            _translate(refused, jobs=2)
        assert sys.getswitchinterval() == chosen
    finally:
        sys.setswitchinterval(interval)


def test_ctrl_c_then_resume_sends_no_request_twice(tmp_path: Path) -> None:
    paragraphs = "\n\n".join(f"Le paragraphe numéro {n} parle de **jardinage**." for n in range(12))
    with LLMServer(delay=0.3) as server:
        config = _project(tmp_path, server, {"long.md": paragraphs + "\n"}, max_segments=2)
        command = [sys.executable, "-m", "l10n", "translate", "--jobs", "1"]
        process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while sum(server.answered.values()) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, (out, err)
        assert "interrupted" in err
        first_run = sum(server.answered.values())
        assert 2 <= first_run < 6
        assert 0 < len(_drafted(config, "long.md")) < 12  # what arrived is saved

        [report] = _translate(config, jobs=1)
        # Replies that arrived after the last save come from the reply cache, not from the server again.
        assert not report.failures and report.cached_requests <= first_run
        assert len(_drafted(config, "long.md")) == 12
        assert all(count == 1 for count in server.answered.values()), "a request was answered twice"
        assert len(server.answered) == 6
        assert (tmp_path / ".l10n-cache" / REPLIES_FILE).is_file()


def test_the_fake_translation_is_what_the_tests_expect() -> None:
    assert fake_translation("Une <g1>phrase</g1>") == "uNE <g1>PHRASE</g1>"
    assert request_digest([{"role": "user", "content": "x"}]) == request_digest([{"content": "x", "role": "user"}])


def test_a_server_that_is_not_there_stops_the_run_at_once(tmp_path: Path, server: LLMServer) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = _project(tmp_path, server, base_url=f"http://127.0.0.1:{port}/v1", max_segments=2)
    with pytest.raises(BackendError, match=r"cannot connect \(after 3 tries\): is the server at .* running\?"):
        _translate(config, jobs=1)
    assert not _drafted(config)
