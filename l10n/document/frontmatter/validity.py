"""Front matter that was meant as front matter but is broken: bad input, never Markdown.

Taking such a block as body text would turn its title into a heading entry, send its translation to the
obsolete entries, and copy conflict markers into every output. Three shapes are caught before (or while) the
block is parsed:

* git conflict markers (``<<<<<<<``, ``|||||||``, ``=======``, ``>>>>>>>``) inside the block;
* an opening ``---`` (``+++``) that is never closed, followed by ``key: value`` lines;
* duplicate keys in one YAML mapping (PyYAML would silently keep the last one) or JSON object.

A leading ``---`` that is clearly not front matter (CommonMark example 96, ``---\\nFoo\\n---``, is a setext
heading between thematic breaks) stays Markdown.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

import yaml

from l10n.document.segments import FrontMatterError

from .blocks import Block
from .lines import lines

_CONFLICT_MARKER = re.compile(r"(?:<{7}|\|{7}|={7}|>{7})(?:[ \t].*)?")
# A ``key:`` line as front matter writes it: an identifier (no spaces), a colon, then a space or the end.
KEY_LINE = re.compile(r"[A-Za-z_][\w.-]*:(?:[ \t]|$)")
_TOML_KEY_LINE = re.compile(r"[A-Za-z_][\w.-]*[ \t]*=[ \t]*\S")
_OPENERS = {"---": "YAML", "+++": "TOML"}


def refuse_conflict_markers(text: str, block: Block) -> None:
    """Raise FrontMatterError at the first git conflict marker line inside ``block``."""
    for number, (_start, line, _end) in enumerate(lines(text[: block.content_end], block.content_start)):
        if _CONFLICT_MARKER.fullmatch(line):
            raise FrontMatterError(
                block.first_line + number, f"git conflict marker {line[:7]!r} in front matter (resolve the merge)"
            )


def refuse_unclosed(text: str) -> None:
    """Raise FrontMatterError when ``text`` opens front matter (``---`` or ``+++`` then ``key:`` lines, or a
    conflict marker) and never closes it. Called only when no closed block was found."""
    begin = 1 if text.startswith("\ufeff") else 0
    text_lines = lines(text, begin)
    first = next(text_lines, None)
    if first is None:
        return
    kind = _OPENERS.get(first[1].rstrip(" \t"))
    if kind is None:
        return
    following = [line for _start, line, _end in islice(text_lines, 6)]
    meaningful = [line for line in following if line.strip() and not line.lstrip().startswith("#")]
    if not meaningful:
        return
    if _CONFLICT_MARKER.fullmatch(meaningful[0]):
        raise FrontMatterError(1, f"{kind} front matter with a git conflict marker is never closed")
    key_line = KEY_LINE if kind == "YAML" else _TOML_KEY_LINE
    key_lines = [line for line in meaningful if key_line.match(line)]
    # ``title: x`` right after the opener, or two ``key:`` lines: front matter (``Note: x`` alone is prose)
    first_is_key = key_line.match(meaningful[0]) is not None
    looks_like_keys = first_is_key and (meaningful[0][:1].islower() or len(key_lines) >= 2)
    if looks_like_keys:
        raise FrontMatterError(1, f"{kind} front matter opened here is never closed (no closing {first[1].strip()!r})")


def duplicate_yaml_key(root: yaml.Node) -> tuple[str, yaml.Mark, yaml.Mark] | None:
    """The first key repeated in one mapping of ``root``: (key, first mark, repeated mark), or None.

    Merge keys (``<<``) may repeat; keys that are not scalars are not compared.
    """
    stack = [root]
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # aliases may share (or loop back to) a node
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Mark] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if key.value in keys:
                        return key.value, keys[key.value], key.start_mark
                    keys[key.value] = key.start_mark
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def refuse_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads`` object hook: a repeated key is an error (the parser would keep the last silently)."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise DuplicateKey(key)
        data[key] = value
    return data
