"""Unreviewed (fuzzy) translations left in a localized post that the current settings would not use.

``build --include-fuzzy`` writes a preview with machine drafts in it. A later ``sync`` without
``include_fuzzy`` leaves that file alone when the post is under ``min_completion`` with reviewed translations
only (it writes nothing under the minimum): the drafts would stay published without a word. The build reports
such a file as an error instead (``unreviewed-output``), and so ``check`` fails, rather than deleting a page a
site may link to: the user decides (``build --include-fuzzy`` again on purpose, more review, or remove it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polib

from l10n.problems import Problem

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def unreviewed_in_output(entries: Iterable[polib.POEntry], output: str) -> list[polib.POEntry]:
    """The never-reviewed drafts whose translation (not the source text itself) appears in ``output``.

    A draft is a fuzzy entry without a previous msgid: a machine's or a translator's unfinished work. A fuzzy
    entry with one was reviewed for an older source text (the merge kept it for review), and the output
    showing that reviewed text is the usual state after a source edit, not a leak.
    Compared with runs of whitespace collapsed, as the build may break a translation over other lines;
    translations of fewer than two words are left out (a short one may be in the post for another reason).
    """
    flat = _flat(output)
    found = []
    for entry in entries:
        if entry.obsolete or not entry.fuzzy or entry.previous_msgid or not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        translation = _flat(entry.msgstr)
        if len(_WORD.findall(translation)) >= 2 and translation in flat:
            found.append(entry)
    return found


def unreviewed_output(
    shown: str, catalog: Iterable[polib.POEntry] | None, current: bytes, percent: float
) -> list[Problem]:
    """An error for an output (``shown`` as its path) not rebuilt, under min_completion at ``percent``, that
    still shows drafts of ``catalog``."""
    found = unreviewed_in_output(catalog or (), current.decode("utf-8", errors="replace"))
    if not found:
        return []
    message = (
        f"{len(found)} unreviewed (fuzzy) translation(s) published, e.g. from line {found[0].linenum} of the "
        f"catalog, and {percent:.0f}% reviewed is under min_completion: review them, or build --include-fuzzy "
        "on purpose, or remove the file"
    )
    return [Problem("unreviewed-output", "error", message, path=shown)]
