"""PO entries as text, the very text polib writes (``POEntry.__unicode__``), faster.

polib stays the catalog model and its formatting the reference; this module only takes the slow parts off the
hot path of writing catalogs: polib wraps every long string with ``textwrap.wrap`` (a new ``TextWrapper``, a
whitespace translation table over the text, a regex split whose word pattern tries lookbehinds at every
character) and then un-escapes and re-escapes each wrapped line. Here:

- a string that fits on its line is written as is (as polib does, minus the bookkeeping);
- a string to wrap is cut where textwrap's greedy rule (``drop_whitespace=False``, ``break_long_words=False``)
  cuts it, found from the chunk at each line's last column only (textwrap's chunks are runs of spaces and
  words, words cut further after hyphens by textwrap's own pattern, only for a word holding a hyphen);
- the wrapped pieces are already escaped text, never un-escaped and escaped again (a cut never falls inside an
  escape: textwrap cuts at its whitespace, ASCII's, and after hyphens; escaping leaves no whitespace but the
  space);
- comments and references, short in practice, go through ``textwrap.wrap`` exactly as polib calls it when
  they are long.

``tests/test_po_format.py`` compares the output with polib's on generated entries and on real catalogs.
"""

from __future__ import annotations

import re
import textwrap

import polib

# The characters polib escapes; each one adds a character to the escaped text (polib's ``specialchars_count``).
_TO_ESCAPE = re.compile(r'[\\\n\r\t\v\b\f"]')
_TEXTWRAP_CHUNKS = textwrap.TextWrapper.wordsep_re


def _escape(text: str) -> str:
    return polib.escape(text) if _TO_ESCAPE.search(text) else text


def _chunk_around(text: str, index: int) -> tuple[int, int]:
    """Where the textwrap chunk holding ``text[index]`` starts and ends: a run of spaces, or a word, which
    textwrap cuts further after hyphens (its pattern looks at nothing beyond the word, so the word's chunks are
    the same cut alone)."""
    if text[index] == " ":
        start = end = index
        while start and text[start - 1] == " ":
            start -= 1
        while end < len(text) and text[end] == " ":
            end += 1
        return start, end
    start = text.rfind(" ", 0, index) + 1
    end = text.find(" ", index)
    end = len(text) if end < 0 else end
    if "-" in text[start:end]:
        for chunk in _TEXTWRAP_CHUNKS.split(text[start:end]):
            if index < start + len(chunk):
                return start, start + len(chunk)
            start += len(chunk)
    return start, end


def _wrapped(escaped: str, width: int) -> list[str]:
    """``textwrap.wrap(escaped, width, drop_whitespace=False, break_long_words=False)`` for escaped PO text,
    whose only whitespace is the space (so textwrap's whitespace munging would change nothing).

    textwrap fills each line with the chunks that fit, in order, or else takes alone the one chunk that does
    not fit: a line ends where the chunk holding its ``width``-th character starts, or, when that chunk starts
    the line, where it ends.
    """
    lines: list[str] = []
    start = 0
    while start < len(escaped):
        end = start + width
        if end < len(escaped):
            chunk_start, chunk_end = _chunk_around(escaped, end)
            end = chunk_start if chunk_start > start else chunk_end
        lines.append(escaped[start:end])
        start = end
    return lines


def _field(
    prefix: str, keyword: str, value: str, wrapwidth: int, *, measured_as: str = "", index: str = ""
) -> list[str]:
    """The lines of one keyword and its string, as polib's ``_BaseEntry._str_field``. ``measured_as`` is the
    name polib measures the line with when it differs from the keyword written (``previous_msgid``)."""
    parts = value.splitlines(True)
    head = f"{prefix}{keyword}{index} "
    if len(parts) > 1:  # polib cuts at line ends (every one str.splitlines knows) and nowhere else
        return [head + '""', *(f'{prefix}"{_escape(part)}"' for part in parts)]
    escaped = _escape(value)
    specials = len(escaped) - len(value)
    room = wrapwidth - (len(measured_as or keyword) + 3 + len(index)) + specials
    if wrapwidth > 0 and len(value) > room:
        return [head + '""', *(f'{prefix}"{line}"' for line in _wrapped(escaped, wrapwidth - 2))]
    return [f'{head}"{escaped}"']


def _comment_lines(text: str, prefix: str, wrapwidth: int) -> list[str]:
    lines: list[str] = []
    for comment in text.split("\n"):
        if wrapwidth > 0 and len(comment) + len(prefix) > wrapwidth:
            lines += textwrap.wrap(
                comment, wrapwidth, initial_indent=prefix, subsequent_indent=prefix, break_long_words=False
            )
        else:
            lines.append(prefix + comment)
    return lines


def _occurrence_lines(occurrences: list[tuple[str, str]], wrapwidth: int) -> list[str]:
    references = " ".join(f"{path}:{line}" if line else path for path, line in occurrences)
    if wrapwidth > 0 and len(references) + 3 > wrapwidth:
        # polib's way of keeping textwrap from cutting a file name at a hyphen
        wrapped = textwrap.wrap(
            references.replace("-", "*"),
            wrapwidth,
            initial_indent="#: ",
            subsequent_indent="#: ",
            break_long_words=False,
        )
        return [line.replace("*", "-") for line in wrapped]
    return ["#: " + references]


def format_entry(entry: polib.POEntry, wrapwidth: int) -> str:
    """``entry.__unicode__(wrapwidth)``: the entry's lines, each ended by a newline."""
    if 0 < wrapwidth <= 2:  # textwrap refuses such widths: polib's own error
        return entry.__unicode__(wrapwidth)
    obsolete = entry.obsolete
    lines: list[str] = []
    if entry.tcomment:
        lines += _comment_lines(entry.tcomment, "# ", wrapwidth)
    if not obsolete and entry.comment:
        lines += _comment_lines(entry.comment, "#. ", wrapwidth)
    if not obsolete and entry.occurrences:
        lines += _occurrence_lines(entry.occurrences, wrapwidth)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    previous = "#~| " if obsolete else "#| "
    for keyword in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, "previous_" + keyword)
        if value is not None:
            lines += _field(previous, keyword, value, wrapwidth, measured_as="previous_" + keyword)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        lines += _field(prefix, "msgctxt", entry.msgctxt, wrapwidth)
    lines += _field(prefix, "msgid", entry.msgid, wrapwidth)
    if entry.msgid_plural:
        lines += _field(prefix, "msgid_plural", entry.msgid_plural, wrapwidth)
    if entry.msgstr_plural:
        plurals = entry.msgstr_plural
        for index in sorted(plurals):
            lines += _field(prefix, "msgstr", plurals[index], wrapwidth, index=f"[{index}]")
    else:
        lines += _field(prefix, "msgstr", entry.msgstr, wrapwidth)
    lines.append("")
    return "\n".join(lines)


def format_head(catalog: polib.POFile, wrapwidth: int) -> str:
    """What ``str()`` gives for a catalog without entries: the header comment and the metadata entry."""
    comment = "".join(
        "#\n" if not line else f"#{line}\n" if line[:1] in (",", ":") else f"# {line}\n"
        for line in catalog.header.split("\n")
    )
    return comment + format_entry(catalog.metadata_as_entry(), wrapwidth)
