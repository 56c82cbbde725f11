"""What a translation of a code block must keep: its code, as opposed to its comments and string literals.

Language-neutral on purpose (a code block's language is often missing or unknown): each line is cut at the
first comment marker common to most languages (``//``, ``#``, ``--``, ``;``, ``/*``, ``<!--``, a leading ``*``)
and quoted strings are blanked; what is left, as a sequence of words and symbols, is the code. A translator
may rewrite comments, strings and placeholder text; a change elsewhere is worth a reviewer's look.
"""

from __future__ import annotations

import re

_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\\n]|\\.)*`""")
_COMMENT = re.compile(r"(?:^|(?<=\s))(?://|#|--|;|/\*|<!--|\{/\*)|^\s*\*")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def code_tokens(code: str) -> list[str]:
    """The words and symbols of ``code`` outside comments and string literals, in order."""
    tokens: list[str] = []
    for line in code.splitlines():
        line = _STRING.sub('""', line)
        comment = _COMMENT.search(line)
        if comment is not None:
            line = line[: comment.start()]
        tokens += _TOKEN.findall(line)
    return tokens


def first_code_change(source: str, translation: str) -> str | None:
    """The first line of ``translation`` whose code (see the module docstring) differs from the source's,
    or None when the code is the same."""
    if code_tokens(source) == code_tokens(translation):
        return None
    source_lines = source.splitlines()
    for number, line in enumerate(translation.splitlines()):
        original = source_lines[number] if number < len(source_lines) else ""
        if code_tokens(line) != code_tokens(original):
            return line.strip()
    return translation.splitlines()[-1].strip() if translation.splitlines() else ""
