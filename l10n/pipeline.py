"""Project-level operations over files: extract, fill from memory, build, status, check.

Every operation first computes, in memory, the files it would write (a :class:`Plan`); nothing is written
until every input has been read and validated, so bad input leaves the tree untouched. ``check`` is the same
computation compared with the files on disk. Only files whose content changes are written, atomically.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import posixpath
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import overload

import polib

from l10n.cache import (
    CACHE_DIR,
    LangRecord,
    PostRecord,
    RunCache,
    context_digest,
    digest,
    file_digest,
    text_digest,
    tool_fingerprint,
)
from l10n.catalog import (
    Stats,
    catalog_stats,
    make_template,
    merge,
    now_stamp,
    parse_catalog,
    read_catalog,
    render_catalog,
    same_catalog,
    word_count,
)
from l10n.checks import check_rendered, check_translation
from l10n.config import Config
from l10n.document import Document, FrontMatterError, extract, render
from l10n.document.extract import assemble, extract_body
from l10n.document.frontmatter import parse_front_matter
from l10n.fileio import (
    InputError,
    Staged,
    decode_utf8,
    discard_staged,
    flush_staged,
    move_staged,
    read_text,
    stage_text,
)
from l10n.frontmatter_set import set_front_matter
from l10n.glossary import Glossary
from l10n.links import LinkRules, rewrite_links
from l10n.memory import Memory, fill_from_memory, reviewed_pairs
from l10n.memory_store import (
    DiskMemory,
    MemoryStore,
    PendingCatalogs,
    catalog_sortkey,
    compendium_sortkey,
    memory_file,
    remove_created,
)
from l10n.ownership import (
    NOT_OURS_CHECK,
    NOT_OURS_MESSAGE,
    Verdict,
    lock_path,
    read_lock,
    render_lock,
    state_token,
    verdict,
)
from l10n.parsed_store import ParsedStore, encode_body, parse_key
from l10n.report import Diagnostic, DiagnosticLog
from l10n.spool import Rows
from l10n.workers import default_jobs, ordered_map

SOURCE_SUFFIXES = (".md", ".mdx")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Post:
    """A source post: its absolute path and its path relative to the source directory."""

    source: Path
    rel: PurePosixPath

    @property
    def mdx(self) -> bool:
        return self.rel.suffix == ".mdx"


class PostList(Sequence[Post]):
    """Posts kept as their relative paths only, each :class:`Post` built when it is read: a site's posts as
    ``Path`` objects would cost about 0.66 KB each for the whole run."""

    def __init__(self, source_dir: Path, rels: Iterable[str]) -> None:
        self._source_dir = source_dir
        self._rels = list(rels)

    def __len__(self) -> int:
        return len(self._rels)

    @overload
    def __getitem__(self, index: int) -> Post: ...

    @overload
    def __getitem__(self, index: slice) -> list[Post]: ...

    def __getitem__(self, index: int | slice) -> Post | list[Post]:
        if isinstance(index, slice):
            return [self._post(rel) for rel in self._rels[index]]
        return self._post(self._rels[index])

    def _post(self, rel: str) -> Post:
        return Post(self._source_dir / rel, PurePosixPath(rel))


class _Picked(Sequence[Post]):
    """Some posts of a sequence, by index, read from it when asked for: a run's stale posts without a second
    list of every post."""

    def __init__(self, posts: Sequence[Post], indexes: list[int]) -> None:
        self._posts = posts
        self._indexes = indexes

    def __len__(self) -> int:
        return len(self._indexes)

    @overload
    def __getitem__(self, index: int) -> Post: ...

    @overload
    def __getitem__(self, index: slice) -> list[Post]: ...

    def __getitem__(self, index: int | slice) -> Post | list[Post]:
        if isinstance(index, slice):
            return [self._posts[picked] for picked in self._indexes[index]]
        return self._posts[self._indexes[index]]


# ---- paths ----


def pot_path(config: Config, rel: PurePosixPath) -> Path:
    return config.templates_dir / rel.with_suffix(".pot")


def po_path(config: Config, rel: PurePosixPath, lang: str) -> Path:
    return config.locales_dir / lang / rel.with_suffix(".po")


def output_path(config: Config, rel: PurePosixPath, lang: str) -> Path:
    return config.output_root(lang) / rel


def display(config: Config, path: Path) -> str:
    """A path as printed and written into catalogs: relative to the project root, with ``/``."""
    try:
        return Path(path).relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def iter_posts(config: Config, selected: Sequence[Path] = ()) -> Sequence[Post]:
    """The source posts, sorted; limited to ``selected`` files or directories when given.

    A missing source directory, a selected path outside it, or a symlink leading out of it is bad input.
    """
    source_dir = config.source_dir
    if not source_dir.is_dir():
        raise InputError(source_dir, None, "source directory not found (set source_dir in the configuration)")
    real_source = source_dir.resolve()
    rels: list[str] = []
    for directory, subdirectories, files in os.walk(source_dir):
        subdirectories.sort()
        for name in [*subdirectories]:
            path = Path(directory) / name
            if name.startswith("."):
                subdirectories.remove(name)
            elif path.is_symlink() and not _inside(path.resolve(), real_source):
                raise InputError(path, None, "symlink leads out of the source directory")
        for name in sorted(files):
            path = Path(directory) / name
            if name.startswith(".") or path.suffix not in SOURCE_SUFFIXES:
                continue
            if not _inside(path.resolve(), real_source):
                raise InputError(path, None, "symlink leads out of the source directory")
            rels.append(path.relative_to(source_dir).as_posix())
    posts = PostList(source_dir, rels)
    _refuse_clashes(config, source_dir, rels)
    if not selected:
        return posts
    chosen: list[Post] = []
    for wanted in selected:
        absolute = Path(os.path.abspath(wanted))
        if not _inside(absolute, source_dir.absolute()) or not _inside(absolute.resolve(), real_source):
            raise InputError(wanted, None, f"not inside the source directory {display(config, source_dir)}")
        if not absolute.exists():
            raise InputError(wanted, None, "no such post")
        matches = [post for post in posts if post.source.absolute() == absolute or absolute in post.source.parents]
        if not matches:
            raise InputError(wanted, None, "not a Markdown post (.md or .mdx)")
        chosen += [post for post in matches if post not in chosen]
    return sorted(chosen, key=lambda post: post.rel)


def _refuse_clashes(config: Config, source_dir: Path, rels: Sequence[str]) -> None:
    """Two sources that would share a catalog (``a.md`` and ``a.mdx``) are bad input. Keyed by text, not by
    path objects: at 20,000 posts those cost 20 MB at this point of the run, its peak when nothing changed."""
    seen: dict[str, str] = {}
    for rel in rels:
        first = seen.setdefault(posixpath.splitext(rel)[0], rel)
        if first != rel:
            raise InputError(source_dir / rel, None, f"same catalog path as {display(config, source_dir / first)}")


# ---- reading ----


def read_document(config: Config, post: Post) -> Document:
    text = read_text(post.source)
    try:
        return extract(text, front_matter_keys=config.front_matter_keys, mdx=post.mdx)
    except FrontMatterError as error:
        raise InputError(post.source, error.line, error.message) from None


def load_glossary(config: Config) -> Glossary:
    return Glossary.load(config.glossary)


def memory_catalogs(config: Config, lang: str) -> Iterator[tuple[str, str, Path]]:
    """The files the translation memory of ``lang`` is made of, each with its place in the memory's order and
    its path as shown: every catalog of the locale (renamed and removed posts included), then the configured
    compendia. Listed one directory at a time: a site's catalogs are never all held at once."""
    for compendium in config.compendia:
        if not compendium.is_file():
            raise InputError(compendium, None, "compendium not found (see compendia in the configuration)")
    directory = config.locales_dir / lang
    for path in _files_under(directory, ".po"):
        yield catalog_sortkey(path.relative_to(directory).parts), display(config, path), path
    for index, compendium in enumerate(config.compendia):
        yield compendium_sortkey(index), display(config, compendium), compendium


