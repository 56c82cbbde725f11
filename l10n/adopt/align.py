"""Alignment of a source post's segments with its existing translation's, by structure and anchors.

Both posts are extracted the same way (same dialect, same front matter keys), so each side is a sequence of
segments with kinds (``heading 2``, ``paragraph``, ``list item``, ``table cell``...). Front matter segments
pair by key. Body segments pair in document order by a global alignment (dynamic programming) that only
pairs segments of the same kind, scores the anchors they share (code, link destinations, URLs, numbers, tag
names: see :mod:`l10n.adopt.anchors`; a code block's lines, with ``code_blocks = true``) and the
plausibility of their lengths, and allows a segment on either
side to have no counterpart (a block added or missing), or a paragraph to be split in two on one side.

A pair is *certain* only when structure leaves no choice: it shares its exact, unique anchors with its
counterpart (a fixed point), has a plausible length and no segment without counterpart beside it; or it
lies between two fixed points (or a fixed point and the post's start or end) in a stretch where both sides
have the same number of segments, of the same kinds in the same order, and it has the same anchors as its
counterpart (a code block: at least half its lines, or its lines' indentation) and a plausible length; or,
in a translation that keeps its source's lines, it starts as many lines away from its counterpart as the
certain pairs around it, spans as many lines, and has the same anchors and a plausible length.
Anything else the alignment proposes is a guess, to be reviewed.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from l10n.checks import language_neutral
from l10n.document import Document, Segment
from l10n.document.segments import CODE_KIND

from .anchors import Rewrite, anchors

_MATCH = 2.0  # base score of a pair of same-kind segments
_SPLIT = 0.5  # base score of one segment paired with two on the other side
_GAP = -1.0  # a segment without counterpart
_SHORT = 30  # characters under which a segment's length says nothing
_LENGTH_BAND = 1.6  # a certain pair's length ratio is within this factor of the post's
_VARIANCE = 6.8
_DEVIATIONS = 3.0
_BAND = 40  # how far from the diagonal the alignment looks, beyond the difference in segment counts


@dataclass(frozen=True)
class Pair:
    """Source segment(s) and their counterpart(s) in the translation (indexes into ``Document.segments``).
    One of each, or one and two (a paragraph split, or two merged, on one side)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    certain: bool


@dataclass(frozen=True)
class _Item:
    segment: Segment
    anchors: Counter[str]
    length: int


def _items(segments: Sequence[Segment], rewrite: Rewrite | None, languages: tuple[str, ...]) -> list[_Item]:
    items = []
    for segment in segments:
        if segment.context == CODE_KIND:  # a code block: its lines (a translator rewrites some of them)
            lines = Counter(f"code line:{line.strip()}" for line in segment.msgid.splitlines() if line.strip())
            items.append(_Item(segment, lines, len(segment.msgid)))
            continue
        found = anchors(segment.msgid) if rewrite is None else anchors(segment.msgid, rewrite=rewrite)
        if languages:
            found = _language_neutral(found, languages)
        items.append(_Item(segment, found, len(segment.msgid)))
    return items


def _language_neutral(found: Counter[str], languages: tuple[str, ...]) -> Counter[str]:
    """Link and URL anchors with the languages in their paths or hosts made generic: a translation that
    links to the reader's language's version of a page (``/en-US/docs`` -> ``/fr/docs``) keeps the anchor."""
    neutral: Counter[str] = Counter()
    for key, count in found.items():
        kind, _, value = key.partition(":")
        if kind in ("link", "url"):
            key = f"{kind}:{language_neutral(value, languages)}"
        neutral[key] += count
    return neutral


def _is_front_matter(segment: Segment) -> bool:
    return segment.kind.startswith("front matter")


def align(
    source: Document, target: Document, *, rewrite: Rewrite | None = None, languages: tuple[str, ...] = ()
) -> list[Pair]:
    """The pairs of ``source``'s and ``target``'s segments, in source order. ``rewrite`` maps a source link
    destination to the target locale's form (the site's link rules), so localized links still anchor;
    ``languages`` (source and target codes) does the same for other sites' localized links."""
    pairs = _front_matter_pairs(source.segments, target.segments)
    left = _items([s for s in source.segments if not _is_front_matter(s)], rewrite, languages)
    right = _items([s for s in target.segments if not _is_front_matter(s)], None, languages)
    edges = (_body_start(target) - _body_start(source), target.text.count("\n") - source.text.count("\n"))
    pairs += _body_pairs(left, right, edges)
    return sorted(pairs, key=lambda pair: pair.source)


def _body_start(document: Document) -> int:
    """The line where the body starts (after the front matter), 0-based."""
    front_matter = document.layout.front_matter
    return document.text.count("\n", 0, front_matter.end) if front_matter is not None else 0


