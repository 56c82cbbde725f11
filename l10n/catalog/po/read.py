"""PO text into polib objects in one pass, for the common form of PO files.

Why a reader of our own: polib stays the catalog model (everything downstream works on ``polib.POFile`` and
``POEntry``), but reading is the hot path of every run, and the general way reads a catalog twice: our syntax
check (:func:`l10n.catalog.io.check_po_syntax`, for what polib silently accepts) and polib's parser (a generic
state machine: a dictionary lookup, a method call and a regex per line). This reader does both in one pass over
the form of PO that gettext, polib, Poedit, po4a and l10n itself write, and builds the very objects
``polib.pofile`` builds, field for field (line numbers, obsolete entries, header, metadata included).

Whatever lies outside that form gets ``None`` back, errors included, and the caller reads the text the general
way (check, then polib): what is accepted and how a broken file is reported stay theirs. Outside the form: any line
not of the shapes below, a comment inside an entry's keywords, a keyword out of order, an entry half obsolete,
a duplicate message, a file ending inside an entry, more than one header, a carriage return not followed by a
line feed, and the characters ``str.splitlines`` cuts at although PO does not (polib's parser splits the text
with it). Lines end with LF or CRLF.

Line shapes (after stripping): blank; ``#`` and ``# …`` (translator comment or, at the top, the header);
``#. …``, ``#: …``, ``#, …`` (also bare); ``#| msgctxt|msgid|msgid_plural "…"`` and ``#| "…"``; ``#~| …``
(ignored, as polib does); ``msgctxt|msgid|msgid_plural|msgstr|msgstr[N] "…"`` and ``"…"``, each possibly
behind ``#~ ``. A string is ``"…"`` in which every quote and backslash is escaped.

``tests/test_po_read.py`` compares the result with ``polib.pofile`` on generated and on real catalogs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import polib

_STRING_INSIDE = re.compile(r'(?:[^"\\]|\\.)*')
# Characters that send a text to the general way: the line ends of str.splitlines that PO does not have, and
# the private-use stand-ins l10n.catalog.io hides those behind.
_OUTSIDE = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029\U000f0000-\U000f0007]")
_KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")
_DIGITS = "0123456789"


class _Uncommon(Exception):
    """The text is not in the form this reader knows."""


def _inside(quoted: str) -> str:
    """The (escaped) text between the quotes of ``"…"``."""
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise _Uncommon
    inside = quoted[1:-1]
    if ('"' in inside or "\\" in inside) and _STRING_INSIDE.fullmatch(inside) is None:
        raise _Uncommon
    return inside


def _unescape(text: str) -> str:
    return polib.unescape(text) if "\\" in text else text


def _occurrences(references: str) -> list[tuple[str, str]]:
    """A ``#:`` line's references as polib reads them: ``path:line``, or the whole word and no line."""
    found = []
    for reference in references.split():
        path, colon, line = reference.rpartition(":")
        found.append((path, line) if colon and line.isdigit() else (reference, ""))
    return found