def _files_under(directory: Path, suffix: str) -> Iterator[Path]:
    """What ``sorted(directory.rglob("*" + suffix))`` lists (symbolic links to directories not followed), in
    the same order, listing one directory at a time."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        path = directory / entry.name
        if entry.name.endswith(suffix):
            yield path
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                yield from _files_under(path, suffix)


def memory_path(config: Config, lang: str) -> Path:
    return memory_file(config.root / CACHE_DIR, lang)


def synchronize_memory(config: Config, lang: str, jobs: int) -> MemoryState:
    """Bring the memory database of ``lang`` (in the run cache) up to date with the catalogs on disk, parsing
    only those that changed since it last saw them; its token before and after, and whether it grew.

    A database found damaged is started again empty. Where the cache cannot be written (read-only, or held
    by another run), the run gets a private memory in a temporary directory (``MemoryState.private``)."""
    catalogs = memory_catalogs(config, lang)

    def synchronize(path: Path) -> MemoryState:
        with MemoryStore(path) as store:
            previous, grew = store.synchronize(
                catalogs, lambda paths: ordered_map(_reviewed_pairs_of, None, paths, jobs)
            )
            return MemoryState(path, previous, store.token, grew, created=store.created)

    path = memory_path(config, lang)
    try:
        return synchronize(path)
    except (OSError, sqlite3.OperationalError):
        private = Path(tempfile.mkdtemp(prefix="l10n-memory-"))
        return dataclasses.replace(synchronize(private / path.name), private=True)
    except sqlite3.DatabaseError:  # damaged, though it opened as this tool's
        path.unlink(missing_ok=True)
        return synchronize(path)


def build_memory(config: Config, lang: str, jobs: int | None = None) -> DiskMemory:
    """The translation memory of ``lang``: reviewed translations of every catalog of the locale (renamed and
    removed posts included), then of the configured compendia; read from the run cache's database, brought
    up to date first."""
    state = synchronize_memory(config, lang, _jobs(config, jobs))
    memory = DiskMemory(state.path)
    if state.private:
        weakref.finalize(memory, shutil.rmtree, state.path.parent, ignore_errors=True)
    return memory


# ---- plans ----


@dataclass
class Plan:
    """What an operation would write (only files whose content changes) and what it found.

    Files are computed post by post and staged (written in full next to their targets); nothing replaces a
    file until :meth:`commit`, so bad input found in any post leaves every file as it was. What the plan
    collects post by post is spooled to disk (:mod:`l10n.spool`): its memory does not grow with the posts.
    """

    diagnostics: DiagnosticLog = field(default_factory=DiagnosticLog)  # read back in report order
    below_threshold: Rows = field(default_factory=Rows)  # [output, lang, percent], in post order
    filled: dict[str, tuple[int, int]] = field(default_factory=dict)  # lang -> (exact, fuzzy)
    posts: int = 0
    staged: Rows = field(default_factory=Rows)  # [target, temporary], keyed by target
    skipped: int = 0  # posts found up to date in the run cache
    _after_commit: Callable[[], None] | None = None

    @property
    def has_errors(self) -> bool:
        return self.diagnostics.errors > 0

    def stage(self, staged: Iterable[Staged]) -> None:
        for item in staged:
            # "/" below every character: the order of sorted paths (by their parts), as files are listed
            self.staged.add(item, key=item.target.replace("/", "\0"))

    def commit(self, written: Callable[[Path], None] | None = None) -> int:
        """Move the staged files over their targets (in path order, each passed to ``written``); returns
        how many there were."""
        flush_staged(Staged(target, temporary) for target, temporary in self.staged)
        count = 0
        for target, temporary in self.staged.by_key():
            move_staged(Staged(target, temporary))
            count += 1
            if written is not None:
                written(Path(target))
        self.staged.clear()
        if self._after_commit is not None:
            self._after_commit()
        return count

    def discard(self) -> None:
        """Remove the staged files (what a run that is not committed leaves behind)."""
        discard_staged(Staged(target, temporary) for target, temporary in self.staged)
        self.staged.clear()


@dataclass(frozen=True)
class BuildOptions:
    min_completion: float
    include_fuzzy: bool
    force: bool = False  # overwrite outputs l10n did not write (or that were edited since)


def usable_translations(
    config: Config,
    catalog: polib.POFile | None,
    catalog_name: str,
    lang: str,
    include_fuzzy: bool,
    glossary: Glossary | None,
) -> tuple[dict[str, str], list[Diagnostic]]:
    """msgid -> msgstr of the entries a build may use, and what the checks found on them.

    An entry is used when translated (reviewed, or fuzzy if ``include_fuzzy``) and free of check errors.
    """
    translations: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for entry in catalog or ():
        if entry.obsolete or not entry.msgid or entry.msgid_plural or not entry.msgstr:
            continue
        if entry.fuzzy and not include_fuzzy:
            continue
        findings = check_translation(
            entry.msgid,
            entry.msgstr,
            source_lang=config.source_lang,
            target_lang=lang,
            glossary=glossary,
        )
        for finding in findings:
            message = finding.message + (" (entry not used)" if finding.is_error else "")
            diagnostics.append(
                Diagnostic(catalog_name, getattr(entry, "linenum", None), finding.check, finding.severity, message)
            )
        if not any(finding.is_error for finding in findings):
            translations[entry.msgid] = entry.msgstr
    return translations, diagnostics


def completion(document: Document, translations: dict[str, str]) -> float:
    """Percent of the post's source words (distinct segments) that have a usable translation."""
    msgids = {segment.msgid for segment in document.segments if segment.msgid.strip()}
    total = sum(word_count(msgid) for msgid in msgids)
    done = sum(word_count(msgid) for msgid in msgids if msgid in translations)
    return 100.0 if total == 0 else 100.0 * done / total


