"""Updating a catalog to a new template, the way GNU ``msgmerge --previous`` does."""

from __future__ import annotations

from collections.abc import Sequence

import polib
from babel.messages.plurals import get_plural
from rapidfuzz import fuzz, process

from l10n.catalog.entries import MessageKey, is_translated, message_key, set_fuzzy
from l10n.catalog.template import new_file
from l10n.config import normalize_locale, parse_locale

# msgmerge's own threshold (FUZZY_THRESHOLD in gettext-tools): below it an old translation is not offered.
FUZZY_CUTOFF = 60.0


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


def _fresh(entry: polib.POEntry) -> polib.POEntry:
    copy = polib.POEntry(msgid=entry.msgid, msgstr="", comment=entry.comment, occurrences=list(entry.occurrences))
    copy.msgctxt = entry.msgctxt
    return copy


def merge(
    old: polib.POFile | None, template: polib.POFile, lang: str, *, take_entries: bool = False
) -> polib.POFile:
    """Update a catalog to a template the way GNU ``msgmerge --previous`` does.

    With ``take_entries``, the template's entries become the merged catalog's instead of being copied (the
    template is of no use afterwards): a huge template is not held twice.

    - same msgid (also an obsolete one coming back): keeps msgstr, flags and translator comments;
    - new msgid close to an old translated one (similarity >= 60%, as msgmerge): that msgstr, ``fuzzy``,
      with the old msgid as ``#|`` previous msgid;
    - translated entries no longer in the template: obsolete (``#~``), kept; untranslated ones: dropped.
    """
    merged = new_file()
    merged.header = old.header if old is not None else template.header
    merged.metadata = _po_metadata(old, template, lang)
    old_entries = [entry for entry in old if entry.msgid] if old is not None else []
    old_entries += list(old.obsolete_entries()) if old is not None else []
    exact: dict[MessageKey, polib.POEntry] = {}
    for entry in old_entries:
        exact.setdefault(message_key(entry.msgctxt, entry.msgid), entry)
    candidates = [entry for entry in old_entries if is_translated(entry)]
    used: set[int] = set()

    for template_entry in template:
        if not template_entry.msgid:
            continue
        entry = template_entry if take_entries else _fresh(template_entry)
        match = exact.get(message_key(template_entry.msgctxt, template_entry.msgid))
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
                set_fuzzy(entry, True)
                used.add(id(closest))
            elif take_entries:  # the template's shared empty containers: the merged entry gets its own
                entry.flags = []
                entry.msgstr_plural = {}
        merged.append(entry)

    exact.clear()
    live = {message_key(entry.msgctxt, entry.msgid) for entry in merged}
    for entry in old_entries:
        key = message_key(entry.msgctxt, entry.msgid)
        if id(entry) in used or not is_translated(entry) or key in live:
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
