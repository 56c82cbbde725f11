"""JSON front matter: parse it, locate its string values, and write a translation as a JSON string."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from l10n.document.segments import FrontMatterError

from .blocks import Block
from .keys import KeyPattern, Path
from .model import FrontMatter, FrontMatterField, front_matter, string_fields
from .validity import DuplicateKey, refuse_duplicate_json_keys

_SPACE = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OTHER_VALUE = re.compile(r"[^,\]}\s]+")


def parse_json(text: str, block: Block, patterns: Sequence[KeyPattern]) -> FrontMatter | None:
    content = text[block.content_start : block.content_end]
    try:
        data = json.loads(content, object_pairs_hook=refuse_duplicate_json_keys)
    except json.JSONDecodeError as error:
        if not content[1:].lstrip().startswith(('"', "}")):
            return None
        line = block.first_line + error.lineno - 1
        raise FrontMatterError(line, f"invalid JSON front matter: {error.msg}") from None
    except DuplicateKey as error:  # named at its last occurrence
        written = list(re.finditer(re.escape(json.dumps(error.key, ensure_ascii=False)) + r"\s*:", content))
        line = block.first_line + content.count("\n", 0, written[-1].start()) if written else block.first_line
        raise FrontMatterError(line, f"duplicate key {error.key!r} in front matter") from None
    if not isinstance(data, dict):
        return None
    fields = string_fields(text, block, data, patterns, _strings(content), json.loads)
    return front_matter(block, data, fields)


def json_candidates(field: FrontMatterField, translation: str, text: str) -> list[tuple[str, str]]:
    return [(json.dumps(translation, ensure_ascii=False), translation)]


def _strings(source: str) -> list[tuple[Path, int, int, str]]:
    """Every string value of a (valid) JSON document with its path, offsets and style (``json``)."""
    found: list[tuple[Path, int, int, str]] = []

    def space(pos: int) -> int:
        match = _SPACE.match(source, pos)
        assert match is not None
        return match.end()

    def value(pos: int, path: Path) -> int:
        pos = space(pos)
        ch = source[pos]
        if ch == '"':
            match = _STRING.match(source, pos)
            assert match is not None
            found.append((path, pos, match.end(), "json"))
            return match.end()
        if ch in "[{":
            closing = "]" if ch == "[" else "}"
            index = 0
            pos = space(pos + 1)
            while source[pos] != closing:
                if ch == "[":
                    pos = value(pos, (*path, index))
                    index += 1
                else:
                    key = _STRING.match(source, pos)
                    assert key is not None
                    pos = space(key.end()) + 1  # the colon
                    pos = value(pos, (*path, json.loads(key.group())))
                pos = space(pos)
                if source[pos] == ",":
                    pos = space(pos + 1)
            return pos + 1
        match = _OTHER_VALUE.match(source, pos)
        assert match is not None
        return match.end()

    value(0, ())
    return found
