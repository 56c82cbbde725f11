"""The translation memory's rules: what it learns (reviewed translations, and fuzzy entries' pending
translations apart), what it answers (the most frequent reviewed translation of a text, ties to the first seen;
else a fuzzy entry's translation of the very text, the first seen; else the closest text's, by
``fuzz.ratio``), and the one rule for filling an entry from it, used by ``sync`` and ``translate`` alike.
Only a reviewed translation of the very text is taken as reviewed; everything else is filled as ``fuzzy``.

The memory itself is a database per locale (:mod:`l10n.memory.database`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

import polib

from l10n.catalog.entries import is_fillable, is_pending, is_reviewed, set_fuzzy, set_machine_comment

DEFAULT_FUZZY_CUTOFF = 75.0

# What the memory learns from one entry: ``(msgid, msgstr)``, a reviewed translation, or
# ``(msgid, msgstr, True)``, a pending one (a fuzzy entry's translation, offered only as fuzzy).
MemoryPair = tuple[str, str] | tuple[str, str, bool]


class FuzzyMatch(NamedTuple):
    msgstr: str
    score: float
    source_msgid: str


class Memory(Protocol):
    """What filling a catalog asks of a translation memory."""

    def exact(self, msgid: str) -> str | None: ...

    def fuzzy(self, msgid: str, cutoff: float = DEFAULT_FUZZY_CUTOFF) -> FuzzyMatch | None: ...

    def pending(self, msgid: str) -> str | None:
        """A fuzzy entry's translation of exactly this text (the first seen), if any."""
        ...


def reviewed_pairs(catalog: polib.POFile) -> Iterable[tuple[str, str]]:
    """(msgid, msgstr) of every reviewed translation: non-empty, not fuzzy; obsolete entries included."""
    for entry in [*catalog, *catalog.obsolete_entries()]:
        if is_reviewed(entry):
            yield entry.msgid, entry.msgstr


def memory_pairs(catalog: polib.POFile) -> Iterable[MemoryPair]:
    """What the memory learns from a catalog, in catalog order: ``(msgid, msgstr)`` for each reviewed
    translation, ``(msgid, msgstr, True)`` for each pending one (:func:`is_pending`); obsolete entries
    included."""
    for entry in [*catalog, *catalog.obsolete_entries()]:
        if is_reviewed(entry):
            yield entry.msgid, entry.msgstr
        elif is_pending(entry):
            yield entry.msgid, entry.msgstr, True


@dataclass(frozen=True)
class Fill:
    """What the memory offers for an entry: a reviewed translation of the very text (``exact``), a fuzzy
    entry's translation of the very text (``pending``), or the translation of the close text ``source``; all
    but the first to be reviewed."""

    msgstr: str
    source: str | None = None
    pending: bool = False

    @property
    def exact(self) -> bool:
        return self.source is None and not self.pending


def find_fill(memory: Memory, msgid: str, fuzzy_cutoff: float | None = DEFAULT_FUZZY_CUTOFF) -> Fill | None:
    """The memory's offer for ``msgid``: an exact match first, else a fuzzy entry's translation of the same
    text, else (unless ``fuzzy_cutoff`` is None) the closest text scoring at least ``fuzzy_cutoff``."""
    found = memory.exact(msgid)
    if found is not None:
        return Fill(found)
    found = memory.pending(msgid)
    if found is not None:
        return Fill(found, pending=True)
    if fuzzy_cutoff is None:
        return None
    match = memory.fuzzy(msgid, fuzzy_cutoff)
    return Fill(match.msgstr, match.source_msgid) if match is not None else None


def apply_fill(entry: polib.POEntry, fill: Fill) -> None:
    """Write the memory's offer into an entry: an exact match as reviewed, a pending one as ``fuzzy``, a close
    one as ``fuzzy`` with the matched text as previous msgid (so editors show the difference). No machine mark
    stays."""
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
