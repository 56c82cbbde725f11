"""Translation memory: reviewed translations of a locale's catalogs (and compendia), exact and fuzzy."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import polib
from rapidfuzz import fuzz, process

DEFAULT_FUZZY_CUTOFF = 75.0


class FuzzyMatch(NamedTuple):
    msgstr: str
    score: float
    source_msgid: str


def reviewed_pairs(catalog: polib.POFile) -> Iterable[tuple[str, str]]:
    """(msgid, msgstr) of every reviewed translation: non-empty, not fuzzy; obsolete entries included."""
    for entry in [*catalog, *catalog.obsolete_entries()]:
        if entry.msgid and entry.msgstr and not entry.fuzzy and not entry.msgid_plural:
            yield entry.msgid, entry.msgstr


class TranslationMemory:
    """Reviewed translations indexed by source text.

    When one source text has several translations, the most frequent wins (ties: the first seen), so the
    result depends only on the catalogs and the order they are given in.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._first_seen: dict[tuple[str, str], int] = {}
        self._best: dict[str, str] | None = None
        for msgid, msgstr in pairs:
            self.add(msgid, msgstr)

    @classmethod
    def from_catalogs(cls, catalogs: Iterable[polib.POFile]) -> TranslationMemory:
        memory = cls()
        for catalog in catalogs:
            for msgid, msgstr in reviewed_pairs(catalog):
                memory.add(msgid, msgstr)
        return memory

    def add(self, msgid: str, msgstr: str) -> None:
        if not msgid or not msgstr:
            return
        self._votes[msgid][msgstr] += 1
        self._first_seen.setdefault((msgid, msgstr), len(self._first_seen))
        self._best = None

    def _index(self) -> dict[str, str]:
        if self._best is None:
            self._best = {
                msgid: min(votes, key=lambda text, m=msgid, v=votes: (-v[text], self._first_seen[(m, text)]))
                for msgid, votes in self._votes.items()
            }
        return self._best

    def __len__(self) -> int:
        return len(self._votes)

    def exact(self, msgid: str) -> str | None:
        """The reviewed translation of exactly this text, if any."""
        return self._index().get(msgid)

    def fuzzy(self, msgid: str, cutoff: float = DEFAULT_FUZZY_CUTOFF) -> FuzzyMatch | None:
        """The translation of the most similar source text (similarity 0-100, at least ``cutoff``)."""
        index = self._index()
        if not index:
            return None
        sources = list(index)
        best = process.extractOne(msgid, sources, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None
        source = sources[best[2]]
        return FuzzyMatch(index[source], float(best[1]), source)


@dataclass(frozen=True)
class FillResult:
    exact: int = 0
    fuzzy: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.exact or self.fuzzy)


def fill_from_memory(
    catalog: polib.POFile, memory: TranslationMemory, *, fuzzy_cutoff: float | None = DEFAULT_FUZZY_CUTOFF
) -> FillResult:
    """Fill empty entries in place: exact reviewed matches as reviewed, close ones as ``fuzzy`` with the
    matched source as previous msgid (so editors show the difference). Non-empty entries are never touched.
    """
    exact = fuzzy = 0
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgid_plural or entry.msgstr:
            continue
        found = memory.exact(entry.msgid)
        if found is not None:
            entry.msgstr = found
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            exact += 1
            continue
        if fuzzy_cutoff is None:
            continue
        match = memory.fuzzy(entry.msgid, fuzzy_cutoff)
        if match is not None:
            entry.msgstr = match.msgstr
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            entry.previous_msgid = match.source_msgid
            fuzzy += 1
    return FillResult(exact, fuzzy)
