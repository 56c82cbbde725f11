"""Heading anchors as the site's framework computes them, and same-page links kept pointing at them.

A translated heading changes its anchor (``## Ressources`` is ``#ressources``, ``## Resources`` is
``#resources``), so a link ``[voir](#ressources)`` in the English post would point nowhere. The built post's
anchors are computed with the framework's rules, matched to the source's heading by heading (the build keeps
the source's block structure), and fragments of same-page links and of relative links to another post's file
are rewritten; a fragment that matches no anchor of the target page is reported.

Slug rules (:data:`SLUGGERS`):

- ``github``: github-slugger, used by remark/rehype-slug (Astro, Starlight), Docusaurus and VitePress: lower
  case; every character removed except letters, marks, decimal and letter numbers, connector punctuation
  (``_``), ``-`` and the space (``½``, ``²``, tabs and no-break spaces go); each space becomes ``-``; a
  repeated slug gets ``-1``, ``-2``...
- ``hugo``: Hugo's default ``autoHeadingIDType = "github"``: outer white space trimmed; a space or ``-`` becomes
  ``-``; letters, decimal digits and ``_`` are kept, lower-cased; everything else (marks included) is
  dropped; an empty slug is ``heading``; a repeated slug gets ``-1``, ``-2``...

The heading's text is what the reader sees: emphasis, links and inline code contribute their text, HTML tags
and images nothing. An explicit id at the end of a heading (``## Titre {#mon-id}``, Hugo, Docusaurus,
VitePress) wins over the computed slug.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from l10n.document.inline import mask_front_matter
from l10n.document.markdown import new_parser

# Only characters that are safe in a link destination, whoever wrote the heading.
_EXPLICIT_ID = re.compile(r"[ \t]*\{#([\w.:-]+)\}[ \t]*$")
_GITHUB_KEPT = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})


def github_slug_base(text: str) -> str:
    """github-slugger's slug of one heading text, before duplicates are numbered."""
    kept = []
    for character in text.lower():
        if character == " " or character == "-" or character == "_":
            kept.append("-" if character == " " else character)
        elif unicodedata.category(character) in _GITHUB_KEPT:
            kept.append(character)
    return "".join(kept)


def hugo_slug_base(text: str) -> str:
    """Hugo's ``github`` anchor of one heading text, before duplicates are numbered."""
    kept = []
    for character in text.strip(" \t\n\r\v\f\x85\xa0"):
        if character in " -":
            kept.append("-")
        elif (
            character == "_"
            or unicodedata.category(character).startswith("L")
            or unicodedata.category(character) == "Nd"
        ):
            kept.append(character.lower())
    return "".join(kept) or "heading"


@dataclass(frozen=True)
class Slugger:
    """A framework's slug rule: the base slug of a text, and how repeats are numbered."""

    name: str
    base: Callable[[str], str]

    def slugs(self, texts: Iterable[str]) -> list[str]:
        """The slugs of a page's headings in order, repeats numbered ``-1``, ``-2``... as the framework does."""
        taken: dict[str, int] = {}
        result = []
        for text in texts:
            original = self.base(text)
            slug = original
            while slug in taken:
                taken[original] += 1
                slug = f"{original}-{taken[original]}"
            taken[slug] = 0
            result.append(slug)
        return result


SLUGGERS: Mapping[str, Slugger] = {
    "github": Slugger("github", github_slug_base),
    "hugo": Slugger("hugo", hugo_slug_base),
}


@dataclass(frozen=True)
class Heading:
    line: int  # 1-based
    text: str  # what the reader sees, without an explicit id
    explicit: str | None  # the id of a trailing {#id}


@cache
def _block_parser() -> MarkdownIt:
    """Blocks only: the inline content of headings alone is parsed, not every paragraph's."""
    md = new_parser()
    md.core.ruler.disable("inline")
    return md


@cache
def _parser() -> MarkdownIt:
    return new_parser()


def _visible_text(children: Sequence[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def headings(markdown: str) -> list[Heading]:
    """The headings of a post, in order, with the text a slugger reads."""
    tokens = _block_parser().parse(mask_front_matter(markdown))
    found = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        content = inline.content
        explicit = _EXPLICIT_ID.search(content)
        children = _parser().parseInline(content)[0].children or [] if content else []
        text = _visible_text(children)
        if explicit:
            text = _EXPLICIT_ID.sub("", text)
        found.append(Heading((token.map[0] + 1) if token.map else 0, text, explicit.group(1) if explicit else None))
    return found


def anchors(markdown: str, slugger: Slugger) -> list[str]:
    """Each heading's anchor: its explicit id, else its slug (explicit ids take part in repeat numbering, as
    the frameworks register every id they write)."""
    found = headings(markdown)
    computed = slugger.slugs(heading.text for heading in found)
    return [heading.explicit or slug for heading, slug in zip(found, computed, strict=True)]


def anchor_map(source: str, output: str, slugger: Slugger) -> dict[str, str]:
    """Source anchor -> output anchor, heading by heading; empty when the two do not have the same headings."""
    before, after = anchors(source, slugger), anchors(output, slugger)
    if len(before) != len(after):
        return {}
    mapping: dict[str, str] = {}
    for old, new in zip(before, after, strict=True):
        mapping.setdefault(old, new)
    return mapping


_HTML_ID = re.compile(r"""<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*["']?([^"'\s>]+)""")


def page_ids(markdown: str, slugger: Slugger) -> set[str]:
    """Every fragment a page answers to: its heading anchors and the ids of its HTML elements."""
    return set(anchors(markdown, slugger)) | set(_HTML_ID.findall(markdown))
