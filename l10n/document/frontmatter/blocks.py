"""The front matter block: which delimiters open it, where its content and the block end.

Delimiters (a UTF-8 BOM may come first; lines may end in LF, CRLF or CR):
- YAML: a first line ``---``, closed by a ``---`` or ``...`` line;
- TOML: a first line ``+++``, closed by a ``+++`` line;
- JSON: a first line ``{``, closed by a ``}`` line (python-frontmatter's JSON handler convention).
Trailing spaces and tabs on delimiter lines are allowed, as Jekyll and Hugo allow them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lines import lines

_OPENERS = {"---": "yaml", "+++": "toml", "{": "json"}
_CLOSERS = {"yaml": ("---", "..."), "toml": ("+++",), "json": ("}",)}


@dataclass(frozen=True)
class Block:
    format: str
    content_start: int  # for JSON, the braces are content
    content_end: int
    end: int  # after the closing delimiter's line break
    first_line: int  # 1-based line of the first content line


def find_block(text: str) -> Block | None:
    begin = 1 if text.startswith("\ufeff") else 0
    text_lines = lines(text, begin)
    first = next(text_lines, None)
    if first is None:
        return None
    kind = _OPENERS.get(first[1].rstrip(" \t"))
    if kind is None:
        return None
    for start, line, end in text_lines:
        if line.rstrip(" \t") in _CLOSERS[kind]:
            if kind == "json":
                return Block(kind, begin, start + 1, end, 1)
            return Block(kind, first[2], start, end, 2)
    return None
