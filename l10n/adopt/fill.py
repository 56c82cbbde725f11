"""Fill a catalog from an existing translation of its post: the pure core of ``l10n adopt``.

Each source segment the aligner pairs gets its counterpart's text (link destinations put back in the source's
form). The entry is *reviewed* only when the pair is certain, the text passes the checks a build applies, and
writing it back into the source's layout gives the translation's own text of that block (line by line, links
localized; the whitespace around each line and a front matter value's quoting are layout, which the page's
layout patch keeps: see :mod:`l10n.adopt.layout`); otherwise it is *fuzzy*, with the translator comment
``adopted from <file>:<line>``. An entry that already has a translation is never touched. A code block's
entry (optional: see :func:`l10n.catalog.entries.is_optional`) is filled only when the translation's block
differs from the source's, and its words are not counted with the prose's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polib

from l10n.catalog.entries import is_optional
from l10n.catalog.stats import word_count
from l10n.document import Document, Segment
from l10n.document.render import segment_edits

from .align import align
from .anchors import LinkMapper, Rewrite

ADOPTED = "adopted from"


@dataclass(frozen=True)
class Candidate:
    text: str  # the msgstr (source-form links)
    target_line: int  # where the counterpart starts in the translated post
    certain: bool  # the alignment left no choice
    reproduced: bool  # writing it back gives the translated block exactly


@dataclass
class Outcome:
    """What adopting one translated post did to its catalog, in words of the source (distinct msgids)."""

    reviewed: int = 0
    fuzzy: int = 0
    missing: int = 0  # no counterpart found
    kept: int = 0  # the entry had a translation already
    code_blocks: int = 0  # code blocks filled (their translation differs from the source's code)
    entries_changed: int = 0
    unaligned: list[int] = field(default_factory=list)  # source lines without counterpart
    guessed: list[int] = field(default_factory=list)  # source lines filled as fuzzy


Check = Callable[[str, str, bool], bool]  # (msgid, msgstr, is code) -> the build would use it (no check error)
Localize = Callable[[str], str]  # a piece of built body text with its link destinations localized


def candidates(
    source: Document,
    target: Document,
    *,
    rewrite: Rewrite | None = None,
    localize: Localize | None = None,
    languages: tuple[str, ...] = (),
) -> dict[int, Candidate]:
    """Source segment index -> its counterpart's text and how sure the pairing is. ``languages``: the source
    and target codes (links to another site's page in the reader's language still anchor)."""
    mapper = LinkMapper(rewrite) if rewrite is not None else None
    found: dict[int, Candidate] = {}
    for pair in align(source, target, rewrite=rewrite, languages=languages):
        texts = [target.segments[index].msgid for index in pair.target]
        first = source.segments[pair.source[0]]
        if first.context is not None and len(pair.source) + len(pair.target) != 2:
            continue  # code blocks pair one to one, or not at all
        text = " ".join(texts)
        if mapper is not None:
            text = mapper.delocalize(text, " ".join(source.segments[index].msgid for index in pair.source))
        target_segment = target.segments[pair.target[0]]
        reproduced = (
            pair.certain
            and len(pair.source) == len(pair.target) == 1
            and _reproduces(source, first, target, target_segment, text, localize)
        )
        # two source segments merged into one in the translation: the text goes to the first, as a guess
        found[first.index] = Candidate(text, target_segment.line, pair.certain, reproduced)
    return found


def _reproduces(
    source: Document, segment: Segment, target: Document, counterpart: Segment, text: str, localize: Localize | None
) -> bool:
    """Whether writing ``text`` into ``segment``'s place gives ``counterpart``'s text in the translated post,
    span by span (the layout around the spans is the page's business: the whole page is compared later)."""
    edits, problems = segment_edits(source, segment, text)
    if problems or not edits:
        return False
    if segment.kind.startswith("front matter"):
        return True  # the same value, whatever its quoting or folding (layout)
    written = [edit.text for edit in edits]
    if localize is not None and segment.context is None:
        written = [localize(piece) for piece in written]
    wanted = [target.text[span.start : span.end] for span in counterpart.spans]
    if len(segment.spans) != len(counterpart.spans):
        return False
    runs = _runs(source, segment)
    return runs == _runs(target, counterpart) and all(
        _flowed(written[start:end]) == _flowed(wanted[start:end]) for start, end in runs
    )


# What lies between two lines of a paragraph that a soft line break joins: the line's end (not a hard break:
# two spaces or a backslash) and the next line's indentation or block quote markers
_SOFT_BREAK = re.compile(r" ?\n[ \t>]*")


def _runs(document: Document, segment: Segment) -> list[tuple[int, int]]:
    """The segment's spans in runs joined by soft line breaks (a paragraph's lines), as (start, end) indexes:
    where a run's lines break is layout, as a Markdown renderer joins them with a space."""
    text, spans = document.text, segment.spans
    runs = []
    start = 0
    for index in range(1, len(spans) + 1):
        joined = (
            index < len(spans)
            and _SOFT_BREAK.fullmatch(text, spans[index - 1].end, spans[index].start) is not None
            and not text.endswith("\\", 0, spans[index - 1].end)
        )
        if not joined:
            runs.append((start, index))
            start = index
    return runs


def _flowed(pieces: list[str]) -> str:
    """A run's text as a renderer reads it: its lines joined by single spaces, without the whitespace around
    each line (layout: see adopt.layout)."""
    return " ".join(line.strip() for piece in pieces for line in piece.split("\n"))


def fill_catalog(
    catalog: polib.POFile,
    source: Document,
    found: dict[int, Candidate],
    *,
    target_name: str,
    usable: Check,
) -> Outcome:
    """Put the candidates into the catalog's empty entries (see the module docstring)."""
    outcome = Outcome()
    by_msgid: dict[str, list[Segment]] = {}
    for segment in source.segments:
        by_msgid.setdefault(segment.msgid, []).append(segment)
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue
        segments = by_msgid.get(entry.msgid, [])
        if not segments:
            continue
        code = is_optional(entry)
        segments = [segment for segment in segments if (segment.context is not None) == code]
        if not segments:
            continue
        words = 0 if code else word_count(entry.msgid)
        if entry.msgstr:
            outcome.kept += words
            continue
        offered = [found[segment.index] for segment in segments if segment.index in found]
        if code:
            offered = [candidate for candidate in offered if candidate.text != entry.msgid]
        if not offered:
            if not code:  # a code block without counterpart, or the same, stays as it is: nothing is missing
                outcome.missing += words
                outcome.unaligned.append(segments[0].line)
            continue
        chosen = offered[0]
        agree = all(candidate.text == chosen.text for candidate in offered)
        reviewed = (
            agree and all(candidate.reproduced for candidate in offered) and usable(entry.msgid, chosen.text, code)
        )
        entry.msgstr = chosen.text
        outcome.code_blocks += code
        if reviewed:
            outcome.reviewed += words
        else:
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            note = f"{ADOPTED} {target_name}:{chosen.target_line}"
            entry.tcomment = f"{entry.tcomment}\n{note}" if entry.tcomment else note
            outcome.fuzzy += words
            outcome.guessed.append(segments[0].line)
        outcome.entries_changed += 1
    return outcome
