"""Reading and writing catalogs: parse (strict, errors as ``file:line``), and the one :func:`save` every
writer uses, which keeps the text of every entry it does not change exactly as it was written."""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import polib

from l10n.catalog.entries import entry_key
from l10n.catalog.po.format import format_entry, format_head
from l10n.catalog.po.read import read_po
from l10n.catalog.template import WRAP_WIDTH
from l10n.fileio import InputError, atomic_write_text, read_text_if_any

_POLIB_LINE = re.compile(r"line (\d+)")


_QUOTED = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+{_QUOTED}[ \t]*$")
_STRING_LINE = re.compile(rf"^{_QUOTED}[ \t]*$")


def check_po_syntax(text: str, path: Path | str) -> None:
    """Reject what polib would silently accept (unterminated strings, stray lines, msgid without msgstr),
    naming the line, as msgfmt would."""
    state = "start"  # start | msgctxt | msgid | msgstr
    keyword_line = 0
    seen: dict[tuple[bool, str | None, str], int] = {}
    context: str | None = None
    msgid_text: list[str] = []
    current = ""

    def close(number: int) -> None:
        nonlocal state, context
        if state in ("msgctxt", "msgid"):
            raise InputError(path, keyword_line, f"{state} without msgstr")
        state = "start"
        context = None

    lines = _po_lines(text)
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):
                continue
        elif not line or line.startswith("#"):
            continue
        keyword = _KEYWORD_LINE.match(line)
        if keyword:
            name = keyword.group(1)
            value = line[len(name) :].strip()
            if name == "msgctxt" or (name == "msgid" and state != "msgctxt"):
                close(number)
            if name in ("msgctxt", "msgid"):
                state, keyword_line, current = name, number, name
                if name == "msgid":
                    msgid_text[:] = [value]
                else:
                    context = value
            elif state not in ("msgid", "msgstr"):
                raise InputError(path, number, f"{name} without msgid")
            else:
                if state == "msgid":
                    key = (obsolete, context, "".join(msgid_text))
                    if key in seen and not obsolete:
                        raise InputError(path, keyword_line, f"duplicate message (first at line {seen[key]})")
                    seen.setdefault(key, keyword_line)
                state, current = "msgstr", name
            continue
        if _STRING_LINE.match(line) and state != "start":
            if current == "msgid":
                msgid_text.append(line)
            continue
        raise InputError(path, number, f"syntax error: {raw.strip()[:60]!r}")
    close(len(lines))


def _po_lines(text: str) -> list[str]:
    """PO lines end at LF (CRLF tolerated) only; str.splitlines would also cut at U+2028, U+0085..."""
    return [line.removesuffix("\r") for line in text.split("\n")]


# Characters str.splitlines() treats as line ends although PO does not. polib splits string content with
# splitlines(), which would cut a msgid at a U+2028 inside it; they stand in as private-use characters
# while polib parses, and are put back after.
_SPLITLINES_ONLY = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_HIDE = str.maketrans({char: chr(0xF0000 + index) for index, char in enumerate(_SPLITLINES_ONLY)})
_SHOW = str.maketrans({chr(0xF0000 + index): char for index, char in enumerate(_SPLITLINES_ONLY)})
_HAS_SPLITLINES_ONLY = re.compile(f"[{_SPLITLINES_ONLY}]")


def _hidden(text: str) -> str:
    """``text`` with the characters of ``_SPLITLINES_ONLY`` hidden (``str.translate`` is slow: only when there
    are any)."""
    return text.translate(_HIDE) if _HAS_SPLITLINES_ONLY.search(text) else text


def _show_hidden(catalog: polib.POFile) -> None:
    def show(value: str | None) -> str | None:
        return value.translate(_SHOW) if value else value

    catalog.header = show(catalog.header) or ""
    catalog.metadata = {key: show(value) or "" for key, value in catalog.metadata.items()}
    for entry in [*catalog, *catalog.obsolete_entries()]:
        for name in ("msgid", "msgstr", "msgctxt", "msgid_plural", "comment", "tcomment"):
            setattr(entry, name, show(getattr(entry, name)))
        for name in ("previous_msgid", "previous_msgctxt", "previous_msgid_plural"):
            setattr(entry, name, show(getattr(entry, name)))
        entry.msgstr_plural = {key: show(value) or "" for key, value in entry.msgstr_plural.items()}
        entry.occurrences = [(show(name) or "", line) for name, line in entry.occurrences]


