"""Writing catalogs: our entry formatter writes, byte for byte, what polib writes (``POEntry.__unicode__``),
on generated entries and on every real catalog; ``render_catalog`` no longer goes through polib's formatting."""

from __future__ import annotations

import textwrap
from pathlib import Path

import polib
import pytest
from corpus import REPO, SHARED_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n.catalog.io import parse_catalog, render_catalog
from l10n.catalog.po.format import format_entry, format_head
from l10n.catalog.template import WRAP_WIDTH

PROPERTY_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Heavy on what decides a line's cut: spaces (and runs of them), hyphens and dashes next to letters, words
# longer than a line, escapes, line ends (also the ones only str.splitlines knows), quotes, non-ASCII.
_PIECES = st.sampled_from(
    [" ", "  ", "-", "--", "---", "a", "é", "mot", "anti-constitutionnellement", "x" * 90, "Z", "1", "2-3",
     '"', "\\", "\\n", "\n", "\r", "\r\n", "\t", "\v", "\f", "\b", "\u2028", "\x1c", "\x85", "\xa0", "«", "»",
     "!", "'", ".", ",", "?", "&", "_", "n'est-ce", "https://example.org/a-b/c--d", "*", "\x00", "\U0001f600"]
)
TEXT = st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=200)
LONG_TEXT = st.lists(_PIECES, min_size=20, max_size=80).map("".join)
SHORT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    text = draw(st.sampled_from([TEXT, LONG_TEXT]))
    entry = polib.POEntry(msgid=draw(text), msgstr=draw(text), obsolete=draw(st.booleans()))
    if draw(st.booleans()):
        entry.msgctxt = draw(TEXT)
    if draw(st.booleans()):
        entry.msgid_plural = draw(text)
        entry.msgstr_plural = {index: draw(text) for index in draw(st.lists(st.integers(0, 12), max_size=4))}
    entry.comment = draw(TEXT)
    entry.tcomment = draw(TEXT)
    entry.flags = draw(st.lists(st.sampled_from(["fuzzy", "python-format", "no-wrap", "a b"]), max_size=3))
    entry.occurrences = draw(
        st.lists(st.tuples(st.sampled_from(["content/fr/a-b.md", "x", "très-long/" * 6 + "f.md"]), SHORT | st.just("")),
                 max_size=8)
    )
    for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        if draw(st.booleans()):
            setattr(entry, name, draw(text))
    return entry


@PROPERTY_SETTINGS
@given(entries(), st.sampled_from([WRAP_WIDTH, 78, 0, -1, 3, 10, 40, 200]))
def test_an_entry_is_written_as_polib_writes_it(entry: polib.POEntry, wrapwidth: int) -> None:
    assert format_entry(entry, wrapwidth) == entry.__unicode__(wrapwidth)


@PROPERTY_SETTINGS
@given(LONG_TEXT, st.integers(3, 100))
def test_a_long_string_is_cut_where_polib_cuts_it(text: str, wrapwidth: int) -> None:
    entry = polib.POEntry(msgid=text, msgstr=text.replace(" ", "  "))
    assert format_entry(entry, wrapwidth) == entry.__unicode__(wrapwidth)


@PROPERTY_SETTINGS
@given(st.text(alphabet='ab -"\\', min_size=50, max_size=80), st.sampled_from([WRAP_WIDTH, 78]))
def test_a_string_near_the_line_width_is_cut_where_polib_cuts_it(text: str, wrapwidth: int) -> None:
    """polib measures ``#| msgid`` as ``previous_msgid``, ``msgstr[1]`` with its index, escapes as two."""
    entry = polib.POEntry(msgid=text, msgctxt=text, msgid_plural=text, msgstr_plural={0: text, 10: text},
                          previous_msgctxt=text, previous_msgid=text, previous_msgid_plural=text)
    assert format_entry(entry, wrapwidth) == entry.__unicode__(wrapwidth)


@PROPERTY_SETTINGS
@given(TEXT, st.dictionaries(st.sampled_from(["Language", "X-Generator", "Plural-Forms", "Zz", "a-b"]), TEXT),
       st.booleans())
def test_a_header_is_written_as_polib_writes_it(header: str, metadata: dict[str, str], fuzzy: bool) -> None:
    catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
    catalog.header = header
    catalog.metadata = metadata
    catalog.metadata_is_fuzzy = fuzzy
    assert format_head(catalog, WRAP_WIDTH) == str(catalog)


def polib_render(catalog: polib.POFile) -> str:
    """What render_catalog wrote before it had a formatter of its own: polib's text for everything."""
    head = polib.POFile(wrapwidth=WRAP_WIDTH)
    head.header = catalog.header
    head.metadata = catalog.metadata
    head.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    entries = [entry for entry in catalog if entry.msgid and not entry.obsolete] + catalog.obsolete_entries()
    parts = [str(head).rstrip("\n")] + [entry.__unicode__(WRAP_WIDTH).rstrip("\n") for entry in entries]
    return "\n\n".join(parts) + "\n"


def real_catalogs() -> list[Path]:
    found = sorted((REPO / "locales").rglob("*.po*"))
    if SHARED_DATA.is_dir():
        found += sorted((SHARED_DATA / "po").rglob("*.po*"))
    return found


def test_every_real_catalog_is_written_as_polib_writes_it() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} not found: only the repository's own catalogs were compared")
    paths = real_catalogs()
    assert len(paths) > 30
    entries_seen = 0
    for path in paths:
        catalog = parse_catalog(path.read_text(encoding="utf-8"), path)
        assert render_catalog(catalog) == polib_render(catalog), path
        for entry in [*catalog, catalog.metadata_as_entry()]:
            for wrapwidth in (WRAP_WIDTH, 0, 40):
                assert format_entry(entry, wrapwidth) == entry.__unicode__(wrapwidth), (path, entry.linenum)
            entries_seen += 1
    assert entries_seen > 1000


def test_the_repository_catalogs_are_written_as_polib_writes_them() -> None:
    paths = sorted((REPO / "locales").rglob("*.po*"))
    assert paths
    for path in paths:
        catalog = parse_catalog(path.read_text(encoding="utf-8"), path)
        assert render_catalog(catalog) == polib_render(catalog), path


def test_rendering_no_longer_uses_polib_formatting_nor_textwrap(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
    catalog.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    long_text = "Un paragraphe assez long pour être coupé sur plusieurs lignes, avec des mots-composés et --. " * 3
    catalog.append(polib.POEntry(msgid=long_text, msgstr=long_text.upper(), comment="type: paragraph",
                                 occurrences=[("content/fr/post.md", "3")], flags=["fuzzy"],
                                 previous_msgid=long_text[:-10]))
    catalog.append(polib.POEntry(msgid="Court", msgstr="", obsolete=True))
    expected = polib_render(catalog)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("polib's slow path was taken")

    monkeypatch.setattr(polib.POEntry, "__unicode__", refused)
    monkeypatch.setattr(polib.POFile, "__unicode__", refused)
    monkeypatch.setattr(textwrap, "wrap", refused)
    assert render_catalog(catalog) == expected
    assert expected.count('"\n"') >= 6  # the long strings were cut, on several lines each
