"""Sending texts to a backend: each distinct text once, split under the size limit, concurrently within a
bound, retried with capped exponential backoff, with every finished text reported as soon as it is done.

A backend that cannot be used at all (unreachable, or refusing the key: ``UnavailableError``) stops the run
after a few such failures in a row: the texts not sent yet are dropped and :meth:`Orchestrator.run` raises
``UnavailableError``, after reporting everything that did finish (the caller saves it)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from l10n.translate.backends import Backend, BackendError, TransientError, UnavailableError

UNAVAILABLE_IN_A_ROW = 3  # failures of that kind, with no success between, that stop the run
_NOT_SENT = "not sent: the run was stopped"
_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failing request is tried again."""

    attempts: int = 5  # tries in all, the first included
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th failure (1-based); a Retry-After wins; both capped."""
        wanted = retry_after if retry_after is not None else self.base_delay * 2 ** (failures - 1)
        return min(self.max_delay, wanted)


@dataclass(frozen=True)
class Outcome:
    """What became of one distinct text: its translation, or why there is none."""

    text: str
    translation: str | None = None
    error: str | None = None
    requests: int = 0  # requests made for it, retries included


@dataclass
class Stats:
    sent_texts: int = 0
    sent_characters: int = 0
    requests: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def split_text(text: str, limit: int) -> list[tuple[str, str]]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at sentence ends if possible, else at spaces.

    Returns ``(piece, separator)`` pairs: joining ``piece + separator`` in order gives ``text`` back.
    """
    if len(text) <= limit:
        return [(text, "")]
    pieces: list[tuple[str, str]] = []
    for sentence, separator in _cut(text, _SENTENCE_END):
        if len(sentence) <= limit:
            pieces.append((sentence, separator))
            continue
        words = _cut(sentence, _SPACE)
        for index, (word, space) in enumerate(words):
            last = index == len(words) - 1
            if len(word) > limit:  # no space to cut at: cut blindly (extremely long tokens only)
                after = space if not last else separator
                for start in range(0, len(word), limit):
                    end_of_word = start + limit >= len(word)
                    pieces.append((word[start : start + limit], after if end_of_word else ""))
            else:
                pieces.append((word, space if not last else separator))
    return _merge(pieces, limit)


def _cut(text: str, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    cursor = 0
    for match in pattern.finditer(text):
        if match.start() == 0:
            continue
        parts.append((text[cursor : match.start()], match.group(0)))
        cursor = match.end()
    parts.append((text[cursor:], ""))
    return parts


def _merge(pieces: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """Join consecutive pieces back together as long as they fit (fewer requests, more context)."""
    merged: list[tuple[str, str]] = []
    for piece, separator in pieces:
        if merged:
            previous, previous_separator = merged[-1]
            if len(previous) + len(previous_separator) + len(piece) <= limit:
                merged[-1] = (previous + previous_separator + piece, separator)
                continue
        merged.append((piece, separator))
    return merged


def _outcome(
    text: str, pieces: Sequence[tuple[str, str]], results: dict[str, tuple[str | None, str | None, int]]
) -> Outcome | None:
    """The text's outcome once all its pieces are back (None before)."""
    if any(piece not in results for piece, _ in pieces):
        return None
    count = sum(results[piece][2] for piece, _ in pieces)
    errors = [results[piece][1] or "failed" for piece, _ in pieces if results[piece][0] is None]
    if errors:
        return Outcome(text, None, errors[0], count)
    joined = "".join(str(results[piece][0]) + separator for piece, separator in pieces)
    return Outcome(text, joined, None, count)


class Orchestrator:
    """Runs the requests for a set of texts against one backend and one language pair."""

    def __init__(
        self,
        backend: Backend,
        source: str,
        target: str,
        *,
        jobs: int = 4,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.backend = backend
        self.source = source
        self.target = target
        self.jobs = max(1, jobs)
        self.retry = retry or RetryPolicy()
        self.stats = Stats()
        self._stop = threading.Event()
        self._stop_reason = ""
        self._unavailable_in_a_row = 0
        self._lock = threading.Lock()
        self.sleep = sleep or self._wait

    def run(
        self, texts: Iterable[str], on_done: Callable[[Outcome], None] | None = None
    ) -> dict[str, Outcome]:
        """Translate each distinct text once; ``on_done`` is called (in this thread) as each one finishes."""
        plans = {text: split_text(text, self.backend.max_chars) for text in dict.fromkeys(texts)}
        waiting: dict[str, list[str]] = {}
        for text, pieces in plans.items():
            for piece, _ in pieces:
                waiting.setdefault(piece, []).append(text)
        results: dict[str, tuple[str | None, str | None, int]] = {}
        outcomes: dict[str, Outcome] = {}

        executor = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="l10n-mt")
        futures = {executor.submit(self._request, piece): piece for piece in waiting}
        try:
            pending: set[Future[tuple[str | None, str | None, int]]] = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    piece = futures[future]
                    results[piece] = future.result()
                    if results[piece][1] == _NOT_SENT:
                        continue  # the run was stopped before this piece went out: not a failure of its own
                    self.stats.requests += results[piece][2]
                    for text in waiting[piece]:
                        outcome = _outcome(text, plans[text], results)
                        if outcome is not None and text not in outcomes:
                            outcomes[text] = outcome
                            self._count(outcome)
                            if on_done is not None:
                                on_done(outcome)
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
        if self._stop.is_set():
            raise UnavailableError(self._stop_reason)
        return outcomes

    def _wait(self, seconds: float) -> None:
        """The default wait between retries: it ends early when the run is stopped."""
        self._stop.wait(seconds)

    def _note_success(self) -> None:
        with self._lock:
            self._unavailable_in_a_row = 0

    def _note_unavailable(self, error: UnavailableError) -> None:
        with self._lock:
            self._unavailable_in_a_row += 1
            if self._unavailable_in_a_row >= UNAVAILABLE_IN_A_ROW and not self._stop.is_set():
                self._stop_reason = (
                    f"{error}; {self._unavailable_in_a_row} requests in a row failed, so the run stopped "
                    "(the drafts received so far are saved)"
                )
                self._stop.set()

    def _count(self, outcome: Outcome) -> None:
        if outcome.translation is None:
            self.stats.failed += 1
            self.stats.errors.append(outcome.error or "failed")
        else:
            self.stats.sent_texts += 1
            self.stats.sent_characters += len(outcome.text)

    def _request(self, piece: str) -> tuple[str | None, str | None, int]:
        """One piece, retried on transient failures: (translation, error, requests made). Never raises."""
        for attempt in range(1, self.retry.attempts + 1):
            if self._stop.is_set():
                return None, _NOT_SENT, attempt - 1
            try:
                translation = self.backend.translate([piece], self.source, self.target)[0]
                self._note_success()
                return translation, None, attempt
            except UnavailableError as error:
                self._note_unavailable(error)
                return None, str(error), attempt
            except TransientError as error:
                if attempt == self.retry.attempts:
                    return None, f"{self.backend.name}: {error} (after {attempt} tries)", attempt
                self.sleep(self.retry.delay(attempt, error.retry_after))
            except BackendError as error:
                return None, str(error), attempt
            except Exception as error:  # a client bug must not take the whole run down
                return None, f"{self.backend.name}: unexpected {type(error).__name__}", attempt
        return None, "no attempt made", 0
