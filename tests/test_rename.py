"""Translations follow their posts: after a rename or a move (with edits), the new catalog is the old one carried
over whole (header, translator comments, fuzzy entries with their pending translation and previous msgid)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from conftest import run_l10n, write

from l10n.rename import SIMILARITY, similarity

CONFIG = """\
source_lang = "fr"
target_langs = ["en"]
min_completion = 0
"""
PARAGRAPHS = [
    f"Le paragraphe {name} raconte une promenade au bord du lac, du matin jusqu'au soir tombé."
    for name in ("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième")
]
FUZZY_MSGID = PARAGRAPHS[7]
FUZZY_PREVIOUS = PARAGRAPHS[7].replace("promenade", "balade")


def _post(paragraphs: list[str]) -> str:
    return "# Au bord du lac\n\n" + "\n\n".join(paragraphs) + "\n"


def _translated_site(tmp_path: Path) -> Path:
    """A post whose catalog a translator worked on: header, comments, a fuzzy entry pending review."""
    root = tmp_path / "site"
    write(root / "l10n.toml", CONFIG)
    write(root / "content/fr/lac.md", _post(PARAGRAPHS))
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    path = root / "locales/en/lac.po"
    catalog = polib.pofile(str(path))
    catalog.metadata["Last-Translator"] = "Ann Translator <ann@example.org>"
    catalog.metadata["Language-Team"] = "English <en@example.org>"
    for number, entry in enumerate(catalog):
        entry.msgstr = f"Translation {number} by Ann: a walk by the lake."
        entry.tcomment = f"Ann: checked against the printed guide ({number})"
        if entry.msgid == FUZZY_MSGID:
            entry.flags.append("fuzzy")
            entry.previous_msgid = FUZZY_PREVIOUS
            entry.msgstr = "A pending translation, waiting for review."
    catalog.save(str(path))
    return root


def _carried_over(old: polib.POFile, new: polib.POFile, *, edited: set[str]) -> None:
    for field in ("Last-Translator", "Language-Team"):
        assert new.metadata[field] == old.metadata[field]
    by_msgid = {entry.msgid: entry for entry in new if not entry.obsolete}
    assert all(entry.msgstr for entry in by_msgid.values()), "an entry is asked again"
    comments = {entry.tcomment for entry in new if not entry.obsolete}
    for entry in old:
        assert entry.tcomment in comments, f"translator comment lost: {entry.tcomment}"
        if entry.msgid in edited:
            continue
        kept = by_msgid[entry.msgid]
        assert (kept.msgstr, kept.fuzzy, kept.previous_msgid) == (entry.msgstr, entry.fuzzy, entry.previous_msgid)


def test_a_renamed_post_keeps_its_whole_catalog(tmp_path: Path) -> None:
    root = _translated_site(tmp_path)
    old = polib.pofile(str(root / "locales/en/lac.po"))
    (root / "content/fr/lac.md").rename(root / "content/fr/au-bord-du-lac.md")  # git mv
    result = run_l10n("sync", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    new = polib.pofile(str(root / "locales/en/au-bord-du-lac.po"))
    _carried_over(old, new, edited=set())
    assert "memory:" not in result.stderr  # nothing came back from the memory: the catalog came whole

    check = run_l10n("check", cwd=root)
    assert "locales/en/lac.po" in check.stdout and "carried to locales/en/au-bord-du-lac.po: it can go" in check.stdout


def test_a_moved_and_edited_post_keeps_comments_header_and_fuzzy_translations(tmp_path: Path) -> None:
    root = _translated_site(tmp_path)
    old = polib.pofile(str(root / "locales/en/lac.po"))
    edited = [paragraph.replace("au bord du lac", "au bord de l'eau") for paragraph in PARAGRAPHS[:3]]
    (root / "content/fr/lac.md").unlink()
    write(root / "content/fr/voyages/lac.md", _post(edited + PARAGRAPHS[3:]))  # moved, a third edited
    result = run_l10n("sync", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    new = polib.pofile(str(root / "locales/en/voyages/lac.po"))
    _carried_over(old, new, edited=set(PARAGRAPHS[:3]))
    pending = next(entry for entry in new if entry.msgid == FUZZY_MSGID)
    assert pending.fuzzy and pending.msgstr == "A pending translation, waiting for review."
    for paragraph, was in zip(edited, PARAGRAPHS[:3], strict=True):
        entry = next(entry for entry in new if entry.msgid == paragraph)
        assert entry.fuzzy and entry.previous_msgid == was and entry.msgstr.startswith("Translation")


def test_a_new_post_unlike_the_gone_one_starts_afresh(tmp_path: Path) -> None:
    root = _translated_site(tmp_path)
    (root / "content/fr/lac.md").unlink()
    write(root / "content/fr/autre.md", "# Autre chose\n\nRien à voir avec le lac.\n")
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    new = polib.pofile(str(root / "locales/en/autre.po"))
    assert "Last-Translator" not in new.metadata or "Ann" not in new.metadata["Last-Translator"]
    assert polib.pofile(str(root / "locales/en/lac.po")).metadata.get("X-L10n-Moved-To") is None


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [({"a", "b", "c"}, {"a", "b", "c"}, True), ({"a", "b", "c"}, {"a", "b", "d"}, True), ({"a"}, {"b"}, False),
     (set(), {"a"}, False), ({"a", "b", "c", "d"}, {"a"}, False)],
)  # fmt: skip
def test_similarity_is_the_share_of_segments_in_common(first: set[str], second: set[str], alike: bool) -> None:
    assert (similarity(first, second) >= SIMILARITY) is alike
    assert similarity(first, second) == similarity(second, first)


def test_nothing_to_pair_without_an_orphan(tmp_path: Path) -> None:
    root = _translated_site(tmp_path)
    shutil.copy(root / "content/fr/lac.md", root / "content/fr/copie.md")  # a copy: the original stays
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    copy = polib.pofile(str(root / "locales/en/copie.po"))
    assert "Ann" not in (copy.metadata.get("Last-Translator") or "")
