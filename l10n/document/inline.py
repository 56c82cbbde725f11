"""Inline fingerprints: what a translation of a Markdown segment must keep from its source.

A fingerprint is computed from markdown-it-py's inline tokens of one segment (a ``msgid`` or ``msgstr``):
link destinations and titles, image sources and titles, inline code, footnote references, emphasis, strong
and strikethrough counts, raw inline HTML and autolinks. Translations may reorder words, so every part is a
sorted multiset rather than a sequence.

A segment is parsed on its own, without its document's reference definitions. So that ``[text][label]`` and
``[^note]`` are still recognised, every reference label that the *source* uses is defined with a sentinel
destination (``[ref:label]``), and footnote references always match. A translation that renames a label then
loses its link, which is what happens on the website too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from .extract import blank_head
from .frontmatter import parse_front_matter
from .frontmatter.blocks import find_block
from .markdown import COMMONMARK, Dialect, new_parser
from .segments import FrontMatterError

REFERENCE_SENTINEL = "[ref:{}]"
# Set to True in ``token.meta`` by a dialect's inline rule for syntax a translation must keep as it is (a JSX
# element, a shortcode, a locked pattern); the token's ``content`` is its source text.
ATOMIC_META = "l10n_atomic"

# "[label]" as used by full, collapsed and shortcut reference links; footnote labels start with "^".
_BRACKETED_LABEL = re.compile(r"(?<!\\)\[((?:[^\[\]\\]|\\.){1,999})\]")


def _accept_every_url(_url: str) -> bool:
    # The checks must *see* `javascript:` links to reject them; markdown-it would otherwise hide them as text.
    return True


@cache
def segment_parser(dialect: Dialect = COMMONMARK) -> MarkdownIt:
    """The parser for one segment of a post in ``dialect``: CommonMark with GFM tables and strikethrough,
    footnote references, and the dialect's syntax."""
    md = new_parser(dialect, task_lists=False, footnote_refs_always=True)
    md.validateLink = _accept_every_url  # type: ignore[method-assign]
    return md


@cache
def document_parser(dialect: Dialect = COMMONMARK) -> MarkdownIt:
    """The parser for a whole post (front matter masked first): as the segment parser, plus task lists."""
    md = new_parser(dialect)
    md.validateLink = _accept_every_url  # type: ignore[method-assign]
    return md


def mask_front_matter(text: str, *, expected: bool = False) -> str:
    """``text`` with its front matter (and BOM) blanked to spaces: offsets and line numbers stay put.

    With ``expected``, the caller knows that a delimited block, if any, is front matter that parses, so it is
    not parsed again.
    """
    return blank_head(text, front_matter_end(text, expected=expected))


def front_matter_end(text: str, *, expected: bool = False) -> int:
    """Where ``text``'s front matter ends (0: it has none); ``expected`` as for :func:`mask_front_matter`."""
    block = find_block(text)
    if block is None:
        return 0
    if expected:
        return block.end
    try:
        front_matter = parse_front_matter(text, ())
    except FrontMatterError:
        return 0
    return front_matter.end if front_matter else 0


@dataclass(frozen=True)
class Fingerprint:
    """The inline markup of a segment that a translation must reproduce (each a sorted tuple)."""

    links: tuple[tuple[str, str], ...] = ()  # (destination, title)
    images: tuple[tuple[str, str], ...] = ()  # (source, title)
    code: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    emphasis: int = 0
    strong: int = 0
    strikethrough: int = 0
    html: tuple[str, ...] = ()  # raw inline HTML, whitespace-normalised
    autolinks: tuple[str, ...] = ()
    syntax: tuple[str, ...] = ()  # the dialect's atomic inline syntax (JSX elements, shortcodes...) as written,
    # and text directives' names and attributes

    @property
    def link_destinations(self) -> tuple[str, ...]:
        return tuple(sorted(destination for destination, _title in self.links))

    @property
    def image_sources(self) -> tuple[str, ...]:
        return tuple(sorted(source for source, _title in self.images))


def reference_labels(text: str) -> set[str]:
    """Normalised labels of every bracketed text, i.e. every possible reference link label in ``text``."""
    return {
        normalizeReference(label) for label in _BRACKETED_LABEL.findall(text) if not label.startswith("^")
    }


_DEFINITION = re.compile(r"^(?:[ \t]*>)*[ \t]*\[((?:[^\[\]\\]|\\.){1,999})\]:", re.MULTILINE)


