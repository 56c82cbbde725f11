"""A huge catalog in bounded memory (issue 16, item 6): ``build`` reads a catalog's entries one at a time
instead of holding the parsed catalog, and builds the same page as from the parsed catalog; ``sync`` and
``check`` render a catalog a piece at a time and write the very text :func:`render_catalog` gives, read the
catalog they update as light records, not polib entries, and hold no document of a huge post while its catalogs
are read and merged, with the same results. The figures at 200,000 entries are in docs/benchmarks.md
(``benchmarks/huge_catalog.py``)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from conftest import write

from l10n.catalog.io import parse_catalog, render_catalog
from l10n.config import load_config
from l10n.document import Document
from l10n.project import iter_posts
from l10n.run.operations import build, check, options_from, sync

ENTRIES = 300
CONFIG = 'source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\n'


def _site(root: Path, catalog_between: str = "") -> Path:
    write(root / "l10n.toml", CONFIG)
    write(root / "content/fr/long.md", "".join(f"Paragraphe numéro {n}, sur la mer.\n\n" for n in range(ENTRIES)))
    entries = "".join(
        f'#, fuzzy\nmsgid "Paragraphe numéro {n}, sur la mer."\n{catalog_between if n == 7 else ""}'
        f'msgstr "Paragraph number {n}, about the sea."\n\n'
        if n % 50 == 3
        else f'msgid "Paragraphe numéro {n}, sur la mer."\n{catalog_between if n == 7 else ""}'
        f'msgstr "Paragraph number {n}, about the sea."\n\n'
        for n in range(ENTRIES)
    )
    write(root / "locales/en/long.po", f'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n{entries}')
    return root


@pytest.fixture
def live_entries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """[entries alive now, most alive at once] of polib.POEntry, counted as they are made and freed."""
    counts = [0, 0]
    made = polib.POEntry.__init__

    def freed() -> None:
        counts[0] -= 1

    def counting(self: polib.POEntry, *args: object, **kwargs: object) -> None:
        made(self, *args, **kwargs)
        counts[0] += 1
        counts[1] = max(counts[1], counts[0])
        weakref.finalize(self, freed)

    monkeypatch.setattr(polib.POEntry, "__init__", counting)
    yield counts


def _built(root: Path) -> str:
    config = load_config(root)
    plan = build(config, iter_posts(config), ["en"], options_from(config, None, None), jobs=1)
    plan.commit()
    return (root / "content/en/long.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("between", ["", "# a comment among keywords: polib's form, not the stream's\n"])
def test_build_holds_one_entry_of_a_catalog_at_a_time(tmp_path: Path, live_entries: list[int], between: str) -> None:
    root = _site(tmp_path / "site", between)
    output = _built(root)
    assert "Paragraph number 0, about the sea." in output and "Paragraph number 299, about the sea." in output
    assert "Paragraphe numéro 53, sur la mer." in output  # fuzzy: not used
    if between:
        assert live_entries[1] > ENTRIES  # the general way: parsed whole
    else:
        assert live_entries[1] < 5  # without the stream: every entry of the catalog at once


def test_build_from_the_stream_is_the_build_from_the_parsed_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streamed = _built(_site(tmp_path / "one"))
    import l10n.catalog.scan as scan_module

    def parsed(self: scan_module.CatalogText, function):  # type: ignore[no-untyped-def]
        return function(parse_catalog(self.text, self.path))

    monkeypatch.setattr(scan_module.CatalogText, "scan", parsed)
    assert _built(_site(tmp_path / "two")) == streamed


def test_sync_writes_the_catalog_render_catalog_gives(tmp_path: Path) -> None:
    """The catalog sync stages a piece at a time is the text rendered whole (entries kept as written, the
    others formatted, line numbers as on disk)."""
    root = _site(tmp_path / "site")
    catalog_file = root / "locales/en/long.po"
    before = catalog_file.read_text(encoding="utf-8")
    wrapped = before.replace('msgstr "Paragraph number 5, about the sea."',
                             'msgstr ""\n"Paragraph number 5, "\n"about the sea."')
    catalog_file.write_text(wrapped, encoding="utf-8")
    config = load_config(root)
    sync(config, iter_posts(config), ["en"], options_from(config, None, None), jobs=1).commit()
    written = catalog_file.read_text(encoding="utf-8")
    assert '"Paragraph number 5, "\n"about the sea."' not in written  # comments and references were added
    again = parse_catalog(written, catalog_file)
    assert render_catalog(again, written) == written
    with_wrapping = written.replace('msgstr "Paragraph number 9, about the sea."',
                                    'msgstr ""\n"Paragraph number 9, "\n"about the sea."')
    catalog_file.write_text(with_wrapping, encoding="utf-8")
    (root / "content/fr/long.md").write_text(
        (root / "content/fr/long.md").read_text(encoding="utf-8") + "Un de plus.\n", encoding="utf-8"
    )
    sync(config, iter_posts(config), ["en"], options_from(config, None, None), jobs=1).commit()
    after = catalog_file.read_text(encoding="utf-8")
    assert '"Paragraph number 9, "\n"about the sea."' in after  # an unchanged entry keeps its wrapping
    assert 'msgid "Un de plus."' in after
    assert render_catalog(parse_catalog(after, catalog_file), with_wrapping) == after


def _check_and_sync(root: Path) -> tuple[list[str], dict[str, str]]:
    """What check finds, then every file of the site after a sync (a paragraph appended to the post first)."""
    config = load_config(root)
    options = options_from(config, None, None)
    found = [repr(problem) for problem in check(config, iter_posts(config), ["en"], options, jobs=1)]
    post = root / "content/fr/long.md"
    post.write_text(post.read_text(encoding="utf-8") + "Un paragraphe de plus.\n", encoding="utf-8")
    sync(config, iter_posts(config), ["en"], options, jobs=1).commit()
    files = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".l10n-cache" not in path.parts and "lock" not in path.name
    }
    return found, files


def test_check_and_sync_read_the_catalog_they_update_as_light_records(
    tmp_path: Path, live_entries: list[int]
) -> None:
    """The template's entries are polib's (they become the merged catalog, which is written); the catalog and
    the old template are only read: before, each was parsed into polib entries, all alive with the template's."""
    root = _site(tmp_path / "site")
    config = load_config(root)
    options = options_from(config, None, None)
    sync(config, iter_posts(config), ["en"], options, jobs=1).commit()  # a template to compare with, from now on
    post = root / "content/fr/long.md"
    post.write_text(post.read_text(encoding="utf-8") + "Un paragraphe de plus.\n", encoding="utf-8")
    live_entries[1] = live_entries[0]
    assert len(list(check(config, iter_posts(config), ["en"], options, jobs=1))) > 0  # catalog out of date
    sync(config, iter_posts(config), ["en"], options, jobs=1).commit()
    assert 'msgid "Un paragraphe de plus."' in (root / "locales/en/long.po").read_text(encoding="utf-8")
    assert live_entries[1] < ENTRIES + 10  # the template's; with the catalog's or old template's: twice that


def test_a_huge_post_is_parsed_again_for_its_build_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post over ``REPARSE_CHARS`` is not held as a document while its catalogs are read and merged; check
    and sync find and write exactly what they do for a post held throughout."""
    import l10n.run.outline as outline_module
    import l10n.run.post as post_module

    held = _check_and_sync(_site(tmp_path / "held"))
    documents_while_merging: list[int] = []
    merge = post_module.merge

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        gc.collect()
        documents_while_merging.append(sum(isinstance(thing, Document) for thing in gc.get_objects()))
        return merge(*args, **kwargs)

    monkeypatch.setattr(post_module, "merge", counting)
    monkeypatch.setattr(outline_module, "REPARSE_CHARS", 100)
    reparsed = _check_and_sync(_site(tmp_path / "reparsed"))
    assert documents_while_merging == [0, 0]  # check's merge, then sync's
    assert reparsed == held
    assert "Paragraph number 299, about the sea." in held[1]["content/en/long.md"]
    assert "Un paragraphe de plus." in held[1]["content/en/long.md"]  # untranslated: the source's text
