"""Extraction: a post's text to its ordered translatable segments.

Longer than 500 lines because the extractor is one walk over the token stream: each kind of block (paragraph,
heading, table cell, directive label, component attribute, code block) is a method sharing the walk's state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.token import Token

from l10n.problems import Problem

from .dialects import ENTRY, MODE, SPAN
from .frontmatter import FrontMatter, FrontMatterField, parse_front_matter
from .frontmatter.keys import concrete_key
from .markdown import COMMONMARK, Dialect
from .parse import LINES_META, BlockToken, NormalizedText, block_signature, block_tokens, normalize, token_windows
from .segments import CODE_KIND, Document, Segment, Span
from .words import has_words

DEFAULT_FRONT_MATTER_KEYS = ("title", "description")
_TASK_MARKER = re.compile(r"\[[ xX]\][ \t]+")
# A heading's trailing id or attribute block (``## Titre {#mon-id}``, ``{#id .class}`` of Hugo, VitePress,
# Docusaurus and markdown-it-attrs; ``{/*id*/}`` of MDX sites): the page's anchor, layout rather than text.
_HEADING_ATTRIBUTES = re.compile(
    r"[ \t]*(?:\{/\*[ \t]*[\w.:-]+[ \t]*\*/\}"
    r"|\{[ \t]*(?:[#.][\w.:-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[\w.:-]+))"
    r"(?:[ \t]+(?:[#.][\w.:-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[\w.:-]+)))*[ \t]*\})\Z"
)
_TEMPLATE_DIRECTIVE = re.compile(r"\{[{%<].*[}%>]\}")
# An inline destination followed by a quoted title, for image titles (tooltips) worth translating
_INLINE_TITLE = re.compile(
    r"""\([ \t]*(?:<[^<>\n]*>|[^\s()<]+)[ \t]+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')[ \t]*\)"""
)
_CONTAINER_KINDS = {
    "list_item_open": "list item",
    "blockquote_open": "blockquote",
    "footnote_open": "footnote",
}


@dataclass(frozen=True, slots=True)
class SegmentLayout:
    """How a segment sits in the source, for write-back.

    ``mode``: ``lines`` (paragraph or setext heading text over several lines), ``cell`` (table cell),
    ``heading`` (ATX heading text), ``alt`` (image alt text), ``front matter``, ``code`` (a code block's
    lines, one span each), ``label`` and ``jsx`` (a dialect's syntax entries).
    ``hard_breaks[i]`` tells whether line ``i`` ends with a hard break (marker outside the span).
    """

    mode: str
    hard_breaks: tuple[bool, ...] = ()
    inline_token: int | None = None
    field: FrontMatterField | None = None


@dataclass(frozen=True)
class Body:
    """The extraction of a post's Markdown body: segments in source order (indexed from 0) with their layouts,
    the problems met, and the structure render and the checks compare outputs with."""

    segments: tuple[Segment, ...]
    layouts: tuple[SegmentLayout, ...]
    problems: tuple[Problem, ...]
    signature: tuple[tuple[object, ...], ...]
    blocks: tuple[BlockToken, ...]


@dataclass(frozen=True)
class Layout:
    """What render needs beyond the segments: front matter, body parse, structure signature."""

    front_matter: FrontMatter | None
    front_matter_keys: tuple[str, ...]
    segments: tuple[SegmentLayout, ...]
    signature: tuple[tuple[object, ...], ...]
    blocks: tuple[BlockToken, ...] = ()  # the body's block tokens (no inline ones), for the checks of built posts


def body_text(text: str, front_matter: FrontMatter | None) -> str:
    """The text markdown-it parses: front matter (and a BOM) blanked out, so offsets and lines stay put."""
    return blank_head(text, front_matter.end if front_matter else 0)


def blank_head(text: str, end: int) -> str:
    """``text`` with ``text[:end]`` (at least a BOM) turned into spaces, its line breaks kept."""
    if end == 0 and text.startswith("\ufeff"):
        end = 1
    if end == 0:
        return text
    head = "".join(char if char in "\r\n" else " " for char in text[:end])
    return head + text[end:]


def has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


