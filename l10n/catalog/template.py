"""Templates (``.pot``) from documents: one entry per distinct segment, with its references and kinds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

import polib

from l10n.catalog.entries import MessageKey, message_key, same_entries

if TYPE_CHECKING:
    from l10n.document.segments import Document, Segment

# The width polib and msgmerge wrap new text at.
WRAP_WIDTH = 79

# A template's entries have no flags and no plural forms: one empty tuple and one empty mapping for all (a huge
# template's entries are many), which refuse changes; merge gives each entry it keeps containers of its own.
NO_FLAGS: tuple[str, ...] = ()
NO_PLURALS: Mapping[int, str] = MappingProxyType({})


def now_stamp(moment: datetime | None = None) -> str:
    """A date in gettext's header format, e.g. ``2026-11-30 00:51+0000``."""
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M%z")


@cache  # one string per kind, however many entries carry it
def kind_comment(kind: str) -> str:
    """The ``#.`` comment naming a segment's kind: ``type: heading 2``, ``front matter: title``."""
    return kind if kind.startswith("front matter") else f"type: {kind}"


def new_file() -> polib.POFile:
    catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
    catalog.encoding = "utf-8"
    return catalog


def template_entries(segments: Iterable[Segment], reference: str) -> list[polib.POEntry]:
    """One entry per distinct (msgctxt, msgid), in source order; repeats add references and kinds."""
    entries: dict[MessageKey, polib.POEntry] = {}
    for segment in segments:
        if not segment.msgid.strip():
            continue
        key = message_key(segment.context, segment.msgid)
        entry = entries.get(key)
        comment = kind_comment(segment.kind)
        if entry is None:
            entry = polib.POEntry(
                msgid=segment.msgid,
                msgstr="",
                comment=comment,
                occurrences=[],
                flags=NO_FLAGS,
                msgstr_plural=NO_PLURALS,
            )
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
    catalog = new_file()
    catalog.header = f"Messages of {reference}, extracted by l10n. Translate in locales/<lang>/."
    catalog.metadata = _template_metadata(project, now or now_stamp())
    catalog.extend(template_entries(document.segments, reference))
    keep_dates(catalog, previous)
    return catalog


def keep_dates(template: polib.POFile, previous: polib.POFile | None) -> None:
    """Give ``template`` the dates of ``previous`` (the template it replaces) when their entries are equal:
    a template whose messages did not change is not rewritten for its date."""
    if previous is None or not same_entries(previous, template):
        return
    created = previous.metadata.get("POT-Creation-Date", template.metadata["POT-Creation-Date"])
    template.metadata["POT-Creation-Date"] = template.metadata["PO-Revision-Date"] = created
