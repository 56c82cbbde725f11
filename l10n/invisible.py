"""Invisible and control characters that a translation adds to its source.

A reader cannot see them, a reviewer in a PO editor rarely does, and they change what a page means or does:

* controls (C0 but tab and line breaks, DEL, C1: NUL, ESC sequences for terminals...) and the bidirectional
  overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what is displayed ("Trojan Source"):
  errors, the translation is not used;
* zero-width characters (U+200B-U+200D, U+2060, U+FEFF, invisible operators U+2061-U+2064, U+180E) and the
  directional marks (U+200E, U+200F, U+061C), which split or hide words and defeat other checks: warnings.

A character the source has as many times is not reported, and neither is a zero-width joiner or non-joiner
between two letters or symbols outside ASCII (emoji sequences, Indic and Persian scripts need them).
"""

from __future__ import annotations

import re
from collections import Counter

Occurrence = tuple[str, int]  # (what was found: a character's name as U+XXXX, a tag, a URL...; offset in the text)

_JOINERS = frozenset({"\u200c", "\u200d"})


def _joins_script(text: str, index: int) -> bool:
    """A ZWJ/ZWNJ between two non-ASCII characters (an emoji sequence, a ligature choice in Indic scripts)."""
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return bool(before and after) and not before.isascii() and not after.isascii() and not before.isspace()


_CONTROL_PATTERN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_PATTERN = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u180e\u061c]")


def _occurrences(text: str, control: bool) -> list[Occurrence]:
    pattern = _CONTROL_PATTERN if control else _INVISIBLE_PATTERN
    return [
        (f"U+{ord(match.group(0)):04X}", match.start())
        for match in pattern.finditer(text)
        if control or match.group(0) not in _JOINERS or not _joins_script(text, match.start())
    ]


def _added(source: str, translation: str, control: bool) -> list[Occurrence]:
    found = _occurrences(translation, control)
    if not found:
        return []
    return added_occurrences(_occurrences(source, control), found)


def added_occurrences(source: list[Occurrence], translation: list[Occurrence]) -> list[Occurrence]:
    """Occurrences in ``translation`` beyond what ``source`` has of the same thing (the later ones)."""
    allowance = Counter(what for what, _offset in source)
    added = []
    for what, offset in translation:
        if allowance[what] > 0:
            allowance[what] -= 1
        else:
            added.append((what, offset))
    return added


def added_controls(source: str, translation: str) -> list[Occurrence]:
    """Control characters and bidi overrides/isolates of ``translation`` beyond the source's."""
    return _added(source, translation, control=True)


def added_invisibles(source: str, translation: str) -> list[Occurrence]:
    """Zero-width characters and directional marks of ``translation`` beyond the source's."""
    return _added(source, translation, control=False)
