"""Translation memory: reviewed translations of a locale's catalogs (and compendia), exact and fuzzy.

:class:`TranslationMemory` holds the memory in RAM: the reference the tests hold the database to (and a
memory for small inputs); every command uses :class:`l10n.memory_store.DiskMemory`, which gives the same
answers from a database. Both rest on the rules
here: the vote (most frequent translation, ties to the first seen) and the fuzzy match (``fuzz.ratio``, the
first of the best in the sources' order of first appearance).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple, Protocol

import polib
from rapidfuzz import fuzz, process

DEFAULT_FUZZY_CUTOFF = 75.0


class FuzzyMatch(NamedTuple):
    msgstr: str
    score: float
    source_msgid: str


class Memory(Protocol):
    """What filling a catalog asks of a translation memory."""

    def exact(self, msgid: str) -> str | None: ...

    def fuzzy(self, msgid: str, cutoff: float = DEFAULT_FUZZY_CUTOFF) -> FuzzyMatch | None: ...


def length_window(length: int, cutoff: float) -> tuple[int, int] | None:
    """The lengths (inclusive bounds; empty when the first exceeds the second) a source text must have to
    score at least ``cutoff`` with ``fuzz.ratio`` against a text of ``length`` characters; None: any length.

    ``fuzz.ratio(a, b) = 100 * (1 - indel(a, b) / (|a| + |b|))`` and ``indel(a, b) >= abs(|a| - |b|)``, so
    ``ratio <= 200 * min(|a|, |b|) / (|a| + |b|)``; for ``0 < c <= 100``, ``ratio >= c`` needs
    ``c * |a| / (200 - c) <= |b| <= |a| * (200 - c) / c``. The bounds are computed exactly (``Fraction``)
    and widened by one character each side: a length left out then scores below ``c`` by about ``50 / |a|``
    or more, far above floating-point error, so leaving it out never changes what rapidfuzz would pick.
    """
    if cutoff <= 0:
        return None  # every text scores at least 0
    if cutoff > 100:
        return (1, 0)  # no text scores above 100
    # c = p / q exactly; c * |a| / (200 - c) = p |a| / (200 q - p), in integers
    p, q = Fraction(cutoff).as_integer_ratio()
    rest = 200 * q - p
    low = (p * length) // rest - 1
    high = -((-length * rest) // p) + 1
    return (max(0, low), high)


# rapidfuzz may leave out a score that equals its cut-off (seen: 63.63... left out at a cut-off 1e-6 below it).
# The floor below only prunes: whatever a group returns is compared exactly, so a lower floor is always safe.
_TIE_MARGIN = 0.01


def first_best(
    query: str, groups: Iterable[Sequence[str]], cutoff: float, place: Callable[[str], Any]
) -> tuple[str, float] | None:
    """The (source, score) ``process.extractOne(query, sources, scorer=fuzz.ratio, score_cutoff=cutoff)``
    picks, the first of the best in the sources' order, given the sources as groups: each group in that order,
    ``place`` giving any source's place in it (asked only to break ties between groups)."""
    best: tuple[str, float] | None = None
    best_place: Any = None
    for group in groups:
        # a group's pick at least as good as the best so far, ties included (see _TIE_MARGIN)
        floor = cutoff if best is None else max(cutoff, best[1] - _TIE_MARGIN)
        found = process.extractOne(query, group, scorer=fuzz.ratio, score_cutoff=floor)
        if found is None:
            continue
        source, score = found[0], float(found[1])
        if best is None or score > best[1]:
            best, best_place = (source, score), None
        elif score == best[1]:  # the first in the group at this score; the earlier of the two wins
            if best_place is None:
                best_place = place(best[0])
            here = place(source)
            if here < best_place:
                best, best_place = (source, score), here
        if best[1] >= 100:
            break  # only the identical text scores 100, and sources are distinct
    return best


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
    catalog: polib.POFile, memory: Memory, *, fuzzy_cutoff: float | None = DEFAULT_FUZZY_CUTOFF
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
