"""A localized page's own layout: the line edits its translators made around the translated text.

A page that people translated by hand before l10n took it over often differs from its source outside the
translated text: a trailing space removed, a list re-indented, a component's label or a front matter link
localized, a line added. ``l10n adopt`` keeps those differences as a *layout patch*, next to the page's
catalog, and every build applies it after writing the translations, the way a three-way merge keeps one
side's edits: each hunk replaces lines of the build that are still there as they were (found near where
they were, as ``patch`` does), and a hunk whose lines the source has since changed is left out and reported.

The file is a unified diff from the build to the page (``@@ -start,count +start,count @@``, then `` ``,
``-`` and ``+`` lines; ``\\ No newline at end of file`` after a last line without one), so ``git diff`` and
people read it as one. Lines are split at ``\\n`` only: every other byte of a line, ``\\r`` included, is kept.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from l10n.fileio import InputError

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_HUNK_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_NO_NEWLINE = "\\ No newline at end of file"
SUFFIX = ".patch"


@dataclass(frozen=True)
class Hunk:
    """Lines ``old`` of the build, from its 0-based line ``start``, become ``new`` (lines with their ``\\n``)."""

    start: int
    old: tuple[str, ...]
    new: tuple[str, ...]


def split_lines(text: str) -> list[str]:
    """``text``'s lines, each with its ``\\n`` (the last one may have none)."""
    return _LINE.findall(text)


def diff(built: str, page: str, *, join: int = 0) -> list[Hunk]:
    """The hunks that turn ``built`` into ``page``: each changed stretch alone, and an insertion with the line
    before it (or after it, at the start) so that it can be placed again; stretches apart by ``join`` equal
    lines or fewer make one hunk (a block that moved a line is then one change, not a removal and an
    addition)."""
    old, new = split_lines(built), split_lines(page)
    ranges: list[tuple[int, int, int, int]] = []  # old lines [i1, i2) become new lines [j1, j2)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2 and i1 > 0:
            i1, j1 = i1 - 1, j1 - 1
        elif i1 == i2 and old:
            i2, j2 = i2 + 1, j2 + 1
        if ranges and i1 <= ranges[-1][1] + join - (join == 0):  # sharing lines with the previous hunk
            i1, j1 = ranges.pop()[0::2]
        ranges.append((i1, i2, j1, j2))
    return [Hunk(i1, tuple(old[i1:i2]), tuple(new[j1:j2])) for i1, i2, j1, j2 in ranges]


def apply(built: str, hunks: Sequence[Hunk]) -> tuple[str, list[Hunk]]:
    """``built`` with the hunks applied, and those that no longer apply (their lines are not in the build
    any more, after the previous hunk). Each hunk goes where its lines are, nearest to where they were."""
    lines = split_lines(built)
    result: list[str] = []
    stale: list[Hunk] = []
    position = 0  # lines[:position] are consumed
    shift = 0  # how far the build's lines have moved since the patch was made
    for hunk in hunks:
        found = _find(lines, hunk, position, hunk.start + shift)
        if found is None:
            stale.append(hunk)
            continue
        result += lines[position:found]
        result += hunk.new
        position = found + len(hunk.old)
        shift = found - hunk.start
    result += lines[position:]
    return "".join(result), stale


def _find(lines: list[str], hunk: Hunk, first: int, expected: int) -> int | None:
    if not hunk.old:  # a page made from an empty build
        return first if not lines else None
    size = len(hunk.old)
    starts = [start for start in range(first, len(lines) - size + 1) if tuple(lines[start : start + size]) == hunk.old]
    return min(starts, key=lambda start: (abs(start - expected), start)) if starts else None


def format_patch(hunks: Sequence[Hunk], header: str) -> str:
    """The patch file: ``header`` (comment lines, each starting with ``#``), then the hunks."""
    out = [header]
    shift = 0
    for hunk in hunks:
        out.append(f"@@ -{_range(hunk.start, len(hunk.old))} +{_range(hunk.start + shift, len(hunk.new))} @@\n")
        for mark, lines in (("-", hunk.old), ("+", hunk.new)):
            for line in lines:
                out.append(mark + line if line.endswith("\n") else f"{mark}{line}\n{_NO_NEWLINE}\n")
        shift += len(hunk.new) - len(hunk.old)
    return "".join(out)


def _range(start: int, count: int) -> str:
    # unified diff numbering: 1-based, and an empty range names the line before it
    return f"{start + 1 if count else start},{count}"


def parse_patch(text: str, path: Path | str) -> list[Hunk]:
    """The hunks of a patch file; a malformed one is bad input (file and line)."""
    hunks: list[Hunk] = []
    counts: tuple[int, int] | None = None  # old and new line counts of the hunk being read
    start = 0
    old: list[str] = []
    new: list[str] = []
    last: list[list[str]] = []  # the lists the previous hunk line went to
    lines = split_lines(text)

    def close(number: int) -> None:
        if counts is not None:
            if (len(old), len(new)) != counts:
                raise InputError(path, number, f"the hunk should have {counts[0]} and {counts[1]} lines")
            hunks.append(Hunk(start, tuple(old), tuple(new)))

    for number, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\n")
        if counts is None and (line.startswith("#") or not line):
            continue
        if line.startswith("@@"):
            close(number - 1)
            match = _HUNK_HEADER.fullmatch(line.rstrip())
            if match is None:
                raise InputError(path, number, "expected a hunk header '@@ -start,count +start,count @@'")
            old_count, new_count = int(match[2] or 1), int(match[4] or 1)
            start = int(match[1]) - 1 if old_count else int(match[1])
            counts, old, new, last = (old_count, new_count), [], [], []
        elif counts is not None and line == _NO_NEWLINE:
            if not last:
                raise InputError(path, number, "'\\ No newline at end of file' after no line")
            for target in last:
                target[-1] = target[-1].removesuffix("\n")
        elif counts is not None and line[:1] in ("-", "+", " "):
            last = {"-": [old], "+": [new], " ": [old, new]}[line[0]]
            for target in last:
                target.append(line[1:] + "\n")
        else:
            raise InputError(path, number, "expected a hunk line starting with '-', '+' or ' '")
    close(len(lines))
    return hunks
