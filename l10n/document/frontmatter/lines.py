"""Line arithmetic over text whose lines end in LF, CRLF or a lone CR."""

from __future__ import annotations

import re
from collections.abc import Iterator

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lines(text: str, pos: int) -> Iterator[tuple[int, str, int]]:
    """Yield (start, line without its break, end after its break) from ``pos`` on."""
    while pos < len(text):
        match = LINE.match(text, pos)
        assert match is not None
        raw = match.group()
        yield pos, raw.rstrip("\r\n"), match.end()
        pos = match.end()


def line_at(text: str, offset: int) -> int:
    """1-based line of ``offset``; CRLF, LF and a lone CR each end a line (as in YAML and CommonMark)."""
    crlf = text.count("\r\n", 0, offset)
    return 1 + text.count("\n", 0, offset) + text.count("\r", 0, offset) - crlf


def line_break_after(text: str, pos: int) -> str:
    """The first line break from ``pos`` on, LF if there is none."""
    match = _LINE_BREAK.search(text, pos)
    return match.group() if match else "\n"


def first_meaningful_line(content: str) -> str:
    """The first line that is neither blank nor a ``#`` comment."""
    for _, line, _ in lines(content, 0):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""
