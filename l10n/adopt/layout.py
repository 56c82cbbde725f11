"""Which differences between a build and the page people translated may be kept as the page's layout patch.

A build writes the translations into the source's layout; the page people wrote may differ from that build
around the text: whitespace, indentation, a heading's or a list's marks, lines that carry no translatable
text (a component's label l10n does not translate, a localized link in front matter, an import, a line
added or removed). Those are the page's layout, kept (see :mod:`l10n.layout_patch`). A difference in
translated text is not layout: it is the catalog's business (an entry reviewed or not), so a page with one
gets no patch. Both sides are read the way a source is (same dialect and front matter keys); a hunk is
layout when the segments on the lines it changes are the same on both sides (kind and text), in order. The
kind of a space is typography, which a translator sets line by line (``ceci :``, ``ceci\u00a0:``,
``ceci\u202f:`` before French punctuation): layout too.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from l10n.document import Document
from l10n.layout_patch import Hunk, diff


def layout_patch(built: Document, page: Document) -> list[Hunk] | None:
    """The hunks that turn ``built`` into ``page`` when every difference is layout; None when one touches
    translated text."""
    built_lines, page_lines = _segment_lines(built), _segment_lines(page)
    for join in _JOINS:
        hunks = diff(built.text, page.text, join=join)
        if _all_layout(hunks, built_lines, page_lines):
            return hunks
    return None


# Equal lines a hunk may take in: none first (each hunk is small, so it still applies after the source
# changes nearby), then a few, for a line diff that saw a block move as a removal and an addition around a
# blank line.
_JOINS = (0, 3)


def _all_layout(hunks: list[Hunk], built_lines: _Lines, page_lines: _Lines) -> bool:
    shift = 0
    for hunk in hunks:
        if not _is_layout(hunk, hunk.start + shift, built_lines, page_lines):
            return False
        shift += len(hunk.new) - len(hunk.old)
    return True


_Lines = list[tuple[int, int, tuple[str, str]]]  # a segment's first and last line, its kind and text
_HEADING_LEVEL = re.compile(r"^heading \d")  # a heading's level is its marks: layout


def _segment_lines(document: Document) -> _Lines:
    text = document.text
    starts = [0, *(index + 1 for index, char in enumerate(text) if char == "\n")]
    found = []
    for segment in document.segments:
        if not segment.spans:
            continue
        first = bisect_right(starts, segment.spans[0].start) - 1
        end = segment.spans[-1].end
        last = bisect_right(starts, max(segment.spans[-1].start, end - 1)) - 1
        found.append((first, last, (_HEADING_LEVEL.sub("heading", segment.kind), spacing_neutral(segment.msgid))))
    return found


# Spaces a translator may use one for another: the plain space, the no-break space and the narrow no-break
# and thin spaces of French typography (never a zero-width or directional character: see the checks)
_SPACES = re.compile("[\u00a0\u202f\u2009]")


def spacing_neutral(text: str) -> str:
    """``text`` with its typographic spaces made plain: what two texts that differ only in their spaces share."""
    return _SPACES.sub(" ", text)


def _is_layout(hunk: Hunk, new_start: int, built_lines: _Lines, page_lines: _Lines) -> bool:
    """Whether the segments on the lines a hunk changes are the same, in the same order, on both sides: then
    what changed is around them (context lines the hunk carries unchanged do not count)."""
    old, new = list(hunk.old), list(hunk.new)
    old_first, new_first = hunk.start, new_start
    while old and new and old[0] == new[0]:
        old, new, old_first, new_first = old[1:], new[1:], old_first + 1, new_first + 1
    while old and new and old[-1] == new[-1]:
        old, new = old[:-1], new[:-1]
    return _touched(built_lines, old_first, len(old)) == _touched(page_lines, new_first, len(new))


def _touched(lines: _Lines, first: int, count: int) -> list[tuple[str, str]]:
    return [segment for start, end, segment in lines if start < first + count and end >= first]