class _Reader:
    """polib's parser (``_POFileParser``) restricted to the common form; its state names."""

    def __init__(self, catalog: polib.POFile | None = None) -> None:
        self.catalog = polib.POFile() if catalog is None else catalog
        self.entry = polib.POEntry(linenum=0)
        self.state = "st"  # st: start, he: header, co: comments, pc/pm/pp: #| lines, then ct, mi, mp, ms, mx
        self.obsolete = 0  # the entry's keyword lines are behind "#~ "
        self.field = ""  # the field "…" lines add to: an attribute, or "" for the last msgstr[N]
        self.plural = 0
        self.pieces: list[str] = []
        self.context: str | None = None  # the msgctxt's first line and the msgid's lines: the syntax check's key
        self.msgid_lines: list[str] = []
        self.seen: set[int] = set()  # hashes of the keys (a collision only sends the text the general way)
        self.done: list[polib.POEntry] = []  # entries complete, not yet handed out

    # -- an entry's strings: pieces gathered, un-escaped once when complete

    def start_field(self, field: str, inside: str) -> None:
        self.end_field()
        self.field = field
        self.pieces = [inside]

    def end_field(self) -> None:
        if not self.pieces:
            return
        value = _unescape("".join(self.pieces))
        if self.field:
            setattr(self.entry, self.field, value)
        else:
            self.entry.msgstr_plural[self.plural] = value
        self.pieces = []

    def next_entry(self, number: int) -> None:
        """A comment or keyword after a msgstr starts the next entry on this line (polib's ``linenum``)."""
        if self.state in ("ms", "mx"):
            self.end_field()
            self.done.append(self.entry)
            self.entry = polib.POEntry(linenum=number)

    # -- lines

    def comment(self, line: str, number: int) -> None:
        if self.state in ("ct", "mi", "mp"):
            raise _Uncommon  # a comment among an entry's keywords
        if line == "#" or line[1] == " ":
            if self.state in ("st", "he"):
                header = self.catalog.header
                self.catalog.header = (header + "\n" if header else "") + line[2:]
                self.state = "he"
                return
            self.next_entry(number)
            self.entry.tcomment = (self.entry.tcomment + "\n" if self.entry.tcomment else "") + line[2:]
        elif line[2:3] != " ":
            raise _Uncommon
        elif line[1] == "|":
            self.previous(line[3:].lstrip(), number)
            return
        elif line[1] == ".":
            self.next_entry(number)
            self.entry.comment = (self.entry.comment + "\n" if self.entry.comment else "") + line[3:]
        elif line[1] == ":":
            self.next_entry(number)
            self.entry.occurrences += _occurrences(line[3:])
        elif line[1] == ",":
            self.next_entry(number)
            self.entry.flags += [flag.strip() for flag in line[3:].split(",")]
        else:
            raise _Uncommon
        self.state = "co"

    def previous(self, rest: str, number: int) -> None:
        """A ``#|`` line: a previous msgctxt, msgid or msgid_plural, or a string continuing one."""
        if rest[:1] == '"':
            if self.state not in ("pc", "pm", "pp"):
                raise _Uncommon
            self.pieces.append(_inside(rest))
            return
        keyword, _, quoted = rest.partition(" ")
        if keyword not in ("msgctxt", "msgid", "msgid_plural"):
            raise _Uncommon
        self.next_entry(number)
        self.start_field("previous_" + keyword, _inside(quoted.lstrip(" ")))
        self.state = {"msgctxt": "pc", "msgid": "pm", "msgid_plural": "pp"}[keyword]

    def keyword(self, line: str, number: int, obsolete: int) -> None:
        keyword, _, quoted = line.partition(" ")
        inside = _inside(quoted.lstrip(" "))
        state = self.state
        if keyword == "msgctxt" or keyword == "msgid":
            self.begin(keyword, inside, number, obsolete)
            return
        if obsolete != self.obsolete:
            raise _Uncommon
        if state == "mi" and not obsolete:  # the syntax check's rule: one entry per msgctxt and msgid
            key = hash((self.context, tuple(self.msgid_lines)))
            if key in self.seen:
                raise _Uncommon
            self.seen.add(key)
        if keyword == "msgid_plural" and state == "mi":
            self.start_field("msgid_plural", inside)
            self.state = "mp"
        elif keyword == "msgstr" and state in ("mi", "mp"):
            self.start_field("msgstr", inside)
            self.state = "ms"
        elif keyword[:7] == "msgstr[" and len(keyword) == 9 and keyword[7] in _DIGITS and keyword[8] == "]":
            if state not in ("mi", "mp", "mx"):
                raise _Uncommon
            self.start_field("", inside)
            self.plural = int(keyword[7])
            self.state = "mx"
        else:
            raise _Uncommon

    def begin(self, keyword: str, inside: str, number: int, obsolete: int) -> None:
        """A msgctxt, or a msgid (after its msgctxt or not)."""
        if keyword == "msgid" and self.state == "ct":
            if obsolete != self.obsolete:
                raise _Uncommon
        elif self.state in ("ct", "mi", "mp"):
            raise _Uncommon  # a msgctxt or msgid without msgstr
        else:
            self.next_entry(number)
            self.obsolete = obsolete
            self.context = None
        if keyword == "msgctxt":
            self.context = inside
            self.state = "ct"
        else:
            self.entry.obsolete = obsolete
            self.msgid_lines = [inside]
            self.state = "mi"
        self.start_field(keyword, inside)

    def string(self, line: str, obsolete: int) -> None:
        if self.state not in ("ct", "mi", "mp", "ms", "mx") or obsolete != self.obsolete:
            raise _Uncommon
        inside = _inside(line)
        self.pieces.append(inside)
        if self.state == "mi":
            self.msgid_lines.append(inside)

    def entries(self, lines: Iterable[str]) -> Iterator[polib.POEntry]:
        """The entries of ``lines`` (a text cut at its line feeds), in order, each handed out once complete:
        the header among them, as polib's parser appends it. Raises ``_Uncommon`` (possibly after some
        entries) when the text is not in the common form."""
        ends_in_entry = False  # whether the last line that is not blank is a keyword or a string
        done = self.done
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line:
                continue
            obsolete = 0
            if line[:3] == "#~ ":
                line = line[3:].strip()
                obsolete = 1
            elif line == "#~|" or line[:4] == "#~| ":
                ends_in_entry = False
                continue
            first = line[0]
            if first == '"':
                self.string(line, obsolete)
            elif first == "m" and line.startswith(_KEYWORDS):
                self.keyword(line, number, obsolete)
            elif first == "#" and not obsolete:
                if line in ("#.", "#:", "#,"):  # polib skips these
                    ends_in_entry = False
                    continue
                self.comment(line, number)
            else:
                raise _Uncommon
            ends_in_entry = first != "#"
            if done:
                yield from done
                done.clear()
        if self.state in ("ct", "mi", "mp"):
            raise _Uncommon  # the file ends inside an entry
        self.end_field()
        if ends_in_entry:  # polib drops an entry of comments only at the end (and, with it, one complete
            yield self.entry  # entry followed by nothing but "#~|" lines)

    def read(self, text: str) -> polib.POFile:
        append = self.catalog.append
        for entry in self.entries(_lines(text)):
            append(entry)
        self.take_metadata()
        return self.catalog

    def take_metadata(self) -> None:
        """The entry with an empty msgid becomes the metadata, as polib does it."""
        catalog = self.catalog
        headers = [entry for entry in catalog if not entry.obsolete and entry.msgid == ""]
        if not headers:
            return
        if len(headers) > 1:
            raise _Uncommon
        catalog.remove(headers[0])
        _take_header(catalog, headers[0])