def parse_catalog(text: str, path: Path | str) -> polib.POFile:
    """Parse PO text; a syntax error becomes an ``InputError`` naming the file and line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(path, 1, "empty catalog")
    catalog = read_po(text, WRAP_WIDTH)  # one pass for the common form of PO; anything else the way below
    if catalog is not None:
        return catalog
    check_po_syntax(text, path)
    hidden = _hidden(text)
    try:
        catalog = polib.pofile(hidden, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError, UnicodeError) as error:
        match = _POLIB_LINE.search(str(error))
        raise InputError(path, int(match.group(1)) if match else None, f"broken PO file: {error}") from None
    if hidden != text:
        _show_hidden(catalog)
    catalog.encoding = "utf-8"
    return catalog


def read_catalog(path: Path) -> polib.POFile | None:
    """Read a catalog if it exists (strict UTF-8)."""
    return read_catalog_text(path)[0]


def read_catalog_text(path: Path) -> tuple[polib.POFile | None, str | None]:
    """A catalog and its text, if the file exists (the text lets :func:`save` keep unchanged entries as
    written)."""
    text = read_text_if_any(path)
    return (None, None) if text is None else (parse_catalog(text, path), text)


class _KeptBlocks:
    """The text of each entry of a PO file as written (whatever tool wrapped it), found by the entry's key
    (everything the entry says). ``parsed`` is ``text`` read by :func:`parse_catalog`. Each entry's text runs
    from its first line (polib's count, on the lines polib sees) to the next entry's, blank lines left out; an
    entry whose text holds a blank line is left out (written anew).

    Only offsets are kept (each entry's text is cut when asked for) and entries are found by the hash of their
    key, checked against the entry itself: a huge catalog's texts and keys are not held twice.
    """

    def __init__(self, text: str, parsed: polib.POFile) -> None:
        unmarked = text.removeprefix("\ufeff")
        self.hidden = _hidden(unmarked)
        self.shown = self.hidden is unmarked
        self.starts = _line_starts(self.hidden)  # where each line polib counts starts, then the text's end
        self.entries = sorted((entry for entry in parsed if entry.linenum), key=lambda entry: entry.linenum)
        self.found: dict[int, int] = {}  # hash of an entry's key -> its place in self.entries (the last one kept)
        for place, entry in enumerate(self.entries):
            if self._block(place) is not None:
                self.found[hash(entry_key(entry))] = place

    def _block(self, place: int) -> str | None:
        starts, entries = self.starts, self.entries
        start = starts[entries[place].linenum - 1]
        end = starts[entries[place + 1].linenum - 1] if place + 1 < len(entries) else starts[-1]
        block = self.hidden[start:end]
        if "\r" in block:  # the lines joined by line feeds, as before
            block = _LINE_END.sub("\n", block)
        block = block.rstrip(" \t\n")
        if not self.shown:
            block = block.translate(_SHOW)
        return block if "msgid" in block and not _BLANK_LINE.search(block) else None

    def get(self, entry: polib.POEntry) -> str | None:
        """The text ``entry`` had in the file when the file holds it unchanged."""
        key = entry_key(entry)
        place = self.found.get(hash(key))
        if place is None or entry_key(self.entries[place]) != key:
            return None
        return self._block(place)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINE_END = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> array[int]:
    """The offset of each line of ``text`` as ``str.splitlines`` cuts it (at LF, CRLF or CR: ``text`` has no
    other line end), then ``len(text)``."""
    starts = array("q", [0])
    if "\r" in text:
        starts.extend(match.end() for match in _LINE_END.finditer(text))
    else:
        end = text.find("\n")
        while end >= 0:
            starts.append(end + 1)
            end = text.find("\n", end + 1)
    if starts[-1] != len(text):
        starts.append(len(text))
    return starts


def render_parts(
    catalog: polib.POFile,
    previous: str | None = None,
    previous_catalog: polib.POFile | None = None,
    *,
    number_entries: bool = False,
) -> Iterator[str]:
    """The text of :func:`render_catalog`, a piece at a time (a huge catalog's text need not be held whole)."""
    entries = [entry for entry in catalog if entry.msgid and not entry.obsolete] + list(catalog.obsolete_entries())
    kept = None
    if previous:
        if previous_catalog is None:
            try:
                previous_catalog = parse_catalog(previous, "previous catalog")
            except InputError:
                previous_catalog = None
        kept = _KeptBlocks(previous, previous_catalog) if previous_catalog is not None else None
    head = format_head(catalog, WRAP_WIDTH).rstrip("\n")
    yield head
    line = head.count("\n") + 3  # the first entry's: after the header and one blank line
    for entry in entries:
        part = (kept.get(entry) if kept else None) or format_entry(entry, WRAP_WIDTH).rstrip("\n")
        yield "\n\n" + part
        if number_entries:
            entry.linenum = line
        line += part.count("\n") + 2
    yield "\n"


def render_catalog(
    catalog: polib.POFile,
    previous: str | None = None,
    previous_catalog: polib.POFile | None = None,
    *,
    number_entries: bool = False,
) -> str:
    """The catalog as PO text: header, entries, obsolete entries last, one final newline.

    With ``previous`` (the text of the file being replaced), an entry that did not change keeps its text
    exactly, whatever tool wrapped it (Poedit, msgcat, po4a), so a diff shows only the entries that changed;
    only the others are formatted (polib's formatting is the slow part of writing a catalog).
    ``previous_catalog``, that text as :func:`parse_catalog` read it, spares parsing it again.
    With ``number_entries``, each entry's ``linenum`` is set to the line it starts on in the returned text, as
    reading that text back would set it.
    """
    return "".join(render_parts(catalog, previous, previous_catalog, number_entries=number_entries))


def save(
    path: Path,
    catalog: polib.POFile,
    previous_text: str | None,
    *,
    previous_catalog: polib.POFile | None = None,
    number_entries: bool = False,
    write: Callable[[Path, str], object] = atomic_write_text,
) -> str:
    """Write ``catalog`` to ``path`` (atomically unless ``write`` says otherwise) and return its text.

    ``previous_text`` is the text of the file being replaced (None for a new file): every entry the caller
    did not change keeps its text byte for byte, whatever tool wrapped it, so a diff shows only what changed.
    Every command that writes a catalog writes it here. ``write`` lets a run stage the file instead;
    ``previous_catalog`` and ``number_entries`` are passed to :func:`render_catalog`.
    """
    text = render_catalog(catalog, previous_text, previous_catalog, number_entries=number_entries)
    write(path, text)
    return text
