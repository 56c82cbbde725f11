"""Gettext catalogs: templates from documents, msgmerge-style updates, headers, statistics (polib)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib
from babel.messages.plurals import get_plural
from rapidfuzz import fuzz, process

from l10n.config import normalize_locale, parse_locale
from l10n.document.segments import Document, Segment
from l10n.fileio import InputError, decode_utf8
from l10n.po_format import format_entry, format_head
from l10n.po_read import read_po

# msgmerge's own threshold (FUZZY_THRESHOLD in gettext-tools): below it an old translation is not offered.
FUZZY_CUTOFF = 60.0
WRAP_WIDTH = 79

DATE_FIELDS = ("POT-Creation-Date", "PO-Revision-Date")


def now_stamp(moment: datetime | None = None) -> str:
    """A date in gettext's header format, e.g. ``2026-11-30 00:51+0000``."""
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M%z")


def kind_comment(kind: str) -> str:
    """The ``#.`` comment naming a segment's kind: ``type: heading 2``, ``front matter: title``."""
    return kind if kind.startswith("front matter") else f"type: {kind}"


def _new_file() -> polib.POFile:
    catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
    catalog.encoding = "utf-8"
    return catalog


def template_entries(segments: Iterable[Segment], reference: str) -> list[polib.POEntry]:
    """One entry per distinct (msgctxt, msgid), in source order; repeats add references and kinds."""
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    for segment in segments:
        if not segment.msgid.strip():
            continue
        key = (segment.context, segment.msgid)
        entry = entries.get(key)
        comment = kind_comment(segment.kind)
        if entry is None:
            entry = polib.POEntry(msgid=segment.msgid, msgstr="", comment=comment, occurrences=[])
            if segment.context is not None:
                entry.msgctxt = segment.context
            entries[key] = entry
        elif comment not in entry.comment.split("\n"):
            entry.comment += "\n" + comment
        entry.occurrences.append((reference, str(segment.line)))
    return list(entries.values())


