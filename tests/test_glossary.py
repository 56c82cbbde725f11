"""The project glossary file and its matching rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.fileio import InputError
from l10n.glossary import Glossary, count_term

REPOSITORY = Path(__file__).resolve().parent.parent


def test_load_reads_columns_by_language(tmp_path: Path) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_text("# terms\nfr\ten\tde\nRGPD\tGDPR\tDSGVO\nIBM Watson\tIBM Watson\t\n\n", encoding="utf-8")
    glossary = Glossary.load(path)
    assert glossary.terms("fr", "en") == [("IBM Watson", "IBM Watson"), ("RGPD", "GDPR")]
    assert glossary.terms("fr", "de") == [("RGPD", "DSGVO")]  # an empty cell is no rule
    assert glossary.terms("fr_FR", "en-US") == glossary.terms("fr", "en")  # region falls back to language
    assert glossary.terms("fr", "es") == []


def test_missing_file_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = Glossary.load(tmp_path / "nope.tsv")
    assert len(glossary) == 0
    assert glossary.terms("fr", "en") == []


@pytest.mark.parametrize(
    ("content", "line"),
    [("RGPD\tGDPR\n", 1), ("fr\ten\nRGPD\tGDPR\textra\n", 2)],
)
def test_malformed_glossary_names_the_line(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        Glossary.load(path)
    assert raised.value.line == line
    assert str(path) in str(raised.value)


def test_terms_match_whole_words_and_case_only_when_written_with_capitals() -> None:
    assert count_term("RGPD", "conformité RGPD.") == 1
    assert count_term("RGPD", "rgpd") == 0
    assert count_term("IA", "la VIA ferrata") == 0
    assert (
        count_term("apprentissage automatique", "Apprentissage  automatique et apprentissage automatique")
        == 2
    )
    assert count_term("Mayo Clinic", "Mayo\nClinic") == 1


def test_the_sample_blog_glossary_loads() -> None:
    glossary = Glossary.load(REPOSITORY / "locales" / "glossary.tsv")
    terms = dict(glossary.terms("fr", "en"))
    assert terms["RGPD"] == "GDPR"
    assert terms["IBM Watson"] == "IBM Watson"
    assert terms["Mayo Clinic"] == "Mayo Clinic"
