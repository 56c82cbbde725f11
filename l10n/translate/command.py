"""The project-level ``translate`` operation: fill empty catalog entries from memory, then from a backend.

Rules:

* Only entries with an empty ``msgstr`` are filled; with ``retranslate_machine`` also unreviewed machine
  drafts (translator comment ``machine translation: ...`` *and* still ``fuzzy``).  A msgstr a person wrote
  or reviewed is never touched.
* Memory first: an exact reviewed match is taken as reviewed; a fuzzy entry's translation of the same text,
  or a close reviewed match, is taken as ``fuzzy``.
* What a backend writes is ``fuzzy`` with the translator comment ``machine translation: <backend>``.
* Markup goes out as placeholders and is verified on the way back; a draft that fails is asked for once more,
  then left empty and reported.
* Catalogs are saved atomically as drafts arrive, so an interrupted run keeps what it finished.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import polib

from l10n.catalog import io as catalog_io
from l10n.catalog.entries import is_live, is_machine_draft, is_optional, set_fuzzy, set_machine_comment
from l10n.checks import SourceFacts, check_translation, invisible_findings, source_facts
from l10n.config import Config
from l10n.document.inline import defined_labels
from l10n.document.markdown import COMMONMARK, Dialect
from l10n.glossary import Glossary
from l10n.memory.rules import Memory, apply_fill, find_fill
from l10n.merge_write import ChangeSet, write_changes
from l10n.project import Post, display, iter_posts, po_path
from l10n.run.memories import build_memory
from l10n.translate.backends import Backend, BackendError, make_backend
from l10n.translate.orchestrator import Orchestrator, Outcome, RetryPolicy
from l10n.translate.placeholders import (
    Encoded,
    EncodeError,
    PlaceholderError,
    decode,
    encode,
    encoded_signature,
    verify,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

SAVE_INTERVAL = 2.0  # seconds between progress saves of a catalog being filled


@dataclass(frozen=True)
class Failure:
    """An entry left untranslated, with why."""

    path: Path
    line: int | None
    msgid: str
    reason: str

    def describe(self, shown_path: str | None = None) -> str:
        """``file:line: not translated (why): 'msgid...'``."""
        excerpt = self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "..."
        path = shown_path or str(self.path)
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: not translated ({self.reason}): {excerpt!r}"


@dataclass
class LocaleReport:
    """What ``translate`` did (or, in a dry run, would send) for one locale."""

    lang: str
    backend: str
    from_memory: int = 0
    from_memory_fuzzy: int = 0
    segments: int = 0  # distinct texts to send (after memory and de-duplication)
    characters: int = 0  # their length, as sent (what a paid API bills)
    sent: int = 0  # entries filled from the backend
    requests: int = 0
    kept: int = 0  # entries with nothing to translate (only code, links...)
    missing: list[Path] = field(default_factory=list)  # catalogs not extracted yet
    failures: list[Failure] = field(default_factory=list)
    # Backends billed by the token (llm): replies reused from .l10n-cache/, tokens (estimated in a dry run), cost
    cached_requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None


class Progress:
    """Receives progress events; the default does nothing (the CLI shows a rich bar)."""

    def start(self, lang: str, segments: int, characters: int) -> None:
        pass

    def advance(self, segments: int, characters: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class _Work:
    """One entry waiting for a draft."""

    catalog: _Catalog
    entry: polib.POEntry
    encoded: Encoded
    labels: frozenset[str] | None
    dialect: Dialect = COMMONMARK
    _source: SourceFacts | None = field(default=None, repr=False)

    def source_facts(self) -> SourceFacts:
        """The checks' view of the msgid, worked out once for every draft of this entry."""
        if self._source is None:
            self._source = source_facts(self.entry.msgid, dialect=self.dialect, references=self.labels)
        return self._source


@dataclass
class _Catalog:
    path: Path
    po: polib.POFile
    text: str  # as last read or written: the entries the run does not change keep their text
    root: Path = Path()  # the site's, whose lock each save takes
    dirty: bool = False
    saved_at: float = 0.0
    changes: ChangeSet = field(default_factory=ChangeSet)

    def save(self) -> None:
        """Write the drafts made since the last save into the catalog as it is on disk now (a review save or
        a ``sync`` may have rewritten it meanwhile: theirs is kept)."""
        if self.dirty:
            write_changes(self.root, self.path, self.changes)
            self.dirty = False
            self.saved_at = time.monotonic()


