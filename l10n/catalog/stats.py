"""Catalog statistics: entries and source words by state."""

from __future__ import annotations

from dataclasses import dataclass

import polib

from l10n.catalog.entries import State, is_optional, state

_STATS_STATE: dict[State, str] = {
    "untranslated": "untranslated",
    "machine": "fuzzy",
    "fuzzy": "fuzzy",
    "reviewed": "translated",
}



def word_count(text: str) -> int:
    return len(text.split())


def percent(done_words: int, words: int) -> float:
    """How much of a text is done, in percent of its source words (100 when there are none)."""
    return 100.0 if words == 0 else 100.0 * done_words / words


@dataclass(frozen=True)
class Stats:
    """Entries and source words of a catalog, by state (obsolete entries not counted)."""

    entries: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def percent(self) -> float:
        """Percent of source words translated and reviewed (100 for an empty catalog)."""
        return percent(self.translated_words, self.words)

    def __add__(self, other: Stats) -> Stats:
        return Stats(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (
            self.entries,
            self.translated,
            self.fuzzy,
            self.untranslated,
            self.words,
            self.translated_words,
            self.fuzzy_words,
            self.untranslated_words,
        )


def catalog_stats(catalog: polib.POFile) -> Stats:
    """Entries and source words of the catalog's current entries, by state (a machine draft counts as fuzzy).
    Optional entries (code blocks) are not counted: they are not work to do."""
    counts = {"translated": [0, 0], "fuzzy": [0, 0], "untranslated": [0, 0]}
    for entry in catalog:
        if entry.obsolete or not entry.msgid or is_optional(entry):
            continue
        tally = counts[_STATS_STATE[state(entry)]]
        tally[0] += 1
        tally[1] += word_count(entry.msgid)
    return Stats(
        entries=sum(tally[0] for tally in counts.values()),
        translated=counts["translated"][0],
        fuzzy=counts["fuzzy"][0],
        untranslated=counts["untranslated"][0],
        words=sum(tally[1] for tally in counts.values()),
        translated_words=counts["translated"][1],
        fuzzy_words=counts["fuzzy"][1],
        untranslated_words=counts["untranslated"][1],
    )
