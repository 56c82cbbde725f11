"""One post, the unit of a run's work (run in worker processes): read the source once, bring its template
and catalogs up to date, fill from the memory, build the outputs; the files that change are staged (or, for
``check``, only listed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polib

from l10n.catalog import io as catalog_io
from l10n.catalog.entries import is_fillable, same_catalog
from l10n.catalog.light import read_records
from l10n.catalog.merge import merge
from l10n.catalog.scan import CatalogText, scan
from l10n.catalog.template import keep_dates, make_template
from l10n.checks import check_rendered, layout_patch_findings
from l10n.config import Config
from l10n.document import Document, render
from l10n.document.extract import assemble, extract_body
from l10n.document.inline import defined_labels
from l10n.document.windows import WINDOW_CHARS
from l10n.fileio import (
    InputError,
    Staged,
    decode_utf8,
    discard_staged,
    read_bytes_if_any,
    stage_pieces,
    stage_text,
)
from l10n.glossary import Glossary
from l10n.layout_patch import apply as apply_layout_patch
from l10n.layout_patch import parse_patch
from l10n.localize import completion_of, counted_msgids, localize_output, usable_translations
from l10n.memory.rules import Memory, MemoryPair, fill_from_memory, memory_pairs
from l10n.ownership import NOT_OURS_CHECK, NOT_OURS_MESSAGE, Verdict, verdict
from l10n.problems import Problem
from l10n.project import Post, display, layout_patch_path, output_path, po_path, pot_path
from l10n.rename import mark_moved
from l10n.run.anchors import follow_headings
from l10n.run.outline import Outline, front_matter_of, is_huge, parse_again, with_msgids_of
from l10n.run.plan import Below, BuildOptions, Steps
from l10n.store.identity import digest, digester, file_digest, text_digest
from l10n.store.parsed import ParsedStore, encode_body, parse_key
from l10n.unreviewed import unreviewed_output


@dataclass(frozen=True)
class Task:
    """What a run does to every post it processes. Shared read-only with the worker processes."""

    config: Config
    langs: tuple[str, ...]
    steps: Steps
    stamp: str
    glossary: Glossary | None = None
    memories: Mapping[str, Memory] = field(default_factory=dict)
    parsed: ParsedStore | None = None  # sources parsed by earlier runs
    locks: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # lang -> post -> output l10n wrote
    predecessors: Mapping[tuple[str, str], Path] = field(default_factory=dict)  # renamed posts' old catalogs


@dataclass
class LangResult:
    po: str | None = None  # content hash of the catalog after the run (as planned)
    out: str | None = None  # of the output
    catalog_changes: bool = False
    output_changes: bool = False
    diagnostics: list[Problem] = field(default_factory=list)  # build's
    below: Below | None = None
    filled: tuple[int, int] = (0, 0)
    complete: bool = False  # no empty entry left in the catalog
    pairs: list[MemoryPair] | None = None  # what the memory learns of the catalog after the run (sync)
    owned: str | None = None  # the output's hash to record as l10n's (None: its lock line stays as it is)
    depends: dict[str, str] = field(default_factory=dict)  # other posts' pages the build linked into
    layout: str | None = None  # content hash of the page's layout patch (None: it has none)
    # the page's layout patch, read by the build's first half (or a renamed post's, carried over with its catalog)
    layout_patch: bytes | None = None


@dataclass
class PostResult:
    rel: PurePosixPath
    source: str | None = None
    pot: str | None = None
    template_changes: bool = False
    diagnostics: list[Problem] = field(default_factory=list)  # extract's
    langs: dict[str, LangResult] = field(default_factory=dict)
    staged: list[Staged] = field(default_factory=list)
    read: dict[str, str] = field(default_factory=dict)  # file -> its content hash when read ("" absent)
    changes: list[Path] = field(default_factory=list)  # files that would change (check)
    parsed: tuple[str, bytes] | None = None  # the source's extraction, when this run parsed it: (key, body)


def parse_document(
    config: Config, post: Post, data: bytes | None, parsed: ParsedStore | None, source_digest: str | None = None
) -> tuple[Document, tuple[str, bytes] | None]:
    """The post's document, and its extraction to store when it had to be parsed (not found in ``parsed``).
    ``source_digest``: ``digest(data)``, when the caller has it already."""
    if data is None:
        raise InputError(post.source, None, "cannot read: no such file")
    text = decode_utf8(data, post.source)
    keys = tuple(config.front_matter_keys)
    front_matter = front_matter_of(post, text, keys)
    dialect = config.dialect_for(post.rel)
    key = parse_key(source_digest or digest(data), keys, dialect)
    body = parsed.lookup(post.rel.as_posix(), key, text) if parsed is not None else None
    fresh = body is None
    if body is None:
        body = extract_body(text, front_matter, dialect)
    document = assemble(text, keys, front_matter, body, dialect=dialect)
    # a huge post (parsed a window at a time) is not stored: its stored form is read and written whole
    kept = fresh and parsed is not None and len(text) <= WINDOW_CHARS
    return document, (key, encode_body(body)) if kept else None


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """A catalog's text and its content hash (None, None when the file does not exist)."""
    data = read_bytes_if_any(path)
    if data is None:
        return None, None
    return decode_utf8(data, path), digest(data)