def _wants_translation(entry: polib.POEntry, retranslate_machine: bool) -> bool:
    if not is_live(entry) or is_optional(entry):
        return False
    return not entry.msgstr or (retranslate_machine and is_machine_draft(entry))


def _entry_line(entry: polib.POEntry) -> int | None:
    return entry.linenum if isinstance(entry.linenum, int) and entry.linenum > 0 else None


def _reference_labels(post: Path) -> frozenset[str] | None:
    """The post's link reference labels (None when unreadable: then every bracketed label is protected)."""
    try:
        text = post.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    return defined_labels(text)


def translate_project(
    config: Config,
    *,
    langs: Sequence[str] = (),
    backend_name: str | None = None,
    jobs: int = 4,
    dry_run: bool = False,
    retranslate_machine: bool = False,
    posts: Sequence[Post] | None = None,
    timeout: float = 30.0,
    retry: RetryPolicy | None = None,
    progress: Progress | None = None,
    backend_factory: Callable[..., Backend] = make_backend,
    environ: Mapping[str, str] | None = None,
) -> list[LocaleReport]:
    """Fill the catalogs of each locale; returns one report per locale. Raises InputError, BackendError."""
    name = backend_name or config.backend
    progress = progress or Progress()
    backend: Backend | None = None
    if not dry_run:
        settings = dict(config.backends.get(name, {}))
        timeout = float(settings.pop("timeout", timeout))  # seconds per request, configurable per backend
        backend = backend_factory(name, settings, timeout=timeout, environ=environ)
    glossary = Glossary.load(config.glossary)
    chosen = iter_posts(config) if posts is None else list(posts)
    reports = []
    for lang in langs or config.target_langs:
        run = _Run(config, lang, backend, jobs, retry, progress, LocaleReport(lang, name), glossary)
        reports.append(run.translate(chosen, dry_run, retranslate_machine))
    return reports