def localize_output(text: str, *, config: Config, lang: str, post: Post) -> str:
    """Target-locale adjustments of a built post, after the translations are written in.

    Link destinations are rewritten by ``l10n.links`` (``config.links``) and front matter keys set from
    ``config.front_matter["set"]``. Without those settings the text is returned as is.
    """
    if isinstance(config.links, LinkRules):
        text = rewrite_links(text, config.links, lang)
    to_set = config.front_matter.get("set") or {}
    if to_set:
        try:
            text = set_front_matter(text, to_set, lang)
        except ValueError as error:
            raise InputError(post.source, None, str(error)) from None
    return text


# ---- one post: the unit of work (run in worker processes) ----


@dataclass(frozen=True)
class Task:
    """What a run does to every post it processes. Shared read-only with the worker processes."""

    config: Config
    langs: tuple[str, ...]
    extract: bool  # bring the template and catalogs up to date with the source
    fill: bool  # then fill empty entries from the translation memory (sync)
    build: BuildOptions | None  # build the outputs: from the updated catalogs with extract, else from disk
    stage: bool  # stage the files that change; otherwise only report them (check)
    stamp: str
    glossary: Glossary | None = None
    memories: Mapping[str, Memory] = field(default_factory=dict)
    parsed: ParsedStore | None = None  # sources parsed by earlier runs
    locks: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # lang -> post -> output l10n wrote


