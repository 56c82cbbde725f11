"""Write-back: translations placed into the source's layout, checked by re-parsing, rolled back if harmful."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from l10n.problems import Problem

from .extract import Layout, SegmentLayout, blank_head
from .frontmatter import render_value, top_level_keys
from .linebreak import can_interrupt, ends_sentence, safe_block_start, split_into_lines
from .parse import BlockToken, block_signature, block_tokens, normalize, token_windows
from .segments import Document, Rendered, Segment, Span

_EDGE_WHITESPACE = " \t\r\n"
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_UNESCAPED_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)([\[\]])")
_CLOSING_HASHES = re.compile(r"(^|[ \t])(#+)$")
# A line that is only an opening, closing or self-closing tag (HTML, or a JSX component)
_TAG_LINE = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s+[^<>]*?)?/?>")


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` with ``text``."""

    start: int
    end: int
    text: str


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    pieces: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(source[cursor : edit.start])
        pieces.append(edit.text)
        cursor = edit.end
    pieces.append(source[cursor:])
    return "".join(pieces)


def _single_line(text: str) -> str:
    return " ".join(part.strip(_EDGE_WHITESPACE) for part in text.split("\n") if part.strip(_EDGE_WHITESPACE))


def _line_groups(hard_breaks: tuple[bool, ...], count: int) -> list[list[int]]:
    """Line indices grouped by hard breaks: each group is one run of soft-wrapped lines."""
    groups: list[list[int]] = [[]]
    for line in range(count):
        groups[-1].append(line)
        if line < count - 1 and hard_breaks[line]:
            groups.append([])
    return groups


def _lines_edits(
    document: Document, segment: Segment, layout: SegmentLayout, translation: str
) -> tuple[list[Edit], bool]:
    """Edits writing a paragraph-like translation over its source lines; the flag reports a break mismatch."""
    source = document.text
    spans = segment.spans
    groups = _line_groups(layout.hard_breaks, len(spans))
    parts = [part.strip(_EDGE_WHITESPACE) for part in translation.strip(_EDGE_WHITESPACE).split("\n")]
    mismatch = len(parts) != len(groups)
    if mismatch:
        groups = [list(range(len(spans)))]
        parts = [" ".join(part for part in parts if part)]
    edits: list[Edit] = []
    for whole_group, whole_part in zip(groups, parts, strict=True):
        for group, part in _around_tag_lines(source, spans, whole_group, whole_part):
            edits += _group_edits(document, spans, group, part)
    return edits, mismatch


def _around_tag_lines(source: str, spans: tuple[Span, ...], group: list[int], part: str) -> list[tuple[list[int], str]]:
    """``group``'s lines and ``part`` cut around the source lines that are only a tag (``<FileTree>``): such a
    line stays on its own, its breaks where they were, whatever the length of the text around it. Without
    such a line, or when the translation does not keep each tag once, in order: the whole group."""
    texts = [source[spans[line].start : spans[line].end] for line in group]
    pinned = [index for index, text in enumerate(texts) if _TAG_LINE.fullmatch(text) and part.count(text) == 1]
    if not pinned or len(group) < 2:
        return [(group, part)]
    pieces: list[tuple[list[int], str]] = []
    cursor, first = 0, 0
    for index in pinned:
        found = part.find(texts[index], cursor)
        if found == -1:
            return [(group, part)]
        pieces.append((group[first:index], part[cursor:found].strip(_EDGE_WHITESPACE)))
        pieces.append(([group[index]], texts[index]))
        cursor, first = found + len(texts[index]), index + 1
    pieces.append((group[first:], part[cursor:].strip(_EDGE_WHITESPACE)))
    kept = [(lines, text) for lines, text in pieces if lines or text]
    if any(not lines or not text for lines, text in kept):
        return [(group, part)]  # text where the source had none, or lines left without text: no pinning
    line_texts = dict(zip(group, texts, strict=True))
    if any(can_interrupt(text) and text != line_texts[lines[0]] for lines, text in kept[1:]):
        return [(group, part)]  # a continuation line must not open a block (unless the source's line does)
    return kept