def _front_matter_pairs(source: Sequence[Segment], target: Sequence[Segment]) -> list[Pair]:
    """By key (the segment's kind names it); a list key's items in order, certain when both lists have as many."""
    by_kind: dict[str, list[Segment]] = {}
    for segment in target:
        if _is_front_matter(segment):
            by_kind.setdefault(segment.kind, []).append(segment)
    counts = Counter(segment.kind for segment in source if _is_front_matter(segment))
    seen: Counter[str] = Counter()
    pairs = []
    for segment in source:
        if not _is_front_matter(segment):
            continue
        candidates = by_kind.get(segment.kind, [])
        position = seen[segment.kind]
        seen[segment.kind] += 1
        if position < len(candidates):
            certain = len(candidates) == counts[segment.kind]
            pairs.append(Pair((segment.index,), (candidates[position].index,), certain))
    return pairs


def _overlap(left: Counter[str], right: Counter[str]) -> float:
    if not left and not right:
        return 0.0
    union = sum((left | right).values())
    return 4.0 * sum((left & right).values()) / union - 2.0


def _ratio(left: int, right: int) -> float:
    return (right + 10) / (left + 10)


def _post_ratio(left: Sequence[_Item], right: Sequence[_Item]) -> float:
    """How much longer the translation's text is than the source's, over the post."""
    return _ratio(sum(item.length for item in left), sum(item.length for item in right))


def _length_score(left: int, right: int, ratio: float) -> float:
    return -abs(math.log(_ratio(left, right) / ratio))


def _plausible(left: int, right: int, ratio: float) -> bool:
    if max(left, right) < _SHORT:
        return True
    if abs(math.log(_ratio(left, right) / ratio)) <= math.log(_LENGTH_BAND):
        return True
    return abs(right - left * ratio) <= _DEVIATIONS * math.sqrt(_VARIANCE * max(left, 1))


def _body_pairs(left: Sequence[_Item], right: Sequence[_Item], edges: tuple[int, int]) -> list[Pair]:
    ratio = _post_ratio(left, right)
    moves = _best_path(left, right, ratio)
    fixed = _fixed_points(left, right, moves)
    lines = _Lines(left, right, edges)
    pairs = _lock_by_lines(_certify(left, right, moves, fixed, ratio), lines, ratio)
    return pairs + _relevelled_headings(pairs, lines, ratio)


class _Lines:
    """Where the segments of a pair start, in lines: how many lines later the translation has a source
    segment's counterpart, and ``edges``, how many lines later it has the body's start and the post's end."""

    def __init__(self, left: Sequence[_Item], right: Sequence[_Item], edges: tuple[int, int]) -> None:
        self.left = {item.segment.index: item for item in left}
        self.right = {item.segment.index: item for item in right}
        self.edges = edges

    def offset(self, pair: Pair) -> int:
        return self.right[pair.target[0]].segment.line - self.left[pair.source[0]].segment.line

    def certain_offsets(self, pairs: Sequence[Pair]) -> list[int | None]:
        """Each pair's offset when it is a certain one-to-one pair, else None."""
        return [
            self.offset(pair) if pair.certain and len(pair.source) == len(pair.target) == 1 else None for pair in pairs
        ]


def _lock_by_lines(pairs: list[Pair], lines: _Lines, ratio: float) -> list[Pair]:
    """A translation that keeps its source's lines: a one-to-one pair whose counterpart starts as many lines
    away as the certain pairs on both sides of it (the body's start and the post's end where there is none),
    so that the lines between them match one for one, spans as many lines, has the same anchors and a
    plausible length, is certain too, whatever lies beside it (a heading whose level changed, a block that
    differs)."""
    certain = lines.certain_offsets(pairs)
    before, after = [lines.edges[0]] * len(pairs), [lines.edges[1]] * len(pairs)
    for position in range(1, len(pairs)):  # the nearest certain pair's offset on each side, in one pass each
        previous = certain[position - 1]
        before[position] = previous if previous is not None else before[position - 1]
    for position in range(len(pairs) - 2, -1, -1):
        following = certain[position + 1]
        after[position] = following if following is not None else after[position + 1]
    locked = []
    for position, pair in enumerate(pairs):
        if pair.certain or len(pair.source) != 1 or len(pair.target) != 1:
            locked.append(pair)
            continue
        source, target = lines.left[pair.source[0]], lines.right[pair.target[0]]
        sure = (
            before[position] == after[position] == lines.offset(pair)
            and len(source.segment.spans) == len(target.segment.spans)
            and (_same_anchors(source, target) or _translated_anchors(source, target))
            and _plausible(source.length, target.length, ratio)
        )
        locked.append(Pair(pair.source, pair.target, sure))
    return locked


