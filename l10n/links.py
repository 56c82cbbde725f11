"""Localized links: rewrite internal link destinations of a built post for the target locale's routes.

Configured under ``[tool.l10n.links]`` (or ``[links]`` in ``l10n.toml``); every key is optional::

    [tool.l10n.links]
    prefix = "/{lang}"           # prepended to absolute internal paths: /tech/x -> /en/tech/x
    source_prefix = "/fr"        # removed first, for sites whose French pages live under /fr/...
    exclude = ["/api/*", "/rss"] # fnmatch patterns of paths (without query or #fragment) left as they are

    [tool.l10n.links.slugs.en]   # per target locale: source path -> translated path (both before the prefix)
    "/tech/ia/ia-medecine" = "/tech/ai/ai-in-medicine"

``{lang}`` in ``prefix`` is the target locale code. Only absolute internal paths (``/...``) change: relative
links, same-page anchors (``#...``), external URLs (with a scheme such as ``https:`` or ``mailto:``, or
protocol-relative ``//host``) and assets (a last path segment with a file extension, such as ``/img/a.png`` or
``/files/cv.pdf``) stay as they are, as do paths already under the target prefix. A slug matches with or
without a trailing slash; query strings and fragments are kept.

:func:`rewrite_links` changes only the bytes of the destinations: of inline links and images, of reference
definitions, and of ``href`` attributes in raw HTML tags (not in comments, scripts or styles). Every other byte
of the post (front matter, code, the rest of the HTML, layout) stays as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from l10n.document.inline import front_matter_end, mask_front_matter
from l10n.document.markdown import COMMONMARK, Dialect, new_parser
from l10n.link_rules import LinkRules as LinkRules
from l10n.link_rules import is_internal_path as is_internal_path
from l10n.link_rules import rewritten_in_builds

# --- finding destinations in a post -------------------------------------------------------------------------

_DESTINATIONS = "l10n_link_destinations"
_SOURCE = "l10n_link_source"


_HTML_SPANS = "l10n_html_spans"


def _recording_html(rule: Any) -> Any:
    """Wrap markdown-it's inline HTML rule to record where each tag lies in ``state.src``."""

    def rule_with_positions(state: StateInline, silent: bool) -> bool:
        start = state.pos
        matched = rule(state, silent)
        if matched and not silent and state.src == state.env.get(_SOURCE):
            state.env.setdefault(_HTML_SPANS, []).append((start, state.pos))
        return matched

    return rule_with_positions


_INVISIBLE_HTML = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9:._-]*(?:\s[^<>]*)?>")
_HREF = re.compile(r"""[\s"'/]href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def html_href_spans(html: str) -> list[tuple[int, int]]:
    """(start, end) of every ``href`` attribute value in the tags of ``html`` (not in comments or scripts)."""
    visible = _INVISIBLE_HTML.sub(lambda match: " " * len(match.group(0)), html)
    spans = []
    for tag in _TAG.finditer(visible):
        for attribute in _HREF.finditer(tag.group(0)):
            group = next(index for index in (1, 2, 3) if attribute.group(index) is not None)
            spans.append((tag.start() + attribute.start(group), tag.start() + attribute.end(group)))
    return spans


def rewritable_hrefs_neutral(html: str) -> str:
    """``html`` with the ``href`` values a build may rewrite (internal paths, same-page fragments) made equal,
    for comparing a built post's tags with its source's."""
    for start, end in reversed(html_href_spans(html)):
        if rewritten_in_builds(html[start:end]):
            html = html[:start] + "/…" + html[end:]
    return html


def _recording(rule: Any, *, image: bool) -> Any:
    """Wrap markdown-it's link/image rule to record where each inline destination lies in ``state.src``."""

    def rule_with_positions(state: StateInline, silent: bool) -> bool:
        start = state.pos
        matched = rule(state, silent)
        # Only positions in the inline content being scanned; an image's alt text is parsed as a string of
        # its own (and a link there is plain text in the HTML anyway).
        if matched and not silent and state.src == state.env.get(_SOURCE):
            end = state.pos
            label_start = start + 1 if image else start
            state.pos = start
            label_end = state.md.helpers.parseLinkLabel(state, label_start, not image)
            state.pos = end
            position = label_end + 1
            if label_end >= 0 and position < end and state.src[position] == "(":
                position += 1
                while position < end and state.src[position] in " \t\n":
                    position += 1
                result = parseLinkDestination(state.src, position, end)
                if result.ok and result.pos > position:
                    state.env.setdefault(_DESTINATIONS, []).append((position, result.pos))
        return matched

    return rule_with_positions


@dataclass
class _Line:
    start: int  # offset of the line in the post
    text: str  # without its line ending


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(offset, raw[:-1] if raw.endswith("\r") else raw))
        offset += len(raw) + 1
    return lines


