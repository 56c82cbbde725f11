"""The translation memory's rules: what it learns (reviewed translations), what it answers (the most
frequent translation of a text, ties to the first seen; or the closest text's, by ``fuzz.ratio``), and the one
rule for filling an entry from it, used by ``sync`` and ``translate`` alike.

The memory itself is a database per locale (:mod:`l10n.memory.database`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

import polib

from l10n.catalog.entries import is_fillable, is_reviewed, set_fuzzy, set_machine_comment

DEFAULT_FUZZY_CUTOFF = 75.0


class FuzzyMatch(NamedTuple):
    msgstr: str
    score: float
    source_msgid: str


class Memory(Protocol):
    """What filling a catalog asks of a translation memory."""

    def exact(self, msgid: str) -> str | None: ...

    def fuzzy(self, msgid: str, cutoff: float = DEFAULT_FUZZY_CUTOFF) -> FuzzyMatch | None: ...


def reviewed_pairs(catalog: polib.POFile) -> Iterable[tuple[str, str]]:
    """(msgid, msgstr) of every reviewed translation: non-empty, not fuzzy; obsolete entries included."""
    for entry in [*catalog, *catalog.obsolete_entries()]:
        if is_reviewed(entry):
            yield entry.msgid, entry.msgstr


@dataclass(frozen=True)
class Fill:
    """What the memory offers for an entry: a reviewed translation of the very text (``source`` None), or
    the translation of the close text ``source``, to be reviewed."""

    msgstr: str
    source: str | None = None

    @property
    def exact(self) -> bool:
        return self.source is None


def find_fill(memory: Memory, msgid: str, fuzzy_cutoff: float | None = DEFAULT_FUZZY_CUTOFF) -> Fill | None:
    """The memory's offer for ``msgid``: an exact match first, else (unless ``fuzzy_cutoff`` is None) the
    closest text scoring at least ``fuzzy_cutoff``."""
    found = memory.exact(msgid)
    if found is not None:
        return Fill(found)
    if fuzzy_cutoff is None:
        return None
    match = memory.fuzzy(msgid, fuzzy_cutoff)
    return Fill(match.msgstr, match.source_msgid) if match is not None else None


def apply_fill(entry: polib.POEntry, fill: Fill) -> None:
    """Write the memory's offer into an entry: an exact match as reviewed, a close one as ``fuzzy`` with the
    matched text as previous msgid (so editors show the difference). No machine mark stays."""
    entry.msgstr = fill.msgstr
    set_fuzzy(entry, not fill.exact)
    entry.previous_msgid = fill.source
    set_machine_comment(entry, None)


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
    """Fill the empty entries of ``catalog`` in place (:func:`apply_fill`); non-empty ones are never touched."""
    exact = fuzzy = 0
    for entry in catalog:
        if not is_fillable(entry):
            continue
        fill = find_fill(memory, entry.msgid, fuzzy_cutoff)
        if fill is None:
            continue
        apply_fill(entry, fill)
        if fill.exact:
            exact += 1
        else:
            fuzzy += 1
    return FillResult(exact, fuzzy)
