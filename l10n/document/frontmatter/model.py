"""What parsing front matter gives: the block's data and its located translatable fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .blocks import Block
from .keys import KeyPattern, Path, first_match, lookup
from .lines import line_at


@dataclass(frozen=True)
class FrontMatterField:
    """One translatable string value of the front matter, located in the whole text.

    ``key`` is the configured key path that matched (``title``, ``seo.title``, ``tags[]``) and ``path`` the
    concrete path to the value (``("tags", 2)``). ``start``/``end`` delimit the value's token as written,
    quotes and block scalar header included. ``style`` is ``plain``, ``single``, ``double``, ``literal`` or
    ``folded`` for YAML; ``basic``, ``literal``, ``ml-basic`` or ``ml-literal`` for TOML; ``json`` for JSON.
    """

    key: str
    value: str
    line: int
    start: int
    end: int
    style: str
    path: Path = ()
    format: str = "yaml"
    # YAML only: whether the scalar sits inside a flow collection ([...] or {...}), the indentation of the
    # enclosing block collection as the YAML scanner saw it, and the content indentation of a block scalar.
    flow: bool = False
    parent_indent: int = -1
    indent: int = 0


@dataclass(frozen=True)
class FrontMatter:
    """The front matter of a text: its format, where it ends, its data and its translatable fields."""

    format: str
    end: int
    data: dict[str, Any]
    fields: tuple[FrontMatterField, ...]
    # Offsets of the raw front matter between the delimiter lines (for JSON: the whole object).
    content_start: int = 0
    content_end: int = 0


def front_matter(block: Block, data: dict[str, Any], fields: list[FrontMatterField]) -> FrontMatter:
    return FrontMatter(
        format=block.format,
        end=block.end,
        data=data,
        fields=tuple(sorted(fields, key=lambda field: field.start)),
        content_start=block.content_start,
        content_end=block.content_end,
    )


def string_fields(
    text: str,
    block: Block,
    data: dict[str, Any],
    patterns: Sequence[KeyPattern],
    strings: Iterable[tuple[Path, int, int, str]],
    decode: Callable[[str], Any],
) -> list[FrontMatterField]:
    """Fields for the scanned ``(path, start, end, style)`` strings of a TOML or JSON block that a key matches.

    A string becomes a field only when it decodes to the parser's value at its path and is not empty: a
    scanner miss leaves the value untranslated rather than guessed.
    """
    fields = []
    for path, start, end, style in strings:
        pattern = first_match(patterns, path)
        if pattern is None:
            continue
        value = decode(text[block.content_start + start : block.content_start + end])
        try:
            located = lookup(data, path) == value
        except (LookupError, TypeError):
            located = False
        if not located or not value:
            continue
        offset = block.content_start + start
        fields.append(
            FrontMatterField(
                key=pattern.written,
                value=value,
                line=line_at(text, offset),
                start=offset,
                end=block.content_start + end,
                style=style,
                path=path,
                format=block.format,
            )
        )
    return fields