def _group_edits(document: Document, spans: tuple[Span, ...], group: list[int], part: str) -> list[Edit]:
    """Edits writing ``part`` over the soft-wrapped source lines ``group``, at the source's proportions."""
    source = document.text
    edits: list[Edit] = []
    source_lines = [source[spans[line].start : spans[line].end] for line in group]
    source_text = " ".join(source_lines)
    known: frozenset[int] = frozenset()
    if part == source_text:
        positions, cumulative = [], 0
        for line_text in source_lines[:-1]:
            cumulative += len(line_text)
            positions.append(cumulative)
            cumulative += 1
        known = frozenset(positions)
    semantic = len(source_lines) > 1 and all(ends_sentence(line) for line in source_lines[:-1])
    new_lines = split_into_lines(
        part, [len(line) for line in source_lines], known_breaks=known, sentence_breaks=semantic and not known
    )
    new_lines = safe_block_start(new_lines, source_line=source_lines[0], dialect=document.dialect) or [""]
    for position, line_text in enumerate(new_lines):
        span = spans[group[position]]
        edits.append(Edit(span.start, span.end, line_text))
    if len(new_lines) < len(group):
        kept_last = spans[group[len(new_lines) - 1]]
        dropped_last = spans[group[-1]]
        edits.append(Edit(kept_last.end, dropped_last.end, ""))
    return edits


def _line_start(text: str, offset: int) -> int:
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def _code_edits(source: str, spans: tuple[Span, ...], translation: str) -> list[Edit]:
    """A code block's translation written line for line over its source lines. A line the source has blank
    (no indentation left) gets the block's indentation and container prefix, taken from its last line with
    code; lines beyond the source's are added after its last line with that prefix; lines the translation
    lacks are removed; a blank line of the translation keeps no indentation. The translation's own
    whitespace is kept otherwise: code is written as it is."""
    lines = translation.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    prefixes = [source[_line_start(source, span.start) : span.start] for span in spans if span.end > span.start]
    prefix = prefixes[-1] if prefixes else ""
    edits: list[Edit] = []
    for span, line in zip(spans, lines, strict=False):
        start = _line_start(source, span.start)
        own_prefix = source[start : span.start]
        if not line:  # a blank line: no indentation left behind (a quote's marker stays)
            edits.append(Edit(start, span.end, own_prefix.rstrip(" \t")))
        elif span.start == span.end and own_prefix != prefix:
            edits.append(Edit(start, span.end, prefix + line))
        else:
            edits.append(Edit(span.start, span.end, line))
    last = spans[-1]
    if len(lines) > len(spans):
        newline = "\r\n" if source.startswith("\r\n", last.end) else "\r" if source.startswith("\r", last.end) else "\n"
        added = "".join(newline + (prefix + line if line else prefix.rstrip(" \t")) for line in lines[len(spans) :])
        edits[-1] = Edit(edits[-1].start, edits[-1].end, edits[-1].text + added)
    elif len(lines) < len(spans):
        edits.append(Edit(spans[len(lines) - 1].end, last.end, ""))
    return edits


def _brackets_balanced(text: str) -> bool:
    depth = 0
    for match in _UNESCAPED_BRACKET.finditer(text):
        depth += 1 if match.group(2) == "[" else -1
        if depth < 0:
            return False
    return depth == 0


def _inline_text(layout: SegmentLayout, translation: str, source: str, span: Span) -> str:
    text = _single_line(translation)
    if layout.mode == "cell":
        return _UNESCAPED_PIPE.sub(lambda m: m.group(1) + "\\|", text)
    if layout.mode in ("alt", "label") and not _brackets_balanced(text):
        return _UNESCAPED_BRACKET.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    if layout.mode == "jsx":  # a JSX string has no escapes: its quote becomes a character reference
        quote = source[span.start - 1]
        return text.replace(quote, "&#34;" if quote == '"' else "&#39;")
    if layout.mode == "title":
        quote = source[span.start - 1]
        return re.sub(rf"(?<!\\)((?:\\\\)*){quote}", lambda m: m.group(1) + "\\" + quote, text)
    if layout.mode == "heading":
        return _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return text


