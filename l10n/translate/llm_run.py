"""``l10n translate`` with the ``llm`` backend: a post's segments go together, in order and with their
context, a few dozen per request; every segment of every reply is verified before it is written.

Batches are cut over all of a post's entries (translated or not), so a batch's boundaries do not move when a
run is resumed: the request for what is left of a batch is the same as before, and its stored reply is reused
(:mod:`l10n.translate.llm_cache`). Per batch:

1. in a worker thread, ask (or take the stored reply) and read the reply strictly
   (:func:`llm_protocol.parse_reply`); store it when its form was sound. A reply cut at the output limit
   (``finish_reason == "length"``) is not read: the batch is split in two and each half asked again;
2. in the main thread, verify each segment with the command's own rules (placeholders, markup, checks) and
   write the drafts that pass, while the workers send the next requests;
3. whatever failed (the whole batch if the form was wrong, else the failing segments) is asked once more in a
   follow-up message stating each problem; what fails again is left empty and reported as ``file:line``.

Verifying and writing in the main thread only: polib objects are not shared between threads, and one verifier
needs no lock. The main thread keeps ``jobs`` requests out (and up to ``jobs`` more queued for the workers,
so that none waits for the main thread between two requests), readies each batch (memory, encoding) as it
is about to go, and while it waits readies the next ones, works out the checks' view of the sources to come
and saves the drafts so far: an answer then costs only its drafts' verification.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polib

from l10n.catalog.entries import is_live
from l10n.glossary import term_pattern
from l10n.translate import llm_protocol
from l10n.translate.backends import BackendError
from l10n.translate.llm import Completion, LLMBackend, RefusedError, Settings, UnreachableError, settings_from
from l10n.translate.llm_cache import ReplyCache, request_key
from l10n.translate.llm_protocol import PostContext, Segment

if TYPE_CHECKING:
    from l10n.translate.command import LocaleReport, PostEntries, _Catalog, _Run, _Work

OUTPUT_OVERHEAD = 30  # characters of JSON around each translation in a reply
# How long a worker whose answer came (or whose request is ready to go) may wait for the interpreter lock while
# the main thread verifies: the interpreter's default (5 ms) is paid several times per request, since a request
# takes the lock back after each read or write on its socket.
WORKER_LOCK_WAIT = 0.0005
PREPARE_CHUNK = 8  # sources prepared between two looks at the requests out


@dataclass
class Batch:
    """Entries of one post to send together: planned as (number in the post, kind, headings, entry), then made
    into the segments to send (:meth:`ready`) just before they go, or all at once for a dry run."""

    context: PostContext
    planned: list[tuple[int, str, tuple[str, ...], polib.POEntry]]
    post: PostEntries
    items: list[tuple[Segment, _Work]] = field(default_factory=list)
    prepared: bool = False

    def ready(self, terms: Sequence[tuple[str, str]]) -> list[tuple[Segment, _Work]]:
        """The batch's segments to send (entries filled from memory or kept as they are drop out), with the
        glossary terms occurring in them in its context."""
        if not self.prepared:
            self.prepared = True
            for number, kind, headings, entry in self.planned:
                item = self.post.prepare(entry)
                if item is not None:
                    self.items.append((Segment(number, item.encoded.text, kind, headings), item))
            sources = [item.entry.msgid for _, item in self.items]
            occurring = tuple(
                (source, target) for source, target in terms if any(term_pattern(source).search(s) for s in sources)
            )
            self.context = PostContext(self.context.path, self.context.title, self.context.description, occurring)
        return self.items


def _kind(entry: polib.POEntry) -> str:
    kinds = [line.removeprefix("type: ") for line in (entry.comment or "").splitlines() if line.strip()]
    return "; ".join(kinds) or "paragraph"


def _heading_level(kind: str) -> int | None:
    for part in kind.split("; "):
        if part.startswith("heading "):
            level = part.removeprefix("heading ")
            return int(level) if level.isdigit() else 1
    return None


def _post_path(catalog: _Catalog) -> str:
    for entry in catalog.po:
        for file, _ in entry.occurrences:
            return str(file)
    return catalog.path.name


def _front_matter(po: polib.POFile, key: str) -> str:
    for entry in po:
        if is_live(entry) and f"front matter: {key}" in (entry.comment or "").splitlines():
            return str(entry.msgid).strip()
    return ""


def plan_batches(post: PostEntries, settings: Settings) -> list[Batch]:
    """The batches of one post: its entries in order, cut every ``max_segments`` entries or
    ``max_request_chars`` characters, each batch holding the entries of ``post`` wanting a translation that
    fall in it."""
    catalog = post.catalog
    wanted = {id(entry) for entry in post.entries}
    path = _post_path(catalog)
    title, description = _front_matter(catalog.po, "title"), _front_matter(catalog.po, "description")
    headings: list[tuple[int, str]] = []
    batches: list[Batch] = []
    count = characters = 0
    current: list[tuple[int, str, tuple[str, ...], polib.POEntry]] = []
    number = 0
    for entry in catalog.po:
        if not is_live(entry):
            continue
        number += 1
        if count and (count >= settings.max_segments or characters + len(entry.msgid) > settings.max_request_chars):
            if current:
                batches.append(Batch(PostContext(path, title, description), current, post))
            current, count, characters = [], 0, 0
        count += 1
        characters += len(entry.msgid)
        kind = _kind(entry)
        level = _heading_level(kind)
        if level is not None:
            headings = [(lvl, text) for lvl, text in headings if lvl < level]
        if id(entry) in wanted:
            current.append((number, kind, tuple(text for _, text in headings), entry))
        if level is not None:
            headings.append((level, str(entry.msgid)))
    if current:
        batches.append(Batch(PostContext(path, title, description), current, post))
    return batches


@dataclass
class Ask:
    """One request to make for some segments of a batch: the first (``messages`` of the batch, or of a half of
    it after a reply cut at the output limit) or the follow-up stating what was wrong (the last chance)."""

    context: PostContext
    items: list[tuple[Segment, _Work]]
    messages: list[dict[str, str]]
    follow_up: bool = False


@dataclass
class Answer:
    """What came back for an :class:`Ask` (in a worker thread): the completion and its strict reading, or the
    error that ended its tries."""

    ask: Ask
    completion: Completion | None = None
    reply: llm_protocol.Reply | None = None  # None when the reply was cut at the output limit
    error: str | None = None
    requests: int = 0
    cached: int = 0


class Requester:
    """Makes the requests, in worker threads: takes a stored reply or asks the backend, reads the reply's form
    and stores it when sound (before its segments are verified: a segment that fails, fails again when the
    stored reply is reused, so nothing unverified ever gets in that way; and a reply that arrived is never paid
    for twice, even when the run is stopped before its drafts are written)."""

    def __init__(self, run: _Run, backend: LLMBackend, cache: ReplyCache) -> None:
        self.run = run
        self.backend = backend
        self.cache = cache
        self.settings = backend.settings
        self.replied = False  # whether any request of this run was answered
        self.input_tokens = 0
        self.output_tokens = 0
        self._tokens_lock = threading.Lock()
        # Set by the first refusal: the asks still queued are not sent (the run is stopping).
        self._refused = threading.Event()

    def first(self, context: PostContext, items: list[tuple[Segment, _Work]]) -> Ask:
        source, target = self.run.config.source_lang, self.run.lang
        segments = [segment for segment, _ in items]
        messages = llm_protocol.messages_for(context, segments, source, target, self.settings.instructions)
        return Ask(context, items, messages)

    def fetch(self, ask: Ask) -> Answer:
        answer = Answer(ask)
        if self._refused.is_set():
            answer.error = "not sent: the run stopped"
            return answer
        key = request_key(self.settings.endpoint, self.settings.model, ask.messages)
        stored = self.cache.get(key)
        if stored is not None:
            answer.cached = 1
            completion = Completion(stored, "stop")
        else:
            try:
                completion, answer.requests = self.backend.complete(ask.messages, self.run.retry)
            except RefusedError:
                self._refused.set()
                raise
            except UnreachableError as error:
                if not self.replied:  # nothing ever answered: the server is not there, stop rather than try each
                    self._refused.set()
                    raise RefusedError(f"{error}: is the server at {self.settings.endpoint} running?") from None
                answer.error = str(error)
                return answer
            except BackendError as error:
                answer.error = str(error)
                return answer
            self.replied = True
            with self._tokens_lock:
                self.input_tokens += completion.input_tokens
                self.output_tokens += completion.output_tokens
        answer.completion = completion
        if completion.finish_reason == "length":
            return answer
        answer.reply = llm_protocol.parse_reply(completion.content, [segment.id for segment, _ in ask.items])
        if answer.reply.sound and stored is None:
            self.cache.put(key, completion.content)
        return answer


CUT = "the reply was cut at the model's output limit"


@dataclass
class Outcome:
    """What the main thread makes of an :class:`Answer`: drafts to write, failures to report, asks to make."""

    drafts: list[tuple[_Work, str]] = field(default_factory=list)
    failures: list[tuple[_Work, str]] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)


def settle(run: _Run, requester: Requester, answer: Answer) -> Outcome:
    """Verify an answer's segments (in the main thread: one verifier, no lock) and decide what comes next."""
    ask, outcome = answer.ask, Outcome()
    items = ask.items
    if answer.error is not None or answer.completion is None:
        outcome.failures = [(item, answer.error or "no reply") for _, item in items]
        return outcome
    if answer.reply is None:  # cut at the output limit: ask for each half on its own
        if ask.follow_up or len(items) == 1:
            outcome.failures = [(item, CUT) for _, item in items]
        else:
            half = len(items) // 2
            outcome.asks += [requester.first(ask.context, items[:half]), requester.first(ask.context, items[half:])]
        return outcome
    reply, content = answer.reply, answer.completion.content
    if not reply.sound:
        if ask.follow_up:
            reason = "unusable reply after a retry: " + "; ".join(reply.problems)
            outcome.failures = [(item, reason) for _, item in items]
        else:  # its alignment cannot be trusted: the whole of it again
            again = llm_protocol.follow_up(ask.messages, content, reply.problems, [s for s, _ in items])
            outcome.asks.append(Ask(ask.context, items, again, follow_up=True))
        return outcome
    redo: list[tuple[Segment, _Work]] = []
    problems: list[str] = []
    for segment, item in items:
        draft, problem = run.checked_draft(item, reply.translations[segment.id])
        if problem is None:
            outcome.drafts.append((item, draft))
        elif ask.follow_up:
            outcome.failures.append((item, problem))
        else:
            redo.append((segment, item))
            problems.append(f"id {segment.id}: {problem}")
    if redo:
        again = llm_protocol.follow_up(ask.messages, content, problems, [segment for segment, _ in redo])
        outcome.asks.append(Ask(ask.context, redo, again, follow_up=True))
    return outcome


