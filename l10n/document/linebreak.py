"""Placing a translated text on the source's lines without changing what the Markdown means.

Two questions decide whether a line may start with a given text: could it open a block at the start of a
paragraph (every CommonMark block start), and could it interrupt a paragraph (a stricter subset, but we are
conservative: any list marker, fence, heading, quote, table pipe or HTML tag start counts).
"""

from __future__ import annotations

import re

from .markdown import COMMONMARK, Dialect
from .parse import parse_structure

_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|"
    "div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|"
    "iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|"
    "table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^"'=<>`\s]+|'[^']*'|"[^"]*"))?"""
_OPEN_OR_CLOSE_TAG_LINE = re.compile(
    rf"(?:<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$"
)

# Starts that interrupt a paragraph (and so must never begin a continuation line we create).
_INTERRUPTS = re.compile(
    r"""(?x)
    \#{1,6}(?:[ \t]|$)            # ATX heading
    | >                           # block quote
    | [-+*](?:[ \t]|$)            # bullet list item (also covers thematic breaks and setext underlines)
    | \d{1,9}[.)](?:[ \t]|$)      # ordered list item (any number: a list context may accept it)
    | =+[ \t]*$                   # setext underline
    | (?:`{3,}|~{3,})             # fence
    | (?:\*[ \t]*){3,}$ | (?:_[ \t]*){3,}$   # thematic break
    | <(?:[A-Za-z/!?])            # any HTML-looking start: block types 1-6 (7 cannot interrupt, but is cheap to avoid)
    | \|                          # table row
    | \[\^[^\]]*\]:               # footnote definition
    | ::                          # directive and container fences of site generators (::leaf, :::name)
    | \{                          # MDX expression / attribute blocks
    """
)

# Block starts at the start of a paragraph that _INTERRUPTS does not already cover.
_PARAGRAPH_START_ONLY = re.compile(
    rf"""(?x)
    \[[^\]]+\]:                  # link reference definition
    | (?i:<(?:{_HTML_BLOCK_TAGS})(?:[ \t>/]|$))
    """
)


def can_interrupt(line: str) -> bool:
    """Whether ``line`` (without indentation) might end a paragraph and start another block."""
    return bool(_INTERRUPTS.match(line))


def opens_block(line: str) -> bool:
    """Whether ``line`` would open something other than a paragraph at the start of a block."""
    return bool(
        _INTERRUPTS.match(line) or _PARAGRAPH_START_ONLY.match(line) or _OPEN_OR_CLOSE_TAG_LINE.match(line)
    )


_ORDERED_MARKER = re.compile(r"(\d{1,9})([.)])")


def escape_line_start(line: str) -> str:
    """Backslash-escape the character that makes ``line`` open a block; renders as the same text."""
    marker = _ORDERED_MARKER.match(line)
    if marker:
        return f"{marker.group(1)}\\{line[marker.end(1):]}"
    if line and line[0] in "#>-+*=`~<|[:{_":
        return "\\" + line
    return line


def safe_block_start(
    lines: list[str], *, source_line: str | None = None, dialect: Dialect = COMMONMARK
) -> list[str]:
    """``lines`` as the start of a paragraph, the first escaped if they would open another kind of block.

    A first line identical to the source's is left alone: the source proves it is a paragraph there. Lines
    the quick pattern flags are parsed on their own to confirm, so that nothing is escaped needlessly.
    """
    if not lines or lines[0] == source_line or not opens_block(lines[0]):
        return lines
    if parses_as_one_paragraph("\n".join(lines), dialect):
        return lines
    return [escape_line_start(lines[0]), *lines[1:]]


def parses_as_one_paragraph(text: str, dialect: Dialect = COMMONMARK) -> bool:
    tokens = parse_structure(text, dialect)
    return len(tokens) == 3 and tokens[0].type == "paragraph_open"


def _protected_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges where a line break would change meaning: code spans and ``<...>`` (autolinks, HTML, dests)."""
    ranges: list[tuple[int, int]] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            run_end = index
            while run_end < length and text[run_end] == "`":
                run_end += 1
            fence = text[index:run_end]
            close = text.find(fence, run_end)
            while close != -1 and close + len(fence) < length and text[close + len(fence)] == "`":
                close = text.find(fence, close + len(fence) + 1)
            if close == -1:
                index = run_end
                continue
            ranges.append((index, close + len(fence)))
            index = close + len(fence)
            continue
        if char == "<":
            close = text.find(">", index)
            if close != -1:
                ranges.append((index, close + 1))
                index = close + 1
                continue
        index += 1
    return ranges


def break_candidates(text: str) -> list[int]:
    """Indices of single spaces where ``text`` may be split into two lines."""
    protected = _protected_ranges(text)
    candidates = []
    for index, char in enumerate(text):
        if char != " " or index == 0 or index == len(text) - 1:
            continue
        if text[index - 1] in " \t" or text[index + 1] in " \t":
            continue
        if any(start < index < end for start, end in protected):
            continue
        if can_interrupt(text[index + 1 :]):
            continue
        candidates.append(index)
    return candidates


_SENTENCE_END = re.compile(r"[.!?:;]['\"’”»)\]*_]*$")


def ends_sentence(line: str) -> bool:
    """Whether a line of text ends a sentence (or a clause introducing what follows: ``:``, ``;``)."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def split_into_lines(
    text: str,
    source_lengths: list[int],
    *,
    known_breaks: frozenset[int] = frozenset(),
    sentence_breaks: bool = False,
) -> list[str]:
    """Split ``text`` into at most ``len(source_lengths)`` lines, at spaces near the source's proportions.

    Returns fewer lines when the text has fewer safe break points than the source had lines.
    ``known_breaks`` are positions that are safe whatever they are followed by (the source's own breaks when
    the text is the source's). ``sentence_breaks``: the source breaks its lines at the ends of sentences
    (semantic line breaks); the text is then broken at its own sentence ends when it has enough of them.
    """
    wanted = len(source_lengths)
    if wanted <= 1:
        return [text]
    candidates = sorted(set(break_candidates(text)) | known_breaks)
    if sentence_breaks:
        at_sentence_ends = [index for index in candidates if ends_sentence(text[:index])]
        if len(at_sentence_ends) >= wanted - 1:
            candidates = at_sentence_ends
    if not candidates:
        return [text]
    total_source = sum(source_lengths) + wanted - 1
    scale = len(text) / total_source if total_source else 1.0
    cuts: list[int] = []
    cumulative = 0
    previous = -1
    for position, length in enumerate(source_lengths[:-1]):
        cumulative += length + (1 if position else 0)
        target = round(cumulative * scale) if scale != 1.0 else cumulative
        remaining_cuts = wanted - 1 - len(cuts)
        usable = [c for c in candidates if c > previous]
        if not usable:
            break
        # leave room for the cuts still to place
        usable = usable[: max(1, len(usable) - remaining_cuts + 1)]
        best = min(usable, key=lambda c: (abs(c - target), c))
        cuts.append(best)
        previous = best
    lines = []
    start = 0
    for cut in cuts:
        lines.append(text[start:cut])
        start = cut + 1
    lines.append(text[start:])
    return [line for line in lines if line]
