"""``l10n adopt`` over a project: read each source post and its existing translation, fill the catalog, and
record as l10n's every translated post that a build now reproduces byte for byte.

Like every command, it computes all its files first (templates, catalogs, the ownership record) and stages
them; bad input anywhere (a translated post with broken front matter or bytes that are not UTF-8) stops it
before anything is written. It never writes a localized post.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n.catalog import io as catalog_io
from l10n.catalog.entries import same_catalog
from l10n.catalog.io import read_catalog_text
from l10n.catalog.merge import merge
from l10n.catalog.template import make_template, now_stamp
from l10n.checks import check_translation, layout_patch_findings
from l10n.config import Config
from l10n.document import Document, FrontMatterError, extract
from l10n.fileio import InputError, read_text_if_any, stage_text
from l10n.glossary import Glossary
from l10n.layout_patch import apply as apply_layout_patch
from l10n.layout_patch import format_patch, parse_patch
from l10n.links import LinkRules, rewrite_links
from l10n.ownership import lock_path, read_lock, render_lock
from l10n.project import (
    Post,
    display,
    layout_patch_path,
    load_glossary,
    output_path,
    po_path,
    pot_path,
    read_document,
)
from l10n.run.operations import options_from
from l10n.run.plan import Plan
from l10n.run.post import rebuilt_text
from l10n.store.identity import text_digest

from .anchors import Rewrite
from .fill import Localize, Outcome, candidates, fill_catalog
from .layout import layout_patch


@dataclass
class Adopted:
    """One translated post: what adoption did, and whether a build now gives it back byte for byte."""

    post: str  # the source, as shown
    output: str  # the translated post, as shown
    lang: str
    outcome: Outcome
    reproduced: bool
    layout_patch: str | None = None  # the page's layout patch a build applies, as shown (None: none)

    def as_dict(self) -> dict[str, object]:
        return {
            "post": self.post,
            "output": self.output,
            "lang": self.lang,
            "reproduced": self.reproduced,
            "layout_patch": self.layout_patch,
            "words": {
                "reviewed": self.outcome.reviewed,
                "fuzzy": self.outcome.fuzzy,
                "not_found": self.outcome.missing,
                "already_translated": self.outcome.kept,
            },
            "code_blocks": self.outcome.code_blocks,
            "entries_changed": self.outcome.entries_changed,
            "not_aligned_lines": self.outcome.unaligned,
            "fuzzy_lines": self.outcome.guessed,
        }


@dataclass
class AdoptPlan:
    plan: Plan = field(default_factory=Plan)
    posts: list[Adopted] = field(default_factory=list)


def _read_translation(config: Config, post: Post, lang: str) -> Document | None:
    """The existing translated post, extracted as a source would be; None when there is none."""
    target = output_path(config, post.rel, lang)
    text = read_text_if_any(target)
    if text is None:
        return None
    try:
        return extract(text, front_matter_keys=config.front_matter_keys, dialect=config.dialect_for(post.rel))
    except FrontMatterError as error:
        raise InputError(target, error.line, error.message) from None


def adopt(config: Config, posts: Sequence[Post], langs: Sequence[str]) -> AdoptPlan:
    """Everything adoption would write, staged (commit or discard the plan), and what it found per post."""
    result = AdoptPlan()
    stamp = now_stamp()
    glossary = load_glossary(config)
    options = options_from(config, None, None)
    rules = config.links if isinstance(config.links, LinkRules) else None
    locks = {lang: read_lock(lock_path(config.locales_dir, lang)) for lang in langs}
    owned: dict[str, dict[str, str]] = {lang: dict(entries) for lang, entries in locks.items()}
    try:
        for post in posts:
            translations = {lang: _read_translation(config, post, lang) for lang in langs}
            if not any(translations.values()):
                continue
            document = read_document(config, post)
            template = _template(config, post, document, stamp, result.plan)
            for lang, translation in translations.items():
                if translation is None:
                    continue
                adopted, catalog = _adopt_one(
                    config, post, document, translation, template, lang, rules, glossary, result.plan, stamp
                )
                built = rebuilt_text(config, post, document, catalog, lang, options, glossary)
                kept = None if built is None else _keep_layout(config, post, lang, built, translation, result.plan)
                adopted.reproduced = kept is not None
                adopted.layout_patch = kept or None
                result.posts.append(adopted)
                if adopted.reproduced:
                    owned[lang][post.rel.as_posix()] = text_digest(translation.text)
        for lang in langs:
            if owned[lang] != locks[lang]:
                result.plan.stage([stage_text(lock_path(config.locales_dir, lang), render_lock(owned[lang]))])
    except BaseException:
        result.plan.discard()
        raise
    return result


def _template(config: Config, post: Post, document: Document, stamp: str, plan: Plan) -> polib.POFile:
    """The post's template as ``extract`` makes it, staged when it changes."""
    template_file = pot_path(config, post.rel)
    old, old_text = read_catalog_text(template_file)
    source_name = display(config, post.source)
    template = make_template(document, source_name, project=post.rel.as_posix(), previous=old, now=stamp)
    if old is None or not same_catalog(old, template):
        _stage_catalog(plan, template_file, template, old_text, old)
    return template


