"""Source globs and output templates (l10n.layout): a post's paths, outputs never sources, the site root."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from conftest import run_l10n, write
from hypothesis import given
from hypothesis import strategies as st

from l10n.config import ConfigError, config_from_table
from l10n.fileio import InputError
from l10n.layout import Layout, LayoutError, posix_text, split_suffix
from l10n.project import PostFiles, layout_patch_path, output_path, po_path, pot_path, source_path


def layout(source: str, output: str, exclude: tuple[str, ...] = ()) -> Layout:
    return Layout.create(source, output, "fr", ("en", "de"), exclude)


def test_language_in_the_file_name() -> None:
    hugo = layout("content/**/*.fr.md", "{dir}/{stem}.{lang}{ext}")
    assert hugo.source == "content/**/*.{lang}.md"
    assert hugo.is_source("content/posts/x/index.fr.md")
    assert not hugo.is_source("content/posts/x/index.en.md")
    assert not hugo.is_source("content/posts/x/index.md")
    assert hugo.post_path("content/posts/x/index.fr.md") == "posts/x/index.md"
    assert hugo.source_rel("posts/x/index.md") == "content/posts/x/index.fr.md"
    assert hugo.output_rel(PurePosixPath("posts/x/index.md"), "en") == "content/posts/x/index.en.md"
    assert hugo.output_rel(PurePosixPath("x.md"), "de") == "content/x.de.md"


def test_default_language_at_the_root() -> None:
    jekyll = layout("_posts/**/*.md", "_posts/{lang}/{path}")
    assert jekyll.is_source("_posts/2024-01-01-a.md")
    assert jekyll.is_source("_posts/2024/a.md")
    assert not jekyll.is_source("_posts/en/2024-01-01-a.md")  # an output, even with no source left
    assert not jekyll.is_source("_posts/de/x/y.md")
    assert jekyll.is_source("_posts/es/a.md")  # not a target language: a source unless excluded
    assert not layout("_posts/**/*.md", "_posts/{lang}/{path}", ("_posts/es/**",)).is_source("_posts/es/a.md")
    docusaurus = layout("docs/**/*.{md,mdx}", "i18n/{lang}/docusaurus-plugin-content-docs/current/{path}")
    assert docusaurus.output_rel(PurePosixPath("guide/a.mdx"), "en") == (
        "i18n/en/docusaurus-plugin-content-docs/current/guide/a.mdx"
    )


def test_unmarked_default_language_beside_its_translations() -> None:
    hugo = layout("content/**/*.md", "{dir}/{stem}.{lang}{ext}")
    assert hugo.is_source("content/a.md") and hugo.is_source("content/a.es.md")
    assert not hugo.is_source("content/a.en.md") and not hugo.is_source("content/b/_index.de.md")


_NAME = st.from_regex(r"[a-z0-9_-]{1,8}", fullmatch=True)
_TEMPLATES = st.sampled_from(
    [
        "{dir}/{stem}.{lang}{ext}",
        "content/{lang}/{path}",
        "{lang}/{path}",
        "content/{path}",  # made "content/{lang}-{path}" below
        "i18n/{lang}/x/{path}",
        "{dir}/{lang}/{stem}{ext}",
        "{dir}/{stem}-{lang}{ext}",
        "{dir}/../{lang}/{path}",
        "out/{dir}/{lang}/{path}",
        "/{lang}/{path}",
    ]
)
_SOURCES = st.sampled_from(
    ["content/**/*.md", "content/**/*.{lang}.md", "**/*.md", "*.{lang}.md", "docs/*/*.{md,mdx}", "content/**"]
)


@given(_SOURCES, _TEMPLATES, st.lists(_NAME, min_size=1, max_size=4), st.sampled_from([".md", ".mdx"]))
def test_an_output_is_never_a_source(source: str, output: str, parts: list[str], ext: str) -> None:
    """Whatever the patterns: every path a template yields is outside the sources, and inside the root."""
    try:
        chosen = layout(source, output.replace("content/{path}", "content/{lang}-{path}"))
    except LayoutError:
        return
    path = PurePosixPath(*parts[:-1], parts[-1] + ext)
    for lang in ("en", "de"):
        try:
            rendered = chosen.output_rel(path, lang)
        except Exception as error:  # leaving the root is refused, never written
            assert "leaves the site root" in str(error)
            continue
        assert not rendered.startswith("..")
        assert chosen.is_output(rendered)
        assert not chosen.is_source(rendered)


@pytest.mark.parametrize(
    ("table", "key", "message"),
    [
        ({"source": "content/**/*.md"}, "output", "needed with source"),
        ({"source": "content/**/*.md", "output": "{dir}/{stem}{ext}"}, "output", "must contain {lang}"),
        ({"source": "content/**/*.md", "output": "../{lang}/{path}"}, "output", "leaves the site root"),
        ({"source": "content/**/*.md", "output": "{dir}/../../{lang}/{path}"}, "output", "leaves the site root"),
        ({"source": "content/**/*.md", "output": "{lang}/{slug}"}, "output", "unknown placeholder {slug}"),
        ({"source": "../x/**/*.md", "output": "{lang}/{path}"}, "source", "leaves the site root"),
        ({"source": "content/**/*.md", "output": "{lang}/{path}", "source_dir": "x"}, "source_dir", "either"),
    ],
)
def test_bad_patterns_name_the_key(tmp_path: Path, table: dict[str, str], key: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_table(tmp_path, table)
    assert f"{key}: " in str(raised.value) and message in str(raised.value)


def test_a_bad_pattern_is_one_line_and_exit_2(tmp_path: Path) -> None:
    write(tmp_path / "l10n.toml", 'source = "content/**/*.md"\noutput = "../../{lang}/{path}"\n')
    write(tmp_path / "content/a.md", "# Titre\n")
    result = run_l10n("extract", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "l10n.toml:2: output: '../../{lang}/{path}' leaves the site root" in lines[0]
    assert not (tmp_path / "locales").exists()


def test_catalogs_are_never_sources(tmp_path: Path) -> None:
    """A source glob over the whole site does not take l10n's own files (catalog folder, cache) as posts."""
    config = config_from_table(tmp_path, {"source": "**/*.md", "output": "{lang}/{path}"})
    write(tmp_path / "a.md", "# A\n")
    write(tmp_path / "locales/notes.md", "# notes\n")
    write(tmp_path / "en/a.md", "# A\n")
    assert config.layout.find_sources(config.root) == ["a.md"]


