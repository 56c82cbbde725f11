"""Pseudo-translations for the round-trip tests: change the text, keep the markup."""

from __future__ import annotations

import re

from markdown_it.common.utils import normalizeReference

from l10n.document.markdown import COMMONMARK, Dialect
from l10n.document.parse import markdown_parser

# Regions a pseudo-translation leaves alone: code spans, autolinks and HTML, link destinations and
# labels, footnote references, entities, escapes, template/JSX braces, bare URLs.
_MARKUP = re.compile(
    r"""(?x)
    (`+)[\s\S]*?(?<!`)\1(?!`)
    | <[^>]*>
    | \]\([^)]*\)? | \]\[[^\]]*\]
    | \[\^[^\]]*\]
    | &\#?\w+;
    | \\.
    | \{[^}]*\}
    | \w+://\S+
    """
)
_BRACKETED = re.compile(r"\[(?:[^\[\]\\]|\\.)*\]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def wrap(msgid: str) -> str:
    return f"«{msgid}»"


def reference_labels(markdown: str) -> frozenset[str]:
    """The normalized labels of the reference definitions of a document."""
    env: dict = {}
    markdown_parser().parse(markdown, env)
    return frozenset(env.get("references", {}))


def _markup_spans(msgid: str, labels: frozenset[str]) -> list[re.Match[str]]:
    spans = list(_MARKUP.finditer(msgid))
    for match in _BRACKETED.finditer(msgid):
        if normalizeReference(match.group(0)[1:-1]) in labels:
            spans.append(match)
    spans.sort(key=lambda m: m.start())
    merged: list[re.Match[str]] = []
    for match in spans:
        if merged and match.start() < merged[-1].end():
            continue
        merged.append(match)
    return merged


def double_words(msgid: str, labels: frozenset[str] = frozenset()) -> str:
    """Every word of the text doubled; markup, reference labels included, left as it is."""
    pieces: list[str] = []
    cursor = 0
    for match in _markup_spans(msgid, labels):
        pieces.append(_WORD.sub(lambda m: f"{m.group(0)} {m.group(0)}", msgid[cursor : match.start()]))
        pieces.append(match.group(0))
        cursor = match.end()
    pieces.append(_WORD.sub(lambda m: f"{m.group(0)} {m.group(0)}", msgid[cursor:]))
    return "".join(pieces)


_TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9]*)")


def tag_sequence(markdown: str, dialect: Dialect = COMMONMARK) -> list[str]:
    """The HTML tags of ``markdown`` rendered in its dialect (an MDX post's ``<p>`` line is JSX, not HTML)."""
    return _TAG.findall(markdown_parser(dialect).render(markdown))