def _read_catalog(
    path: Path, template: polib.POFile | None = None
) -> tuple[polib.POFile | None, str | None, str | None]:
    """A catalog, its text and its content hash (all None when the file does not exist). The catalog's entries
    are read-only records (:mod:`l10n.catalog.light`): a run only reads them, and writes new entries. Their
    msgids are ``template``'s strings where equal (most are: one copy of a huge post's msgids, not two)."""
    data = read_bytes_if_any(path)
    if data is None:
        return None, None, None
    text = decode_utf8(data, path)
    hashed = digest(data)
    del data
    msgids = {entry.msgid: entry.msgid for entry in template} if template is not None else None
    return read_records(text, path, msgids), text, hashed


def process_post(task: Task, post: Post) -> PostResult:
    """Everything a run does to one post, its files staged (or, for check, only listed)."""
    result = PostResult(post.rel)
    try:
        _process(task, post, result)
    except BaseException:
        discard_staged(result.staged)
        raise
    return result


def _write(task: Task, result: PostResult, path: Path, text: str) -> None:
    """A file that changes: staged, or (check) only listed."""
    if task.steps.write:
        result.staged.append(stage_text(path, text))
    else:
        result.changes.append(path)


def _save_catalog(
    task: Task,
    result: PostResult,
    path: Path,
    catalog: polib.POFile,
    previous: tuple[polib.POFile | None, str | None],
    *,
    number_entries: bool = False,
) -> str:
    """Write a template or catalog as the one catalog writer renders it (:func:`l10n.catalog.io.save`); its
    content hash. The text is hashed and staged a piece at a time: a huge catalog's is never held whole."""
    old_catalog, old_text = previous
    hasher = digester()
    pieces = catalog_io.render_parts(catalog, old_text, old_catalog, number_entries=number_entries)

    def encoded() -> Iterator[bytes]:
        for chunk in _chunks(pieces):
            data = chunk.encode("utf-8")
            hasher.update(data)
            yield data

    if task.steps.write:
        result.staged.append(stage_pieces(path, encoded()))
    else:
        for _ in encoded():
            pass
        result.changes.append(path)
    return hasher.hexdigest()


