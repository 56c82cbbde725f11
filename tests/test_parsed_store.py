"""Parsed sources kept between runs (``.l10n-cache/parsed.sqlite``): a source parsed by one run is not parsed
again by the next while it is unchanged, the stored extraction gives exactly the document a parse gives, and an
entry that does not fit (damaged, foreign, or for other text) is never used."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ENGLISH, POST_B, project_files, run_l10n, snapshot, translate_catalog, write
from corpus import FRONT_MATTER_KEYS, LOCAL_DATA, commonmark_examples, corpus_files, read_source, shared_data_or_skip
from markdown_it import MarkdownIt

from l10n.config import load_config
from l10n.document import extract
from l10n.document.extract import assemble, extract_body
from l10n.document.frontmatter import parse_front_matter
from l10n.document.markdown import Dialect
from l10n.project import iter_posts
from l10n.run import operations
from l10n.run import status as run_status
from l10n.store.parsed import PARSED_FILE, decode_body, encode_body
from l10n.store.records import POSTS_FILE
from l10n.store.sqlite import CACHE_DIR


@pytest.fixture(params=["kept-sample", "shared"])
def data_dir(request: pytest.FixtureRequest) -> Path:
    return LOCAL_DATA if request.param == "kept-sample" else shared_data_or_skip()


def _documents(data_dir: Path) -> Iterator[tuple[str, str, bool]]:
    for example in commonmark_examples(data_dir):
        yield f"example {example['example']}", example["markdown"], False
    for path in corpus_files(data_dir):
        yield str(path.relative_to(data_dir)), read_source(path), path.suffix == ".mdx"


def test_a_stored_extraction_gives_the_document_a_parse_gives(data_dir: Path) -> None:
    failures = []
    for name, text, mdx in _documents(data_dir):
        document = extract(text, front_matter_keys=FRONT_MATTER_KEYS, dialect=Dialect(mdx=mdx))
        front_matter = parse_front_matter(text, FRONT_MATTER_KEYS)
        stored = decode_body(encode_body(extract_body(text, front_matter, Dialect(mdx=mdx))), text)
        again = assemble(text, FRONT_MATTER_KEYS, front_matter, stored, dialect=Dialect(mdx=mdx))
        if again != document or again.layout != document.layout:
            failures.append(name)
    assert failures == []


def test_a_stored_extraction_is_refused_for_another_text() -> None:
    text = "# Titre\n\nUn paragraphe\nsur deux lignes.\n\n| a | b |\n|---|---|\n| une | cellule |\n"
    stored = encode_body(extract_body(text, parse_front_matter(text, ("title", "description"))))
    assert decode_body(stored, text).segments
    for other in (text.replace("Un para", "Un autre para"), text[:-12], "# Titre\n"):
        with pytest.raises(ValueError):
            decode_body(stored, other)
    for damaged in (stored[:-3], stored[:10] + b"x" + stored[11:], b"", b"{}"):
        with pytest.raises(ValueError):
            decode_body(damaged, text)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Markdown texts markdown-it parses (in this process), recorded as the library runs."""
    texts: list[str] = []
    original = MarkdownIt.parse

    def counted(self: MarkdownIt, src: str, env: object = None) -> object:
        texts.append(src)
        return original(self, src, env)

    monkeypatch.setattr(MarkdownIt, "parse", counted)
    return texts


def _run(root: Path, operation: str) -> None:
    config = load_config(root)
    posts, langs = iter_posts(config), list(config.target_langs)
    if operation == "extract":
        plan = operations.extract_catalogs(config, posts, langs, jobs=1)
    else:
        options = operations.options_from(config, None, None)
        plan = operations.build(config, posts, langs, options, jobs=1)
    plan.commit()


def _sources(texts: list[str], root: Path) -> int:
    """How many of the parsed texts are a post's body (the sources: the outputs' verification parses are not)."""
    bodies = {path.read_text(encoding="utf-8").split("---\n", 2)[-1] for path in (root / "content/fr").rglob("*.md")}
    return sum(1 for text in texts if any(text.endswith(body) for body in bodies))


def _extracted_and_translated(project: Path) -> None:
    _run(project, "extract")
    translate_catalog(project / "locales/en/soupe.po", ENGLISH)


