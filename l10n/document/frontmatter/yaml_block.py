"""A translation written as a YAML block scalar (``|`` or ``>``) with the source's header and indentation."""

from __future__ import annotations

from .lines import LINE, line_break_after, lines
from .model import FrontMatterField
from .yaml_values import block_header, min_block_indent, printable


def block_scalar(field: FrontMatterField, translation: str, text: str) -> tuple[str, str] | None:
    """(replacement, value it reads back as) for a block scalar field, if the translation can be one.

    The value's trailing line breaks are the chomping indicator's, whatever the translation ends with.
    """
    header = _header(field, text)
    explicit, chomping = block_header(header)
    content = translation.rstrip("\n")
    if not content or any(ch in "\r\x85\u2028\u2029\ufeff" for ch in content) or not printable(content):
        return None
    segments = content.split("\n")
    body = segments if field.style == "literal" else _folded_lines(segments, _folded_width(field, text))
    if chomping == "+":
        body += [""] * (max(1, len(translation) - len(content)) - 1)
    first = next(line for line in body if line)
    if first.startswith(" ") and explicit is None:
        # A leading space would be read as indentation: state the indentation in the header.
        digit = field.indent - min_block_indent(field.parent_indent) + 1
        if not 1 <= digit <= 9:
            return None
        header = header[0] + str(digit) + header[1:]
    eol = line_break_after(text, field.start)
    margin = " " * field.indent
    replacement = header + "".join(eol + (margin + line if line else "") for line in body)
    return replacement, _chomped(translation, chomping)


def _header(field: FrontMatterField, text: str) -> str:
    """The first line of a block scalar: its indicators and any comment."""
    match = LINE.match(text, field.start, field.end)
    assert match is not None
    return match.group().rstrip("\r\n")


def _chomped(translation: str, chomping: str) -> str:
    content = translation.rstrip("\n")
    if chomping == "-":
        return content
    if chomping == "+":
        return content + "\n" * max(1, len(translation) - len(content))
    return content + "\n"


def _normal_line(line: str) -> bool:
    """A folded-scalar line that folds into its neighbours (not empty, not more indented)."""
    return line[:1] not in ("", " ", "\t")


def _folded_lines(segments: list[str], width: int | None) -> list[str]:
    """Lines of a folded scalar whose value is the segments joined with line breaks.

    Between two normal lines n line breaks take n blank lines (one break alone would fold into a space);
    next to a more-indented line the break itself is kept, so n breaks take n - 1 blank lines.
    """
    folded: list[str] = []
    leading = 0
    while segments[leading] == "":
        folded.append("")
        leading += 1
    previous: str | None = None
    breaks = 0
    for segment in segments[leading:]:
        if segment == "":
            breaks += 1
            continue
        if previous is not None:
            breaks += 1
            folded.extend([""] * (breaks if _normal_line(previous) and _normal_line(segment) else breaks - 1))
        folded.extend(_wrap(segment, width) if _normal_line(segment) else [segment])
        previous, breaks = segment, 0
    return folded


def _folded_width(field: FrontMatterField, text: str) -> int | None:
    """The width the source folded its text at, if it wrapped it over several lines."""
    body = list(lines(text[: field.end], field.start))[1:]
    widths = [len(line) - field.indent for _, line, _ in body if len(line) > field.indent]
    return max(widths) if len(widths) > 1 else None


def _wrap(segment: str, width: int | None) -> list[str]:
    """Break a normal line at single spaces (each folds back into one space) near ``width``."""
    if width is None or len(segment) <= width:
        return [segment]
    breaks = [
        index
        for index in range(1, len(segment) - 1)
        if segment[index] == " " and segment[index - 1] not in " \t" and segment[index + 1] not in " \t"
    ]
    wrapped = []
    start = 0
    while True:
        fitting = [index for index in breaks if start < index <= start + width]
        later = [index for index in breaks if index > start]
        if len(segment) - start <= width or not later:
            wrapped.append(segment[start:])
            return wrapped
        cut = fitting[-1] if fitting else later[0]
        wrapped.append(segment[start:cut])
        start = cut + 1