@dataclass
class LangResult:
    po: str | None = None  # content hash of the catalog after the run (as planned)
    out: str | None = None  # of the output
    catalog_changes: bool = False
    output_changes: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)  # build's
    below: tuple[str, str, float] | None = None
    filled: tuple[int, int] = (0, 0)
    complete: bool = False  # no empty entry left in the catalog
    pairs: list[tuple[str, str]] | None = None  # reviewed pairs of the catalog after the run (sync)
    owned: str | None = None  # the output's hash to record as l10n's (None: its lock line stays as it is)


@dataclass
class PostResult:
    rel: PurePosixPath
    source: str | None = None
    pot: str | None = None
    template_changes: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)  # extract's
    langs: dict[str, LangResult] = field(default_factory=dict)
    staged: list[Staged] = field(default_factory=list)
    changes: list[Path] = field(default_factory=list)  # files that would change (check)
    parsed: tuple[str, bytes] | None = None  # the source's extraction, when this run parsed it: (key, body)


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise InputError(path, None, f"cannot read: {error.strerror or error}") from None


def _parse_document(
    config: Config, post: Post, data: bytes | None, parsed: ParsedStore | None, source_digest: str | None = None
) -> tuple[Document, tuple[str, bytes] | None]:
    """The post's document, and its extraction to store when it had to be parsed (not found in ``parsed``).
    ``source_digest``: ``digest(data)``, when the caller has it already."""
    if data is None:
        raise InputError(post.source, None, "cannot read: no such file")
    text = decode_utf8(data, post.source)
    keys = tuple(config.front_matter_keys)
    try:
        front_matter = parse_front_matter(text, keys)
    except FrontMatterError as error:
        raise InputError(post.source, error.line, error.message) from None
    key = parse_key(source_digest or digest(data), keys, post.mdx)
    body = parsed.lookup(post.rel.as_posix(), key, text) if parsed is not None else None
    fresh = body is None
    if body is None:
        body = extract_body(text, front_matter, post.mdx)
    document = assemble(text, keys, front_matter, body, mdx=post.mdx)
    return document, (key, encode_body(body)) if fresh and parsed is not None else None


def _read_catalog(path: Path) -> tuple[polib.POFile | None, str | None, str | None]:
    """A catalog, its text and its content hash (all None when the file does not exist)."""
    data = _read_bytes(path)
    if data is None:
        return None, None, None
    text = decode_utf8(data, path)
    return parse_catalog(text, path), text, digest(data)


def process_post(task: Task, post: Post) -> PostResult:
    """Everything a run does to one post, its files staged (or, for check, only listed)."""
    result = PostResult(post.rel)
    try:
        _process(task, post, result)
    except BaseException:
        discard_staged(result.staged)
        raise
    return result


def _change(task: Task, result: PostResult, path: Path, text: str) -> str:
    if task.stage:
        result.staged.append(stage_text(path, text))
    else:
        result.changes.append(path)
    return text_digest(text)


def _process(task: Task, post: Post, result: PostResult) -> None:
    config = task.config
    source = _read_bytes(post.source)
    result.source = digest(source) if source is not None else None
    # once per post, whatever the number of locales; not at all when an earlier run stored its extraction
    document, result.parsed = _parse_document(config, post, source, task.parsed, result.source)
    template = None
    result.pot = file_digest(pot_path(config, post.rel))
    if task.extract:
        result.diagnostics = _document_diagnostics(config, post, document)
        template_file = pot_path(config, post.rel)
        old_template, old_template_text, _ = _read_catalog(template_file)
        template = make_template(
            document, display(config, post.source), project=post.rel.as_posix(), previous=old_template, now=task.stamp
        )
        if old_template is None or not same_catalog(old_template, template):
            result.template_changes = True
            result.pot = _change(task, result, template_file, render_catalog(template, old_template_text, old_template))
    for lang in task.langs:
        item = result.langs[lang] = LangResult()
        catalog_file = po_path(config, post.rel, lang)
        catalog, old_text, item.po = _read_catalog(catalog_file)
        if template is not None:
            merged = merge(catalog, template, lang)
            changed = catalog is None or not same_catalog(catalog, merged)
            if task.fill:
                filled = fill_from_memory(merged, task.memories[lang])
                if filled.changed:
                    merged.metadata["PO-Revision-Date"] = task.stamp
                    item.filled = (filled.exact, filled.fuzzy)
                    changed = True
            if changed:
                # entries numbered as on disk, for the build's diagnostics and the memory: no need to read it back
                text = render_catalog(merged, old_text, catalog, number_entries=True)
                item.catalog_changes = True
                item.po = _change(task, result, catalog_file, text)
                if task.stage:
                    catalog = merged
        if task.fill and catalog is not None:
            item.pairs = list(reviewed_pairs(catalog))
            item.complete = not any(_fillable(entry) for entry in catalog)
        if task.build is not None:
            _build(task, post, document, catalog, lang, item, result)


def _fillable(entry: polib.POEntry) -> bool:
    return not (entry.obsolete or not entry.msgid or entry.msgid_plural or entry.msgstr)