def _take_header(catalog: polib.POFile, header: polib.POEntry) -> None:
    """``header``, the entry with an empty msgid, as ``catalog``'s metadata, as polib does it."""
    catalog.metadata_is_fuzzy = header.flags
    key = None
    for line in header.msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            catalog.metadata[key] = value.strip()
        elif key is not None:
            catalog.metadata[key] += "\n" + line.strip()


def read_po(text: str, wrapwidth: int) -> polib.POFile | None:
    """The catalog ``polib.pofile(text, wrapwidth=wrapwidth)`` would give, with ``encoding`` set to UTF-8 (the
    file is read as UTF-8 whatever its header says), or ``None`` when the text is not in the common form."""
    if _OUTSIDE.search(text) or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return None  # (a CR before a LF is stripped with the line's other trailing whitespace)
    try:
        catalog = _Reader().read(text)
    except _Uncommon:
        return None
    catalog.wrapwidth = wrapwidth
    catalog.encoding = "utf-8"
    return catalog


_NOT_BLANK = re.compile(r"\S")


class UncommonForm(Exception):
    """The text is not in the form the one-pass reader knows: read it with :func:`l10n.catalog.io.parse_catalog`."""


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time (a huge catalog's lines are never all held)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def stream_po(text: str, catalog: polib.POFile | None = None) -> Iterator[polib.POEntry]:
    """The entries of the catalog ``text`` (BOM removed), header left out, as :func:`read_po` would list them
    (``for entry in catalog``: live and obsolete ones in file order, objects equal attribute for attribute),
    one at a time: only the entry being read is held. Raises :class:`UncommonForm`, possibly after some entries,
    when the text is not in the common form: the caller starts again the general way. With ``catalog``, the
    header comment and the metadata are set in it as :func:`read_po` sets them (its entries are not touched)."""
    text = text.removeprefix("\ufeff")
    if _OUTSIDE.search(text) or ("\r" in text and text.count("\r") != text.count("\r\n")):
        raise UncommonForm
    if _NOT_BLANK.search(text) is None:
        raise UncommonForm  # an empty catalog: the general way says so
    headers = 0
    try:
        for entry in _Reader(catalog).entries(_lines(text)):
            if not entry.obsolete and entry.msgid == "":
                headers += 1
                if headers > 1:
                    raise UncommonForm  # polib would take the last as the header, read_po leaves the text
                if catalog is not None:
                    _take_header(catalog, entry)
                continue
            yield entry
    except _Uncommon:
        raise UncommonForm from None