class _Extractor:
    def __init__(self, text: str, front_matter: FrontMatter | None, dialect: Dialect) -> None:
        self.text = text
        self.dialect = dialect
        self.normalized: NormalizedText = normalize(body_text(text, front_matter))
        self.tokens: list[Token] = []  # the window being read (the whole body, but for a huge one)
        self._first = 0  # the index of its first token among the whole body's
        self.segments: list[Segment] = []
        self.layouts: list[SegmentLayout] = []
        self.problems: list[Problem] = []
        # table rows: the located cells of each row line, and how many of them the row's tokens used so far
        self._row_cells: dict[int, list[tuple[int, int]]] = {}
        self._row_cursor: dict[int, int] = {}
        self._line_starts: list[int] | None = None  # of the normalized text's lines, computed when first needed

    # -- helpers ------------------------------------------------------------------------------------------
    def _source_span(self, start: int, end: int) -> Span:
        return Span(self.normalized.source_offset(start), self.normalized.source_offset(end))

    def _add(
        self,
        msgid: str,
        kind: str,
        line: int,
        spans: Sequence[Span],
        layout: SegmentLayout,
        context: str | None = None,
    ) -> None:
        if not msgid or not has_letters(msgid):
            return
        inline = self.tokens[layout.inline_token - self._first] if layout.inline_token is not None else None
        if inline is not None and _has_inline_text(layout) and not has_words(inline.children or ()):
            return  # only code, URLs or atomic syntax: nothing to translate
        self.segments.append(Segment(len(self.segments), msgid, kind, line, tuple(spans), context))
        self.layouts.append(layout)

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(Problem("span-not-located", "warning", message, line=line))

    # -- body ---------------------------------------------------------------------------------------------
    def add_body(self) -> None:
        containers: list[str] = []
        heading_level: int | None = None
        heading_markup = ""
        in_paragraph = False
        for index, token in enumerate(self.tokens, self._first):
            if token.type in _CONTAINER_KINDS:
                containers.append(_CONTAINER_KINDS[token.type])
            elif token.type.replace("_close", "_open") in _CONTAINER_KINDS and token.nesting == -1:
                containers.pop()
            elif token.type == "heading_open":
                heading_level = int(token.tag[1:])
                heading_markup = token.markup
            elif token.type == "heading_close":
                heading_level = None
            elif token.type == "paragraph_open":
                in_paragraph = True
            elif token.type == "paragraph_close":
                in_paragraph = False
            elif token.type in ("fence", "code_block") and self.dialect.code_blocks:
                self._add_code_block(token)
            elif token.type == "inline":
                if ENTRY in token.meta:
                    self._add_syntax_entry(index, token)
                elif heading_level is not None:
                    if heading_markup.startswith("#"):
                        self._add_atx_heading(index, token, heading_level)
                    else:
                        self._add_lines(index, token, f"heading {heading_level}")
                elif in_paragraph:
                    self._add_paragraph(index, token, containers[-1] if containers else "paragraph")
                else:
                    self._add_table_cell(index, token)

    def _add_syntax_entry(self, index: int, token: Token) -> None:
        """A directive label or container title: one line of the source, its own entry."""
        start, end = token.meta[SPAN]
        if self.normalized.text[start:end] != token.content or not token.map:
            self._problem(token.map[0] + 1 if token.map else 1, "label not located; left untranslated")
            return
        self._add(
            token.content, token.meta[ENTRY], token.map[0] + 1, [self._source_span(start, end)],
            SegmentLayout(token.meta.get(MODE, "label"), (), index),
        )

    def _add_code_block(self, token: Token) -> None:
        """A fenced or indented code block's lines, each span the line's code after its indentation and
        container prefix (as markdown-it's content has it); an entry whose translation is optional."""
        if not token.map or not token.content:
            return
        lines = token.content.split("\n")
        if lines[-1] == "":
            lines.pop()
        first = token.map[0] + (1 if token.type == "fence" else 0)
        if first + len(lines) > token.map[1]:
            self._problem(token.map[0] + 1, "code block lines not located; left as they are")
            return
        spans = []
        for offset, code in enumerate(lines):
            start, end = self._line_range(first + offset)
            text = self.normalized.text[start:end]
            prefix = text[: len(text) - len(code)]
            if not text.endswith(code) or prefix.strip(" \t>"):
                self._problem(first + offset + 1, "code block line not located; left as it is")
                return
            spans.append(self._source_span(end - len(code), end))
        self._add("\n".join(lines), CODE_KIND, first + 1, spans, SegmentLayout("code"), context=CODE_KIND)

    def _line_range(self, line: int) -> tuple[int, int]:
        """The offsets of the 0-based ``line`` of the normalized text, without its line break."""
        if self._line_starts is None:
            text = self.normalized.text
            self._line_starts = [0, *(index + 1 for index, char in enumerate(text) if char == "\n")]
        starts = self._line_starts
        start = starts[line]
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(self.normalized.text)
        return start, end

    def _recorded(self, token: Token) -> dict[int, tuple[int, int]] | None:
        lines = token.meta.get(LINES_META)
        if lines is None and token.map:
            self._problem(token.map[0] + 1, "no recorded offsets for this block")
        return lines

    def _add_paragraph(self, index: int, token: Token, kind: str) -> None:
        if _TEMPLATE_DIRECTIVE.fullmatch(token.content):
            return
        children = token.children or []
        images = [child for child in children if child.type == "image"]
        if images and all(
            child.type in ("image", "link_open", "link_close", "softbreak")
            or (child.type == "text" and not child.content.strip())
            for child in children
        ):
            self._add_alt_texts(index, token, images)
            return
        self._add_lines(index, token, kind)

    def _add_lines(self, index: int, token: Token, kind: str) -> None:
        recorded = self._recorded(token)
        if recorded is None or not token.map:
            return
        content_lines = token.content.split("\n")
        first_line = token.map[0]
        src = self.normalized.text
        spans: list[tuple[int, int]] = []
        hard_breaks: list[bool] = []
        for offset, expected in enumerate(content_lines):
            line = first_line + offset
            if line not in recorded:
                self._problem(line + 1, "line offsets missing")
                return
            start, end = recorded[line]
            raw = src[start:end]
            stripped = raw.rstrip(" \t")
            text_end = start + len(stripped)
            is_last = offset == len(content_lines) - 1
            hard = False
            if not is_last:
                if raw.endswith("  "):
                    hard = True
                elif _ends_with_odd_backslashes(stripped) and len(stripped) == len(raw):
                    hard = True
                    text_end -= 1
            if offset == 0 and _is_task_item(token):
                # the task-list plugin drops "[ ] " from the content: it is layout, like a list marker
                marker = _TASK_MARKER.match(src, start, text_end)
                if marker:
                    start = marker.end()
            verified_end = text_end + 1 if hard and not raw.endswith(" ") else text_end
            if src[start:verified_end].strip(MD_TRIM_CHARS) != expected.strip(MD_TRIM_CHARS):
                self._problem(line + 1, "text does not match the parsed content; left untranslated")
                return
            spans.append((start, text_end))
            hard_breaks.append(hard)
        msgid = join_lines([src[s:e] for s, e in spans], hard_breaks)
        self._add(
            msgid,
            kind,
            first_line + 1,
            [self._source_span(s, e) for s, e in spans],
            SegmentLayout("lines", tuple(hard_breaks), index),
        )

    def _add_atx_heading(self, index: int, token: Token, level: int) -> None:
        recorded = self._recorded(token)
        if recorded is None or not token.map or not token.content:
            return
        line = token.map[0]
        start, end = recorded[line]
        src = self.normalized.text
        cursor = start
        while cursor < end and src[cursor] == "#":
            cursor += 1
        found = src.find(token.content, cursor, end)
        if found == -1:
            self._problem(line + 1, "heading text not found in its line; left untranslated")
            return
        content = token.content
        attributes = _HEADING_ATTRIBUTES.search(content)
        if attributes is not None:
            content = content[: attributes.start()]
        span_end = found + len(content)
        self._add(
            content,
            f"heading {level}",
            line + 1,
            [self._source_span(found, span_end)],
            SegmentLayout("heading", inline_token=index),
        )

    def _add_table_cell(self, index: int, token: Token) -> None:
        # Cells of one row share the row's line; locate them all when the row's first cell comes by.
        recorded = self._recorded(token)
        if recorded is None or not token.map:
            return
        line = token.map[0]
        if line not in self._row_cells:
            start, end = recorded[line]
            self._row_cells[line] = list(table_cell_ranges(self.normalized.text, start, end))
            self._row_cursor[line] = 0
        cells = self._row_cells[line]
        position = self._row_cursor[line]
        self._row_cursor[line] = position + 1
        if position >= len(cells) or not token.content:
            return
        start, end = cells[position]
        raw = self.normalized.text[start:end]
        if _unescape_pipes(raw) != token.content:
            self._problem(line + 1, "table cell not located; left untranslated")
            return
        self._add(raw, "table cell", line + 1, [self._source_span(start, end)], SegmentLayout("cell", (), index))

    def _add_alt_texts(self, index: int, token: Token, images: list[Token]) -> None:
        recorded = self._recorded(token)
        if recorded is None or not token.map:
            return
        src = self.normalized.text
        lines = [recorded[line] for line in range(token.map[0], token.map[1]) if line in recorded]
        cursor_line = 0
        cursor = lines[0][0] if lines else 0
        for image in images:
            needle = "![" + image.content + "]"
            found = -1
            while cursor_line < len(lines):
                found = src.find(needle, max(cursor, lines[cursor_line][0]), lines[cursor_line][1])
                if found != -1:
                    break
                cursor_line += 1
            if found == -1:
                self._problem(token.map[0] + 1, "image alt text not located; left untranslated")
                return
            start = found + 2
            end = start + len(image.content)
            cursor = end
            if "\n" in image.content or not _is_inline_or_full_reference(src, end + 1):
                continue
            line_number = token.map[0] + cursor_line + 1
            self._add(
                image.content, "image alt", line_number, [self._source_span(start, end)],
                SegmentLayout("alt", (), index),
            )
            title = _INLINE_TITLE.match(src, end + 1, lines[cursor_line][1])
            raw_title = title and (title.group(1) if title.group(1) is not None else title.group(2))
            if title and raw_title and raw_title == image.attrs.get("title"):
                title_start = title.start(1) if title.group(1) is not None else title.start(2)
                self._add(
                    raw_title, "image title", line_number,
                    [self._source_span(title_start, title_start + len(raw_title))],
                    SegmentLayout("title", (), index),
                )

    def run(self) -> Body:
        signature: list[tuple[object, ...]] = []
        blocks: list[BlockToken] = []
        for window in token_windows(self.normalized.text, self.dialect):
            self.tokens = window.tokens
            self.add_body()
            signature += block_signature(self.tokens)
            blocks += block_tokens(self.tokens)
            self._first += len(self.tokens)
        self.tokens = []
        self._sort_in_source_order()
        return Body(tuple(self.segments), tuple(self.layouts), tuple(self.problems), tuple(signature), tuple(blocks))

    def _sort_in_source_order(self) -> None:
        # markdown-it moves footnote definitions to the end of the token stream; translators want source order
        pairs = sorted(zip(self.segments, self.layouts, strict=True), key=lambda pair: pair[0].spans[0].start)
        self.segments = [replace(segment, index=index) for index, (segment, _) in enumerate(pairs)]
        self.layouts = [layout for _, layout in pairs]


