"""Choosing each post's Markdown dialect: the configuration, and what the site's files say."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_l10n, write

from l10n.config import ConfigError, load_config
from l10n.dialect_choice import DEFAULT_JSX_ATTRIBUTES, detect_site
from l10n.document.markdown import COMMONMARK, Dialect
from l10n.store.parsed import parse_key


def test_by_default_mdx_posts_are_mdx_and_markdown_posts_commonmark(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.dialect_for("guide/intro.md") == COMMONMARK
    mdx = config.dialect_for("guide/intro.mdx")
    assert mdx.mdx and not mdx.directives
    assert mdx.jsx_attributes == DEFAULT_JSX_ATTRIBUTES
    assert "FileTree" in mdx.jsx_verbatim and "Code" in mdx.jsx_verbatim


@pytest.mark.parametrize(
    ("files", "feature"),
    [
        ({"astro.config.mjs": "export default {}\n"}, "directives"),
        ({".vitepress/config.mts": "export default {}\n"}, "containers"),
        ({"hugo.toml": "title = 'x'\n"}, "shortcodes"),
        ({"config.toml": "baseURL = 'https://example.org/'\ntheme = 'ananke'\n"}, "shortcodes"),
        ({"_config.yml": "title: Blog\n"}, "liquid"),
        ({".eleventy.js": "module.exports = () => ({})\n"}, "liquid"),
        ({"eleventy.config.mjs": "export default () => {}\n"}, "liquid"),
    ],
)
def test_the_site_framework_is_detected_from_its_root(tmp_path: Path, files: dict[str, str], feature: str) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    config = load_config(tmp_path)
    dialect = config.dialect_for("post.md")
    assert getattr(dialect, feature)
    assert not dialect.mdx
    assert getattr(config.dialect_for("post.mdx"), feature)  # an MDX post of the same site has it too


def test_a_config_toml_that_is_not_hugos_adds_nothing(tmp_path: Path) -> None:
    write(tmp_path / "config.toml", "[tool]\nname = 'something else'\n")
    assert detect_site(tmp_path) == (frozenset(), False)
    assert load_config(tmp_path).dialect_for("post.md") == COMMONMARK


def test_docusaurus_compiles_markdown_posts_as_mdx_unless_told_to_detect(tmp_path: Path) -> None:
    write(tmp_path / "docusaurus.config.js", "module.exports = { title: 'Docs' };\n")
    dialect = load_config(tmp_path).dialect_for("intro.md")
    assert dialect.mdx and dialect.directives
    write(tmp_path / "docusaurus.config.js", "module.exports = { markdown: { format: 'detect' } };\n")
    assert not load_config(tmp_path).dialect_for("intro.md").mdx


def test_the_configuration_overrides_detection(tmp_path: Path) -> None:
    write(tmp_path / "astro.config.mjs", "export default {}\n")
    write(
        tmp_path / "l10n.toml",
        'dialect = "mdx"\ndirectives = false\nshortcodes = true\nprotect = ["%[A-Z_]+%"]\n'
        'jsx_attributes = ["caption"]\njsx_verbatim = ["Diagram"]\n',
    )
    config = load_config(tmp_path)
    dialect = config.dialect_for("post.md")
    assert dialect == Dialect(
        mdx=True,
        shortcodes=True,
        protect=("%[A-Z_]+%",),
        jsx_attributes=("caption",),
        jsx_verbatim=("Diagram",),
    )
    write(tmp_path / "l10n.toml", 'dialect = "commonmark"\n')
    assert not load_config(tmp_path).dialect_for("post.mdx").mdx


def test_a_dialect_table_chooses_per_glob_the_first_match_winning(tmp_path: Path) -> None:
    write(
        tmp_path / "l10n.toml",
        '[dialect]\n"legacy/**" = "commonmark"\n"docs/**/*.md" = { syntax = "mdx", containers = true }\n'
        '"**/*.md" = { liquid = true }\n',
    )
    config = load_config(tmp_path)
    assert config.dialect_for("legacy/old.mdx") == COMMONMARK
    docs = config.dialect_for("docs/guide/start.md")
    assert docs.mdx and docs.containers and not docs.liquid
    assert config.dialect_for("blog/post.md") == Dialect(liquid=True)
    assert config.dialect_for("post.md") == Dialect(liquid=True)  # "**/" also matches no directory
    assert config.dialect_for("blog/post.mdx").mdx  # no glob matches: auto


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('dialect = "markdown"', "dialect: expected one of 'auto', 'commonmark', 'mdx', got 'markdown'"),
        ("directives = 1", "directives: expected true or false, got 1"),
        ('protect = ["(unclosed"]', "protect: bad regular expression '(unclosed'"),
        ("jsx_attributes = []", None),
        ('jsx_verbatim = "Code"', "jsx_verbatim: expected a list of non-empty strings, got 'Code'"),
        ('[dialect]\n"*.md" = { syntax = "mdx", colour = true }', "dialect: \"*.md\": unknown key 'colour'"),
        ('[dialect]\n"*.md" = 3', "dialect: \"*.md\": expected a syntax name or a table, got 3"),
    ],
)
def test_bad_dialect_settings_name_the_key(tmp_path: Path, toml: str, message: str | None) -> None:
    write(tmp_path / "l10n.toml", toml + "\n")
    if message is None:
        assert load_config(tmp_path).dialect_for("a.mdx").jsx_attributes == ()
        return
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert message in str(caught.value)
    assert caught.value.line is not None


def test_a_bad_dialect_is_a_one_line_error_exit_2(tmp_path: Path) -> None:
    write(tmp_path / "l10n.toml", 'source_dir = "content/fr"\n\ndialect = "rst"\n')
    write(tmp_path / "content/fr/a.md", "# Titre\n")
    result = run_l10n("extract", cwd=tmp_path)
    assert result.returncode == 2
    assert "l10n.toml:3: dialect: expected one of 'auto', 'commonmark', 'mdx', got 'rst'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "locales").exists()


def test_the_dialect_is_part_of_what_a_stored_extraction_and_a_run_depend_on(tmp_path: Path) -> None:
    keys = ("title",)
    assert parse_key("d", keys, COMMONMARK) != parse_key("d", keys, Dialect(directives=True))
    assert parse_key("d", keys, Dialect(mdx=True)) != parse_key("d", keys, Dialect(mdx=True, jsx_attributes=("a",)))
    before = load_config(tmp_path).dialects.describe()
    write(tmp_path / "astro.config.mjs", "export default {}\n")  # detection changes, l10n.toml does not
    assert load_config(tmp_path).dialects.describe() != before


def test_init_writes_the_detected_dialect(tmp_path: Path) -> None:
    site = tmp_path / "starlight"
    write(site / "astro.config.mjs", "export default {}\n")
    write(site / "src/content/docs/fr/index.mdx", "# Accueil\n")
    assert run_l10n("init", cwd=site).returncode == 0
    text = (site / "l10n.toml").read_text(encoding="utf-8")
    assert 'dialect = "auto"' in text
    assert "directives = true" in text and "containers = false" in text
    (site / "astro.config.mjs").unlink()  # what init wrote stays what the site is read as
    assert load_config(site).dialect_for("guide.md") == Dialect(directives=True)