def _adopt_one(
    config: Config,
    post: Post,
    document: Document,
    translation: Document,
    template: polib.POFile,
    lang: str,
    rules: LinkRules | None,
    glossary: Glossary | None,
    plan: Plan,
    stamp: str,
) -> tuple[Adopted, polib.POFile]:
    """Fill the post's catalog in ``lang`` from its translation; the catalog as it will be, staged if it changes."""
    catalog_file = po_path(config, post.rel, lang)
    old, old_text = read_catalog_text(catalog_file)
    merged = merge(old, template, lang)
    shown = display(config, output_path(config, post.rel, lang))
    rewrite: Rewrite | None = None
    localize: Localize | None = None
    if rules is not None and rules.is_active(lang):
        link_rules = rules
        rewrite = functools.partial(_rewrite, link_rules, lang)
        localize = functools.partial(_localize, link_rules, lang)
    found = candidates(document, translation, rewrite=rewrite, localize=localize, languages=(config.source_lang, lang))

    def usable(msgid: str, msgstr: str, code: bool) -> bool:
        findings = check_translation(
            msgid,
            msgstr,
            source_lang=config.source_lang,
            target_lang=lang,
            glossary=glossary,
            dialect=document.dialect,
            code=code,
            reviewed=True,  # asked for an entry adoption would mark reviewed: the page is a person's
        )
        return not any(finding.is_error for finding in findings)

    outcome = fill_catalog(merged, document, found, target_name=shown, usable=usable)
    if outcome.entries_changed:
        merged.metadata["PO-Revision-Date"] = stamp
    if old is None or not same_catalog(old, merged):
        _stage_catalog(plan, catalog_file, merged, old_text, old)
    return Adopted(display(config, post.source), shown, lang, outcome, reproduced=False), merged


def _keep_layout(config: Config, post: Post, lang: str, built: str, page: Document, plan: Plan) -> str | None:
    """Whether a build gives the page back byte for byte (None: it does not), with the page's layout patch
    (its path as shown; "" without one): the one it has, or one made of the page's differences from the
    build when they are all layout (staged). Never when the page adds to the build what no layout may (a
    host, a tag...): a build would not apply such a patch."""
    path = layout_patch_path(config, post.rel, lang)
    existing = read_text_if_any(path)
    if existing is None and built == page.text:
        return ""
    if layout_patch_findings(built, page.text, source_lang=config.source_lang, target_lang=lang):
        return None
    if existing is not None and apply_layout_patch(built, parse_patch(existing, path))[0] == page.text:
        return display(config, path)
    built_document = extract(built, front_matter_keys=config.front_matter_keys, dialect=config.dialect_for(post.rel))
    hunks = layout_patch(built_document, page)
    if hunks is None or apply_layout_patch(built, hunks)[0] != page.text:
        return None
    header = (
        f"# The layout of {display(config, output_path(config, post.rel, lang))} where it differs from what l10n"
        " builds, kept by l10n adopt\n# and applied after each build (see the README: adopting existing"
        " translations).\n"
    )
    plan.stage([stage_text(path, format_patch(hunks, header))])
    return display(config, path)


def _stage_catalog(
    plan: Plan, path: Path, catalog: polib.POFile, old_text: str | None, old: polib.POFile | None
) -> None:
    """Through the one catalog writer (entries that did not change keep their text), staged."""
    catalog_io.save(
        path, catalog, old_text, previous_catalog=old, write=lambda target, text: plan.stage([stage_text(target, text)])
    )


def _rewrite(rules: LinkRules, lang: str, destination: str) -> str:
    return rules.rewrite(destination, lang)


def _localize(rules: LinkRules, lang: str, text: str) -> str:
    return rewrite_links(text, rules, lang)
