"""Project-level operations over files: extract, fill from memory, build, status, check.

Every operation first computes, in memory, the files it would write (a :class:`Plan`); nothing is written
until every input has been read and validated, so bad input leaves the tree untouched. ``check`` is the same
computation compared with the files on disk. Only files whose content changes are written, atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polib

from l10n.catalog import (
    Stats,
    catalog_stats,
    make_template,
    merge,
    now_stamp,
    parse_catalog,
    read_catalog,
    read_catalog_text,
    render_catalog,
    same_catalog,
    word_count,
)
from l10n.checks import check_rendered, check_translation
from l10n.config import Config
from l10n.document import Document, FrontMatterError, extract, render
from l10n.fileio import InputError, atomic_write_text, read_text
from l10n.frontmatter_set import set_front_matter
from l10n.glossary import Glossary
from l10n.links import LinkRules, rewrite_links
from l10n.memory import TranslationMemory, fill_from_memory, reviewed_pairs
from l10n.report import Diagnostic

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


def iter_posts(config: Config, selected: Sequence[Path] = ()) -> list[Post]:
    """The source posts, sorted; limited to ``selected`` files or directories when given.

    A missing source directory, a selected path outside it, or a symlink leading out of it is bad input.
    """
    source_dir = config.source_dir
    if not source_dir.is_dir():
        raise InputError(source_dir, None, "source directory not found (set source_dir in the configuration)")
    real_source = source_dir.resolve()
    posts: list[Post] = []
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
            posts.append(Post(path, PurePosixPath(path.relative_to(source_dir).as_posix())))
    _refuse_clashes(config, posts)
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


def _refuse_clashes(config: Config, posts: Iterable[Post]) -> None:
    seen: dict[PurePosixPath, Post] = {}
    for post in posts:
        stem = post.rel.with_suffix("")
        if stem in seen:
            raise InputError(post.source, None, f"same catalog path as {display(config, seen[stem].source)}")
        seen[stem] = post


# ---- reading ----


def read_document(config: Config, post: Post) -> Document:
    text = read_text(post.source)
    try:
        return extract(text, front_matter_keys=config.front_matter_keys, mdx=post.mdx)
    except FrontMatterError as error:
        raise InputError(post.source, error.line, error.message) from None


def load_glossary(config: Config) -> Glossary:
    return Glossary.load(config.glossary)


def locale_catalogs(config: Config, lang: str) -> list[tuple[Path, polib.POFile]]:
    """Every catalog of a locale on disk, sorted by path."""
    directory = config.locales_dir / lang
    if not directory.is_dir():
        return []
    return [(path, read_catalog(path)) for path in sorted(directory.rglob("*.po"))]


def build_memory(config: Config, lang: str) -> TranslationMemory:
    """Reviewed translations of every catalog of ``lang`` (renamed and removed posts included), then the
    configured compendia."""
    memory = TranslationMemory()
    sources = [catalog for _, catalog in locale_catalogs(config, lang)]
    for compendium in config.compendia:
        catalog = read_catalog(compendium)
        if catalog is None:
            raise InputError(compendium, None, "compendium not found (see compendia in the configuration)")
        sources.append(catalog)
    for catalog in sources:
        for msgid, msgstr in reviewed_pairs(catalog):
            memory.add(msgid, msgstr)
    return memory


# ---- plans ----


@dataclass
class Plan:
    """What an operation would write (only files whose content changes) and what it found."""

    writes: dict[Path, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    below_threshold: list[tuple[str, str, float]] = field(default_factory=list)  # (output, lang, percent)
    filled: dict[str, tuple[int, int]] = field(default_factory=dict)  # lang -> (exact, fuzzy)
    posts: int = 0

    @property
    def has_errors(self) -> bool:
        return any(item.is_error for item in self.diagnostics)

    def commit(self) -> list[Path]:
        """Write the planned files atomically; returns those that changed."""
        return [path for path, text in sorted(self.writes.items()) if atomic_write_text(path, text)]


@dataclass
class _Catalogs:
    """The up-to-date catalogs of one post, as an extract would leave them."""

    post: Post
    document: Document
    by_lang: dict[str, polib.POFile]
    # The text of each catalog on disk: entries that do not change keep their exact wrapping.
    old_texts: dict[str, str | None] = field(default_factory=dict)


def _plan_catalog_file(
    plan: Plan, path: Path, new: polib.POFile, old: polib.POFile | None, old_text: str | None
) -> None:
    if old is None or not same_catalog(old, new):
        plan.writes[path] = render_catalog(new, old_text)


def plan_extract(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    *,
    now: str | None = None,
    progress: Progress | None = None,
) -> tuple[Plan, list[_Catalogs]]:
    """Templates and catalogs brought up to date with the sources (msgmerge rules)."""
    plan = Plan(posts=len(posts))
    stamp = now or now_stamp()
    updated: list[_Catalogs] = []
    for post in posts:
        if progress:
            progress(f"extract {post.rel}")
        document = read_document(config, post)
        plan.diagnostics += _document_diagnostics(config, post, document)
        template_file = pot_path(config, post.rel)
        old_template, old_template_text = read_catalog_text(template_file)
        template = make_template(
            document,
            display(config, post.source),
            project=post.rel.as_posix(),
            previous=old_template,
            now=stamp,
        )
        _plan_catalog_file(plan, template_file, template, old_template, old_template_text)
        item = _Catalogs(post, document, {})
        for lang in langs:
            catalog_file = po_path(config, post.rel, lang)
            old, item.old_texts[lang] = read_catalog_text(catalog_file)
            item.by_lang[lang] = merge(old, template, lang)
            _plan_catalog_file(plan, catalog_file, item.by_lang[lang], old, item.old_texts[lang])
        updated.append(item)
    return plan, updated


def _document_diagnostics(config: Config, post: Post, document: Document) -> list[Diagnostic]:
    return [
        Diagnostic(display(config, post.source), problem.line, problem.code, "warning", problem.message)
        for problem in document.problems
    ]


def plan_fill(
    config: Config, plan: Plan, catalogs: Sequence[_Catalogs], langs: Sequence[str], *, now: str | None = None
) -> None:
    """Fill empty entries of the planned catalogs from each locale's translation memory."""
    stamp = now or now_stamp()
    for lang in langs:
        memory = build_memory(config, lang)
        exact = fuzzy = 0
        for item in catalogs:
            catalog = item.by_lang[lang]
            result = fill_from_memory(catalog, memory)
            if result.changed:
                catalog.metadata["PO-Revision-Date"] = stamp
                plan.writes[po_path(config, item.post.rel, lang)] = render_catalog(catalog, item.old_texts.get(lang))
                exact += result.exact
                fuzzy += result.fuzzy
        plan.filled[lang] = (exact, fuzzy)