def _locate(content_line: str, line: _Line, cursor: int) -> int | None:
    """Offset in the post where ``content_line`` (a line of an inline token's content) sits in ``line``."""
    text = line.text
    candidates = [
        len(text) - len(content_line),
        len(text.rstrip()) - len(content_line),
        text.find(content_line, cursor),
    ]
    for column in candidates:
        if column >= cursor and text[column : column + len(content_line)] == content_line:
            return line.start + column
    return None


def _content_offsets(token: Token, lines: list[_Line], cursors: dict[int, int]) -> list[int] | None:
    """The post offset of every character of ``token.content`` (and one past its end); None if not located.

    Inline content is the source lines without their container prefixes; in a table cell, markdown-it has
    also turned each ``\\|`` into ``|``.
    """
    if not token.map:
        return None
    offsets: list[int] = []
    for index, content_line in enumerate(token.content.split("\n")):
        line_number = token.map[0] + index
        if line_number >= len(lines):
            return None
        line, cursor = lines[line_number], cursors.get(line_number, 0)
        found = _locate(content_line, line, cursor)
        if found is not None:
            offsets += range(found, found + len(content_line) + 1)
        elif "|" in content_line and (found := _locate(content_line.replace("|", "\\|"), line, cursor)) is not None:
            position = found
            for character in content_line:
                position += character == "|"  # skip the backslash of an escaped pipe
                offsets.append(position)
                position += 1
            offsets.append(position)
        else:
            return None
        cursors[line_number] = offsets[-1] - line.start
    return offsets


_LEAF_BLOCKS = (
    "paragraph_open",
    "heading_open",
    "fence",
    "code_block",
    "html_block",
    "hr",
    "table_open",
)
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*>|[ \t]{0,3}(?:[-+*]|\d{1,9}[.)])(?=[ \t]))*[ \t]*")
_DEFINITION_LABEL = re.compile(r"\[((?:[^\[\]\\]|\\.){1,999})\]:")


def _definition_destinations(
    text: str, lines: list[_Line], tokens: list[Token], env: dict[str, Any]
) -> list[tuple[int, int]]:
    """Destinations of reference definitions (``[label]: /path``), absent from markdown-it's tokens."""
    references = env.get("references") or {}
    if not references:
        return []
    covered = set()
    for token in tokens:
        if token.type in _LEAF_BLOCKS and token.map:
            covered.update(range(token.map[0], token.map[1]))
    found = []
    for number, line in enumerate(lines):
        if number in covered or not line.text.strip():
            continue
        prefix = _CONTAINER_PREFIX.match(line.text)
        column = prefix.end() if prefix else 0
        label = _DEFINITION_LABEL.match(line.text, column)
        if not label or label.group(1).startswith("^") or normalizeReference(label.group(1)) not in references:
            continue
        source, position = line.text, label.end()
        while position < len(source) and source[position] in " \t":
            position += 1
        base = line.start
        if position == len(source) and number + 1 < len(lines):  # the destination is on the next line
            following = lines[number + 1]
            source, base = following.text, following.start
            position = len(source) - len(source.lstrip(" \t>"))
        result = parseLinkDestination(source, position, len(source))
        if result.ok and result.pos > position:
            found.append((base + position, base + result.pos))
    return found