def _build(
    task: Task,
    post: Post,
    document: Document,
    catalog: polib.POFile | None,
    lang: str,
    item: LangResult,
    result: PostResult,
) -> None:
    config, options = task.config, task.build
    assert options is not None
    catalog_name = display(config, po_path(config, post.rel, lang))
    translations, item.diagnostics = usable_translations(
        config, catalog, catalog_name, lang, options.include_fuzzy, task.glossary
    )
    target = output_path(config, post.rel, lang)
    current = _read_bytes(target)
    item.out = digest(current) if current is not None else None
    percent = completion(document, translations)
    if percent < options.min_completion:
        item.below = (display(config, target), lang, percent)
        if current is not None:
            item.diagnostics.append(
                Diagnostic(
                    display(config, target),
                    None,
                    "below-min-completion",
                    "warning",
                    f"{percent:.0f}% translated, under min_completion: not rebuilt, may be out of date",
                )
            )
            if item.out != task.locks.get(lang, {}).get(post.rel.as_posix()):
                item.diagnostics.append(
                    Diagnostic(display(config, target), None, NOT_OURS_CHECK, "warning", NOT_OURS_MESSAGE)
                )
        return
    rendered = render(document, translations)
    source_name = display(config, post.source)
    item.diagnostics += [
        Diagnostic(source_name, problem.line, problem.code, problem.severity, f"{lang}: {problem.message}")
        for problem in rendered.problems
    ]
    text = localize_output(rendered.text, config=config, lang=lang, post=post)
    if rendered.translated:  # with no translated segment the output is the source's (links localized)
        findings = check_rendered(document, text, source_lang=config.source_lang, target_lang=lang, rendered=rendered)
        item.diagnostics += [
            Diagnostic(display(config, target), finding.line, finding.check, finding.severity, finding.message)
            for finding in findings
        ]
        if any(finding.is_error for finding in findings):
            return  # a built post that fails its checks is not written: the previous output, if any, stays
    built = text_digest(text)
    recorded = task.locks.get(lang, {}).get(post.rel.as_posix())
    decision = verdict(item.out, built, recorded, force=options.force)
    if decision is Verdict.NOT_OURS:
        item.diagnostics.append(Diagnostic(display(config, target), None, NOT_OURS_CHECK, "error", NOT_OURS_MESSAGE))
        return
    item.owned = built
    if decision is Verdict.WRITE:
        item.output_changes = True
        item.out = _change(task, result, target, text)


def rebuilt_hash(
    config: Config,
    post: Post,
    document: Document,
    catalog: polib.POFile | None,
    lang: str,
    options: BuildOptions,
    glossary: Glossary | None,
) -> str | None:
    """The hash of ``post``'s output in ``lang`` when building it from ``catalog`` gives that output byte for
    byte, as ``build`` would (checks included); None otherwise. Writes nothing (``l10n adopt``)."""
    task = Task(config, (lang,), extract=False, fill=False, build=options, stage=False, stamp="", glossary=glossary)
    item = LangResult()
    _build(task, post, document, catalog, lang, item, PostResult(post.rel))
    return item.owned if item.owned is not None and not item.output_changes else None


def _document_diagnostics(config: Config, post: Post, document: Document) -> list[Diagnostic]:
    return [
        Diagnostic(display(config, post.source), problem.line, problem.code, "warning", problem.message)
        for problem in document.problems
    ]


# ---- runs: which posts to process, in parallel, and what the cache remembers ----


def _abandon(result: PostResult) -> None:
    discard_staged(result.staged)


