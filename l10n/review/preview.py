"""The localized post as ``l10n build`` would write it, computed in memory (nothing is written)."""

from __future__ import annotations

from dataclasses import dataclass

from l10n import localize
from l10n.catalog.io import read_catalog
from l10n.checks import check_rendered
from l10n.config import Config
from l10n.document import render
from l10n.document.inline import defined_labels
from l10n.project import Post, display, load_glossary, po_path, read_document


@dataclass(frozen=True)
class Preview:
    source: str
    output: str
    percent: float  # words with a usable translation
    below_minimum: bool  # build would not write this post (min_completion)
    problems: tuple[str, ...]  # what build would report on this post (checks, rolled-back segments)


def build_preview(config: Config, post: Post, lang: str, *, include_fuzzy: bool) -> Preview:
    document = read_document(config, post)
    catalog_file = po_path(config, post.rel, lang)
    catalog_name = display(config, catalog_file)
    glossary = load_glossary(config)
    translations, diagnostics = localize.usable_translations(
        config, read_catalog(catalog_file), catalog_name, lang, include_fuzzy, glossary, document.dialect,
        defined_labels(document.text),
    )
    rendered = render(document, translations)
    output = localize.localize_output(rendered.text, config=config, lang=lang, post=post)
    percent = localize.completion(document, translations)
    problems = [f"{item.where}: {item.check}: {item.message}" for item in diagnostics]
    problems += [f"line {problem.line}: {problem.check}: {problem.message}" for problem in rendered.problems]
    problems += [f"{finding.check}: {finding.message}" for finding in check_rendered(document, output)]
    return Preview(document.text, output, percent, percent < config.min_completion, tuple(problems))