def _estimate(run: _Run, batches: Sequence[Batch], settings: Settings, cache: ReplyCache) -> None:
    """The dry run's figures: what the first request of each batch not stored yet would carry."""
    report = run.report
    input_characters = output_characters = 0
    source, target = run.config.source_lang, run.lang
    for batch in batches:
        segments = [segment for segment, _ in batch.items]
        messages = llm_protocol.messages_for(batch.context, segments, source, target, settings.instructions)
        if cache.get(request_key(settings.endpoint, settings.model, messages)) is not None:
            report.cached_requests += 1
            continue
        report.requests += 1
        input_characters += llm_protocol.request_characters(messages)
        output_characters += sum(
            round(len(segment.text) * llm_protocol.OUTPUT_EXPANSION) + OUTPUT_OVERHEAD for segment in segments
        )
    report.input_tokens = llm_protocol.estimate_tokens(input_characters)
    report.output_tokens = llm_protocol.estimate_tokens(output_characters)
    report.cost = settings.cost(report.input_tokens, report.output_tokens)


def translate_posts(run: _Run, posts: Sequence[PostEntries], dry_run: bool) -> None:
    """Send the entries of ``posts`` post by post (or, with ``dry_run``, only count them)."""
    from l10n.translate.command import _failure, _write_draft

    report = run.report
    options: dict[str, Any] = dict(run.config.backends.get("llm", {}))
    options.pop("timeout", None)
    settings = run.backend.settings if isinstance(run.backend, LLMBackend) else settings_from(options)
    terms = run.glossary.terms(run.config.source_lang, run.lang)
    batches = [batch for post in posts for batch in plan_batches(post, settings)]
    cache = ReplyCache(run.config.root)
    try:
        if dry_run or not isinstance(run.backend, LLMBackend):
            for batch in batches:
                batch.ready(terms)
            _count(report, batches)
            for post in posts:
                post.catalog.dirty = False
            _estimate(run, [batch for batch in batches if batch.items], settings, cache)
            return
        _send(run, run.backend, batches, terms, cache, _write_draft, _failure)
    finally:
        cache.close()