@dataclass
class _Run:
    """One run of an operation over posts: skips what the cache shows up to date, processes the rest."""

    config: Config
    posts: Sequence[Post]
    langs: tuple[str, ...]
    extract: bool
    fill: bool
    build: BuildOptions | None
    stage: bool
    jobs: int
    progress: Progress | None
    cache: RunCache = field(init=False)
    parsed: ParsedStore = field(init=False)
    _pending: PendingCatalogs = field(init=False, default_factory=PendingCatalogs)  # catalogs the run rewrites
    _memories: dict[str, MemoryState] = field(init=False, default_factory=dict)  # the memory databases (sync)
    locks: dict[str, dict[str, str]] = field(init=False)  # lang -> post -> output hash l10n wrote (committed)
    _owned: dict[str, dict[str, str | None]] = field(init=False)  # lock lines the run changes (None: removed)
    extract_context: str = field(init=False)
    build_context: str | None = field(init=False)

    def __post_init__(self) -> None:
        config = self.config
        self.locks = {lang: read_lock(lock_path(config.locales_dir, lang)) for lang in self.langs}
        self._owned = {lang: {} for lang in self.langs}
        self.cache = RunCache.load(config.root)
        self.parsed = ParsedStore(config.root)
        config_file = config.config_file
        config_bytes = config_file.read_bytes() if config_file is not None and config_file.is_file() else b""
        self.extract_context = context_digest(tool_fingerprint(), config.root, digest(config_bytes))
        self.build_context = None
        if self.build is not None:
            self.build_context = context_digest(
                self.extract_context,
                self.build.min_completion,
                self.build.include_fuzzy,
                self.build.force,
                file_digest(config.glossary),
            )

    # -- what is on disk now --

    def _state(self, post: Post) -> tuple[str | None, str | None, dict[str, tuple[str | None, str | None]]]:
        config = self.config
        rel = post.rel.as_posix()
        langs = {
            lang: (
                file_digest(po_path(config, post.rel, lang)),
                state_token(file_digest(output_path(config, post.rel, lang)), self.locks[lang].get(rel)),
            )
            for lang in self.langs
        }
        return file_digest(post.source), file_digest(pot_path(config, post.rel)), langs

    def _up_to_date(self, post: Post, fill_tokens: Mapping[str, str | None]) -> PostRecord | None:
        """The post's record when it shows that this run would change nothing for the post."""
        record = self.cache.record(post.rel.as_posix())
        if record is None or record.context != self.extract_context:
            return None
        source, pot, langs = self._state(post)
        if source is None or record.source != source or record.pot != pot:
            return None
        for lang, (po, out) in langs.items():
            item = record.langs.get(lang)
            if item is None or item.po != po or item.out != out:
                return None
            if self.extract and not item.extract:
                return None
            if self.build is not None and item.build != self.build_context:
                return None
            if self.fill and not (item.fill == "complete" or (item.fill and item.fill == fill_tokens.get(lang))):
                return None
        return record

    # -- the translation memory (sync) --

    def _synchronize_memories(self) -> dict[str, MemoryState]:
        for lang in self.langs:
            self._memories[lang] = synchronize_memory(self.config, lang, self.jobs)
        return self._memories

    # -- the run --

    def run(self) -> tuple[Plan, Rows]:
        """The plan (staged files, diagnostics) and, for check, the files that would change (``[path]`` rows)."""
        try:
            return self._run()
        except BaseException:
            self.cache.close()
            self.parsed.close()
            # a run stopped by bad input leaves nothing new behind, in the cache either (what it updated stays)
            for state in reversed(self._memories.values()):
                remove_created(state.created)
                if state.private:
                    shutil.rmtree(state.path.parent, ignore_errors=True)
            raise

    def _run(self) -> tuple[Plan, Rows]:
        plan = Plan(posts=len(self.posts))
        changes = Rows()
        memories = self._synchronize_memories() if self.fill else {}
        fill_tokens = {lang: (state.previous if not state.grew else None) for lang, state in memories.items()}
        # One flag per post: the records themselves are read again, one at a time, when replayed.
        fresh = [self._up_to_date(post, fill_tokens) is not None for post in self.posts]
        stale = _Picked(self.posts, [index for index, skip in enumerate(fresh) if not skip])
        stamp = now_stamp()
        task = self._task({lang: DiskMemory(state.path) for lang, state in memories.items()}, stamp)
        tokens = {lang: state.token for lang, state in memories.items()}
        filled = {lang: [0, 0] for lang in self.langs}
        computed = ordered_map(process_post, task, stale, self.jobs, abandon=_abandon)
        try:
            for post, skip in zip(self.posts, fresh, strict=True):
                record = self.cache.record(post.rel.as_posix()) if skip else None
                if record is not None:
                    plan.skipped += 1
                    self._replay(plan, record)
                else:
                    result = next(computed) if not skip else process_post(task, post)  # record unreadable now
                    self._take(plan, changes, result, tokens)
                    self._count_fill(result, filled)
                if self.progress:
                    self.progress(str(post.rel))
        except BaseException:
            computed.close()
            plan.discard()
            raise
        finally:
            for memory in task.memories.values():
                if isinstance(memory, DiskMemory):
                    memory.close()
            for state in memories.values():
                if state.private:
                    shutil.rmtree(state.path.parent, ignore_errors=True)
        self.cache.end_lookups()
        self.parsed.close_lookups()
        if self.build is not None and self.stage:
            self._stage_locks(plan)
        if self.fill:
            plan.filled = {lang: (exact, fuzzy) for lang, (exact, fuzzy) in filled.items()}
        update = functools.partial(self._remember, tuple(lang for lang, state in memories.items() if not state.private))
        if self.stage:
            plan._after_commit = update
        else:
            update()
        return plan, changes

    def _task(self, memories: Mapping[str, Memory], stamp: str) -> Task:
        return Task(
            self.config,
            self.langs,
            extract=self.extract,
            fill=self.fill,
            build=self.build,
            stage=self.stage,
            stamp=stamp,
            glossary=load_glossary(self.config) if self.build is not None else None,
            memories=memories,
            parsed=self.parsed,
            locks=self.locks,
        )

    def _take(self, plan: Plan, changes: Rows, result: PostResult, tokens: Mapping[str, str]) -> None:
        """Keep of a post's result only what the end of the run needs, on disk."""
        plan.stage(result.staged)
        if result.parsed is not None:
            self.parsed.remember(result.rel.as_posix(), *result.parsed)
        for path in result.changes:
            changes.add([str(path)])
        self._collect(plan, result)
        self._own(result)
        record = self._record(result, tokens)
        if record is not None:
            self.cache.remember(result.rel.as_posix(), record)

    def _own(self, result: PostResult) -> None:
        """Note the lock lines a post's build changes: the output it wrote (or found identical to what it
        builds) is l10n's; a post without output loses its line."""
        if self.build is None:
            return
        rel = result.rel.as_posix()
        for lang, item in result.langs.items():
            if item.owned is not None:
                self._owned[lang][rel] = item.owned
            elif item.out is None:
                self._owned[lang][rel] = None

    def _stage_locks(self, plan: Plan) -> None:
        """Stage each language's lock file whose lines change (none when nothing did: no churn)."""
        for lang in self.langs:
            entries = dict(self.locks[lang])
            for rel, owned in self._owned[lang].items():
                if owned is None:
                    entries.pop(rel, None)
                else:
                    entries[rel] = owned
            if entries != self.locks[lang]:
                plan.stage([stage_text(lock_path(self.config.locales_dir, lang), render_lock(entries))])

    def _count_fill(self, result: PostResult, filled: dict[str, list[int]]) -> None:
        """Count the entries filled; spool the catalogs the run rewrites (or finds gone), for the memory
        database to take after the commit (the run's own memory is the one synchronized before)."""
        config = self.config
        for lang, item in result.langs.items():
            filled[lang][0] += item.filled[0]
            filled[lang][1] += item.filled[1]
            if not self.fill or not (item.catalog_changes or item.po is None):
                continue  # a catalog the run does not change is in the memory as it is
            if item.po is not None and item.pairs is None:
                continue
            path = po_path(config, result.rel, lang)
            sortkey = catalog_sortkey(path.relative_to(config.locales_dir / lang).parts)
            self._pending.add(lang, sortkey, display(config, path), item.po, item.pairs or [])

    def _replay(self, plan: Plan, record: PostRecord) -> None:
        if self.extract:
            plan.diagnostics.add(record.diagnostics)
        if self.build is not None:
            for lang in self.langs:
                item = record.langs[lang]
                plan.diagnostics.add(item.diagnostics)
                if item.below is not None:
                    plan.below_threshold.add(item.below)

    def _collect(self, plan: Plan, result: PostResult) -> None:
        plan.diagnostics.add(result.diagnostics)
        for lang in self.langs:
            item = result.langs[lang]
            plan.diagnostics.add(item.diagnostics)
            if item.below is not None:
                plan.below_threshold.add(item.below)

    # -- what the cache remembers --

    def _remember(self, langs: Sequence[str]) -> None:
        """After the run's files are committed: the catalogs the run rewrote into the memory databases, the
        posts' records, and no record of a post whose source is gone.

        Records of posts found up to date need no new fill token: they were found up to date only against
        an unchanged token (or as complete).
        """
        for lang in langs:
            # the cache is an optimization: a catalog not recorded here is only parsed again by the next run
            with contextlib.suppress(OSError, sqlite3.Error), MemoryStore(memory_path(self.config, lang)) as store:
                store.apply(self._pending.of(lang))
        self._pending.close()
        source_dir = self.config.source_dir
        self.cache.save(exists=lambda rel: (source_dir / rel).is_file())
        self.parsed.save(exists=lambda rel: (source_dir / rel).is_file())

    def _record(self, result: PostResult, tokens: Mapping[str, str]) -> PostRecord | None:
        """What this run verified about a post, for the state its files are in after the run."""
        if result.source is None:
            return None
        langs: dict[str, LangRecord] = {}
        for lang, item in result.langs.items():
            if self.stage:
                extract_ok = self.extract
                build_ok = self.build is not None
            else:  # check: only what would not change is verified
                extract_ok = self.extract and not result.template_changes and not item.catalog_changes
                build_ok = self.build is not None and not item.output_changes
            fill = None
            if self.fill:
                fill = "complete" if item.complete else tokens[lang]
            recorded = item.owned if item.owned is not None else self.locks[lang].get(result.rel.as_posix())
            langs[lang] = LangRecord(
                po=item.po,
                out=state_token(item.out, recorded),
                extract=extract_ok,
                build=self.build_context if build_ok else None,
                fill=fill,
                diagnostics=item.diagnostics if build_ok else [],
                below=item.below if build_ok else None,
            )
        return PostRecord(result.source, result.pot, self.extract_context, result.diagnostics, langs)