def _chunks(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """The pieces joined into strings of about ``size`` characters."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


def _process(task: Task, post: Post, result: PostResult) -> None:
    config = task.config
    source = read_bytes_if_any(post.source)
    result.source = digest(source) if source is not None else None
    # once per post, whatever the number of locales; not at all when an earlier run stored its extraction
    document, result.parsed = parse_document(config, post, source, task.parsed, result.source)
    del source  # its text is the document's
    template = old_template = old_template_text = None
    result.pot = file_digest(pot_path(config, post.rel))
    result.read[str(pot_path(config, post.rel))] = result.pot or ""
    if task.steps.extract:
        result.diagnostics = _document_diagnostics(config, post, document)
        template = make_template(document, display(config, post.source), project=post.rel.as_posix(), now=task.stamp)
    source_view: Document | Outline = document
    if template is not None and is_huge(document):
        source_view = Outline.of(document)  # the document is parsed again for the build (if any)
        del document
    if template is not None:
        template_file = pot_path(config, post.rel)
        old_template, old_template_text, _ = _read_catalog(template_file, template)
        keep_dates(template, old_template)
        if old_template is None or not same_catalog(old_template, template):
            result.template_changes = True
            result.pot = _save_catalog(task, result, template_file, template, (old_template, old_template_text))
        old_template = old_template_text = None
    translations: dict[str, dict[str, str] | None] = {}
    for lang in task.langs:
        item = result.langs[lang] = LangResult()
        merged = None
        catalog_file = po_path(config, post.rel, lang)
        if template is None and not task.steps.fill and task.steps.build is not None:
            # the build alone: it looks at each entry once, read as a stream (a huge catalog is never all held)
            text, item.po = _read_text(catalog_file)
            result.read[str(catalog_file)] = item.po or ""
            streamed = CatalogText(text, catalog_file) if text is not None else None
            translations[lang] = _translations(task, post, source_view, streamed, lang, item, result)
            text = streamed = None  # not held while rendering
            continue
        catalog, old_text, item.po = _read_catalog(catalog_file, template)
        result.read[str(catalog_file)] = item.po or ""
        predecessor = task.predecessors.get((post.rel.as_posix(), lang)) if catalog is None else None
        if predecessor is not None and template is not None:  # a renamed post: its old catalog carried over
            catalog, old_text, read = _read_catalog(predecessor, template)
            result.read[str(predecessor)] = read or ""
            _write(task, result, predecessor, mark_moved(old_text, predecessor, display(config, catalog_file)))
            layout_file = layout_patch_path(config, post.rel, lang)
            carried = read_bytes_if_any(predecessor.with_suffix(layout_file.suffix))
            if carried is not None and not layout_file.exists():  # the page's layout follows it
                _write(task, result, layout_file, decode_utf8(carried, predecessor))
                item.layout_patch = carried
                result.read[str(layout_file)] = ""  # written by this run: absent until then
        if template is not None:
            last = lang == task.langs[-1]  # the last language takes the template's entries: no copy
            merged = merge(catalog, template, lang, take_entries=last)
            if last:
                template = None
            changed = predecessor is not None or catalog is None or not same_catalog(catalog, merged)
            if task.steps.fill:
                filled = fill_from_memory(merged, task.memories[lang])
                if filled.changed:
                    merged.metadata["PO-Revision-Date"] = task.stamp
                    item.filled = (filled.exact, filled.fuzzy)
                    changed = True
            if changed:
                # entries numbered as on disk, for the build's diagnostics and the memory: no need to read it back
                item.catalog_changes = True
                item.po = _save_catalog(task, result, catalog_file, merged, (catalog, old_text), number_entries=True)
                if task.steps.write:
                    catalog = merged
        if task.steps.fill and catalog is not None:
            item.pairs = list(memory_pairs(catalog))
            item.complete = not any(is_fillable(entry) for entry in catalog)
        if task.steps.build is not None:
            translations[lang] = _translations(task, post, source_view, catalog, lang, item, result)
        catalog = merged = old_text = None  # a huge catalog is not held while the next one is read, or rendered
    template = None
    if isinstance(source_view, Document):
        document = source_view
    elif any(usable is not None for usable in translations.values()):
        document = parse_again(config, post, source_view)
        translations = {
            lang: None if usable is None else _keyed_by_segments(document, usable)
            for lang, usable in translations.items()
        }
        for item in result.langs.values():
            if item.pairs:
                item.pairs = with_msgids_of(document, item.pairs)
    del source_view
    for lang, usable in translations.items():
        if usable is not None:
            _render(task, post, document, lang, usable, result.langs[lang], result)


def _translations(
    task: Task,
    post: Post,
    document: Document | Outline,
    catalog: polib.POFile | CatalogText | None,
    lang: str,
    item: LangResult,
    result: PostResult,
) -> dict[str, str] | None:
    """The first half of a build: the translations the output may use, or None when the post is not built
    (under ``min_completion``: what that means is noted in ``item``). The catalog is not needed after it.
    Given a document, they are keyed by its msgid strings; given its outline, by the catalog's."""
    config, options = task.config, task.steps.build
    assert options is not None
    catalog_name = display(config, po_path(config, post.rel, lang))
    references = defined_labels(document.text)
    translations, item.diagnostics = scan(
        catalog,
        lambda entries: usable_translations(
            config,
            entries,
            catalog_name,
            lang,
            options.include_fuzzy,
            task.glossary,
            document.dialect,
            references,
        ),
    )
    if item.layout_patch is None:
        layout_file = layout_patch_path(config, post.rel, lang)
        item.layout_patch = read_bytes_if_any(layout_file)
        result.read[str(layout_file)] = digest(item.layout_patch) if item.layout_patch is not None else ""
    item.layout = digest(item.layout_patch) if item.layout_patch is not None else None
    target = output_path(config, post.rel, lang)
    current = read_bytes_if_any(target)
    item.out = digest(current) if current is not None else None
    result.read[str(target)] = item.out or ""
    percent = completion_of(
        document.counted if isinstance(document, Outline) else counted_msgids(document), translations
    )
    if percent < options.min_completion:
        item.below = Below(display(config, target), lang, percent)
        if current is not None and not options.include_fuzzy:
            shown = display(config, target)
            item.diagnostics += scan(catalog, lambda entries: unreviewed_output(shown, entries, current, percent))
        if current is not None:
            item.diagnostics.append(
                Problem(
                    "below-min-completion",
                    "warning",
                    f"{percent:.0f}% translated, under min_completion: not rebuilt, may be out of date",
                    path=display(config, target),
                )
            )
            if item.out != task.locks.get(lang, {}).get(post.rel.as_posix()):
                item.diagnostics.append(
                    Problem(NOT_OURS_CHECK, "warning", NOT_OURS_MESSAGE, path=display(config, target))
                )
        return None
    return _keyed_by_segments(document, translations) if isinstance(document, Document) else translations


def _keyed_by_segments(document: Document, translations: dict[str, str]) -> dict[str, str]:
    """``translations`` keyed by the document's own msgid strings, equal to the catalog's: the catalog's copies
    are not held while rendering (a huge post's msgids are a good part of its size)."""
    keyed: dict[str, str] = {}
    for segment in document.segments:
        translation = translations.get(segment.msgid)
        if translation is not None:
            keyed[segment.msgid] = translation
    return keyed


def _render(
    task: Task,
    post: Post,
    document: Document,
    lang: str,
    translations: dict[str, str],
    item: LangResult,
    result: PostResult,
) -> None:
    """The second half of a build: the output rendered, checked, its layout patch applied, and written if it
    changed and is l10n's."""
    config, options = task.config, task.steps.build
    assert options is not None
    target = output_path(config, post.rel, lang)
    text = _built_text(task, post, document, lang, translations, item)
    if text is None:
        return
    text = _with_layout_patch(task, post, lang, text, item, result)
    if text is None:
        return  # a patch that would add what no layout may: the previous output, if any, stays
    built = text_digest(text)
    recorded = task.locks.get(lang, {}).get(post.rel.as_posix())
    decision = verdict(item.out, built, recorded, force=options.force)
    if decision is Verdict.NOT_OURS:
        item.diagnostics.append(Problem(NOT_OURS_CHECK, "error", NOT_OURS_MESSAGE, path=display(config, target)))
        return
    item.owned = built
    if decision is Verdict.WRITE:
        item.output_changes = True
        _write(task, result, target, text)
        item.out = built


def _built_text(
    task: Task, post: Post, document: Document, lang: str, translations: dict[str, str], item: LangResult
) -> str | None:
    """The output as the translations make it (anchors followed, links localized), checked; None when it
    fails its checks (a built post that fails them is not written: the previous output, if any, stays)."""
    config, options = task.config, task.steps.build
    assert options is not None
    rendered = render(document, translations)
    source_name = display(config, post.source)
    item.diagnostics += [problem.at(source_name, prefix=f"{lang}: ") for problem in rendered.problems]
    text, anchor_findings, item.depends = follow_headings(
        config,
        post,
        document.text,
        rendered.text,
        lang,
        options.include_fuzzy,
        lambda text: localize_output(text, config=config, lang=lang, post=post),
    )
    item.diagnostics += anchor_findings
    if rendered.translated:  # with no translated segment the output is the source's (links localized)
        findings = check_rendered(document, text, source_lang=config.source_lang, target_lang=lang, rendered=rendered)
        item.diagnostics += [finding.at(display(config, output_path(config, post.rel, lang))) for finding in findings]
        if any(finding.is_error for finding in findings):
            return None
    return text


def _with_layout_patch(
    task: Task, post: Post, lang: str, text: str, item: LangResult, result: PostResult
) -> str | None:
    """``text`` with the page's layout patch applied, if it has one; a warning for each hunk that no longer
    applies (the source changed those lines since the page was adopted). None, with errors, when the patch
    would add what a translation may not (a patch is an input like a catalog)."""
    data = item.layout_patch
    if data is None:
        return text
    path = layout_patch_path(task.config, post.rel, lang)
    patched, stale = apply_layout_patch(text, parse_patch(decode_utf8(data, path), path))
    unsafe = layout_patch_findings(text, patched, source_lang=task.config.source_lang, target_lang=lang)
    if unsafe:
        output = display(task.config, output_path(task.config, post.rel, lang))
        item.diagnostics += [finding.at(output, prefix="layout patch: ") for finding in unsafe]
        return None
    if stale:
        lines = ", ".join(str(hunk.start + 1) for hunk in stale)
        item.diagnostics.append(
            Problem(
                "layout-patch-stale",
                "warning",
                f"{len(stale)} of the page's own layout edits no longer apply (the source changed there; lines"
                f" {lines} of the patch's build): the page is built without them; update or delete the patch",
                path=display(task.config, path),
            )
        )
    return patched


def rebuilt_text(
    config: Config,
    post: Post,
    document: Document,
    catalog: polib.POFile | None,
    lang: str,
    options: BuildOptions,
    glossary: Glossary | None,
) -> str | None:
    """What ``build`` would write for ``post`` in ``lang`` from ``catalog`` before the page's layout patch
    (checks included); None when it would write nothing (under ``min_completion``, or checks failing).
    Writes nothing (``l10n adopt``)."""
    task = Task(config, (lang,), Steps.check(options), stamp="", glossary=glossary)
    item = LangResult()
    result = PostResult(post.rel)
    translations = _translations(task, post, document, catalog, lang, item, result)
    if translations is None:
        return None
    return _built_text(task, post, document, lang, translations, item)


def _document_diagnostics(config: Config, post: Post, document: Document) -> list[Problem]:
    return [problem.at(display(config, post.source)) for problem in document.problems]


def abandon(result: PostResult) -> None:
    discard_staged(result.staged)