@dataclass
class _Run:
    """One locale's translation run."""

    config: Config
    lang: str
    backend: Backend | None
    jobs: int
    retry: RetryPolicy | None
    progress: Progress
    report: LocaleReport
    glossary: Glossary

    def translate(self, posts: Sequence[Post], dry_run: bool, retranslate_machine: bool) -> LocaleReport:
        config, lang, report = self.config, self.lang, self.report
        memory = build_memory(config, lang)
        terms = self.glossary.terms(config.source_lang, lang)
        catalogs: list[_Catalog] = []
        work: list[_Work] = []
        wanted: list[PostEntries] = []
        for post in posts:
            path = po_path(config, post.rel, lang)
            po, text = catalog_io.read_catalog_text(path)
            if po is None or text is None:
                report.missing.append(path)
                continue
            catalog = _Catalog(path, po, text, config.root)
            catalogs.append(catalog)
            entries = [entry for entry in po if _wants_translation(entry, retranslate_machine)]
            preparer = _Preparer(self, catalog, memory, terms, _reference_labels(post.source),
                                 config.dialect_for(post.rel), dry_run)
            if report.backend == "llm":  # prepared batch by batch as the requests go out
                wanted.append(PostEntries(catalog, entries, preparer.prepare))
                continue
            work.extend(item for entry in entries if (item := preparer.prepare(entry)) is not None)

        if report.backend == "llm":  # a post's segments per request, with their context
            from l10n.translate.llm_run import translate_posts

            translate_posts(self, wanted, dry_run)
            return report
        distinct = list(dict.fromkeys(item.encoded.text for item in work))
        report.segments = len(distinct)
        report.characters = sum(len(text) for text in distinct)
        if dry_run or self.backend is None:
            for catalog in catalogs:
                catalog.dirty = False
            return report
        try:
            self.progress.start(lang, report.segments, report.characters)
            failed_verification = self._send(self.backend, work, first=True)
            if failed_verification:
                self._send(self.backend, failed_verification, first=False)
        finally:
            self.progress.finish()
            for catalog in catalogs:
                catalog.save()
        return report

    def _send(self, backend: Backend, work: Iterable[_Work], *, first: bool) -> list[_Work]:
        """Send the work's distinct texts and write verified drafts; on the first pass, return the entries
        whose draft failed verification (they get one more try)."""
        report = self.report
        by_text: dict[str, list[_Work]] = {}
        for item in work:
            by_text.setdefault(item.encoded.text, []).append(item)
        again: list[_Work] = []

        def on_done(outcome: Outcome) -> None:
            items = by_text[outcome.text]
            if first:
                self.progress.advance(1, len(outcome.text))
            for item in items:
                if outcome.translation is None:
                    report.failures.append(_failure(item, outcome.error or "request failed"))
                    continue
                problem = self._draft_problem(item, outcome.translation)
                if problem is None:
                    _write_draft(item, decode(item.encoded, outcome.translation), backend.name)
                    report.sent += 1
                elif first:
                    again.append(item)
                else:
                    report.failures.append(_failure(item, problem))
            for catalog in {id(item.catalog): item.catalog for item in items}.values():
                if catalog.dirty and time.monotonic() - catalog.saved_at >= SAVE_INTERVAL:
                    catalog.save()

        source = self.config.source_lang
        orchestrator = Orchestrator(backend, source, self.lang, jobs=self.jobs, retry=self.retry)
        orchestrator.run(by_text, on_done)
        report.requests += orchestrator.stats.requests
        return again

    def _draft_problem(self, item: _Work, translation: str) -> str | None:
        """Why a draft cannot be written (None when it can): broken placeholders, markup that differs from
        the source's, or anything the project's checks count as an error (``build`` would not use it)."""
        return self.checked_draft(item, translation)[1]

    def checked_draft(self, item: _Work, translation: str) -> tuple[str, str | None]:
        """The decoded draft and why it cannot be written (None when it can; see :meth:`_draft_problem`)."""
        try:
            draft = decode(item.encoded, translation)
        except PlaceholderError as error:
            return "", str(error)
        if not draft.strip():
            return draft, "empty translation"
        # An engine has no reason to add a control or an invisible character: even the zero-width ones (a
        # warning by hand) refuse a draft. Checked first: a parser reads NUL as U+FFFD.
        hidden = invisible_findings(item.entry.msgid, draft)
        if hidden:
            return draft, "; ".join(f"[{finding.check}] {finding.message}" for finding in hidden)
        expected = encoded_signature(item.encoded)  # the msgid's markup, as encoding it found it
        problems = verify(item.entry.msgid, draft, item.labels, item.dialect, expected=expected)
        if problems:
            return draft, "; ".join(problems)
        findings = check_translation(
            item.entry.msgid,
            draft,
            source_lang=self.config.source_lang,
            target_lang=self.lang,
            glossary=self.glossary,
            dialect=item.dialect,
            references=item.labels,
            source=item.source_facts(),
        )
        errors = [f"[{finding.check}] {finding.message}" for finding in findings if finding.is_error]
        return draft, "; ".join(errors) if errors else None


@dataclass
class _Preparer:
    """Readies one post's entries for a backend: the memory's offer first, else the msgid encoded (entries
    with nothing to translate, or whose markup cannot be located, are counted and not sent)."""

    run: _Run
    catalog: _Catalog
    memory: Memory
    terms: Sequence[tuple[str, str]]
    labels: frozenset[str] | None
    dialect: Dialect
    dry_run: bool

    def prepare(self, entry: polib.POEntry) -> _Work | None:
        """The work to send for ``entry``, or None when it was settled here."""
        report, catalog = self.run.report, self.catalog
        if not self.dry_run:
            catalog.changes.touch(entry)
        if _fill_from_memory(entry, self.memory, report, write=not self.dry_run):
            catalog.dirty = not self.dry_run
            return None
        try:
            encoded = encode(entry.msgid, terms=self.terms, reference_labels=self.labels, dialect=self.dialect)
        except EncodeError as error:
            report.failures.append(Failure(catalog.path, _entry_line(entry), entry.msgid, str(error)))
            return None
        if not encoded.needs_translation:
            report.kept += 1
            return None
        return _Work(catalog, entry, encoded, self.labels, self.dialect)


@dataclass
class PostEntries:
    """A post's catalog, its entries wanting a translation, and how to ready one for a backend (which fills
    it from memory when it can: then it is not sent)."""

    catalog: _Catalog
    entries: list[polib.POEntry]
    prepare: Callable[[polib.POEntry], _Work | None]