def _reviewed_pairs_of(_: None, path: Path) -> list[tuple[str, str]]:
    catalog = read_catalog(path)
    return list(reviewed_pairs(catalog)) if catalog is not None else []


@dataclass(frozen=True)
class MemoryState:
    path: Path  # the memory's database
    previous: str  # the memory's token before the run
    token: str  # after it
    grew: bool  # whether the run found new source texts in the catalogs
    private: bool = False  # a temporary database (the cache could not be written), gone after the run
    created: tuple[Path, ...] = ()  # what the run made to hold the memory (removed if the run fails)


# ---- the operations ----


def _jobs(config: Config, jobs: int | None) -> int:
    return jobs or config.jobs or default_jobs()


def extract_catalogs(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Plan:
    run = _Run(config, posts, tuple(langs), True, False, None, True, _jobs(config, jobs), progress)
    return run.run()[0]


def fill(config: Config, posts: Sequence[Post], langs: Sequence[str], *, jobs: int | None = None) -> Plan:
    """Extract, then fill empty entries from the translation memory (what ``sync`` does before building)."""
    run = _Run(config, posts, tuple(langs), True, True, None, True, _jobs(config, jobs), None)
    return run.run()[0]


def build(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Plan:
    run = _Run(config, posts, tuple(langs), False, False, options, True, _jobs(config, jobs), progress)
    return run.run()[0]


def sync(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Plan:
    """Extract, fill from memory, build: the one command a site runs."""
    run = _Run(config, posts, tuple(langs), True, True, options, True, _jobs(config, jobs), progress)
    return run.run()[0]


def options_from(
    config: Config, min_completion: float | None, include_fuzzy: bool | None, *, force: bool = False
) -> BuildOptions:
    return BuildOptions(
        min_completion=config.min_completion if min_completion is None else min_completion,
        include_fuzzy=config.include_fuzzy if include_fuzzy is None else include_fuzzy,
        force=force,
    )


def check(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    whole_project: bool = True,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> DiagnosticLog:
    """Everything ``extract`` or ``build`` would change, orphans, and check findings. Writes nothing."""
    run = _Run(config, posts, tuple(langs), True, False, options, False, _jobs(config, jobs), progress)
    plan, changed = run.run()
    diagnostics = plan.diagnostics
    for (name,) in changed:
        path = Path(name)
        shown = display(config, path)
        if path.suffix in (".pot", ".po"):
            what = "template" if path.suffix == ".pot" else "catalog"
            diagnostics.add(
                [Diagnostic(shown, None, "stale-catalog", "error", f"{what} out of date: run l10n extract")]
            )
        else:
            diagnostics.add([Diagnostic(shown, None, "stale-output", "error", "output out of date: run l10n build")])
    if whole_project:
        diagnostics.add(orphans(config, posts, langs))
    return diagnostics


def orphans(config: Config, posts: Sequence[Post], langs: Sequence[str]) -> Iterator[Diagnostic]:
    """Outputs without a source (errors: a stale page is published); catalogs and templates without a
    source (warnings: catalogs are kept on purpose, they feed the translation memory). Files are listed one
    directory at a time (``Path.rglob`` remembers every path it yields: 10 MB at 20,000 posts)."""
    stems = {_stem(post.rel) for post in posts}
    for lang in langs:
        root = config.output_root(lang)
        for path in _files_under(root, ""):
            if path.suffix in SOURCE_SUFFIXES and path.is_file() and _stem(path.relative_to(root)) not in stems:
                yield Diagnostic(display(config, path), None, "orphan-output", "error", "no source post for it")
        directory = config.locales_dir / lang
        for path in _files_under(directory, ".po"):
            if _stem(path.relative_to(directory)) not in stems:
                yield Diagnostic(
                    display(config, path),
                    None,
                    "orphan-catalog",
                    "warning",
                    "no source post for it (kept: its translations feed the translation memory)",
                )
    templates = config.templates_dir
    for path in _files_under(templates, ".pot"):
        if _stem(path.relative_to(templates)) not in stems:
            yield Diagnostic(display(config, path), None, "orphan-template", "warning", "no source post for it")


def _stem(rel: PurePath) -> str:
    return PurePosixPath(rel.as_posix()).with_suffix("").as_posix()


# ---- status ----


@dataclass(frozen=True)
class StatusRow:
    post: str
    lang: str
    stats: Stats

    def as_dict(self) -> dict[str, object]:
        stats = self.stats
        return {
            "post": self.post,
            "lang": self.lang,
            "entries": stats.entries,
            "translated": stats.translated,
            "fuzzy": stats.fuzzy,
            "untranslated": stats.untranslated,
            "words": stats.words,
            "translated_words": stats.translated_words,
            "fuzzy_words": stats.fuzzy_words,
            "untranslated_words": stats.untranslated_words,
            "percent": round(stats.percent, 1),
        }


@dataclass(frozen=True)
class _StatusTask:
    config: Config
    langs: tuple[str, ...]
    stamp: str
    parsed: ParsedStore  # looked up only: status writes nothing, not even the cache


def _status_rows(task: _StatusTask, post: Post) -> list[StatusRow]:
    config = task.config
    document, _ = _parse_document(config, post, _read_bytes(post.source), task.parsed)
    template = make_template(
        document,
        display(config, post.source),
        project=post.rel.as_posix(),
        previous=read_catalog(pot_path(config, post.rel)),
        now=task.stamp,
    )
    return [
        StatusRow(
            display(config, post.source),
            lang,
            catalog_stats(merge(read_catalog(po_path(config, post.rel, lang)), template, lang)),
        )
        for lang in task.langs
    ]


def status(config: Config, posts: Sequence[Post], langs: Sequence[str], *, jobs: int | None = None) -> list[StatusRow]:
    """Per post and locale, entries and words by state, as the catalogs would be after ``extract``."""
    task = _StatusTask(config, tuple(langs), now_stamp(), ParsedStore(config.root))
    try:
        return [row for rows in ordered_map(_status_rows, task, posts, _jobs(config, jobs)) for row in rows]
    finally:
        task.parsed.close()


__all__ = [
    "BuildOptions",
    "Plan",
    "Post",
    "Stats",
    "StatusRow",
    "build",
    "check",
    "completion",
    "extract_catalogs",
    "fill",
    "iter_posts",
    "output_path",
    "po_path",
    "pot_path",
    "status",
    "sync",
]