def _count(report: LocaleReport, batches: Sequence[Batch]) -> None:
    report.segments = sum(len(batch.items) for batch in batches)
    report.characters = sum(len(segment.text) for batch in batches for segment, _ in batch.items)


def _send(
    run: _Run,
    backend: LLMBackend,
    batches: Sequence[Batch],
    terms: Sequence[tuple[str, str]],
    cache: ReplyCache,
    write: Any,
    fail: Any,
) -> None:
    """``jobs`` requests at once in worker threads (and up to ``jobs`` more queued, so that a worker whose
    answer came takes its next request at once, not when the main thread is done verifying); the main
    thread readies each batch as it is about to go, and verifies and writes each answer while the next
    requests are out. Follow-ups and halves go before the batches not queued yet."""
    report = run.report
    requester = Requester(run, backend, cache)
    planned = deque(batches)
    ready: deque[Ask] = deque()
    idle = _IdleWork(cache, list({id(batch.post.catalog): batch.post.catalog for batch in batches}.values()))
    jobs = max(1, run.jobs)
    entries = [entry for batch in batches for _, _, _, entry in batch.planned]
    run.progress.start(run.lang, len(entries), sum(len(entry.msgid) for entry in entries))
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="l10n-llm")
    in_flight: set[Future[Answer]] = set()

    def next_batch() -> None:
        """Ready the next planned batch and queue its ask (nothing to ask when memory filled all of it)."""
        batch = planned.popleft()
        items = batch.ready(terms)
        if items:
            ready.append(requester.first(batch.context, items))
            idle.unprepared.extend(item for _, item in items)
        sent = {id(item.entry) for _, item in items}
        settled = [entry for _, _, _, entry in batch.planned if id(entry) not in sent]
        run.progress.advance(len(settled), sum(len(entry.msgid) for entry in settled))

    def refill() -> None:
        running = sum(not future.done() for future in in_flight)
        while running < 2 * jobs:
            if ready:
                in_flight.add(executor.submit(requester.fetch, ready.popleft()))
                running += 1
            elif planned and running < jobs:  # a worker would wait for it; the ones queued ahead are readied idle
                next_batch()
            else:
                break

    for catalog in idle.catalogs:  # saved when the main thread is idle, else every SAVE_INTERVAL from now
        catalog.saved_at = time.monotonic()

    with _workers_first():
        try:
            while planned or ready or in_flight:
                refill()
                finished, _ = wait(in_flight, timeout=0, return_when=FIRST_COMPLETED)
                if not finished:
                    if planned and len(ready) < jobs:  # the requests are out: ready the next batches meanwhile
                        next_batch()
                        continue
                    if idle.step():  # and do now what answering them would do later
                        continue
                    finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    in_flight.discard(future)
                    answer = future.result()  # a RefusedError stops the run
                    refill()
                    outcome = settle(run, requester, answer)
                    ready.extendleft(reversed(outcome.asks))
                    _record(run, outcome, answer, write, fail, backend.name)
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
            run.progress.finish()
            for catalog in idle.catalogs:
                catalog.save()
            _count(report, batches)
            report.input_tokens += requester.input_tokens
            report.output_tokens += requester.output_tokens
    report.cost = backend.settings.cost(report.input_tokens, report.output_tokens)


