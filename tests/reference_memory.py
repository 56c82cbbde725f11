"""The translation memory in RAM: the reference the tests hold the memory database to.

When one source text has several translations, the most frequent wins (ties: the first seen), so the result
depends only on the catalogs and the order they are given in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import polib
from rapidfuzz import fuzz, process

from l10n.memory.rules import DEFAULT_FUZZY_CUTOFF, FuzzyMatch, memory_pairs


class TranslationMemory:
    """Reviewed translations indexed by source text."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._first_seen: dict[tuple[str, str], int] = {}
        self._best: dict[str, str] | None = None
        self._pending: dict[str, str] = {}  # a fuzzy entry's translation, the first seen
        for msgid, msgstr in pairs:
            self.add(msgid, msgstr)

    @classmethod
    def from_catalogs(cls, catalogs: Iterable[polib.POFile]) -> TranslationMemory:
        memory = cls()
        for catalog in catalogs:
            for msgid, msgstr, *pending in memory_pairs(catalog):
                if pending:
                    memory.add_pending(msgid, msgstr)
                else:
                    memory.add(msgid, msgstr)
        return memory

    def add_pending(self, msgid: str, msgstr: str) -> None:
        if msgid and msgstr:
            self._pending.setdefault(msgid, msgstr)

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

    def pending(self, msgid: str) -> str | None:
        """A fuzzy entry's translation of exactly this text (the first seen), if any."""
        return self._pending.get(msgid)

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
