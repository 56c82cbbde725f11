"""The repository's own sample blog: sources that exercise the features, English reviewed by hand,
committed outputs up to date, and ``l10n check`` clean."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import REPO, project_files, run_l10n, snapshot
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

SEED = REPO.parent / "shared" / "seeds" / "000_75b62f67281b3372.txt"
SOURCES = sorted((REPO / "content/fr").rglob("*.md"))
CATALOGS = sorted((REPO / "locales/en").rglob("*.po"))


@pytest.fixture
def blog_copy(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds is not available")
def test_the_seed_post_is_kept_byte_for_byte() -> None:
    assert (REPO / "content/fr/tech/ia/ia-medecine.md").read_bytes() == SEED.read_bytes()


def test_the_posts_cover_the_markdown_the_pipeline_must_handle() -> None:
    parser = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)
    kinds: set[str] = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        tokens = parser.parse(text)
        kinds |= {token.type for token in tokens}
        for token in tokens:
            for child in token.children or ():
                kinds.add(child.type)
                if child.type == "image" and child.content:
                    kinds.add("image with alt")
        if any(t.type == "bullet_list_open" and t.level > 1 for t in tokens):
            kinds.add("nested list")
        if "]: http" in text and "][" in text:
            kinds.add("reference link")
        if "\ntags:\n  - " in text:
            kinds.add("tags list")
        if "\ndescription: >" in text or "\ndescription: |" in text:
            kinds.add("block-scalar description")
    assert len(SOURCES) >= 4
    assert {
        "table_open",
        "fence",
        "blockquote_open",
        "image with alt",
        "footnote_ref",
        "nested list",
        "reference link",
        "tags list",
        "block-scalar description",
        "ordered_list_open",
    } <= kinds


def test_every_english_entry_is_translated_and_reviewed() -> None:
    assert len(CATALOGS) == len(SOURCES)
    total = 0
    for path in CATALOGS:
        catalog = polib.pofile(str(path))
        live = [entry for entry in catalog if not entry.obsolete]
        assert live, path
        for entry in live:
            assert entry.msgstr, f"{path}: untranslated {entry.msgid!r}"
            assert not entry.fuzzy, f"{path}: fuzzy {entry.msgid!r}"
        total += len(live)
    assert total >= 200


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_the_catalogs_pass_msgfmt() -> None:
    for path in [*CATALOGS, *(REPO / "locales/templates").rglob("*.pot")]:
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_check_passes_and_sync_changes_nothing(blog_copy: Path) -> None:
    check = run_l10n("check", cwd=blog_copy)
    assert check.returncode == 0, check.stdout + check.stderr
    before = snapshot(blog_copy)
    sync = run_l10n("sync", cwd=blog_copy)
    assert sync.returncode == 0, sync.stderr
    assert project_files(snapshot(blog_copy)) == project_files(before)  # sync records fill claims in its cache


VERBATIM = re.compile(r"^(```|---$|\|-|pubDate:|heroImage:|imgUrl:|category:|author:|\[[a-z]+\]: https?://)")


def indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" >-*0123456789."))]


def test_english_posts_keep_the_source_layout() -> None:
    for source in SOURCES:
        english = REPO / "content/en" / source.relative_to(REPO / "content/fr")
        source_lines = source.read_text(encoding="utf-8").split("\n")
        english_lines = english.read_text(encoding="utf-8").split("\n")
        assert len(english_lines) == len(source_lines), english
        for number, (original, translated) in enumerate(zip(source_lines, english_lines, strict=True), 1):
            where = f"{english}:{number}"
            assert indentation(translated) == indentation(original), where
            if VERBATIM.match(original):
                assert translated == original, where