def _template_metadata(project: str, created: str) -> dict[str, str]:
    return {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": created,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


def make_template(
    document: Document,
    reference: str,
    *,
    project: str,
    previous: polib.POFile | None = None,
    now: str | None = None,
) -> polib.POFile:
    """The ``.pot`` of a document. When its entries equal ``previous``'s, ``previous``'s dates are kept."""
    entries = template_entries(document.segments, reference)
    created = now or now_stamp()
    if previous is not None and _entries_key(previous) == tuple(_entry_key(entry) for entry in entries):
        created = previous.metadata.get("POT-Creation-Date", created)
    catalog = _new_file()
    catalog.header = f"Messages of {reference}, extracted by l10n. Translate in locales/<lang>/."
    catalog.metadata = _template_metadata(project, created)
    catalog.extend(entries)
    return catalog


def plural_forms(lang: str) -> str:
    try:
        return str(get_plural(parse_locale(lang)))
    except (ValueError, LookupError):
        return "nplurals=2; plural=(n != 1);"


def _po_metadata(old: polib.POFile | None, template: polib.POFile, lang: str) -> dict[str, str]:
    metadata = dict(old.metadata) if old is not None else dict(template.metadata)
    metadata.setdefault("Project-Id-Version", template.metadata.get("Project-Id-Version", ""))
    metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", "")
    if old is None:
        metadata["PO-Revision-Date"] = template.metadata.get("POT-Creation-Date", "")
    metadata["Language"] = normalize_locale(lang)
    metadata["MIME-Version"] = "1.0"
    metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata["Content-Transfer-Encoding"] = "8bit"
    metadata.setdefault("Plural-Forms", plural_forms(lang))
    return metadata


def _copy_translation(target: polib.POEntry, source: polib.POEntry) -> None:
    target.msgstr = source.msgstr
    target.msgstr_plural = dict(source.msgstr_plural)
    target.tcomment = source.tcomment
    target.flags = list(source.flags)


def _is_translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _fresh(entry: polib.POEntry) -> polib.POEntry:
    copy = polib.POEntry(msgid=entry.msgid, msgstr="", comment=entry.comment, occurrences=list(entry.occurrences))
    copy.msgctxt = entry.msgctxt
    return copy


def merge(old: polib.POFile | None, template: polib.POFile, lang: str) -> polib.POFile:
    """Update a catalog to a template the way GNU ``msgmerge --previous`` does.

    - same msgid (also an obsolete one coming back): keeps msgstr, flags and translator comments;
    - new msgid close to an old translated one (similarity >= 60%, as msgmerge): that msgstr, ``fuzzy``,
      with the old msgid as ``#|`` previous msgid;
    - translated entries no longer in the template: obsolete (``#~``), kept; untranslated ones: dropped.
    """
    merged = _new_file()
    merged.header = old.header if old is not None else template.header
    merged.metadata = _po_metadata(old, template, lang)
    old_entries = [entry for entry in old if entry.msgid] if old is not None else []
    old_entries += list(old.obsolete_entries()) if old is not None else []
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in old_entries:
        exact.setdefault((entry.msgctxt, entry.msgid), entry)
    candidates = [entry for entry in old_entries if _is_translated(entry)]
    used: set[int] = set()

    for template_entry in template:
        if not template_entry.msgid:
            continue
        entry = _fresh(template_entry)
        match = exact.get((template_entry.msgctxt, template_entry.msgid))
        if match is not None:
            _copy_translation(entry, match)
            if entry.fuzzy:
                entry.previous_msgid = match.previous_msgid
                entry.previous_msgctxt = match.previous_msgctxt
            used.add(id(match))
        else:
            closest = _closest(template_entry.msgid, candidates)
            if closest is not None:
                _copy_translation(entry, closest)
                if closest.fuzzy and closest.previous_msgid:
                    entry.previous_msgid = closest.previous_msgid
                    entry.previous_msgctxt = closest.previous_msgctxt
                else:
                    entry.previous_msgid = closest.msgid
                    entry.previous_msgctxt = closest.msgctxt
                if "fuzzy" not in entry.flags:
                    entry.flags.insert(0, "fuzzy")
                used.add(id(closest))
        merged.append(entry)

    live = {(entry.msgctxt, entry.msgid) for entry in merged}
    for entry in old_entries:
        key = (entry.msgctxt, entry.msgid)
        if id(entry) in used or not _is_translated(entry) or key in live:
            continue
        live.add(key)
        obsolete = polib.POEntry(msgid=entry.msgid, obsolete=True)
        obsolete.msgctxt = entry.msgctxt
        _copy_translation(obsolete, entry)
        if obsolete.fuzzy:
            obsolete.previous_msgid = entry.previous_msgid
            obsolete.previous_msgctxt = entry.previous_msgctxt
        merged.append(obsolete)
    return merged


def _closest(msgid: str, candidates: Sequence[polib.POEntry]) -> polib.POEntry | None:
    if not candidates:
        return None
    best = process.extractOne(
        msgid, [entry.msgid for entry in candidates], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
    )
    return candidates[best[2]] if best is not None else None


# ---- reading, writing, comparing ----

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
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise InputError(path, None, f"cannot read: {error.strerror or error}") from None
    return parse_catalog(decode_utf8(data, path), path)


def _blocks_by_entry(text: str, parsed: polib.POFile | None = None) -> dict[tuple[object, ...], str]:
    """The text of each entry of a PO file as written (whatever tool wrapped it), keyed by everything the
    entry says. ``parsed`` is ``text`` read by :func:`parse_catalog` (parsed here when not given). Each entry's
    text runs from its first line (polib's count, on the lines polib sees) to the next entry's, blank lines
    left out; an entry whose text holds a blank line is left out (written anew)."""
    if parsed is None:
        try:
            parsed = parse_catalog(text, "previous catalog")
        except InputError:
            return {}
    unmarked = text.removeprefix("\ufeff")
    hidden = _hidden(unmarked)
    lines = hidden.splitlines()
    entries = sorted((entry for entry in parsed if entry.linenum), key=lambda entry: entry.linenum)
    ends = [entry.linenum - 1 for entry in entries[1:]] + [len(lines)]
    blocks: dict[tuple[object, ...], str] = {}
    for entry, end in zip(entries, ends, strict=True):
        block = "\n".join(lines[entry.linenum - 1 : end]).rstrip(" \t\n")
        if hidden is not unmarked:
            block = block.translate(_SHOW)
        if "msgid" in block and not _BLANK_LINE.search(block):
            blocks[_entry_key(entry)] = block
    return blocks


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


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
    entries = [entry for entry in catalog if entry.msgid and not entry.obsolete] + list(catalog.obsolete_entries())
    kept = _blocks_by_entry(previous, previous_catalog) if previous else {}
    parts = [format_head(catalog, WRAP_WIDTH).rstrip("\n")]
    line = parts[0].count("\n") + 3  # the first entry's: after the header and one blank line
    for entry in entries:
        part = (kept.get(_entry_key(entry)) if kept else None) or format_entry(entry, WRAP_WIDTH).rstrip("\n")
        parts.append(part)
        if number_entries:
            entry.linenum = line
        line += part.count("\n") + 2
    return "\n\n".join(parts) + "\n"


def read_catalog_text(path: Path) -> tuple[polib.POFile | None, str | None]:
    """A catalog and its text, if the file exists (the text lets unchanged entries keep their wrapping)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as error:
        raise InputError(path, None, f"cannot read: {error.strerror or error}") from None
    text = decode_utf8(data, path)
    return parse_catalog(text, path), text


def _entry_key(entry: polib.POEntry) -> tuple[object, ...]:
    return (
        entry.obsolete,
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        tuple(sorted(entry.msgstr_plural.items())),
        tuple(entry.flags),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.tcomment,
        entry.comment,
        tuple(tuple(occurrence) for occurrence in entry.occurrences),
    )


def _entries_key(catalog: polib.POFile) -> tuple[tuple[object, ...], ...]:
    return tuple(_entry_key(entry) for entry in catalog if entry.msgid) + tuple(
        _entry_key(entry) for entry in catalog.obsolete_entries()
    )


def same_entries(left: polib.POFile, right: polib.POFile) -> bool:
    """Whether two catalogs hold the same entries (dates and other header fields aside)."""
    return _entries_key(left) == _entries_key(right)


def same_catalog(left: polib.POFile, right: polib.POFile) -> bool:
    """Whether two catalogs say the same thing, whatever their line wrapping (a Poedit save is no change)."""
    return (
        same_entries(left, right)
        and dict(left.metadata) == dict(right.metadata)
        and (left.header or "") == (right.header or "")
    )


# ---- statistics ----


def word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Stats:
    """Entries and source words of a catalog, by state (obsolete entries not counted)."""

    entries: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def percent(self) -> float:
        """Percent of source words translated and reviewed (100 for an empty catalog)."""
        return 100.0 if self.words == 0 else 100.0 * self.translated_words / self.words

    def __add__(self, other: Stats) -> Stats:
        return Stats(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (
            self.entries,
            self.translated,
            self.fuzzy,
            self.untranslated,
            self.words,
            self.translated_words,
            self.fuzzy_words,
            self.untranslated_words,
        )


def entry_state(entry: polib.POEntry) -> str:
    """``translated`` (reviewed), ``fuzzy`` (needs review) or ``untranslated``."""
    if not _is_translated(entry):
        return "untranslated"
    return "fuzzy" if entry.fuzzy else "translated"


def catalog_stats(catalog: polib.POFile) -> Stats:
    counts = {"translated": [0, 0], "fuzzy": [0, 0], "untranslated": [0, 0]}
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        tally = counts[entry_state(entry)]
        tally[0] += 1
        tally[1] += word_count(entry.msgid)
    return Stats(
        entries=sum(tally[0] for tally in counts.values()),
        translated=counts["translated"][0],
        fuzzy=counts["fuzzy"][0],
        untranslated=counts["untranslated"][0],
        words=sum(tally[1] for tally in counts.values()),
        translated_words=counts["translated"][1],
        fuzzy_words=counts["fuzzy"][1],
        untranslated_words=counts["untranslated"][1],
    )
