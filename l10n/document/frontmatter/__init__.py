"""Front matter: find it, locate the configured string values in it, and substitute translations in place.

Front matter is never re-dumped. Each translatable value is a located token of the source (a YAML scalar, a
TOML string, a JSON string) with its style; a translation replaces exactly that token, re-quoted in the same
style when the translation allows it, so key order, comments, dates and every other byte stay as they were.

Modules: ``blocks`` finds the delimited block, ``keys`` matches configured key paths, ``yaml_values``,
``toml_values`` and ``json_values`` parse and locate per format, ``validity`` refuses broken front matter
(conflict markers, unclosed, duplicate keys), ``yaml_quote``, ``yaml_block`` and the
``*_candidates`` functions write a translation, and ``verify`` checks that it reads back.
"""

from __future__ import annotations

from collections.abc import Sequence

from .blocks import find_block
from .json_values import json_candidates, parse_json
from .keys import KeyPattern
from .model import FrontMatter, FrontMatterField
from .toml_values import parse_toml, toml_candidates
from .validity import refuse_conflict_markers, refuse_unclosed
from .verify import reads_back, top_level_keys
from .yaml_quote import yaml_candidates
from .yaml_values import parse_yaml

__all__ = ["FrontMatter", "FrontMatterField", "parse_front_matter", "render_value", "top_level_keys"]

_PARSERS = {"yaml": parse_yaml, "toml": parse_toml, "json": parse_json}
_CANDIDATES = {"yaml": yaml_candidates, "toml": toml_candidates, "json": json_candidates}


def parse_front_matter(text: str, keys: Sequence[str]) -> FrontMatter | None:
    """Return the front matter of ``text`` with the values of ``keys`` located, or None if it has none.

    A delimited block that does not hold a mapping (``---\\nFoo\\n---`` is a setext heading between thematic
    breaks) is Markdown: None. A block meant as front matter that does not parse, holds git conflict markers
    or repeats a key, and an opening ``---`` followed by ``key:`` lines that is never closed, raise
    FrontMatterError with the 1-based line in ``text``.
    """
    block = find_block(text)
    if block is None:
        refuse_unclosed(text)
        return None
    refuse_conflict_markers(text, block)
    patterns = [KeyPattern.parse(key) for key in keys]
    return _PARSERS[block.format](text, block, patterns)


def render_value(field: FrontMatterField, translation: str, text: str) -> str:
    """Return the replacement for ``text[field.start:field.end]`` that reads back as ``translation``.

    The field's style is kept when the translation can be written in it, otherwise the closest safe style is
    used (double quotes for YAML, a basic string for TOML). A block scalar keeps its header and indentation;
    its trailing line breaks follow its chomping indicator, whatever the translation ends with. The result is
    checked by parsing the substituted front matter; the untranslated value gives back the source bytes.
    """
    if translation == field.value:
        return text[field.start : field.end]
    for candidate, expected in _CANDIDATES[field.format](field, translation, text):
        if reads_back(field, candidate, expected, text):
            return candidate
    raise ValueError(f"line {field.line}: cannot write a translation of {field.key!r} as {field.format}")