@contextlib.contextmanager
def _workers_first() -> Iterator[None]:
    """While the requests are out, a worker waiting for the interpreter lock gets it within
    :data:`WORKER_LOCK_WAIT` of asking (the main thread's verifying no longer delays the next requests or the
    reading of answers by several lock turns each); the interpreter's setting is restored after."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, WORKER_LOCK_WAIT))
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def _record(run: _Run, outcome: Outcome, answer: Answer, write: Any, fail: Any, backend: str) -> None:
    """Write an outcome's drafts into the catalogs and its failures into the report (main thread)."""
    from l10n.translate.command import SAVE_INTERVAL

    report = run.report
    for item, draft in outcome.drafts:
        write(item, draft, backend)
        report.sent += 1
    for item, reason in outcome.failures:
        report.failures.append(fail(item, reason))
    report.requests += answer.requests
    report.cached_requests += answer.cached
    settled = [item for item, _ in (*outcome.drafts, *outcome.failures)]
    run.progress.advance(len(settled), sum(len(item.entry.msgid) for item in settled))
    for catalog in {id(item.catalog): item.catalog for item in settled}.values():
        if catalog.dirty and time.monotonic() - catalog.saved_at >= SAVE_INTERVAL:
            catalog.save()


class _IdleWork:
    """What the main thread does while every request is out and no answer is waiting, a little at a time: make
    the reply cache ready, work out the checks' view of the sources to come, save the drafts written so far
    (so that they are on disk as soon as possible without making an answer wait)."""

    def __init__(self, cache: ReplyCache, catalogs: list[_Catalog]) -> None:
        self.cache: ReplyCache | None = cache
        self.unprepared: deque[_Work] = deque()  # the items of the batches readied so far
        self.catalogs = catalogs

    def step(self) -> bool:
        """Do one small piece; False when there is nothing to do."""
        if self.cache is not None:
            self.cache.prepare()
            self.cache = None
            return True
        if self.unprepared:
            for _ in range(min(PREPARE_CHUNK, len(self.unprepared))):
                self.unprepared.popleft().source_facts()
            return True
        dirty = next((catalog for catalog in self.catalogs if catalog.dirty), None)
        if dirty is None:
            return False
        dirty.save()
        return True
