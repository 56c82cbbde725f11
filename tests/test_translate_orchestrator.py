"""Requests against a local LibreTranslate-compatible server, through deep-translator's LibreTranslator:
de-duplication, bounded concurrency, timeouts, retries and the faults a real service shows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mt_server import MTServer, fake_translation

from l10n.translate.backends import make_backend
from l10n.translate.orchestrator import Orchestrator, RetryPolicy, split_text

NO_WAIT = RetryPolicy(attempts=4, base_delay=0.0, max_delay=0.0)


@pytest.fixture
def server() -> Iterator[MTServer]:
    with MTServer(hang=2.0) as running:
        yield running


def _orchestrator(server: MTServer, jobs: int = 4, timeout: float = 5.0) -> Orchestrator:
    backend = make_backend("libre", {"url": server.url}, timeout=timeout, environ={})
    return Orchestrator(backend, "fr", "en", jobs=jobs, retry=NO_WAIT)


def test_each_distinct_text_is_sent_once(server: MTServer) -> None:
    texts = ["Bonjour", "Au revoir", "Bonjour", "Merci", "Au revoir", "Bonjour"]
    outcomes = _orchestrator(server).run(texts)
    assert {text: outcome.translation for text, outcome in outcomes.items()} == {
        "Bonjour": "bONJOUR",
        "Au revoir": "aU REVOIR",
        "Merci": "mERCI",
    }
    assert server.requests == 3
    assert max(server.per_text.values()) == 1


def test_jobs_8_really_runs_8_requests_at_once(server: MTServer) -> None:
    server.delay = 1.0  # long enough for all 8 to be in flight together on a loaded machine
    _orchestrator(server, jobs=8).run([f"Phrase {number}" for number in range(16)])
    assert server.max_in_flight == 8


def test_jobs_1_runs_one_request_at_a_time(server: MTServer) -> None:
    server.delay = 0.02
    _orchestrator(server, jobs=1).run([f"Phrase {number}" for number in range(6)])
    assert server.max_in_flight == 1


@pytest.mark.parametrize("fault", ["timeout", "429", "456", "500", "reset", "malformed"])
def test_a_transient_fault_is_retried_and_the_text_still_translated(server: MTServer, fault: str) -> None:
    server.script("fragile", [fault])
    outcomes = _orchestrator(server, timeout=0.5).run(["Un texte fragile", "Un texte solide"])
    assert outcomes["Un texte fragile"].translation == fake_translation("Un texte fragile")
    assert outcomes["Un texte fragile"].requests == 2
    assert outcomes["Un texte solide"].requests == 1


def test_a_text_that_keeps_failing_gives_up_after_the_retries_and_the_others_finish(server: MTServer) -> None:
    server.script("maudit", ["500"] * 10)
    done: list[str] = []
    outcomes = _orchestrator(server).run(["Un texte maudit", "Un", "Deux"], lambda outcome: done.append(outcome.text))
    assert outcomes["Un texte maudit"].translation is None
    assert "HTTP 500" in (outcomes["Un texte maudit"].error or "")
    assert server.per_text["Un texte maudit"] == NO_WAIT.attempts
    assert outcomes["Un"].translation == "uN" and outcomes["Deux"].translation == "dEUX"
    assert sorted(done) == sorted(["Un texte maudit", "Un", "Deux"])  # every text is reported as it ends


def test_a_long_text_is_sent_in_pieces_under_the_limit_and_joined(server: MTServer) -> None:
    orchestrator = _orchestrator(server)
    orchestrator.backend.max_chars = 60  # type: ignore[misc]
    text = "Première phrase assez longue. Deuxième phrase aussi longue ! Troisième, enfin ? Fin."
    outcome = orchestrator.run([text])[text]
    assert outcome.translation == fake_translation(text)
    assert server.requests >= 2 and all(len(piece) <= 60 for piece in server.per_text)


def test_backoff_is_exponential_and_capped() -> None:
    policy = RetryPolicy(attempts=6, base_delay=1.0, max_delay=5.0)
    assert [policy.delay(failure) for failure in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert policy.delay(1, retry_after=3.0) == 3.0
    assert policy.delay(1, retry_after=600.0) == 5.0


@pytest.mark.parametrize("limit", [10, 25, 80])
def test_split_text_keeps_every_character_and_respects_the_limit(limit: int) -> None:
    text = "Une phrase. Une autre phrase plus longue ! Encore une ? Un mot-très-très-très-très-long-sans-espace fin."
    pieces = split_text(text, limit)
    assert "".join(piece + separator for piece, separator in pieces) == text
    assert all(len(piece) <= limit for piece, _ in pieces)


def test_split_text_prefers_sentence_ends() -> None:
    text = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota."
    assert [piece for piece, _ in split_text(text, 40)] == ["Alpha beta gamma. Delta epsilon zeta.", "Eta theta iota."]