def test_build_after_extract_does_not_parse_the_sources_again(project: Path, parses: list[str]) -> None:
    _extracted_and_translated(project)
    assert _sources(parses, project) == 2
    assert (project / CACHE_DIR / PARSED_FILE).is_file()
    parses.clear()
    _run(project, "build")
    assert _sources(parses, project) == 0
    assert "# A soup recipe" in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def test_outputs_are_the_same_with_or_without_stored_extractions(project: Path, tmp_path: Path) -> None:
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", ENGLISH)
    cold = tmp_path / "cold"
    cold.mkdir()
    for path in project.rglob("*"):  # the same project, no cache
        if path.is_file() and CACHE_DIR not in path.parts:
            write(cold / path.relative_to(project), path.read_bytes())
    for root in (project, cold):
        assert run_l10n("build", cwd=root).returncode == 0
    assert (cold / CACHE_DIR / PARSED_FILE).is_file()
    warm_files = {name: state[0] for name, state in project_files(snapshot(project)).items()}
    cold_files = {name: state[0] for name, state in project_files(snapshot(cold)).items()}
    assert warm_files == cold_files
    assert "# A soup recipe" in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def test_an_edited_source_is_parsed_again(project: Path, parses: list[str]) -> None:
    _extracted_and_translated(project)
    source = project / "content/fr/soupe.md"
    source.write_text(POST_B + "\nUne phrase ajoutée.\n", encoding="utf-8")
    parses.clear()
    _run(project, "build")
    assert _sources(parses, project) == 1
    assert "Une phrase ajoutée." in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def test_a_damaged_or_foreign_store_is_not_used_and_is_rebuilt(project: Path, parses: list[str]) -> None:
    _run(project, "extract")
    store = project / CACHE_DIR / PARSED_FILE
    store.write_bytes(b"SQLite format 3\x00" + b"\x07" * 3000)
    parses.clear()
    _run(project, "build")
    assert _sources(parses, project) == 2
    with sqlite3.connect(store) as database:  # rebuilt by that run
        assert database.execute("SELECT count(*) FROM parsed").fetchone() == (2,)
        database.execute("UPDATE meta SET value = 'another tool' WHERE key = 'tool'")
    (project / CACHE_DIR / POSTS_FILE).unlink()  # the posts' records would let the build skip them altogether
    parses.clear()
    _run(project, "build")
    assert _sources(parses, project) == 2


def test_a_stored_entry_that_does_not_fit_its_source_is_not_used(project: Path, parses: list[str]) -> None:
    _extracted_and_translated(project)
    store = project / CACHE_DIR / PARSED_FILE
    with sqlite3.connect(store) as database:  # each post's entry given to the other, under its own key
        rows = dict(database.execute("SELECT path, body FROM parsed").fetchall())
        first, second = sorted(rows)
        database.execute("UPDATE parsed SET body = ? WHERE path = ?", (rows[second], first))
        database.execute("UPDATE parsed SET body = ? WHERE path = ?", (rows[first], second))
    parses.clear()
    _run(project, "build")
    assert _sources(parses, project) == 2
    assert "# A soup recipe" in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def test_entries_of_deleted_posts_are_dropped(project: Path) -> None:
    _run(project, "extract")
    (project / "content/fr/soupe.md").unlink()
    _run(project, "extract")
    with sqlite3.connect(project / CACHE_DIR / PARSED_FILE) as database:
        paths = [bytes(path).decode() for (path,) in database.execute("SELECT path FROM parsed")]
    assert paths == ["jardin/hiver.md"]


def test_status_reads_stored_extractions(project: Path, parses: list[str]) -> None:
    _extracted_and_translated(project)
    config = load_config(project)
    parses.clear()
    rows = run_status.status(config, iter_posts(config), ["en"], jobs=1)
    assert _sources(parses, project) == 0
    assert {row.post: row.stats.translated for row in rows}["content/fr/soupe.md"] > 0


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_stored_extraction_keeps_line_endings_bom_and_hard_breaks(newline: str) -> None:
    lines = [
        "\ufeff---",
        'title: "Un titre"',
        "---",
        "",
        "# Titre *important*",
        "",
        "Une ligne avec une coupure  ",
        "et la suite\\",
        "puis la fin.",
        "",
        "> - un élément de liste",
        ">   sur deux lignes",
        "",
        "| col | autre |",
        "|-----|-------|",
        "| une | cellule \\| avec barre |",
        "",
        "![Texte de remplacement](image.png \"Un titre d'image\")",
    ]
    text = newline.join(lines) + newline
    document = extract(text)
    keys = ("title", "description")
    front_matter = parse_front_matter(text, keys)
    stored = decode_body(encode_body(extract_body(text, front_matter)), text)
    again = assemble(text, keys, front_matter, stored)
    assert again == document and again.layout == document.layout
    assert len(document.segments) >= 7
