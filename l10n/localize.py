"""From a catalog to a built page: which translations a build may use, how complete a post is, and the
target-locale adjustments of the built text. Shared by ``build`` and the review app's preview."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import polib

from l10n.catalog.entries import is_optional
from l10n.catalog.stats import percent, word_count
from l10n.checks import check_translation
from l10n.config import Config
from l10n.document import Document
from l10n.document.markdown import COMMONMARK, Dialect
from l10n.document.segments import CODE_KIND
from l10n.fileio import InputError
from l10n.frontmatter_set import set_front_matter
from l10n.glossary import Glossary
from l10n.links import rewrite_links
from l10n.problems import Problem
from l10n.project import Post


def usable_translations(
    config: Config,
    catalog: Iterable[polib.POEntry] | None,
    catalog_name: str,
    lang: str,
    include_fuzzy: bool,
    glossary: Glossary | None,
    dialect: Dialect = COMMONMARK,
    references: frozenset[str] | None = None,
) -> tuple[dict[str, str], list[Problem]]:
    """msgid -> msgstr of the entries a build may use, and what the checks found on them.

    An entry is used when translated (reviewed, or fuzzy if ``include_fuzzy``) and free of check errors.
    """
    translations: dict[str, str] = {}
    diagnostics: list[Problem] = []
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
            dialect=dialect,
            references=references,
            code=is_optional(entry),
            reviewed=not entry.fuzzy,
        )
        for finding in findings:
            message = finding.message + (" (entry not used)" if finding.is_error else "")
            line = getattr(entry, "linenum", None)
            diagnostics.append(replace(finding, path=catalog_name, line=line, message=message))
        if not any(finding.is_error for finding in findings):
            translations[entry.msgid] = entry.msgstr
    return translations, diagnostics


def completion(document: Document, translations: dict[str, str]) -> float:
    """Percent of the post's source words (distinct segments) that have a usable translation; code blocks,
    whose translation is optional, do not count."""
    return completion_of(counted_msgids(document), translations)


def counted_msgids(document: Document) -> frozenset[str]:
    """The distinct msgids :func:`completion` counts the words of."""
    return frozenset(
        segment.msgid for segment in document.segments if segment.msgid.strip() and segment.context != CODE_KIND
    )


def completion_of(msgids: frozenset[str], translations: dict[str, str]) -> float:
    """:func:`completion`, given the document's :func:`counted_msgids`."""
    total = sum(word_count(msgid) for msgid in msgids)
    done = sum(word_count(msgid) for msgid in msgids if msgid in translations)
    return percent(done, total)


def localize_output(text: str, *, config: Config, lang: str, post: Post) -> str:
    """Target-locale adjustments of a built post, after the translations are written in.

    Link destinations are rewritten by ``l10n.links`` (``config.links``) and front matter keys set from
    ``config.front_matter["set"]``. Without those settings the text is returned as is.
    """
    if config.links is not None:
        text = rewrite_links(text, config.links, lang, config.dialect_for(post.rel))
    to_set = config.front_matter.get("set") or {}
    if to_set:
        try:
            text = set_front_matter(text, to_set, lang)
        except ValueError as error:
            raise InputError(post.source, None, str(error)) from None
    return text
