"""A huge Markdown body parsed a window at a time, so that its tokens are never all held at once.

markdown-it builds every token of a text before returning, several hundred bytes each, children included: a
post of 200,000 paragraphs would hold about a million tokens. Bodies longer than :data:`WINDOW_CHARS` are cut
into windows where the parse of the whole body provably starts a new top-level block, each parsed alone; the
windows' tokens, their lines and offsets moved to the whole body's, are the whole body's tokens.

A cut is made before a line that starts with a letter at column 0 and follows a blank line (no list item,
quote, code or HTML block starts with a letter), and kept only if no block of the window before it runs
to the window's end (an unclosed fence, an HTML comment or anything else a blank line does not end would):
what comes after such a cut is read from a new top-level block by both parses. Reference and footnote
definitions are the whole document's (a link may use a definition found further down), so a body with any
is parsed whole; so is a body in a dialect that adds block syntax (components, directives, containers,
template tags), whose blocks a blank line may not end. Normal posts are far below the size: parsed whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from .markdown import Dialect

WINDOW_CHARS = 200_000
# A window whose cut is refused grows by the next candidate; after this many, the rest is parsed whole.
_TRIES = 8
_CUT = re.compile(r"\n[ \t]*\n(?=[^\W\d_])")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]*\]:", re.MULTILINE)


@dataclass(frozen=True)
class Window:
    """Where a window starts in the whole body (offset and line), and its tokens."""

    offset: int
    line: int
    tokens: list[Token]


def windowed(text: str, dialect: Dialect) -> bool:
    """Whether ``text`` is parsed a window at a time."""
    if len(text) <= WINDOW_CHARS:
        return False
    if dialect.mdx or dialect.directives or dialect.containers or dialect.shortcodes or dialect.liquid:
        return False
    return _DEFINITION.search(text) is None


def parse_windows(
    text: str, dialect: Dialect, parse: Callable[[str], list[Token]], moved: Callable[[Token, int, int], None]
) -> Iterator[Window]:
    """The tokens of ``text``, a window at a time when it is :func:`windowed`, else in one window.
    ``parse`` reads a text into tokens; ``moved(token, offset, line)`` moves the offsets a block rule recorded
    on a token (its ``map`` is moved here)."""
    if not windowed(text, dialect):
        yield Window(0, 0, parse(text))
        return
    offset, line = 0, 0
    while offset < len(text):
        end, tokens = _next_window(text, offset, parse)
        if offset or end < len(text):
            for token in tokens:
                if token.map:
                    token.map = [token.map[0] + line, token.map[1] + line]
                moved(token, offset, line)
        yield Window(offset, line, tokens)
        line += text.count("\n", offset, end)
        offset = end


def _next_window(text: str, offset: int, parse: Callable[[str], list[Token]]) -> tuple[int, list[Token]]:
    """The end of the window starting at ``offset`` and its tokens."""
    search = offset + WINDOW_CHARS
    for _ in range(_TRIES):
        if len(text) - offset <= WINDOW_CHARS * 3 // 2:
            break
        cut = _CUT.search(text, search)
        if cut is None:
            break
        end = cut.end()
        window = text[offset:end]
        tokens = parse(window)
        blank_line = window.count("\n") - 1  # the window's last line, blank
        if all(token.map[1] <= blank_line for token in tokens if token.level == 0 and token.map):
            return end, tokens
        search = end
    return len(text), parse(text[offset:])