@dataclass(frozen=True)
class BuildOptions:
    min_completion: float
    include_fuzzy: bool


def plan_build(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    catalogs: Sequence[_Catalogs] | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Localized posts from the sources and their catalogs (planned ones, else those on disk)."""
    plan = Plan(posts=len(posts))
    glossary = load_glossary(config)
    planned = {item.post.rel: item for item in catalogs or ()}
    for post in posts:
        if progress:
            progress(f"build {post.rel}")
        item = planned.get(post.rel)
        document = item.document if item else read_document(config, post)
        for lang in langs:
            catalog_file = po_path(config, post.rel, lang)
            if item is not None:
                # Re-parse the planned text so entries carry the line numbers they will have on disk.
                text = render_catalog(item.by_lang[lang], item.old_texts.get(lang))
                catalog = parse_catalog(text, catalog_file)
            else:
                catalog = read_catalog(catalog_file)
            _build_one(config, plan, post, document, catalog, lang, options, glossary)
    return plan


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


def _build_one(
    config: Config,
    plan: Plan,
    post: Post,
    document: Document,
    catalog: polib.POFile | None,
    lang: str,
    options: BuildOptions,
    glossary: Glossary | None,
) -> None:
    catalog_name = display(config, po_path(config, post.rel, lang))
    translations, diagnostics = usable_translations(
        config, catalog, catalog_name, lang, options.include_fuzzy, glossary
    )
    plan.diagnostics += diagnostics
    target = output_path(config, post.rel, lang)
    percent = completion(document, translations)
    if percent < options.min_completion:
        plan.below_threshold.append((display(config, target), lang, percent))
        if target.exists():
            plan.diagnostics.append(
                Diagnostic(
                    display(config, target),
                    None,
                    "below-min-completion",
                    "warning",
                    f"{percent:.0f}% translated, under min_completion: not rebuilt, may be out of date",
                )
            )
        return
    rendered = render(document, translations)
    source_name = display(config, post.source)
    plan.diagnostics += [
        Diagnostic(source_name, problem.line, problem.code, problem.severity, f"{lang}: {problem.message}")
        for problem in rendered.problems
    ]
    text = localize_output(rendered.text, config=config, lang=lang, post=post)
    findings = check_rendered(document, text, source_lang=config.source_lang, target_lang=lang)
    plan.diagnostics += [
        Diagnostic(display(config, target), finding.line, finding.check, finding.severity, finding.message)
        for finding in findings
    ]
    if any(finding.is_error for finding in findings):
        return  # a built post that fails its checks is not written: the previous output, if any, stays
    if _read_or_none(target) != text:
        plan.writes[target] = text


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


def _read_or_none(path: Path) -> str | None:
    try:
        return read_text(path)
    except InputError:
        return None if not path.exists() else "\0unreadable"


# ---- the operations ----


def extract_catalogs(
    config: Config, posts: Sequence[Post], langs: Sequence[str], *, progress: Progress | None = None
) -> Plan:
    plan, _ = plan_extract(config, posts, langs, progress=progress)
    return plan


def fill(config: Config, posts: Sequence[Post], langs: Sequence[str]) -> Plan:
    """Extract, then fill empty entries from the translation memory (what ``sync`` does before building)."""
    plan, catalogs = plan_extract(config, posts, langs)
    plan_fill(config, plan, catalogs, langs)
    return plan


def build(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    progress: Progress | None = None,
) -> Plan:
    return plan_build(config, posts, langs, options, progress=progress)


def sync(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    progress: Progress | None = None,
) -> Plan:
    """Extract, fill from memory, build: the one command a site runs."""
    plan, catalogs = plan_extract(config, posts, langs, progress=progress)
    plan_fill(config, plan, catalogs, langs)
    built = plan_build(config, posts, langs, options, catalogs=catalogs, progress=progress)
    plan.writes.update(built.writes)
    plan.diagnostics += built.diagnostics
    plan.below_threshold += built.below_threshold
    return plan


def options_from(config: Config, min_completion: float | None, include_fuzzy: bool | None) -> BuildOptions:
    return BuildOptions(
        min_completion=config.min_completion if min_completion is None else min_completion,
        include_fuzzy=config.include_fuzzy if include_fuzzy is None else include_fuzzy,
    )


def check(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    whole_project: bool = True,
    progress: Progress | None = None,
) -> list[Diagnostic]:
    """Everything ``extract`` or ``build`` would change, orphans, and check findings. Writes nothing."""
    extracted, _ = plan_extract(config, posts, langs, progress=progress)
    built = plan_build(config, posts, langs, options, progress=progress)
    diagnostics = list(extracted.diagnostics) + list(built.diagnostics)
    for path in sorted(extracted.writes):
        what = "template" if path.suffix == ".pot" else "catalog"
        diagnostics.append(
            Diagnostic(display(config, path), None, "stale-catalog", "error", f"{what} out of date: run l10n extract")
        )
    for path in sorted(built.writes):
        diagnostics.append(
            Diagnostic(display(config, path), None, "stale-output", "error", "output out of date: run l10n build")
        )
    if whole_project:
        diagnostics += orphans(config, posts, langs)
    return diagnostics


def orphans(config: Config, posts: Sequence[Post], langs: Sequence[str]) -> list[Diagnostic]:
    """Outputs without a source (errors: a stale page is published); catalogs and templates without a
    source (warnings: catalogs are kept on purpose, they feed the translation memory)."""
    stems = {post.rel.with_suffix("") for post in posts}
    found: list[Diagnostic] = []
    for lang in langs:
        root = config.output_root(lang)
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.suffix in SOURCE_SUFFIXES and path.is_file():
                rel = PurePosixPath(path.relative_to(root).as_posix())
                if rel.with_suffix("") not in stems:
                    found.append(
                        Diagnostic(display(config, path), None, "orphan-output", "error", "no source post for it")
                    )
        directory = config.locales_dir / lang
        for path in sorted(directory.rglob("*.po")) if directory.is_dir() else ():
            rel = PurePosixPath(path.relative_to(directory).as_posix())
            if rel.with_suffix("") not in stems:
                found.append(
                    Diagnostic(
                        display(config, path),
                        None,
                        "orphan-catalog",
                        "warning",
                        "no source post for it (kept: its translations feed the translation memory)",
                    )
                )
    templates = config.templates_dir
    for path in sorted(templates.rglob("*.pot")) if templates.is_dir() else ():
        if PurePosixPath(path.relative_to(templates).as_posix()).with_suffix("") not in stems:
            found.append(Diagnostic(display(config, path), None, "orphan-template", "warning", "no source post for it"))
    return found


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


def status(config: Config, posts: Sequence[Post], langs: Sequence[str]) -> list[StatusRow]:
    """Per post and locale, entries and words by state, as the catalogs would be after ``extract``."""
    _, catalogs = plan_extract(config, posts, langs)
    return [
        StatusRow(display(config, item.post.source), lang, catalog_stats(item.by_lang[lang]))
        for item in catalogs
        for lang in langs
    ]


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
