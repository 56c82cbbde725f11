"""Catalogs: templates from segments, headers, merge rules, stable output, statistics, load errors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po

from l10n.catalog.entries import same_catalog
from l10n.catalog.io import parse_catalog, read_catalog, render_catalog
from l10n.catalog.merge import merge
from l10n.catalog.stats import catalog_stats
from l10n.catalog.template import make_template, new_file
from l10n.document.segments import Document, Segment
from l10n.fileio import InputError

REF = "content/fr/blog/post.md"
DAY1 = "2026-01-01 10:00+0000"
DAY2 = "2026-02-02 10:00+0000"


def document(*texts: str | tuple[str, str]) -> Document:
    """A hand-made document: one segment per text (kind 'paragraph' unless given), one per line."""
    segments = []
    for index, item in enumerate(texts):
        msgid, kind = (item, "paragraph") if isinstance(item, str) else item
        segments.append(Segment(index=index, msgid=msgid, kind=kind, line=index * 2 + 1))
    return Document(text="", segments=tuple(segments))


def translated(catalog: polib.POFile, translations: dict[str, str]) -> polib.POFile:
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
    return catalog


def test_template_entries_reference_kind_and_line() -> None:
    pot = make_template(
        document(("Titre", "front matter: title"), ("Titre", "heading 1"), "Un paragraphe."),
        REF,
        project="blog/post.md",
        now=DAY1,
    )
    entries = [entry for entry in pot if entry.msgid]
    assert [entry.msgid for entry in entries] == ["Titre", "Un paragraphe."]
    assert entries[0].occurrences == [(REF, "1"), (REF, "3")]
    assert entries[0].comment == "front matter: title\ntype: heading 1"
    assert entries[1].comment == "type: paragraph"
    assert all(entry.msgctxt is None for entry in entries)
    assert pot.metadata["POT-Creation-Date"] == DAY1
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_msgctxt_only_when_the_document_asks_for_one() -> None:
    doc = Document(
        text="",
        segments=(
            Segment(0, "Date", "table cell", 1),
            Segment(1, "Date", "heading 2", 3, context="heading"),
        ),
    )
    pot = make_template(doc, REF, project="p", now=DAY1)
    assert [(entry.msgctxt, entry.msgid) for entry in pot] == [(None, "Date"), ("heading", "Date")]


def test_po_headers_language_and_plural_forms_from_babel() -> None:
    pot = make_template(document("Bonjour."), REF, project="p", now=DAY1)
    po = merge(None, pot, "pt-br")
    assert po.metadata["Language"] == "pt_BR"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert merge(None, pot, "en").metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Transfer-Encoding"] == "8bit"


def test_template_dates_do_not_move_when_entries_are_unchanged() -> None:
    first = make_template(document("Un.", "Deux."), REF, project="p", now=DAY1)
    again = make_template(document("Un.", "Deux."), REF, project="p", previous=first, now=DAY2)
    assert render_catalog(again) == render_catalog(first)
    changed = make_template(document("Un.", "Trois."), REF, project="p", previous=first, now=DAY2)
    assert changed.metadata["POT-Creation-Date"] == DAY2


def test_merge_keeps_translator_work_and_is_stable() -> None:
    pot = make_template(document("Un chat.", "Un chien."), REF, project="p", now=DAY1)
    po = translated(merge(None, pot, "en"), {"Un chat.": "A cat.", "Un chien.": "A dog."})
    po[1].flags.append("fuzzy")
    po[0].tcomment = "checked with the author"
    again = merge(po, pot, "en")
    assert render_catalog(again) == render_catalog(po)


def test_merge_fuzzy_previous_and_obsolete() -> None:
    old_pot = make_template(
        document("Le chat dort sur le canapé.", "Une phrase supprimée ici.", "Sans traduction."),
        REF,
        project="p",
        now=DAY1,
    )
    old = translated(
        merge(None, old_pot, "en"),
        {"Le chat dort sur le canapé.": "The cat sleeps on the sofa.", "Une phrase supprimée ici.": "Gone."},
    )
    new_pot = make_template(document("Le chat dort sur le canapé rouge."), REF, project="p", now=DAY2)
    new = merge(old, new_pot, "en")
    [entry] = [entry for entry in new if not entry.obsolete]
    assert entry.msgstr == "The cat sleeps on the sofa."
    assert entry.fuzzy
    assert entry.previous_msgid == "Le chat dort sur le canapé."
    assert [(e.msgid, e.msgstr) for e in new.obsolete_entries()] == [("Une phrase supprimée ici.", "Gone.")]
    # The obsolete translation comes back, reviewed, when its text returns.
    back = merge(new, make_template(document("Une phrase supprimée ici."), REF, project="p", now=DAY2), "en")
    [revived] = [entry for entry in back if not entry.obsolete]
    assert (revived.msgstr, revived.fuzzy) == ("Gone.", False)


def test_semantic_comparison_ignores_wrapping() -> None:
    pot = make_template(document("mot " * 40), REF, project="p", now=DAY1)
    po = translated(merge(None, pot, "en"), {"mot " * 40: "word " * 40})
    wide = polib.pofile(render_catalog(po), wrapwidth=0)
    unwrapped = str(wide)
    assert unwrapped != render_catalog(po)
    assert same_catalog(parse_catalog(unwrapped, "x.po"), po)


def test_statistics_count_entries_and_words() -> None:
    pot = make_template(document("Un deux trois.", "Quatre cinq.", "Six."), REF, project="p", now=DAY1)
    po = translated(merge(None, pot, "en"), {"Un deux trois.": "One two three.", "Quatre cinq.": "Four five."})
    po[1].flags.append("fuzzy")
    stats = catalog_stats(po)
    assert (stats.entries, stats.translated, stats.fuzzy, stats.untranslated) == (3, 1, 1, 1)
    assert (stats.words, stats.translated_words, stats.fuzzy_words) == (6, 3, 2)
    assert stats.percent == 50


def test_broken_po_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n\nmsgid "c"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_catalog(path)
    assert caught.value.path == path
    assert caught.value.line is not None
    assert str(caught.value).startswith(f"{path}:")


def test_undecodable_po_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n\nmsgid "caf\xe9"\nmsgstr ""\n')
    with pytest.raises(InputError, match=rf"^{path}:4: not valid UTF-8"):
        read_catalog(path)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
def test_written_catalogs_pass_msgfmt_and_load_in_babel(tmp_path: Path) -> None:
    pot = make_template(
        document(("Titre « guillemets »", "heading 1"), 'Un "texte" avec \\ et\nune ligne.'), REF, project="p"
    )
    po = translated(merge(None, pot, "en"), {"Titre « guillemets »": 'Title "quotes"'})
    for name, catalog in (("t.pot", pot), ("en.po", po)):
        path = tmp_path / name
        path.write_text(render_catalog(catalog), encoding="utf-8")
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        with path.open("rb") as handle:
            babel_catalog = read_po(handle)
        assert {message.id for message in babel_catalog if message.id} == {entry.msgid for entry in pot}
    assert read_catalog(tmp_path / "en.po")[0].msgstr == 'Title "quotes"'


def test_unicode_line_separators_inside_text_survive(tmp_path: Path) -> None:
    # U+2028 and U+0085 are not PO line ends, though Python's str.splitlines says they are.
    text = "Un ménage dépense 500 € par mois (achat, entretien,\u2028assurance\x85carburant) pour sa voiture."
    pot = make_template(document(text), REF, project="p", now=DAY1)
    po = translated(merge(None, pot, "en"), {text: "A household spends €500 a month\u2028on its car."})
    path = tmp_path / "en.po"
    path.write_text(render_catalog(po), encoding="utf-8")
    again = read_catalog(path)
    assert [(entry.msgid, entry.msgstr) for entry in again] == [
        (text, "A household spends €500 a month\u2028on its car.")
    ]
    assert same_catalog(again, po)


@pytest.mark.parametrize("parsed_given", [False, True])
def test_an_update_keeps_each_unchanged_entry_as_written_even_around_line_separators(parsed_given: bool) -> None:
    """Unchanged entries keep their text from the previous file; a U+2028 (a line end to Python, not to PO)
    in one entry must not shift which text is kept for the entries after it."""
    texts = ["Premier\u2028paragraphe avec\x85séparateurs.", "Deuxième paragraphe.", "Troisième paragraphe."]
    pot = make_template(document(*texts), REF, project="p", now=DAY1)
    po = translated(merge(None, pot, "en"), {texts[0]: "First\u2028paragraph.", texts[1]: "Second paragraph."})
    # As an editor with narrow wrapping would have saved it: the entries keep that wrapping when unchanged.
    previous = render_catalog(po).replace('msgstr "Second paragraph."', 'msgstr ""\n"Second "\n"paragraph."')
    old = parse_catalog(previous, "en.po")
    updated = translated(merge(old, pot, "en"), {texts[2]: "Third paragraph."})
    text = render_catalog(updated, previous, old if parsed_given else None)
    assert 'msgstr ""\n"Second "\n"paragraph."' in text
    assert [(entry.msgid, entry.msgstr) for entry in parse_catalog(text, "en.po")] == [
        (texts[0], "First\u2028paragraph."),
        (texts[1], "Second paragraph."),
        (texts[2], "Third paragraph."),
    ]


def test_entries_numbered_while_written_carry_the_lines_a_reader_finds() -> None:
    """Diagnostics name an entry's line in the catalog a run writes, without reading it back."""
    texts = ["Un.", "Deux paragraphes " * 8, ("Titre", "heading 2"), "Quatre."]
    pot = make_template(document(*texts), REF, project="p", now=DAY1)
    po = translated(merge(None, pot, "en"), {"Un.": "One.", "Quatre.": "Four."})
    previous = render_catalog(po).replace('msgstr "One."', 'msgstr ""\n"One."')  # an editor's wrapping, kept
    old = parse_catalog(previous, "en.po")
    changed = make_template(document("Un.", "Nouveau.", "Quatre."), REF, project="p", now=DAY2)
    updated = merge(old, changed, "en")  # "Deux…" and "Titre" untranslated: dropped; nothing obsolete yet
    updated = merge(
        translated(updated, {"Nouveau.": "New."}), make_template(document("Nouveau."), REF, now=DAY2, project="p"), "en"
    )
    text = render_catalog(updated, previous, old, number_entries=True)
    read_back = parse_catalog(text, "en.po")
    expected = [(entry.msgid, entry.obsolete, entry.linenum) for entry in [*read_back, *read_back.obsolete_entries()]]
    numbered = [(entry.msgid, entry.obsolete, entry.linenum) for entry in updated]
    assert sorted(numbered) == sorted(set(expected))
    assert any(obsolete for _, obsolete, _ in numbered)  # obsolete entries are numbered too


