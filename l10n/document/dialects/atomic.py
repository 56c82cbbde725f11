"""Atomic syntax: shortcodes, template tags and a site's locked patterns, as one markdown-it plugin.

Inline, each occurrence is an atomic token (``meta["l10n_atomic"]``, ``content`` its source) read before any
other inline rule, so nothing inside it is taken for Markdown. A line made only of such syntax is a block of
its own (``l10n_atomic_block``, its source in ``info``): it interrupts a paragraph, is never part of an entry,
and a translation cannot move it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.ruler import RuleOptionsType
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from . import ATOMIC, ENTRY, MODE, SPAN, render_source
from .templates import shortcode_parameters

# (src, pos, end) -> end of the atomic syntax starting at pos, or -1
Scanner = Callable[[str, int, int], int]
_ALT: RuleOptionsType = {"alt": ["paragraph", "reference", "blockquote", "list"]}


def protected_scanner(patterns: Sequence[str]) -> Scanner:
    """A scanner for a site's locked patterns (regular expressions; an empty match never counts)."""
    compiled = re.compile("|".join(f"(?:{pattern})" for pattern in patterns))

    def scan(src: str, pos: int, end: int) -> int:
        found = compiled.match(src, pos, end)
        return found.end() if found and found.end() > pos else -1

    scan.pattern = compiled  # type: ignore[attr-defined]
    return scan


def atomic_plugin(
    md: MarkdownIt,
    scanners: Sequence[Scanner],
    pattern: re.Pattern[str] | None,
    shortcode_attributes: Sequence[str] = (),
) -> None:
    """Read what ``scanners`` find as atomic syntax; ``pattern`` (the locked patterns) may start anywhere, so
    plain text stops where it matches. On a line of its own, a Hugo shortcode's quoted parameters named in
    ``shortcode_attributes`` are entries (``shortcode caption (figure)``), left out of the block's ``info``."""

    def scan_at(src: str, pos: int, end: int) -> int:
        for scanner in scanners:
            found = scanner(src, pos, end)
            if found != -1:
                return found
        return -1

    def inline_rule(state: StateInline, silent: bool) -> bool:
        found = scan_at(state.src, state.pos, state.posMax)
        if found == -1:
            return False
        if not silent:
            token = state.push("l10n_atomic", "", 0)
            token.content = state.src[state.pos : found]
            token.meta[ATOMIC] = True
        state.pos = found
        return True

    def block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if state.sCount[start_line] - state.blkIndent >= 4:
            return False
        end = _atomic_line_end(state, start_line, end_line, scan_at)
        if end is None:
            return False
        last_line, stop = end
        if silent:
            return True
        start = state.bMarks[start_line] + state.tShift[start_line]
        token = state.push("l10n_atomic_block", "", 0)
        token.info = token.content = state.src[start:stop]
        token.map, token.block = [start_line, last_line + 1], True
        if shortcode_attributes:
            token.info = _push_parameter_entries(state, start, stop, start_line, shortcode_attributes)
        state.line = last_line + 1
        return True

    md.inline.ruler.before("text", "l10n_atomic", inline_rule)
    md.add_render_rule("l10n_atomic", render_source)
    md.add_render_rule("l10n_atomic_block", render_source)
    md.block.ruler.before("fence", "l10n_atomic_block", block_rule, _ALT)
    if pattern is not None:
        _stop_text_at(md, pattern)


def _push_parameter_entries(
    state: StateBlock, start: int, stop: int, line: int, names: Sequence[str]
) -> str:
    """Push an entry for each translatable parameter of the shortcodes in ``src[start:stop]``; return the
    source with those values left out (what a translation must keep)."""
    src = state.src
    layout: list[str] = []
    cursor = start
    for tag in re.finditer(r"\{\{[<%]", src[start:stop]):
        name, parameters = shortcode_parameters(src, start + tag.start(), stop)
        for parameter, value_start, value_end in parameters:
            value = src[value_start:value_end]
            if parameter not in names or not any(char.isalpha() for char in value):
                continue
            entry = state.push("inline", "", 0)
            entry.content = value
            entry.map = [line + src.count("\n", start, value_start)] * 2
            entry.map[1] += 1
            entry.children = []
            entry.meta.update({ENTRY: f"shortcode {parameter} ({name})", SPAN: (value_start, value_end), MODE: "title"})
            layout.append(src[cursor:value_start])
            cursor = value_end
    layout.append(src[cursor:stop])
    return "…".join(layout)


def _atomic_line_end(
    state: StateBlock, start_line: int, end_line: int, scan_at: Scanner
) -> tuple[int, int] | None:
    """The last line and end offset of a run of atomic syntax filling ``start_line`` (and the lines a
    multi-line tag spans), or None."""
    src = state.src
    line = start_line
    pos = state.bMarks[line] + state.tShift[line]
    limit = state.eMarks[end_line - 1] if end_line > start_line else state.eMarks[line]
    found_any = False
    while True:
        while pos < state.eMarks[line] and src[pos] in " \t":
            pos += 1
        if pos >= state.eMarks[line]:
            return (line, state.eMarks[line]) if found_any else None
        found = scan_at(src, pos, limit)
        if found == -1:
            return None
        found_any = True
        pos = found
        while line + 1 < end_line and state.bMarks[line + 1] <= pos:
            line += 1


def _stop_text_at(md: MarkdownIt, pattern: re.Pattern[str]) -> None:
    """Make the ``text`` rule stop where a locked pattern starts, so the atomic rule sees it."""
    index = md.inline.ruler.__find__("text")
    text_rule = md.inline.ruler.__rules__[index].fn

    def text_before_pattern(state: StateInline, silent: bool) -> bool:
        found = pattern.search(state.src, state.pos, state.posMax)
        while found is not None and found.end() == found.start():
            found = pattern.search(state.src, found.start() + 1, state.posMax)
        if found is None:
            return text_rule(state, silent)
        if found.start() == state.pos:
            return False
        old_max = state.posMax
        state.posMax = found.start()
        try:
            return text_rule(state, silent)
        finally:
            state.posMax = old_max

    md.inline.ruler.at("text", text_before_pattern)
