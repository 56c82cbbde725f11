"""Which differences between a build and the page people translated may be kept as the page's layout patch.

A build writes the translations into the source's layout; the page people wrote may differ from that build
around the text: whitespace, indentation, a heading's or a list's marks, lines that carry no translatable
text (a component's label l10n does not translate, a localized link in front matter, an import, a line
added or removed). Those are the page's layout, kept (see :mod:`l10n.layout_patch`). A difference in
translated text is not layout: it is the catalog's business (an entry reviewed or not), so a page with one
gets no patch. Both sides are read the way a source is (same dialect and front matter keys): a line's
*text* is what its segments' spans cover on it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from l10n.document import Document
from l10n.layout_patch import Hunk, diff

LineText = dict[int, tuple[str, ...]]  # 0-based line -> the pieces of segment text on it, in order


def line_text(document: Document) -> LineText:
    text = document.text
    starts = [0, *(index + 1 for index, char in enumerate(text) if char == "\n")]
    pieces: dict[int, list[tuple[int, str]]] = {}
    for segment in document.segments:
        for span in segment.spans:
            first = bisect_right(starts, span.start) - 1
            last = bisect_right(starts, max(span.start, span.end - 1)) - 1
            for line in range(first, last + 1):
                end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
                piece = text[max(span.start, starts[line]) : min(span.end, end)]
                if piece.strip():
                    pieces.setdefault(line, []).append((max(span.start, starts[line]), piece))
    return {line: tuple(piece for _, piece in sorted(found)) for line, found in pieces.items()}


def layout_patch(built: Document, page: Document) -> list[Hunk] | None:
    """The hunks that turn ``built`` into ``page`` when every difference is layout; None when one touches
    translated text."""
    hunks = diff(built.text, page.text)
    built_text, page_text = line_text(built), line_text(page)
    shift = 0
    for hunk in hunks:
        if not _is_layout(hunk, hunk.start + shift, built_text, page_text):
            return None
        shift += len(hunk.new) - len(hunk.old)
    return hunks


def _is_layout(hunk: Hunk, new_start: int, built_text: LineText, page_text: LineText) -> bool:
    old, new = list(hunk.old), list(hunk.new)
    old_lines = list(range(hunk.start, hunk.start + len(old)))
    new_lines = list(range(new_start, new_start + len(new)))
    while old and new and old[0] == new[0]:  # lines of context: not a difference
        old, new, old_lines, new_lines = old[1:], new[1:], old_lines[1:], new_lines[1:]
    while old and new and old[-1] == new[-1]:
        old, new, old_lines, new_lines = old[:-1], new[:-1], old_lines[:-1], new_lines[:-1]
    if _textless(old_lines, built_text) and _textless(new_lines, page_text):
        return True  # lines without translated text, changed, added or removed
    # the same text on each line, only what is around it changed
    return len(old_lines) == len(new_lines) and all(
        built_text.get(before, ()) == page_text.get(after, ())
        for before, after in zip(old_lines, new_lines, strict=True)
    )


def _textless(lines: Sequence[int], text: LineText) -> bool:
    return not any(line in text for line in lines)