def test_a_catalog_of_a_header_only_is_replaced_by_one_with_entries() -> None:
    """A post with nothing to translate has a catalog of a header only; its first paragraph must not crash the
    writer keeping unchanged entries as written (it did: a ValueError traceback from sync)."""
    empty = new_file()
    empty.metadata = {"Language": "en"}
    previous = render_catalog(empty)
    grown = new_file()
    grown.metadata = {"Language": "en"}
    grown.append(polib.POEntry(msgid="Un paragraphe.", msgstr=""))
    assert render_catalog(grown, previous) == render_catalog(grown)
    assert 'msgid "Un paragraphe."' in render_catalog(grown, previous)


@pytest.mark.parametrize("take_entries", [False, True])
def test_each_merged_entry_is_marked_on_its_own(take_entries: bool) -> None:
    """A template's new entries share their empty flags and plural forms; every merged entry has its own, so
    marking one (a fill's fuzzy, adopt's flag) never marks another, and the template is left as it was."""
    pot = make_template(document("Un.", "Deux.", "Trois."), REF, project="p", now=DAY1)
    merged = merge(None, pot, "en", take_entries=take_entries)
    first, second, third = merged
    first.flags.insert(0, "fuzzy")
    second.flags.append("python-format")
    third.msgstr_plural[0] = "x"
    assert [list(entry.flags) for entry in merged] == [["fuzzy"], ["python-format"], []]
    assert [dict(entry.msgstr_plural) for entry in merged] == [{}, {}, {0: "x"}]
    if not take_entries:
        assert [(tuple(entry.flags), dict(entry.msgstr_plural)) for entry in pot] == [((), {})] * 3
