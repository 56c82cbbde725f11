"""``l10n translate`` with the ``llm`` backend: a post's segments go together, in order and with their
context, a few dozen per request; every segment of every reply is verified before it is written.

Batches are cut over all of a post's entries (translated or not), so a batch's boundaries do not move when a
run is resumed: the request for what is left of a batch is the same as before, and its stored reply is reused
(:mod:`l10n.translate.llm_cache`). Per batch, in a worker thread:

1. ask (or take the stored reply); a reply cut at the output limit (``finish_reason == "length"``) is not
   read: the batch is split in two and each half asked again;
2. read the reply strictly (:func:`llm_protocol.parse_reply`) and verify each segment with the command's own
   rules (placeholders, markup, checks); store the reply when its form was sound;
3. whatever failed (the whole batch if the form was wrong, else the failing segments) is asked once more in a
   follow-up message stating each problem; what fails again is left empty and reported as ``file:line``.

The drafts are written to the catalogs in the main thread as batches finish (polib objects are not shared
between threads).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
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
from l10n.translate.placeholders import decode

if TYPE_CHECKING:
    from l10n.translate.command import _Catalog, _Run, _Work

OUTPUT_OVERHEAD = 30  # characters of JSON around each translation in a reply


@dataclass
class Batch:
    """Entries of one post to send together."""

    context: PostContext
    items: list[tuple[Segment, _Work]]


@dataclass
class BatchResult:
    drafts: list[tuple[_Work, str]] = field(default_factory=list)
    failures: list[tuple[_Work, str]] = field(default_factory=list)
    requests: int = 0
    cached: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


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


def plan_batches(
    catalog: _Catalog, work: Sequence[_Work], terms: Sequence[tuple[str, str]], settings: Settings
) -> list[Batch]:
    """The batches of one post: its entries in order, cut every ``max_segments`` entries or
    ``max_request_chars`` characters, each batch holding the entries of ``work`` that fall in it."""
    by_entry = {id(item.entry): item for item in work}
    path = _post_path(catalog)
    title, description = _front_matter(catalog.po, "title"), _front_matter(catalog.po, "description")
    headings: list[tuple[int, str]] = []
    batches: list[Batch] = []
    count = characters = 0
    current: list[tuple[Segment, _Work]] = []
    number = 0
    for entry in catalog.po:
        if not is_live(entry):
            continue
        number += 1
        if count and (count >= settings.max_segments or characters + len(entry.msgid) > settings.max_request_chars):
            if current:
                batches.append(Batch(PostContext(path, title, description), current))
            current, count, characters = [], 0, 0
        count += 1
        characters += len(entry.msgid)
        kind = _kind(entry)
        level = _heading_level(kind)
        if level is not None:
            headings = [(lvl, text) for lvl, text in headings if lvl < level]
        item = by_entry.get(id(entry))
        if item is not None:
            current.append((Segment(number, item.encoded.text, kind, tuple(text for _, text in headings)), item))
        if level is not None:
            headings.append((level, str(entry.msgid)))
    if current:
        batches.append(Batch(PostContext(path, title, description), current))
    for batch in batches:
        sources = [item.entry.msgid for _, item in batch.items]
        occurring = tuple(
            (source, target) for source, target in terms if any(term_pattern(source).search(s) for s in sources)
        )
        batch.context = PostContext(batch.context.path, title, description, occurring)
    return batches


class BatchTranslator:
    """Runs one batch against the backend (in a worker thread)."""

    def __init__(self, run: _Run, backend: LLMBackend, cache: ReplyCache) -> None:
        self.run = run
        self.backend = backend
        self.cache = cache
        self.settings = backend.settings
        self.replied = False  # whether any request of this run was answered
        self._verify_lock = threading.Lock()
        # Set by the first refusal: the batches still queued are not sent (the run is stopping).
        self._refused = threading.Event()

    def translate(self, batch: Batch) -> BatchResult:
        result = BatchResult()
        if self._refused.is_set():
            return result
        try:
            self._ask(batch.context, batch.items, result)
        except RefusedError:
            self._refused.set()
            raise
        except UnreachableError as error:
            if not self.replied:  # nothing ever answered: the server is not there, stop rather than try each batch
                self._refused.set()
                raise RefusedError(f"{error}: is the server at {self.settings.endpoint} running?") from None
            self._fail_rest(batch, result, str(error))
        except BackendError as error:
            self._fail_rest(batch, result, str(error))
        return result

    @staticmethod
    def _fail_rest(batch: Batch, result: BatchResult, reason: str) -> None:
        done = {id(item) for item, _ in result.drafts} | {id(item) for item, _ in result.failures}
        result.failures.extend((item, reason) for _, item in batch.items if id(item) not in done)

    def _messages(self, context: PostContext, segments: Sequence[Segment]) -> list[dict[str, str]]:
        source, target = self.run.config.source_lang, self.run.lang
        return llm_protocol.messages_for(context, segments, source, target, self.settings.instructions)

    def _complete(self, messages: Sequence[dict[str, str]], result: BatchResult) -> tuple[Completion, str, bool]:
        key = request_key(self.settings.endpoint, self.settings.model, messages)
        stored = self.cache.get(key)
        if stored is not None:
            result.cached += 1
            return Completion(stored, "stop"), key, True
        completion, requests = self.backend.complete(messages, self.run.retry)
        self.replied = True
        result.requests += requests
        result.input_tokens += completion.input_tokens
        result.output_tokens += completion.output_tokens
        return completion, key, False

    def _ask(self, context: PostContext, items: list[tuple[Segment, _Work]], result: BatchResult) -> None:
        segments = [segment for segment, _ in items]
        messages = self._messages(context, segments)
        completion, key, stored = self._complete(messages, result)
        if completion.finish_reason == "length":
            if len(items) > 1:  # the reply hit the output limit: ask for each half on its own
                half = len(items) // 2
                self._ask(context, items[:half], result)
                self._ask(context, items[half:], result)
            else:
                result.failures.append((items[0][1], "the reply was cut at the model's output limit"))
            return
        redo, problems, sound = self._accept(completion.content, items, result)
        if sound and not stored:  # verified: what passed may be reused, what failed fails again on reuse
            self.cache.put(key, completion.content)
        if not redo:
            return
        again = llm_protocol.follow_up(messages, completion.content, problems, [segment for segment, _ in redo])
        second, second_key, second_stored = self._complete(again, result)
        if second.finish_reason == "length":
            result.failures.extend((item, "the reply was cut at the model's output limit") for _, item in redo)
            return
        reply = llm_protocol.parse_reply(second.content, [segment.id for segment, _ in redo])
        if not reply.sound:
            reason = "unusable reply after a retry: " + "; ".join(reply.problems)
            result.failures.extend((item, reason) for _, item in redo)
            return
        for segment, item in redo:
            problem = self._problem(item, reply.translations[segment.id])
            if problem is None:
                result.drafts.append((item, decode(item.encoded, reply.translations[segment.id])))
            else:
                result.failures.append((item, problem))
        if not second_stored:
            self.cache.put(second_key, second.content)

    def _accept(
        self, content: str, items: list[tuple[Segment, _Work]], result: BatchResult
    ) -> tuple[list[tuple[Segment, _Work]], list[str], bool]:
        """Take the reply's verified drafts; return what to ask again, the problems to state, and whether the
        reply's form was sound."""
        reply = llm_protocol.parse_reply(content, [segment.id for segment, _ in items])
        if not reply.sound:
            return list(items), list(reply.problems), False
        redo: list[tuple[Segment, _Work]] = []
        problems: list[str] = []
        for segment, item in items:
            problem = self._problem(item, reply.translations[segment.id])
            if problem is None:
                result.drafts.append((item, decode(item.encoded, reply.translations[segment.id])))
            else:
                redo.append((segment, item))
                problems.append(f"id {segment.id}: {problem}")
        return redo, problems, True

    def _problem(self, item: _Work, translation: str) -> str | None:
        with self._verify_lock:
            return self.run._draft_problem(item, translation)


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


