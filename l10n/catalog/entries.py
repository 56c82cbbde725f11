"""What a catalog entry is, in one place: its state, whether it may be filled, whether it is a reviewed
translation or a machine draft, and the two marks that say so (the ``fuzzy`` flag and the machine comment).

Every part of the tool that asks or changes these (the run, the memory, ``translate``, the review app) asks
here, so the same entry is never judged two ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, zip_longest
from typing import Literal

import polib

from l10n.document.segments import CODE_KIND

# The translator comment a machine draft carries: ``machine translation: <backend>``.
MACHINE_COMMENT = "machine translation:"
# What replaces it once a reviewer approves the draft: provenance stays, and no tool takes it for a draft.
REVIEWED_MACHINE_NOTE = "reviewed machine translation:"

State = Literal["untranslated", "machine", "fuzzy", "reviewed"]
EntryKey = tuple[object, ...]
# A message's identity (msgctxt, msgid) as a dictionary key: the msgid alone when there is no msgctxt (no
# tuple per entry of a huge catalog; a string never equals a tuple).
MessageKey = str | tuple[str, str]


def message_key(msgctxt: str | None, msgid: str) -> MessageKey:
    return msgid if msgctxt is None else (msgctxt, msgid)


def is_live(entry: polib.POEntry) -> bool:
    """A current, singular message: not obsolete, not the header, no plural forms."""
    return not entry.obsolete and bool(entry.msgid) and not entry.msgid_plural


def is_translated(entry: polib.POEntry) -> bool:
    """Some translation is written (reviewed or not)."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def is_optional(entry: polib.POEntry) -> bool:
    """A code block's entry (``code_blocks = true``): its translation is optional (empty, the build writes the
    code as it is), never drafted by a machine or the memory, and not counted in completion."""
    return entry.msgctxt == CODE_KIND


def is_fillable(entry: polib.POEntry) -> bool:
    """An entry the memory or a backend may fill: live, still empty, and not optional."""
    return is_live(entry) and not entry.msgstr and not is_optional(entry)


def is_reviewed(entry: polib.POEntry) -> bool:
    """A translation a person wrote or approved: the memory learns from these only (obsolete ones too)."""
    return bool(entry.msgid and entry.msgstr) and not entry.fuzzy and not entry.msgid_plural


def is_pending(entry: polib.POEntry) -> bool:
    """A person's translation still to review: fuzzy, singular, non-empty (obsolete ones too). The memory
    offers these as fuzzy. Machine drafts are not: a fill clears the machine mark, and a machine's text must
    not pass for a person's elsewhere."""
    return bool(entry.msgid and entry.msgstr) and entry.fuzzy and not entry.msgid_plural and not is_machine_draft(entry)


def is_machine_draft(entry: polib.POEntry) -> bool:
    """An unreviewed machine draft: a machine translator comment and still fuzzy."""
    return entry.fuzzy and machine_backend(entry) is not None


def machine_backend(entry: polib.POEntry) -> str | None:
    """The backend named by the entry's machine comment (``unknown`` when it names none); None without one."""
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(MACHINE_COMMENT):
            return line[len(MACHINE_COMMENT) :].strip() or "unknown"
    return None


def state(entry: polib.POEntry) -> State:
    """``untranslated``, ``machine`` (an unreviewed machine draft), ``fuzzy`` (needs review) or ``reviewed``."""
    if not is_translated(entry):
        return "untranslated"
    if is_machine_draft(entry):
        return "machine"
    return "fuzzy" if entry.fuzzy else "reviewed"


def set_fuzzy(entry: polib.POEntry, fuzzy: bool) -> None:
    """Set or clear the ``fuzzy`` flag (set first among the flags, as msgmerge does)."""
    if fuzzy and "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    elif not fuzzy:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]


def translator_notes(entry: polib.POEntry) -> list[str]:
    """The translator comment's lines, the machine marks (draft or reviewed) left out."""
    return [
        line
        for line in (entry.tcomment or "").splitlines()
        if not line.startswith((MACHINE_COMMENT, REVIEWED_MACHINE_NOTE))
    ]


def set_machine_comment(entry: polib.POEntry, backend: str | None, *, reviewed: bool = False) -> None:
    """Replace the entry's machine marks: ``machine translation: <backend>`` (a draft), ``reviewed machine
    translation: <backend>`` (``reviewed``), or none when ``backend`` is None. Other notes are kept."""
    lines = translator_notes(entry)
    if backend:
        lines.append(f"{REVIEWED_MACHINE_NOTE if reviewed else MACHINE_COMMENT} {backend}")
    entry.tcomment = "\n".join(lines)


def entry_key(entry: polib.POEntry) -> EntryKey:
    """Everything an entry says: two entries with the same key are written the same."""
    return (
        entry.obsolete,
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        tuple(sorted(entry.msgstr_plural.items())),
        tuple(entry.flags),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.tcomment,
        entry.comment,
        tuple(tuple(occurrence) for occurrence in entry.occurrences),
    )


def entries_key(catalog: polib.POFile) -> Iterator[EntryKey]:
    """The keys of a catalog's entries, live ones in order, then obsolete ones; one at a time (a huge
    catalog's keys are never all held)."""
    return chain(
        (entry_key(entry) for entry in catalog if entry.msgid),
        (entry_key(entry) for entry in catalog.obsolete_entries()),
    )


def same_keys(left: Iterable[EntryKey], right: Iterable[EntryKey]) -> bool:
    """Whether two sequences of entry keys are equal, compared a pair at a time."""
    end = object()
    return all(one == other for one, other in zip_longest(left, right, fillvalue=end))


def same_entries(left: polib.POFile, right: polib.POFile) -> bool:
    """Whether two catalogs hold the same entries (dates and other header fields aside)."""
    return same_keys(entries_key(left), entries_key(right))


def same_catalog(left: polib.POFile, right: polib.POFile) -> bool:
    """Whether two catalogs say the same thing, whatever their line wrapping (a Poedit save is no change)."""
    return (
        same_entries(left, right)
        and dict(left.metadata) == dict(right.metadata)
        and (left.header or "") == (right.header or "")
    )