def _relevelled_headings(pairs: list[Pair], lines: _Lines, ratio: float) -> list[Pair]:
    """A heading whose level the translator changed has no counterpart (headings pair by level); where the
    translation keeps its source's lines around it (as for :func:`_lock_by_lines`), the heading of another
    level on the same line, with the same anchors and a plausible length, is its counterpart, certain."""
    paired = {index for pair in pairs for index in pair.source}, {index for pair in pairs for index in pair.target}
    fixed = sorted(
        (lines.left[pair.source[0]].segment.line, offset)
        for pair, offset in zip(pairs, lines.certain_offsets(pairs), strict=True)
        if offset is not None
    )
    starts = [line for line, _offset in fixed]
    headings = {
        item.segment.line: item
        for item in lines.right.values()
        if item.segment.index not in paired[1] and item.segment.kind.startswith("heading ")
    }
    found = []
    for item in lines.left.values():
        if item.segment.index in paired[0] or not item.segment.kind.startswith("heading "):
            continue
        position = bisect_left(starts, item.segment.line)
        before = fixed[position - 1][1] if position else lines.edges[0]
        after = fixed[position][1] if position < len(fixed) else lines.edges[1]
        counterpart = headings.get(item.segment.line + before) if before == after else None
        if (
            counterpart is not None
            and len(item.segment.spans) == len(counterpart.segment.spans)
            and item.anchors == counterpart.anchors
            and _plausible(item.length, counterpart.length, ratio)
        ):
            found.append(Pair((item.segment.index,), (counterpart.segment.index,), True))
    return found


