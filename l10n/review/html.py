"""Markdown to HTML for the review page, safe for untrusted text; word diffs of a changed source.

Translations are untrusted input: raw HTML is never passed through (markdown-it's ``html`` option is off, so
tags come out as text), link destinations go through markdown-it's URL validation (no ``javascript:``), and
images are shown as their alt text, so a preview never makes the browser fetch anything.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..document.markdown import COMMONMARK, Dialect, new_parser


def _image_as_text(self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    token = tokens[index]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<span class="image" title="image">{html.escape(alt) or "image"}</span>'


def _link_open(self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    tokens[index].attrSet("rel", "noopener noreferrer nofollow")
    tokens[index].attrSet("target", "_blank")
    return self.renderToken(tokens, index, options, env)


@lru_cache(maxsize=8)
def _parser(dialect: Dialect) -> MarkdownIt:
    md = new_parser(dialect, html=False, front_matter=True)
    md.add_render_rule("image", _image_as_text)
    md.add_render_rule("link_open", _link_open)
    return md


def references(post_text: str, dialect: Dialect = COMMONMARK) -> dict[str, Any]:
    """The post's link reference definitions, so a segment's ``[text][label]`` renders as the link it is."""
    env: dict[str, Any] = {}
    _parser(dialect).parse(post_text, env)
    return dict(env.get("references", {}))


def inline_html(markdown: str, links: dict[str, Any] | None = None, dialect: Dialect = COMMONMARK) -> str:
    """One segment's Markdown (a msgid or msgstr) as inline HTML; hard breaks (``\\n``) become ``<br>``."""
    return _parser(dialect).renderInline(markdown.replace("\n", "  \n"), {"references": dict(links or {})})


@dataclass(frozen=True)
class Page:
    """A post as HTML: the front matter (raw text, shown as is) and the body."""

    front_matter: str
    body: str


_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n.*?\r?\n\1[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def page_html(text: str, dialect: Dialect = COMMONMARK) -> Page:
    """A whole post: front matter block kept as text (escaped by the template), Markdown body rendered."""
    match = _FRONT_MATTER.match(text)
    front = match.group(0) if match else ""
    return Page(front.strip("\ufeff"), _parser(dialect).render(text[len(front) :]))


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``(operation, text)`` pieces turning ``old`` into ``new``: ``equal``, ``delete`` or ``insert``."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation in ("delete", "replace"):
            pieces.append(("delete", "".join(before[i1:i2])))
        if operation in ("insert", "replace"):
            pieces.append(("insert", "".join(after[j1:j2])))
        if operation == "equal":
            pieces.append(("equal", "".join(before[i1:i2])))
    return pieces