def _has_inline_text(layout: SegmentLayout) -> bool:
    return layout.inline_token is not None and layout.mode in ("lines", "heading", "cell", "label")


def _is_inline_or_full_reference(src: str, after_label: int) -> bool:
    """Whether the image whose label ends before ``after_label`` has a destination or a separate label.

    In a shortcut (``![foo]``) or collapsed (``![foo][]``) reference the alt text is the reference label:
    translating it would break the image, so it is not a segment of its own.
    """
    following = src[after_label : after_label + 2]
    return following.startswith("(") or (following.startswith("[") and following != "[]")


def _is_task_item(token: Token) -> bool:
    first = (token.children or [None])[0]
    return first is not None and first.type == "html_inline" and "task-list-item-checkbox" in first.content


def _ends_with_odd_backslashes(text: str) -> bool:
    count = len(text) - len(text.rstrip("\\"))
    return count % 2 == 1


def join_lines(lines: list[str], hard_breaks: list[bool]) -> str:
    parts: list[str] = []
    for position, line in enumerate(lines):
        parts.append(line)
        if position < len(lines) - 1:
            parts.append("\n" if hard_breaks[position] else " ")
    return "".join(parts)


def _unescape_pipes(cell: str) -> str:
    """The cell text as markdown-it's table rule sees it: an escaped pipe loses its backslash."""
    out: list[str] = []
    escaped = False
    for char in cell:
        if char == "|" and escaped:
            out.pop()
        out.append(char)
        escaped = char == "\\"
    return "".join(out)


