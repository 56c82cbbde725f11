"""The pieces of a remark directive, scanned as micromark-extension-directive scans them.

``:name[label]{attributes}``: a name starts with anything but whitespace or punctuation, goes on with
letters, digits, ``-`` and ``_``, and does not end with ``-`` or ``_``; a label is bracketed text whose inner
brackets balance; attributes are ``#id``, ``.class``, ``key``, ``key=value``, ``key="value"`` or
``key='value'``. Block directives (leaf and container) keep label and attributes on their line.
Each function takes the text and a position and returns the position after what it read, or -1.
"""

from __future__ import annotations

import unicodedata

_MAX_BRACKET_DEPTH = 32  # micromark's linkResourceDestinationBalanceMax
_LINE_ENDINGS = "\r\n"
_SPACES = " \t"
_SHORTCUT_STOPS = "\"'<=>`"  # characters an #id or .class shortcut may not contain


def is_punctuation(char: str) -> bool:
    """Unicode punctuation as CommonMark 0.31 (and micromark) define it: categories P and S."""
    return unicodedata.category(char)[0] in "PS"


def is_whitespace(char: str) -> bool:
    return char in "\t\n\f\r " or unicodedata.category(char) == "Zs"


def scan_name(src: str, pos: int, end: int) -> int:
    """The end of a directive name starting at ``pos``, or -1."""
    if pos >= end or is_whitespace(src[pos]) or is_punctuation(src[pos]):
        return -1
    pos += 1
    while pos < end:
        char = src[pos]
        if is_whitespace(char) or (is_punctuation(char) and char not in "-_"):
            break
        pos += 1
    return -1 if src[pos - 1] in "-_" else pos


def scan_label(src: str, pos: int, end: int, *, multiline: bool) -> int:
    """The end (after ``]``) of a label whose ``[`` is at ``pos``, or -1."""
    if pos >= end or src[pos] != "[":
        return -1
    pos += 1
    depth = 0
    while pos < end:
        char = src[pos]
        if char == "\\" and pos + 1 < end and src[pos + 1] in "[]\\":
            pos += 2
            continue
        if char == "[":
            depth += 1
            if depth > _MAX_BRACKET_DEPTH:
                return -1
        elif char == "]":
            if depth == 0:
                return pos + 1
            depth -= 1
        elif char in _LINE_ENDINGS and not multiline:
            return -1
        pos += 1
    return -1


def _skip_space(src: str, pos: int, end: int, multiline: bool) -> int:
    while pos < end and (src[pos] in _SPACES or (multiline and src[pos] in _LINE_ENDINGS)):
        pos += 1
    return pos


def scan_attributes(src: str, pos: int, end: int, *, multiline: bool) -> int:
    """The end (after ``}``) of attributes whose ``{`` is at ``pos``, or -1."""
    if pos >= end or src[pos] != "{":
        return -1
    pos += 1
    while True:
        pos = _skip_space(src, pos, end, multiline)
        if pos >= end:
            return -1
        char = src[pos]
        if char in "#.":
            pos = _scan_shortcut(src, pos + 1, end)
        elif is_whitespace(char) or (is_punctuation(char) and char not in "-_"):
            return pos + 1 if char == "}" else -1
        else:
            pos = _scan_attribute(src, pos, end, multiline)
        if pos == -1:
            return -1


def _scan_shortcut(src: str, pos: int, end: int) -> int:
    if pos >= end or src[pos] in _SHORTCUT_STOPS + "#.}" or is_whitespace(src[pos]):
        return -1
    while pos < end:
        char = src[pos]
        if char in _SHORTCUT_STOPS:
            return -1
        if char in "#.}" or is_whitespace(char):
            return pos
        pos += 1
    return -1


def _scan_attribute(src: str, pos: int, end: int, multiline: bool) -> int:
    while pos < end:
        char = src[pos]
        if is_whitespace(char) or (is_punctuation(char) and char not in "-.:_"):
            break
        pos += 1
    pos = _skip_space(src, pos, end, multiline)
    if pos >= end or src[pos] != "=":
        return pos  # an attribute without a value
    pos = _skip_space(src, pos + 1, end, multiline)
    if pos >= end or src[pos] in "<=>`}" or (src[pos] in _LINE_ENDINGS and not multiline):
        return -1
    quote = src[pos]
    if quote in "\"'":
        close = src.find(quote, pos + 1, end)
        if close == -1 or (not multiline and any(c in src[pos:close] for c in _LINE_ENDINGS)):
            return -1
        after = close + 1
        if after < end and not (src[after] == "}" or is_whitespace(src[after])):
            return -1
        return after
    while pos < end:
        char = src[pos]
        if char in "\"'<=>`":
            return -1
        if char == "}" or is_whitespace(char):
            return pos
        pos += 1
    return -1


def scan_directive_tail(src: str, pos: int, end: int, *, multiline: bool) -> tuple[int, tuple[int, int] | None]:
    """After a name: the optional label then the optional attributes, as micromark attempts them (a label or
    attributes that do not parse are not part of the directive). Returns the end and the label's inner
    range."""
    label = None
    label_end = scan_label(src, pos, end, multiline=multiline)
    if label_end != -1:
        label = (pos + 1, label_end - 1)
        pos = label_end
    attributes_end = scan_attributes(src, pos, end, multiline=multiline)
    if attributes_end != -1:
        pos = attributes_end
    return pos, label
