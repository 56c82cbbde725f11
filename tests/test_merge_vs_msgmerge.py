"""Our catalog merge side by side with GNU ``msgmerge --previous`` on a suite of source edits.

For each edit, the same translated catalog is updated to the same new template by both; we must keep every
translation msgmerge keeps, in the same state (reviewed, or fuzzy with the same previous msgid), and keep
the same obsolete translations.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n.catalog.io import render_catalog
from l10n.catalog.merge import merge
from l10n.catalog.template import make_template
from l10n.document.segments import Document, Segment

pytestmark = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext msgmerge not installed")

POST = [
    "L'intelligence artificielle transforme la pratique médicale.",
    "Les médecins gagnent du temps sur les tâches administratives.",
    "Les patients sont suivis à domicile grâce aux objets connectés.",
    "La protection des données de santé reste un défi majeur.",
    "Conclusion",
]
ENGLISH = {
    POST[0]: "Artificial intelligence is transforming medical practice.",
    POST[1]: "Doctors save time on administrative tasks.",
    POST[2]: "Patients are monitored at home thanks to connected devices.",
    POST[3]: "Protecting health data remains a major challenge.",
    POST[4]: "Conclusion",
}

EDITS = {
    "reword a sentence": [
        "L'intelligence artificielle transforme profondément la pratique médicale.",
        *POST[1:],
    ],
    "insert a paragraph": [*POST[:2], "Un paragraphe tout nouveau, sans rapport avec le reste.", *POST[2:]],
    "delete a paragraph": [POST[0], POST[1], POST[3], POST[4]],
    "reorder paragraphs": [POST[3], POST[0], POST[4], POST[2], POST[1]],
    "split a paragraph": [
        POST[0],
        "Les médecins gagnent du temps.",
        "Les tâches administratives diminuent.",
        *POST[2:],
    ],
    "join two paragraphs": [POST[0], POST[1] + " " + POST[2], *POST[3:]],
    "rename the post": list(POST),
    "fix a typo and delete another": [POST[0].replace("médicale", "medicale"), POST[1], POST[2], POST[4]],
}


def template(texts: list[str], reference: str) -> polib.POFile:
    segments = tuple(
        Segment(index=i, msgid=text, kind="paragraph", line=2 * i + 1) for i, text in enumerate(texts)
    )
    return make_template(
        Document(text="", segments=segments), reference, project="p", now="2026-01-01 00:00+0000"
    )


def translated_catalog() -> polib.POFile:
    catalog = merge(None, template(POST, "content/fr/a.md"), "en")
    for entry in catalog:
        entry.msgstr = ENGLISH[entry.msgid]
    return catalog


def state(catalog: polib.POFile) -> tuple[dict[str, tuple[str, bool, str | None]], dict[str, str]]:
    live = {
        entry.msgid: (entry.msgstr, entry.fuzzy, entry.previous_msgid if entry.fuzzy else None)
        for entry in catalog
        if entry.msgid and entry.msgstr
    }
    obsolete = {entry.msgid: entry.msgstr for entry in catalog.obsolete_entries() if entry.msgstr}
    return live, obsolete


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_we_keep_every_translation_msgmerge_keeps(tmp_path: Path, edit: str) -> None:
    reference = "content/fr/b.md" if edit == "rename the post" else "content/fr/a.md"
    old = translated_catalog()
    new_template = template(EDITS[edit], reference)
    (tmp_path / "old.po").write_text(render_catalog(old), encoding="utf-8")
    (tmp_path / "new.pot").write_text(render_catalog(new_template), encoding="utf-8")
    result = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", "-", "old.po", "new.pot"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    theirs_live, theirs_obsolete = state(polib.pofile(result.stdout))
    ours_live, ours_obsolete = state(merge(old, new_template, "en"))

    for msgid, kept in theirs_live.items():
        assert ours_live.get(msgid) == kept, f"{edit}: msgmerge kept {msgid!r} as {kept}"
    assert theirs_obsolete.items() <= ours_obsolete.items()
    # Nothing translated by a person is lost: each old translation is live or obsolete.
    survivors = {value[0] for value in ours_live.values()} | set(ours_obsolete.values())
    assert set(ENGLISH.values()) <= survivors