def test_the_markdown_suffix_is_a_post_and_its_translation_beside_it_an_output() -> None:
    grav_like = layout("pages/**/*.{lang}.{md,markdown}", "{dir}/{stem}.{lang}{ext}")
    assert grav_like.is_source("pages/a/item.fr.markdown")
    assert grav_like.output_rel(PurePosixPath("a/item.markdown"), "en") == "pages/a/item.en.markdown"
    unmarked = layout("pages/**/*.{md,markdown}", "{dir}/{stem}.{lang}{ext}")
    assert unmarked.is_source("pages/a/item.markdown")
    assert not unmarked.is_source("pages/a/item.en.markdown")  # an output, by construction


_NAME = st.text(alphabet="ab.-_é", min_size=1, max_size=8)


@given(st.lists(st.one_of(_NAME, st.sampled_from([".", "", ".."])), min_size=1, max_size=4))
def test_paths_as_text_are_what_pathlib_makes_of_them(parts: list[str]) -> None:
    """The run builds post paths as text (it makes thousands): the same text as through ``PurePosixPath``."""
    text = "/".join(parts)
    path = PurePosixPath(text)
    assert posix_text(text) == posix_text(path) == path.as_posix()
    assert split_suffix(path.name) == (path.stem, path.suffix)


@given(
    _SOURCES,
    _TEMPLATES,
    st.lists(st.text(alphabet="ab.-_é ", min_size=1, max_size=8).filter(lambda name: name.strip(".")), max_size=3),
    st.text(alphabet="ab-_é", min_size=1, max_size=8),
    st.sampled_from([".md", ".mdx", ".markdown", ""]),
)
def test_a_posts_files_as_text_are_where_its_paths_lead(
    source: str, output: str, directories: list[str], stem: str, ext: str
) -> None:
    """A run looks at each post's files through paths made as text: the very files ``source_path``,
    ``pot_path``, ``po_path``, ``output_path`` and ``layout_patch_path`` name (a file looked up elsewhere
    would never be seen to change)."""
    try:
        config = config_from_table(Path("/site"), {"source": source, "output": output, "target_langs": ["en", "de"]})
    except ConfigError:
        return
    rel = PurePosixPath(*directories, stem + ext)
    try:
        expected = [str(source_path(config, rel)), str(pot_path(config, rel))]
        for lang in ("en", "de"):
            paths = po_path(config, rel, lang), output_path(config, rel, lang), layout_patch_path(config, rel, lang)
            expected += [str(path) for path in paths]
    except InputError:
        with pytest.raises(InputError):
            PostFiles(config, ("en", "de")).of(rel.as_posix())
        return
    assert PostFiles(config, ("en", "de")).of(rel.as_posix()) == expected
