"""TOML front matter: parse it, locate its string values, and write a translation as a TOML string."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence

from l10n.document.segments import FrontMatterError

from .blocks import Block
from .keys import KeyPattern
from .lines import first_meaningful_line, line_at, line_break_after
from .model import FrontMatter, FrontMatterField, front_matter, string_fields
from .toml_scanner import toml_strings

_KEY_LINE = re.compile(r"\s*(?:\[|[A-Za-z0-9_\-\"'.]+\s*=)")
_LOCATION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def parse_toml(text: str, block: Block, patterns: Sequence[KeyPattern]) -> FrontMatter | None:
    content = text[block.content_start : block.content_end]
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        if _KEY_LINE.match(first_meaningful_line(content)) is None:
            return None
        message = str(error)
        location = _LOCATION.search(message)
        line = line_at(text, block.content_end)
        if location is not None:
            message = message[: location.start()]
            if location.group(1):
                line = block.first_line + int(location.group(1)) - 1
        raise FrontMatterError(line, f"invalid TOML front matter: {message}") from None
    fields = string_fields(text, block, data, patterns, toml_strings(content), _decode)
    return front_matter(block, data, fields)


def toml_candidates(field: FrontMatterField, translation: str, text: str) -> list[tuple[str, str]]:
    """(replacement, value it reads back as) to try: the field's own style when possible, else a basic string."""
    candidates = []
    if field.style.startswith("ml-"):
        line_break = line_break_after(text, field.start)
        # A line break right after the opening delimiter is not part of the value: keep the source's, and
        # add one when the translation itself starts with a line break.
        after = text[field.start + 3 : field.start + 3 + len(line_break)]
        lead = after if after in ("\n", "\r\n") else line_break if translation.startswith("\n") else ""
        if field.style == "ml-literal" and _literal_safe(translation, multiline=True):
            body = translation.replace("\n", line_break)
            candidates.append("'''" + lead + body + "'''")
        candidates.append('"""' + lead + _escaped(translation, line_break) + '"""')
    elif field.style == "literal" and _literal_safe(translation, multiline=False):
        candidates.append("'" + translation + "'")
    candidates.append('"' + _escaped(translation, None) + '"')
    return [(candidate, translation) for candidate in candidates]


def _decode(token: str) -> str:
    return tomllib.loads("v = " + token)["v"]


def _escaped(value: str, line_break: str | None) -> str:
    out = []
    for ch in value:
        if ch == "\n" and line_break is not None:
            out.append(line_break)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _literal_safe(value: str, multiline: bool) -> bool:
    allowed = "\t\n" if multiline else "\t"
    if any((ord(ch) < 0x20 and ch not in allowed) or ch == "\x7f" for ch in value):
        return False
    return ("'''" not in value and not value.endswith("'")) if multiline else "'" not in value