def _best_path(left: Sequence[_Item], right: Sequence[_Item], ratio: float) -> list[tuple[int, int, int, int]]:
    """The best alignment as moves ``(i, j, di, dj)``: source items ``i:i+di`` with target items ``j:j+dj``
    (``di`` or ``dj`` zero for a gap)."""
    n, m = len(left), len(right)
    minus = -math.inf
    score = [[minus] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    score[0][0] = 0.0

    def pair_score(i: int, di: int, j: int, dj: int) -> float | None:
        kind = left[i].segment.kind
        if any(item.segment.kind != kind for item in (*left[i : i + di], *right[j : j + dj])):
            return None
        if di == dj == 1:
            a_left, a_right = left[i].anchors, right[j].anchors
            l_len, r_len = left[i].length, right[j].length
        else:
            a_left = sum((item.anchors for item in left[i : i + di]), Counter())
            a_right = sum((item.anchors for item in right[j : j + dj]), Counter())
            l_len = sum(item.length for item in left[i : i + di]) + di - 1
            r_len = sum(item.length for item in right[j : j + dj]) + dj - 1
        base = _MATCH if di == dj == 1 else _SPLIT
        return base + _overlap(a_left, a_right) + _length_score(l_len, r_len, ratio)

    # Only cells near the diagonal: a translation's blocks drift from the source's by the blocks one side
    # lacks, not by more (keeps long posts linear rather than quadratic).
    width = _BAND + abs(n - m)
    for i in range(n + 1):
        row = score[i]
        middle = i * m // n if n else 0
        for j in range(max(0, middle - width), min(m, middle + width) + 1):
            here = row[j]
            if here == minus:
                continue
            for di, dj in ((1, 0), (0, 1)):
                if i + di <= n and j + dj <= m and here + _GAP > score[i + di][j + dj]:
                    score[i + di][j + dj] = here + _GAP
                    back[i + di][j + dj] = (di, dj)
            for di, dj in ((1, 1), (1, 2), (2, 1)):
                if i + di > n or j + dj > m:
                    continue
                value = pair_score(i, di, j, dj)
                if value is not None and here + value > score[i + di][j + dj]:
                    score[i + di][j + dj] = here + value
                    back[i + di][j + dj] = (di, dj)
    moves = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        i, j = i - di, j - dj
        moves.append((i, j, di, dj))
    moves.reverse()
    return moves


def _signature(item: _Item) -> tuple[str, tuple[tuple[str, int], ...]]:
    return item.segment.kind, tuple(sorted(item.anchors.items()))


def _fixed_points(
    left: Sequence[_Item], right: Sequence[_Item], moves: Sequence[tuple[int, int, int, int]]
) -> set[tuple[int, int]]:
    """One-to-one pairs whose anchors are equal, not empty, and found on no other segment of that kind on
    either side: no other choice was possible."""
    left_counts = Counter(_signature(item) for item in left if item.anchors)
    right_counts = Counter(_signature(item) for item in right if item.anchors)
    fixed = set()
    for i, j, di, dj in moves:
        if di == dj == 1:
            key = _signature(left[i])
            if left[i].anchors and key == _signature(right[j]) and left_counts[key] == right_counts[key] == 1:
                fixed.add((i, j))
    return fixed


def _certify(
    left: Sequence[_Item],
    right: Sequence[_Item],
    moves: Sequence[tuple[int, int, int, int]],
    fixed: set[tuple[int, int]],
    ratio: float,
) -> list[Pair]:
    """The pairs of the path, each certain or not (see the module docstring)."""
    pairs: list[Pair] = []
    stretch: list[tuple[int, int, int, int]] = []  # moves since the last fixed point

    def close(end: tuple[int, int]) -> None:
        """The pairs of the stretch before a fixed point (or the end): when the stretch pairs every segment of
        both sides one to one (as many on each side, same kinds in the same order), the count leaves no
        choice, and a pair is certain unless its own anchors or its length say otherwise."""
        one_to_one = all(di == dj == 1 for _, _, di, dj in stretch)
        for i, j, di, dj in stretch:
            if di and dj:
                sure = (
                    one_to_one
                    and _same_anchors(left[i], right[j])
                    and _plausible(left[i].length, right[j].length, ratio)
                )
                pairs.append(Pair(_indexes(left, i, di), _indexes(right, j, dj), sure))
        stretch.clear()

    for position, move in enumerate(moves):
        i, j, di, dj = move
        if (i, j) in fixed and di == dj == 1:
            close((i, j))
            # a segment without counterpart right beside it may be a part of it (a paragraph split in two)
            beside = [moves[index] for index in (position - 1, position + 1) if 0 <= index < len(moves)]
            alone = not any(not (other[2] and other[3]) for other in beside)
            sure = alone and _plausible(left[i].length, right[j].length, ratio)
            pairs.append(Pair(_indexes(left, i, 1), _indexes(right, j, 1), sure))
        else:
            stretch.append(move)
    close((len(left), len(right)))
    return pairs


def _same_anchors(left: _Item, right: _Item) -> bool:
    """Whether a pair's anchors agree: equal, or for code blocks, at least half the source's lines kept or
    every line where it was, indented the same (a translator rewrites comments, strings and placeholders,
    not the code's shape)."""
    if left.anchors == right.anchors:
        return True
    if left.segment.context != CODE_KIND:
        return False
    if 2 * sum((left.anchors & right.anchors).values()) >= sum(left.anchors.values()):
        return True
    return _indentation(left.segment.msgid) == _indentation(right.segment.msgid)


def _translated_anchors(left: _Item, right: _Item) -> bool:
    """Whether a line-locked pair's anchors differ only as a translation's may: the same links, URLs and
    tags; the numbers of one side all on the other (``four`` -> ``4``); and the code spans of one side all on
    the other (a name formatted as code), or each that differs matched by one of the same shape (its
    punctuation and digits: ``/old-page`` -> ``/ancienne-page``, a localized example), never by a bare word."""
    left_fixed, left_numbers, left_code = _anchor_kinds(left)
    right_fixed, right_numbers, right_code = _anchor_kinds(right)
    if left_fixed != right_fixed or not _nested(left_numbers, right_numbers):
        return False
    if _nested(left_code, right_code):
        return True
    shapes = [_shape(code) for code in (left_code - right_code).elements()]
    return all(shapes) and sorted(shapes) == sorted(_shape(code) for code in (right_code - left_code).elements())


def _anchor_kinds(item: _Item) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """An item's anchors as (links, URLs and tags; numbers; code spans)."""
    fixed: Counter[str] = Counter()
    numbers: Counter[str] = Counter()
    code: Counter[str] = Counter()
    for key, count in item.anchors.items():
        kind, _, value = key.partition(":")
        if kind == "number":
            numbers[value] += count
        elif kind == "code":
            code[value] += count
        else:
            fixed[key] += count
    return fixed, numbers, code


def _nested(left: Counter[str], right: Counter[str]) -> bool:
    return not left - right or not right - left


def _shape(code: str) -> str:
    """What a localized code example keeps: its punctuation and digits, in order (words, and the hyphens and
    underscores that join them, are what a translator changes)."""
    return "".join(char for char in code if not (char.isalpha() or char.isspace() or char in "-_"))


def _indentation(code: str) -> list[int]:
    """Each line's indentation: the shape a translation of a code block's comments keeps."""
    return [len(line) - len(line.lstrip()) if line.strip() else -1 for line in code.split("\n")]


def _indexes(items: Sequence[_Item], start: int, count: int) -> tuple[int, ...]:
    return tuple(item.segment.index for item in items[start : start + count])
