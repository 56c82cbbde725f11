"""The layout promise on real Markdown: identity is byte-exact, pseudo-translations keep the structure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from corpus import (
    FRONT_MATTER_KEYS,
    LOCAL_DATA,
    commonmark_examples,
    corpus_files,
    read_source,
    shared_data_or_skip,
)
from pseudo import double_words, reference_labels, tag_sequence, wrap

from l10n.document import extract, render
from l10n.document.markdown import Dialect


@pytest.fixture(params=["kept-sample", "shared"])
def data_dir(request: pytest.FixtureRequest) -> Path:
    return LOCAL_DATA if request.param == "kept-sample" else shared_data_or_skip()


def _documents(data_dir: Path) -> list[tuple[str, str, bool]]:
    documents = [(f"example {e['example']}", e["markdown"], False) for e in commonmark_examples(data_dir)]
    for path in corpus_files(data_dir):
        documents.append((str(path.relative_to(data_dir)), read_source(path), path.suffix == ".mdx"))
    return documents


def _extract(text: str, mdx: bool):
    return extract(text, front_matter_keys=FRONT_MATTER_KEYS, dialect=Dialect(mdx=mdx))


def test_commonmark_examples_are_all_there(data_dir: Path) -> None:
    assert len(commonmark_examples(data_dir)) == 655


def test_identity_is_byte_exact(data_dir: Path) -> None:
    failures = []
    for name, text, mdx in _documents(data_dir):
        document = _extract(text, mdx)
        identity = {segment.msgid: segment.msgid for segment in document.segments}
        if render(document, identity).text != text:
            failures.append(f"{name}: untranslated path")
        forced = render(document, identity, force=True)
        if forced.text != text:
            failures.append(f"{name}: forced write-back {forced.problems}")
    assert failures == []


def test_untranslated_document_is_returned_unchanged(data_dir: Path) -> None:
    for _name, text, mdx in _documents(data_dir)[:700]:
        assert render(_extract(text, mdx), {}).text == text


PSEUDO: dict[str, Callable[[str, frozenset[str]], str]] = {
    "wrapped in guillemets": lambda msgid, labels: wrap(msgid),
    "every word doubled": double_words,
}


@pytest.mark.parametrize("pseudo_name", list(PSEUDO))
def test_pseudo_translation_keeps_structure_and_reextracts(data_dir: Path, pseudo_name: str) -> None:
    pseudo = PSEUDO[pseudo_name]
    segments = rolled_back = 0
    tag_failures, reextract_failures = [], []
    for name, text, mdx in _documents(data_dir):
        document = _extract(text, mdx)
        labels = reference_labels(text)
        translations = {segment.msgid: pseudo(segment.msgid, labels) for segment in document.segments}
        rendered = render(document, translations)
        segments += len(document.segments)
        rolled = [problem for problem in rendered.problems if problem.check == "structure"]
        rolled_back += len(rolled)
        if tag_sequence(rendered.text, Dialect(mdx=mdx)) != tag_sequence(text, Dialect(mdx=mdx)):
            tag_failures.append(name)
        if not rolled:
            expected = [translations[segment.msgid] for segment in document.segments]
            got = [segment.msgid for segment in _extract(rendered.text, mdx).segments]
            if got != expected:
                reextract_failures.append(name)
    assert tag_failures == []
    assert reextract_failures == []
    assert segments > 0
    assert rolled_back / segments < 0.01, f"{rolled_back} of {segments} segments rolled back"


def test_every_document_has_its_text_segmented(data_dir: Path) -> None:
    """No span is left unlocated in real posts (each would be silently untranslatable)."""
    problems = []
    for name, text, mdx in _documents(data_dir):
        problems.extend(f"{name}:{p.line}: {p.message}" for p in _extract(text, mdx).problems)
    assert problems == []