def segment_edits(document: Document, segment: Segment, translation: str) -> tuple[list[Edit], list[Problem]]:
    layout: SegmentLayout = document.layout.segments[segment.index]
    span = segment.spans[0]
    if layout.mode == "front matter":
        assert layout.field is not None
        try:
            return [Edit(span.start, span.end, render_value(layout.field, translation, document.text))], []
        except ValueError as error:
            return [], [Problem("front-matter", "error", f"translation cannot be written: {error}", line=segment.line)]
    if layout.mode == "code":
        return _code_edits(document.text, segment.spans, translation), []
    if layout.mode == "lines":
        edits, mismatch = _lines_edits(document, segment, layout, translation)
        problems = []
        if mismatch:
            problems.append(
                Problem(
                    "line-breaks",
                    "warning",
                    "the translation's hard line breaks differ from the source's",
                    line=segment.line,
                )
            )
        return edits, problems
    return [Edit(span.start, span.end, _inline_text(layout, translation, document.text, span))], []


def _touches_front_matter(document: Document, chosen: Mapping[int, str]) -> bool:
    return any(document.layout.segments[index].mode == "front matter" for index in chosen)


@dataclass(frozen=True)
class _Verified:
    """An output that parses to the source's structure: its body's block tokens and where the body starts."""

    blocks: tuple[BlockToken, ...]
    body_start: int


def _verify(document: Document, output: str, *, front_matter_changed: bool) -> _Verified | None:
    """The output's parse when it has the source's structure (front matter keys, blocks, inline markup
    kinds), else None."""
    layout: Layout = document.layout
    body_start = layout.front_matter.end if layout.front_matter else 0
    if front_matter_changed:
        read = top_level_keys(output)
        if read is None or layout.front_matter is None or read[0] != list(layout.front_matter.data):
            return None
        body_start = read[1]
    blocks: list[BlockToken] = []
    expected, compared = layout.signature, 0
    text = normalize(blank_head(output, body_start)).text
    for window in token_windows(text, document.dialect, recording=False):
        signature = block_signature(window.tokens)
        if tuple(signature) != expected[compared : compared + len(signature)]:
            return None
        compared += len(signature)
        blocks += block_tokens(window.tokens)
    if compared != len(expected):
        return None
    return _Verified(tuple(blocks), body_start)


def _write(document: Document, chosen: Mapping[int, str]) -> tuple[str, list[Problem]]:
    edits: list[Edit] = []
    problems: list[Problem] = []
    for index, translation in chosen.items():
        segment_edit, segment_problems = segment_edits(document, document.segments[index], translation)
        edits.extend(segment_edit)
        problems.extend(segment_problems)
    return apply_edits(document.text, edits), problems


def _written_and_verified(document: Document, chosen: Mapping[int, str]) -> tuple[str, list[Problem], _Verified | None]:
    output, problems = _write(document, chosen)
    return output, problems, _verify(document, output, front_matter_changed=_touches_front_matter(document, chosen))


def render(document: Document, translations: Mapping[str, str], *, force: bool = False) -> Rendered:
    """The post with each segment's translation in place; the source bytes wherever there is none.

    ``translations`` maps msgid to msgstr; a missing or blank msgstr keeps the source text. A translation equal
    to its msgid keeps the source bytes too, unless ``force`` (which exercises the full write-back).
    If the output no longer parses to the source's structure, the segments responsible are rolled back to
    their source text and reported.
    """
    chosen: dict[int, str] = {}
    for segment in document.segments:
        translation = translations.get(segment.msgid)
        if not translation or not translation.strip(_EDGE_WHITESPACE):
            continue
        if translation == segment.msgid and not force:
            continue
        chosen[segment.index] = translation
    if not chosen:
        return Rendered(document.text, (), 0)
    output, problems, verified = _written_and_verified(document, chosen)
    if verified is not None:
        return Rendered(output, tuple(problems), len(chosen), verified.blocks, verified.body_start)
    harmful = {
        index
        for index, translation in chosen.items()
        if _written_and_verified(document, {index: translation})[2] is None
    }
    kept = {index: translation for index, translation in chosen.items() if index not in harmful}
    output, problems, verified = _written_and_verified(document, kept) if kept else (document.text, [], None)
    if verified is None:
        harmful |= set(kept)
        kept = {}
        output, problems = document.text, []
    for index in sorted(harmful):
        segment = document.segments[index]
        problems.append(
            Problem(
                "structure",
                "error",
                f"translation changes the document structure; kept the source ({segment.kind})",
                line=segment.line,
            )
        )
    if verified is None:  # nothing kept: the source, as it is
        return Rendered(output, tuple(problems), 0)
    return Rendered(output, tuple(problems), len(kept), verified.blocks, verified.body_start)
