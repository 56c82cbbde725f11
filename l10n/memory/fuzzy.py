"""Fuzzy matching over a memory's source texts: the lengths a close text can have, and rapidfuzz's pick
("the first of the best") over sources read a group at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

from rapidfuzz import fuzz, process


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