def defined_labels(text: str) -> frozenset[str]:
    """Normalised labels of the link reference definitions of a post (``[label]: destination`` lines, in
    quotes and lists too). A bracketed text whose label is not among them is plain text, not a link.

    A line that only looks like a definition (in a code block) counts too: its label is then treated as a
    link, which is what was done for every label before the post's definitions were known.
    """
    return frozenset(
        normalizeReference(label) for label in _DEFINITION.findall(text) if not label.startswith("^")
    )


def segment_env(labels: Iterable[str]) -> dict[str, Any]:
    """A parser environment defining ``labels`` as references with sentinel destinations."""
    return {
        "references": {
            label: {"href": REFERENCE_SENTINEL.format(label), "title": ""}
            for label in labels
            if label.strip()
        }
    }


def inline_tokens(
    text: str, env: Mapping[str, Any] | None = None, dialect: Dialect = COMMONMARK
) -> list[Token]:
    """The flat inline tokens of ``text`` parsed as one segment (nested images' alt tokens included)."""
    parsed = segment_parser(dialect).parseInline(text, dict(env or {}))
    return list(walk(parsed))


def walk(tokens: Iterable[Token]) -> Iterator[Token]:
    """Every token, depth first, children right after their parent."""
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def fingerprint_tokens(tokens: Iterable[Token]) -> Fingerprint:
    links: list[tuple[str, str]] = []
    images: list[tuple[str, str]] = []
    code: list[str] = []
    footnotes: list[str] = []
    html: list[str] = []
    autolinks: list[str] = []
    syntax: list[str] = []
    counts = {"em_open": 0, "strong_open": 0, "s_open": 0}
    for token in tokens:
        if token.meta and token.meta.get(ATOMIC_META):
            syntax.append(token.content)
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if token.info == "auto":
                autolinks.append(href)
            else:
                links.append((href, str(token.attrGet("title") or "")))
        elif token.type == "image":
            images.append((str(token.attrGet("src") or ""), str(token.attrGet("title") or "")))
        elif token.type == "code_inline":
            code.append(token.content)
        elif token.type == "footnote_ref":
            footnotes.append(str((token.meta or {}).get("label", "")))
        elif token.type == "html_inline":
            html.append(" ".join(token.content.split()))
        elif token.type in counts:
            counts[token.type] += 1
        elif token.type == "directive_text_open":
            syntax.append(":" + token.info)  # the name and attributes; the label is translated
    return Fingerprint(
        links=tuple(sorted(links)),
        images=tuple(sorted(images)),
        code=tuple(sorted(code)),
        footnotes=tuple(sorted(footnotes)),
        emphasis=counts["em_open"],
        strong=counts["strong_open"],
        strikethrough=counts["s_open"],
        html=tuple(sorted(html)),
        autolinks=tuple(sorted(autolinks)),
        syntax=tuple(sorted(syntax)),
    )


def fingerprint(
    text: str, *, labels: Iterable[str] | None = None, dialect: Dialect = COMMONMARK
) -> Fingerprint:
    """The fingerprint of one segment; ``labels`` are the reference labels to treat as defined.

    By default the labels are those ``text`` itself uses; to fingerprint a translation, pass the labels of its
    source (``reference_labels(msgid)``) so that a renamed label shows as a lost link.
    """
    env = segment_env(reference_labels(text) if labels is None else labels)
    return fingerprint_tokens(inline_tokens(text, env, dialect))


def prose(text: str, *, labels: Iterable[str] | None = None, dialect: Dialect = COMMONMARK) -> str:
    """The plain text a reader sees (text tokens only: no code, URLs or HTML), with breaks as spaces."""
    env = segment_env(reference_labels(text) if labels is None else labels)
    return prose_tokens(inline_tokens(text, env, dialect))


def fingerprint_and_prose(
    text: str, *, labels: Iterable[str] | None = None, dialect: Dialect = COMMONMARK
) -> tuple[Fingerprint, str]:
    """:func:`fingerprint` and :func:`prose` of one segment, from one parse."""
    env = segment_env(reference_labels(text) if labels is None else labels)
    tokens = inline_tokens(text, env, dialect)
    return fingerprint_tokens(tokens), prose_tokens(tokens)


def prose_tokens(tokens: Iterable[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "code_inline":
            parts.append(" ")  # keeps the words on either side apart
    return "".join(parts)
