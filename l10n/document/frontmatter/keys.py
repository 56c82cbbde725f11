"""Paths into the front matter data, and the configured key paths that select translatable values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class KeyPattern:
    """A configured key path: ``title``, ``seo.title``, ``tags[]``, ``authors[].name``."""

    written: str
    parts: tuple[tuple[str, bool], ...]  # (name, is a list)

    @classmethod
    def parse(cls, written: str) -> KeyPattern:
        parts = []
        for part in written.split("."):
            name = part.removesuffix("[]")
            if not name:
                raise ValueError(f"invalid front matter key path: {written!r}")
            parts.append((name, name != part))
        return cls(written, tuple(parts))

    def matches(self, path: Path) -> bool:
        position = 0
        for name, is_list in self.parts:
            if position >= len(path) or path[position] != name:
                return False
            position += 1
            if is_list:
                if position < len(path) and isinstance(path[position], int):
                    position += 1
                elif position != len(path):  # a lone string where a list is expected counts as one item
                    return False
        return position == len(path)


def first_match(patterns: Sequence[KeyPattern], path: Path) -> KeyPattern | None:
    return next((pattern for pattern in patterns if pattern.matches(path)), None)


def lookup(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


def concrete_key(written: str, path: Path) -> str:
    """The key path of one value as a ``#.`` comment shows it: each list item that holds further keys by its
    index (``sections[1].content.title``, ``faq[0].q``); a list of plain values keeps ``[]`` (``tags[]``), so
    reordering tags does not rewrite every comment."""
    if not any(isinstance(step, int) for step in path[:-1]):
        return written
    text = ""
    for position, step in enumerate(path):
        if isinstance(step, int):
            text += "[]" if position == len(path) - 1 else f"[{step}]"
        else:
            text += ("." if text else "") + step
    return text
