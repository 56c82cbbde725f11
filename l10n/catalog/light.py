"""A catalog read for reading only: the entries as light records instead of ``polib.POEntry`` objects.

A run reads the catalog it is about to update (and the old template) only to look at them: merge takes the
old translations, the comparison with the merged catalog and the writer's search for entries kept as written
read every field, and nothing is ever changed in them. A ``POEntry`` carries a ``__dict__``, a list of
occurrences, a list of flags and a dictionary of plural forms of its own, and its own copy of every comment
and reference path: several times what the entry's text takes. A :class:`Record` has slots, its flags and
occurrences are tuples, empty ones shared, and equal comments, flags and paths are one string each.

The records are read-only by convention: their containers are tuples and an empty mapping that refuse
changes, so a writer that tried to change one in place would fail loudly, never change another entry.
Anything that changes entries works on ``polib.POEntry`` objects (merge makes new ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import polib

from l10n.catalog.io import parse_catalog
from l10n.catalog.po.read import UncommonForm, stream_po
from l10n.catalog.template import WRAP_WIDTH

_NO_PLURALS: Mapping[int, str] = MappingProxyType({})


class Record:
    """One catalog entry, read-only: the fields of ``polib.POEntry`` that l10n reads, with slots."""

    __slots__ = (
        "comment",
        "flags",
        "linenum",
        "msgctxt",
        "msgid",
        "msgid_plural",
        "msgstr",
        "msgstr_plural",
        "obsolete",
        "occurrences",
        "previous_msgctxt",
        "previous_msgid",
        "previous_msgid_plural",
        "tcomment",
    )

    msgid: str
    msgstr: str
    msgid_plural: str
    msgstr_plural: Mapping[int, str]
    msgctxt: str | None
    obsolete: bool
    comment: str
    tcomment: str
    occurrences: tuple[tuple[str, str], ...]
    flags: tuple[str, ...]
    previous_msgctxt: str | None
    previous_msgid: str | None
    previous_msgid_plural: str | None
    linenum: int | None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def __repr__(self) -> str:
        return f"Record(msgctxt={self.msgctxt!r}, msgid={self.msgid!r}, line={self.linenum})"


class _Shared:
    """One object for each distinct comment, flags tuple and reference path of a catalog."""

    def __init__(self, msgids: Mapping[str, str]) -> None:
        self.msgids = msgids
        self.strings: dict[str, str] = {}
        self.flags: dict[tuple[str, ...], tuple[str, ...]] = {}

    def string(self, value: str) -> str:
        return self.strings.setdefault(value, value)

    def record(self, entry: Any) -> Record:
        record = Record()
        record.msgid = self.msgids.get(entry.msgid, entry.msgid)
        record.msgstr = entry.msgstr
        record.msgid_plural = entry.msgid_plural
        record.msgstr_plural = dict(entry.msgstr_plural) if entry.msgstr_plural else _NO_PLURALS
        record.msgctxt = entry.msgctxt
        record.obsolete = bool(entry.obsolete)
        record.comment = self.string(entry.comment)
        record.tcomment = self.string(entry.tcomment)
        record.occurrences = tuple((self.string(path), line) for path, line in entry.occurrences)
        flags = tuple(entry.flags)
        record.flags = self.flags.setdefault(flags, flags)
        record.previous_msgctxt = entry.previous_msgctxt
        record.previous_msgid = entry.previous_msgid
        record.previous_msgid_plural = entry.previous_msgid_plural
        record.linenum = entry.linenum
        return record


def read_records(text: str, path: Path | str, msgids: Mapping[str, str] | None = None) -> polib.POFile:
    """The catalog ``text`` as :func:`l10n.catalog.io.parse_catalog` reads it (header, metadata, entries in
    file order, errors as ``file:line``), its entries as :class:`Record` objects, read one at a time.
    ``msgids`` maps msgids to equal strings held already (the template's): a record takes those instead of a
    copy of its own."""
    shared = _Shared(msgids or {})
    catalog = polib.POFile()
    try:
        catalog.extend(shared.record(entry) for entry in stream_po(text, catalog))
    except UncommonForm:  # read the general way, errors included
        catalog = parse_catalog(text, path)
        catalog[:] = [shared.record(entry) for entry in catalog]
        return catalog
    catalog.wrapwidth = WRAP_WIDTH
    catalog.encoding = "utf-8"
    return catalog