def table_cell_ranges(src: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trimmed ranges of a table row's cells, split as markdown-it's ``escapedSplit`` does."""
    while start < end and src[start] in MD_TRIM_CHARS:
        start += 1
    while end > start and src[end - 1] in MD_TRIM_CHARS:
        end -= 1
    raw_cells: list[tuple[int, int]] = []
    cell_start = start
    escaped = False
    for position in range(start, end):
        char = src[position]
        if char == "|" and not escaped:
            raw_cells.append((cell_start, position))
            cell_start = position + 1
        escaped = char == "\\"
    raw_cells.append((cell_start, end))
    if raw_cells and raw_cells[0][0] == raw_cells[0][1]:
        raw_cells.pop(0)
    if raw_cells and raw_cells[-1][0] == raw_cells[-1][1]:
        raw_cells.pop()
    trimmed = []
    for cell_start, cell_end in raw_cells:
        while cell_start < cell_end and src[cell_start] in MD_TRIM_CHARS:
            cell_start += 1
        while cell_end > cell_start and src[cell_end - 1] in MD_TRIM_CHARS:
            cell_end -= 1
        trimmed.append((cell_start, cell_end))
    return trimmed


def extract(
    text: str, *, front_matter_keys: Sequence[str] = DEFAULT_FRONT_MATTER_KEYS, dialect: Dialect = COMMONMARK
) -> Document:
    """Parse a post, read in ``dialect``, into its translatable segments, in source order.

    Raises FrontMatterError on bad YAML.
    """
    keys = tuple(front_matter_keys)
    front_matter = parse_front_matter(text, keys)
    return assemble(text, keys, front_matter, extract_body(text, front_matter, dialect), dialect=dialect)


def extract_body(text: str, front_matter: FrontMatter | None, dialect: Dialect = COMMONMARK) -> Body:
    """The Markdown body's part of the extraction (the costly part: a full parse)."""
    return _Extractor(text, front_matter, dialect).run()


def assemble(
    text: str, keys: tuple[str, ...], front_matter: FrontMatter | None, body: Body, *, dialect: Dialect = COMMONMARK
) -> Document:
    """The document of ``text`` from its front matter and its body's extraction.

    Front matter comes first in a post, so its segments precede the body's.
    """
    head = sorted(_front_matter_segments(front_matter), key=lambda pair: pair[0].spans[0].start)
    pairs = [*head, *zip(body.segments, body.layouts, strict=True)]
    layout = Layout(
        front_matter=front_matter,
        front_matter_keys=keys,
        segments=tuple(segment_layout for _, segment_layout in pairs),
        signature=body.signature,
        blocks=body.blocks,
    )
    return Document(
        text=text,
        segments=tuple(replace(segment, index=index) for index, (segment, _) in enumerate(pairs)),
        front_matter=front_matter.data if front_matter else None,
        problems=body.problems,
        dialect=dialect,
        layout=layout,
    )


def _front_matter_segments(front_matter: FrontMatter | None) -> list[tuple[Segment, SegmentLayout]]:
    if front_matter is None:
        return []
    return [
        (
            Segment(
                0,
                field.value,
                f"front matter: {concrete_key(field.key, field.path)}",
                field.line,
                (Span(field.start, field.end),),
            ),
            SegmentLayout("front matter", field=field),
        )
        for field in front_matter.fields
        if field.value and has_letters(field.value)
    ]
