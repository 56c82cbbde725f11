"""Writing a catalog that others may have changed since it was read: only this writer's own changes are
applied, to the catalog as it is on disk at the moment of writing, under the site's lock.

A long run (``translate`` waits on a network) reads a catalog, then drafts entries over minutes. Meanwhile a
review save or a ``sync`` may rewrite the file. Rendering the run's in-memory copy would put the file back as it
was read and lose their work; instead the file is re-read under the lock and each entry the run changed is
applied there, unless someone changed that entry too (their change wins: a person's work over a draft).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n.catalog.io import parse_catalog, save
from l10n.fileio import read_text_if_any
from l10n.lock import site_lock

EntryKey = tuple[str | None, str]
State = tuple[str, tuple[str, ...], str | None, str | None]


def _key(entry: polib.POEntry) -> EntryKey:
    return (entry.msgctxt, entry.msgid)


def _state(entry: polib.POEntry) -> State:
    return (entry.msgstr, tuple(entry.flags), entry.tcomment or None, entry.previous_msgid)


@dataclass
class ChangeSet:
    """The entries a writer changed in its copy of one catalog, each with its state before the change."""

    before: dict[EntryKey, State] = field(default_factory=dict)
    changed: dict[EntryKey, polib.POEntry] = field(default_factory=dict)

    def touch(self, entry: polib.POEntry) -> None:
        """Call before changing ``entry``: remembers how it was (once, until the next write)."""
        key = _key(entry)
        if key not in self.before:
            self.before[key] = _state(entry)
            self.changed[key] = entry

    def __bool__(self) -> bool:
        return bool(self.changed)

    def clear(self) -> None:
        self.before.clear()
        self.changed.clear()


def write_changes(root: Path, path: Path, changes: ChangeSet) -> int:
    """Apply ``changes`` to the catalog at ``path`` as it is now, under the site's lock; returns how many
    entries were applied (an entry someone else changed meanwhile, or that is gone, is left to them)."""
    if not changes:
        return 0
    with site_lock(root):
        text = read_text_if_any(path)
        if text is None:
            return 0  # the catalog was removed meanwhile (its post is gone): nothing to add to
        current = parse_catalog(text, path)
        # The entries as read stay as they are (rendering keeps the text of each unchanged one, and needs them
        # for that: no second parse); a changed entry is replaced in ``current`` by a changed copy.
        as_read = copy.copy(current)
        index = {_key(entry): place for place, entry in enumerate(current) if not entry.obsolete}
        applied = 0
        for key, ours in changes.changed.items():
            place = index.get(key)
            if place is None or _state(current[place]) != changes.before[key]:
                continue
            theirs = current[place] = copy.copy(current[place])
            theirs.msgstr = ours.msgstr
            theirs.flags = list(ours.flags)
            theirs.tcomment = ours.tcomment
            theirs.previous_msgid = ours.previous_msgid
            theirs.previous_msgctxt = ours.previous_msgctxt
            applied += 1
        if applied:
            save(path, current, text, previous_catalog=as_read)
        changes.clear()
        return applied