def translate_posts(run: _Run, catalogs: Sequence[_Catalog], work: Sequence[_Work], dry_run: bool) -> None:
    """Send ``work`` post by post (or, with ``dry_run``, only count it)."""
    from l10n.translate.command import _failure, _write_draft

    report = run.report
    options: dict[str, Any] = dict(run.config.backends.get("llm", {}))
    options.pop("timeout", None)
    settings = run.backend.settings if isinstance(run.backend, LLMBackend) else settings_from(options)
    terms = run.glossary.terms(run.config.source_lang, run.lang)
    by_catalog: dict[int, list[_Work]] = {}
    for item in work:
        by_catalog.setdefault(id(item.catalog), []).append(item)
    batches = [
        batch
        for catalog in catalogs
        if id(catalog) in by_catalog
        for batch in plan_batches(catalog, by_catalog[id(catalog)], terms, settings)
    ]
    report.segments = sum(len(batch.items) for batch in batches)
    report.characters = sum(len(segment.text) for batch in batches for segment, _ in batch.items)
    cache = ReplyCache(run.config.root)
    try:
        if dry_run or not isinstance(run.backend, LLMBackend):
            for catalog in catalogs:
                catalog.dirty = False
            _estimate(run, batches, settings, cache)
            return
        _send(run, run.backend, batches, cache, _write_draft, _failure)
    finally:
        cache.close()


def _send(run: _Run, backend: LLMBackend, batches: Sequence[Batch], cache: ReplyCache, write: Any, fail: Any) -> None:
    from l10n.translate.command import SAVE_INTERVAL

    report = run.report
    translator = BatchTranslator(run, backend, cache)
    catalogs = {id(item.catalog): item.catalog for batch in batches for _, item in batch.items}
    run.progress.start(run.lang, report.segments, report.characters)
    executor = ThreadPoolExecutor(max_workers=max(1, run.jobs), thread_name_prefix="l10n-llm")
    futures = {executor.submit(translator.translate, batch): batch for batch in batches}
    try:
        pending: set[Future[BatchResult]] = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = futures[future]
                result = future.result()  # a RefusedError stops the run
                for item, draft in result.drafts:
                    write(item, draft, backend.name)
                    report.sent += 1
                for item, reason in result.failures:
                    report.failures.append(fail(item, reason))
                report.requests += result.requests
                report.cached_requests += result.cached
                report.input_tokens += result.input_tokens
                report.output_tokens += result.output_tokens
                run.progress.advance(len(batch.items), sum(len(s.text) for s, _ in batch.items))
                for catalog in {id(item.catalog): item.catalog for _, item in batch.items}.values():
                    if catalog.dirty and time.monotonic() - catalog.saved_at >= SAVE_INTERVAL:
                        catalog.save()
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        run.progress.finish()
        for catalog in catalogs.values():
            catalog.save()
    report.cost = backend.settings.cost(report.input_tokens, report.output_tokens)