def destinations(markdown: str, dialect: Dialect = COMMONMARK) -> list[tuple[int, int]]:
    """(start, end) offsets in ``markdown`` (a post in ``dialect``) of link and image destinations, reference
    definitions included."""
    md = _recording_parser(dialect)
    env: dict[str, Any] = {}
    tokens = md.parse(mask_front_matter(markdown), env)
    lines = _lines(markdown)
    cursors: dict[int, int] = {}
    spans: list[tuple[int, int]] = []
    for token in tokens:
        if token.type in ("html_block", "mdx_flow"):  # raw HTML, or a line of JSX in an MDX post
            offsets = _content_offsets(_without_final_newline(token), lines, cursors)
            if offsets is not None:
                spans += [
                    (offsets[start], offsets[end - 1] + 1)
                    for start, end in html_href_spans(token.content)
                    if end > start
                ]
            continue
        if token.type != "inline" or not token.content:
            continue
        offsets = _content_offsets(token, lines, cursors)
        if offsets is None:
            continue
        inline_env: dict[str, Any] = dict(env)
        inline_env[_DESTINATIONS] = []
        inline_env[_HTML_SPANS] = []
        inline_env[_SOURCE] = token.content
        md.inline.parse(token.content, md, inline_env, [])
        for html_start, html_end in inline_env[_HTML_SPANS]:
            for start, end in html_href_spans(token.content[html_start:html_end]):
                inline_env[_DESTINATIONS].append((html_start + start, html_start + end))
        for start, end in inline_env[_DESTINATIONS]:
            if end > start:
                spans.append((offsets[start], offsets[end - 1] + 1))
    spans += _definition_destinations(markdown, lines, tokens, env)
    return sorted(set(spans))


def _without_final_newline(token: Token) -> Token:
    """An HTML block's content ends with its last line's break; the located lines do not."""
    copy = token.copy()
    copy.content = token.content.removesuffix("\n")
    return copy


@cache
def _recording_parser(dialect: Dialect) -> MarkdownIt:
    md = new_parser(dialect)
    md.validateLink = lambda _url: True  # type: ignore[method-assign]
    for name in ("link", "image"):
        index = md.inline.ruler.__find__(name)
        original = md.inline.ruler.__rules__[index].fn
        md.inline.ruler.at(name, _recording(original, image=name == "image"))
    for name in ("html_inline", "mdx_text"):  # raw HTML, and JSX in an MDX post's text
        index = md.inline.ruler.__find__(name)
        if index != -1:
            md.inline.ruler.at(name, _recording_html(md.inline.ruler.__rules__[index].fn))
    return md


# A front matter value that is a site path, alone on its line (``link: /en/start/``, ``- "/en/a/"``).
_FRONT_MATTER_PATH = re.compile(
    r"""^[ \t]*(?:-[ \t]+(?:[\w.-]+:[ \t]+)?|[\w.-]+:[ \t]+)(["']?)(/[^\s"'<>]*)\1[ \t]*\r?$""", re.MULTILINE
)


def _front_matter_destinations(front_matter: str, rules: LinkRules) -> list[tuple[int, int]]:
    """In a post's front matter: the paths under the source language's prefix given as values (``link:
    /en/start/``: other paths may not be links), and the ``href`` of HTML in values (a banner's text)."""
    spans = [
        match.span(2) for match in _FRONT_MATTER_PATH.finditer(front_matter) if rules.in_source_language(match[2])
    ]
    return spans + html_href_spans(front_matter)


def rewrite_links(markdown: str, rules: LinkRules, lang: str, dialect: Dialect = COMMONMARK) -> str:
    """``markdown`` (a post in ``dialect``) with its internal link destinations rewritten for ``lang``;
    nothing else changes."""
    if not rules.is_active(lang):
        return markdown
    pieces, previous = [], 0
    head = front_matter_end(markdown)
    for start, end in sorted(_front_matter_destinations(markdown[:head], rules)) + destinations(markdown, dialect):
        raw = markdown[start:end]
        bracketed = raw.startswith("<") and raw.endswith(">")
        destination = raw[1:-1] if bracketed else raw
        rewritten = rules.rewrite(destination, lang)
        if rewritten == destination or start < previous:
            continue
        pieces += [markdown[previous:start], f"<{rewritten}>" if bracketed else rewritten]
        previous = end
    pieces.append(markdown[previous:])
    return "".join(pieces)