def _fill_from_memory(
    entry: polib.POEntry, memory: Memory, report: LocaleReport, *, write: bool
) -> bool:
    fill = find_fill(memory, entry.msgid)
    if fill is None:
        return False
    if fill.exact:
        report.from_memory += 1
    else:
        report.from_memory_fuzzy += 1
    if write:
        apply_fill(entry, fill)
    return True


def _failure(item: _Work, reason: str) -> Failure:
    return Failure(item.catalog.path, _entry_line(item.entry), item.entry.msgid, reason)


def _write_draft(item: _Work, draft: str, backend: str) -> None:
    entry = item.entry
    item.catalog.changes.touch(entry)
    entry.msgstr = draft
    set_fuzzy(entry, True)
    entry.previous_msgid = None
    set_machine_comment(entry, backend)
    item.catalog.dirty = True


def summary_lines(reports: Sequence[LocaleReport], dry_run: bool) -> list[str]:
    """One line per locale, as the command prints them."""
    lines = []
    for report in reports:
        memory = f"{report.from_memory} from memory ({report.from_memory_fuzzy} fuzzy)"
        if dry_run:
            lines.append(
                f"{report.lang} ({report.backend}): would send {report.segments} segments, "
                f"{report.characters} characters{_token_figures(report, dry_run)}; {memory}"
            )
        else:
            lines.append(
                f"{report.lang} ({report.backend}): sent {report.segments} segments "
                f"({report.characters} characters, {report.requests} requests{_token_figures(report, dry_run)}), "
                f"{report.sent} entries drafted; {memory}; {len(report.failures)} failed"
            )
    return lines


def _token_figures(report: LocaleReport, dry_run: bool) -> str:
    """Requests, tokens and cost of a backend billed by the token (empty for the others)."""
    if not (report.input_tokens or report.output_tokens or report.cached_requests):
        return ""
    about = "about " if dry_run else ""
    requests = f" in {report.requests} requests" if dry_run else ""
    text = f"{requests}, {about}{report.input_tokens} input and {report.output_tokens} output tokens"
    if report.cost is not None:
        text += f", {about}${report.cost:.4f}"
    if report.cached_requests:
        text += f", {report.cached_requests} replies reused from the cache"
    return text


class RichProgress(Progress):
    """A progress bar of segments and characters, on a terminal only."""

    def __init__(self, console: Any) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("segments, {task.fields[characters]} characters"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task: Any = None
        self._characters = 0

    def start(self, lang: str, segments: int, characters: int) -> None:
        self._characters = 0
        self._bar.start()
        self._task = self._bar.add_task(f"translate {lang}", total=segments, characters=0)

    def advance(self, segments: int, characters: int) -> None:
        self._characters += characters
        self._bar.update(self._task, advance=segments, characters=self._characters)

    def finish(self) -> None:
        self._bar.stop()


class Request(TypedDict, total=False):
    """What ``l10n translate`` asks :func:`translate_project` for (see its parameters)."""

    langs: Sequence[str]
    backend_name: str | None
    jobs: int
    dry_run: bool
    retranslate_machine: bool
    posts: Sequence[Post] | None


def run(config: Config, *, console: Any = None, **request: Unpack[Request]) -> int:
    """``l10n translate``: runs, prints a summary, returns the exit code (0; 1 on failures; 2 bad usage or a
    backend that cannot be used: unreachable or refusing the key)."""
    from rich.console import Console

    # Reports go to stderr like the other commands'; no emoji codes (``[ref:id: ...]`` is not ``[ref🆔 ...]``).
    console = console or Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    bar_console = Console(stderr=True)
    progress = RichProgress(bar_console) if bar_console.is_terminal else Progress()
    try:
        reports = translate_project(config, progress=progress, **request)
    except BackendError as error:
        console.print(f"error: {error}", markup=False)
        return 2
    except KeyboardInterrupt:
        console.print("interrupted: the drafts already received are saved; run again to finish", markup=False)
        return 130
    for report in reports:
        for path in report.missing:
            console.print(f"{display(config, path)}: no catalog yet (run l10n extract)", markup=False)
        for failure in report.failures:
            console.print(failure.describe(display(config, failure.path)), markup=False)
    for line in summary_lines(reports, request.get("dry_run", False)):
        console.print(line, markup=False)
    return 1 if any(report.failures for report in reports) else 0
