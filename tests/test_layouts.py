"""Site layouts real sites use: ``init`` recognizes each one and writes a configuration that works as is; ``sync``
writes the outputs where the framework expects them, a second run changes nothing, and outputs never come back
as sources (the source count never grows)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import project_files, run_l10n, snapshot, write

POST = "---\ntitle: Un titre\n---\n\n# Bonjour\n\nUn paragraphe en français.\n"
ENGLISH = {"Un titre": "A title", "Bonjour": "Hello", "Un paragraphe en français.": "A paragraph in French."}


def hugo_by_file_name(site: Path) -> list[str]:
    write(site / "hugo.toml", 'defaultContentLanguage = "fr"\n[languages.fr]\nweight = 1\n[languages.en]\nweight = 2\n')
    for name in ("content/_index.fr.md", "content/posts/a/index.fr.md", "content/posts/b.fr.md"):
        write(site / name, POST)
    write(site / "content/posts/c.de.md", "# Hallo\n")  # a language the site does not publish: left alone
    return ["content/_index.en.md", "content/posts/a/index.en.md", "content/posts/b.en.md"]


def hugo_by_directory_default_at_root(site: Path) -> list[str]:
    write(
        site / "hugo.toml",
        'defaultContentLanguage = "fr"\n'
        '[languages.fr]\ncontentDir = "content"\n[languages.en]\ncontentDir = "content/en"\n',
    )
    for name in ("content/_index.md", "content/posts/a.md", "content/posts/b/index.md"):
        write(site / name, POST)
    return ["content/en/_index.md", "content/en/posts/a.md", "content/en/posts/b/index.md"]


def hugo_by_directory(site: Path) -> list[str]:
    write(
        site / "config.toml",
        'defaultContentLanguage = "fr"\n'
        '[languages.fr]\ncontentDir = "content/fr"\n[languages.en]\ncontentDir = "content/en"\n',
    )
    write(site / "content/fr/posts/a.md", POST)
    return ["content/en/posts/a.md"]


def jekyll(site: Path) -> list[str]:
    write(site / "_config.yml", "title: Blog\nlang: fr\nlanguages: [fr, en]\n")
    write(site / "_posts/2024-01-02-bonjour.md", POST)
    write(site / "_posts/2024-02-03-second.md", POST)
    write(site / "_posts/en/.keep", "")
    write(site / "img/logo.md", "not a post folder\n")  # unrelated folders must not matter
    write(site / "css/site.css", "body {}\n")
    return ["_posts/en/2024-01-02-bonjour.md", "_posts/en/2024-02-03-second.md"]


def jekyll_markdown_suffix(site: Path) -> list[str]:
    """``jekyll new`` names its first post ``.markdown``."""
    write(site / "_config.yml", "title: Blog\nlang: fr\nlanguages: [fr, en]\n")
    write(site / "_posts/2024-01-02-bienvenue.markdown", POST)
    write(site / "_posts/2024-02-03-second.md", POST)
    return ["_posts/en/2024-01-02-bienvenue.markdown", "_posts/en/2024-02-03-second.md"]


def starlight_root_locale(site: Path) -> list[str]:
    """Starlight's root locale: French at the top of src/content/docs/, English in src/content/docs/en/."""
    write(
        site / "astro.config.mjs",
        "import { defineConfig } from 'astro/config';\nimport starlight from '@astrojs/starlight';\n"
        "export default defineConfig({\n  integrations: [\n    starlight({\n      title: 'Docs',\n"
        "      defaultLocale: 'root',\n      locales: {\n        root: { label: 'Français', lang: 'fr' },\n"
        "        en: { label: 'English' },\n      },\n      sidebar: [{ label: 'Guide', items: [] }],\n"
        "    }),\n  ],\n});\n",
    )
    write(site / "src/content/docs/index.mdx", POST)
    write(site / "src/content/docs/guide/start.md", POST)
    write(site / "src/content/docs/de/index.md", "# Hallo\n")  # a locale the site does not list: left alone
    write(site / "src/content/config.ts", "export const collections = {};\n")
    return ["src/content/docs/en/index.mdx", "src/content/docs/en/guide/start.md"]


def docusaurus(site: Path) -> list[str]:
    write(
        site / "docusaurus.config.js",
        "module.exports = {\n  title: 'Docs',\n"
        "  i18n: {\n    defaultLocale: 'fr',\n    locales: ['fr', 'en'],\n  },\n};\n",
    )
    write(site / "docs/intro.md", POST)
    write(site / "docs/guide/install.mdx", POST)
    return [
        "i18n/en/docusaurus-plugin-content-docs/current/intro.md",
        "i18n/en/docusaurus-plugin-content-docs/current/guide/install.mdx",
    ]


def docusaurus_docs_and_blog(site: Path) -> list[str]:
    docusaurus(site)
    write(site / "blog/2024-01-02-bonjour.md", POST)
    write(site / "blog/2024-02-03-nouvelles/index.mdx", POST)
    write(site / "docs/index.md", POST)
    write(site / "blog/index.md", POST)  # the same path as a doc: its own catalog
    return [
        "i18n/en/docusaurus-plugin-content-docs/current/intro.md",
        "i18n/en/docusaurus-plugin-content-docs/current/index.md",
        "i18n/en/docusaurus-plugin-content-docs/current/guide/install.mdx",
        "i18n/en/docusaurus-plugin-content-blog/2024-01-02-bonjour.md",
        "i18n/en/docusaurus-plugin-content-blog/2024-02-03-nouvelles/index.mdx",
        "i18n/en/docusaurus-plugin-content-blog/index.md",
    ]


def grav(site: Path) -> list[str]:
    write(site / "user/config/system.yaml", "languages:\n  supported:\n    - fr\n    - en\n  default_lang: fr\n")
    write(site / "user/pages/01.home/default.fr.md", POST)
    write(site / "user/pages/02.blog/item.fr.md", POST)
    return ["user/pages/01.home/default.en.md", "user/pages/02.blog/item.en.md"]


def default_with_output_inside_the_source(site: Path) -> list[str]:
    write(site / "l10n.toml", 'source_dir = "_pages"\noutput_dir = "_pages/{lang}"\n')
    write(site / "_pages/a.md", POST)
    write(site / "_pages/sub/b.md", POST)
    return ["_pages/en/a.md", "_pages/en/sub/b.md"]


SITES: dict[str, Callable[[Path], list[str]]] = {
    "hugo-by-file-name": hugo_by_file_name,
    "hugo-by-directory-default-at-root": hugo_by_directory_default_at_root,
    "hugo-by-directory": hugo_by_directory,
    "jekyll": jekyll,
    "jekyll-markdown-suffix": jekyll_markdown_suffix,
    "starlight-root-locale": starlight_root_locale,
    "docusaurus": docusaurus,
    "docusaurus-docs-and-blog": docusaurus_docs_and_blog,
    "grav": grav,
    "source_dir-output_dir-nested": default_with_output_inside_the_source,
}


def translate_all(site: Path) -> None:
    catalogs = sorted((site / "locales/en").rglob("*.po"))
    assert catalogs
    for path in catalogs:
        catalog = polib.pofile(str(path))
        for entry in catalog:
            entry.msgstr = ENGLISH.get(entry.msgid, entry.msgid)
        catalog.save(str(path))


def post_count(site: Path) -> int:
    """The posts l10n took as sources in its last run: one template each."""
    return len(list((site / "locales/templates").rglob("*.pot")))


@pytest.mark.parametrize("name", sorted(SITES))
def test_init_then_sync_writes_where_the_framework_reads(tmp_path: Path, name: str) -> None:
    site = tmp_path / name
    expected = SITES[name](site)
    if not (site / "l10n.toml").exists():
        result = run_l10n("init", cwd=site)
        assert result.returncode == 0, result.stderr
    assert run_l10n("sync", cwd=site).returncode == 0
    sources = post_count(site)
    assert sources == len(expected)
    translate_all(site)
    first = run_l10n("sync", cwd=site)
    assert first.returncode == 0, first.stderr
    for output in expected:
        text = (site / output).read_text(encoding="utf-8")
        assert "# Hello" in text and "title: A title" in text, output
    before = project_files(snapshot(site))
    second = run_l10n("sync", cwd=site)
    assert second.returncode == 0, second.stderr
    assert project_files(snapshot(site)) == before
    assert post_count(site) == sources
    check = run_l10n("check", cwd=site)
    assert check.returncode == 0, check.stdout + check.stderr


def test_hugo_by_file_name_configuration(tmp_path: Path) -> None:
    hugo_by_file_name(tmp_path)
    assert run_l10n("init", cwd=tmp_path).returncode == 0
    config = (tmp_path / "l10n.toml").read_text(encoding="utf-8")
    assert 'source = "content/**/*.{lang}.{md,mdx}"' in config
    assert 'output = "{dir}/{stem}.{lang}{ext}"' in config
    assert 'target_langs = ["en"]' in config
    assert 'exclude = ["content/**/*.de.{md,mdx}"]' in config
    assert 'anchors = "hugo"' in config
    # Catalogs are named after the post without its language: locales/en/posts/a/index.po
    assert run_l10n("sync", cwd=tmp_path).returncode == 0
    assert (tmp_path / "locales/en/posts/a/index.po").is_file()
    assert (tmp_path / "locales/templates/posts/b.pot").is_file()


def test_hugo_default_language_without_marker(tmp_path: Path) -> None:
    """Hugo's own rule: a file without a language in its name is in the default language."""
    write(tmp_path / "hugo.yaml", "defaultContentLanguage: fr\nlanguages:\n  fr: {}\n  en: {}\n")
    write(tmp_path / "content/posts/x.md", POST)
    write(tmp_path / "content/posts/x.en.md", "# Hello\n")  # a translation already there: not a source
    assert run_l10n("init", cwd=tmp_path).returncode == 0
    config = (tmp_path / "l10n.toml").read_text(encoding="utf-8")
    assert 'source = "content/**/*.{md,mdx}"' in config
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    assert post_count(tmp_path) == 1


@pytest.mark.parametrize("folder", ["img", "api", "css", "js", "doc", "cms", "ma-2023"])
def test_init_never_fails_on_a_folder_name(tmp_path: Path, folder: str) -> None:
    write(tmp_path / "content/fr/a.md", POST)
    write(tmp_path / folder / "x.md", "# x\n")
    write(tmp_path / "content" / folder / "y.md", "# y\n")
    result = run_l10n("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 'source_dir = "content/fr"' in (tmp_path / "l10n.toml").read_text(encoding="utf-8")


def test_vitepress_locales(tmp_path: Path) -> None:
    write(
        tmp_path / "docs/.vitepress/config.mts",
        "export default defineConfig({\n  locales: {\n    root: { label: 'Français', lang: 'fr-FR' },\n"
        "    en: { label: 'English', lang: 'en-US', link: '/en/' },\n  },\n})\n",
    )
    write(tmp_path / "docs/index.md", POST)
    write(tmp_path / "docs/guide/start.md", POST)
    write(tmp_path / "docs/en/index.md", "# Hello\n")
    assert run_l10n("init", cwd=tmp_path).returncode == 0
    config = (tmp_path / "l10n.toml").read_text(encoding="utf-8")
    assert 'source = "docs/**/*.md"' in config and 'output = "docs/{lang}/{path}"' in config
    assert 'source_lang = "fr"' in config
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    assert post_count(tmp_path) == 2


def test_astro_content_collection(tmp_path: Path) -> None:
    write(
        tmp_path / "astro.config.mjs",
        "export default defineConfig({ i18n: { defaultLocale: 'fr', locales: ['fr', 'en', 'es'] } });\n",
    )
    write(tmp_path / "src/content/blog/fr/a.md", POST)
    write(tmp_path / "src/content/blog/en/a.md", "# Hello\n")
    assert run_l10n("init", cwd=tmp_path).returncode == 0
    config = (tmp_path / "l10n.toml").read_text(encoding="utf-8")
    assert 'source_dir = "src/content/blog/fr"' in config
    assert 'target_langs = ["en", "es"]' in config


def test_folders_named_like_rare_language_codes_are_not_languages(tmp_path: Path) -> None:
    """``src`` and ``doc`` are ISO 639-3 codes too: a three-letter folder is a language only beside a
    two-letter one."""
    write(tmp_path / "src/posts/a.md", POST)
    write(tmp_path / "src/content/blog/fr/a.md", POST)
    write(tmp_path / "doc/b.md", POST)
    assert run_l10n("init", cwd=tmp_path).returncode == 0
    config = (tmp_path / "l10n.toml").read_text(encoding="utf-8")
    assert 'source_dir = "src/content/blog/fr"' in config and 'source_lang = "fr"' in config


def test_grav_user_folder_at_the_root(tmp_path: Path) -> None:
    write(tmp_path / "pages/01.docs/docs.fr.md", POST)
    write(tmp_path / "pages/01.docs/docs.md", "# Docs\n")
    assert run_l10n("init", cwd=tmp_path).returncode == 0
    config = (tmp_path / "l10n.toml").read_text(encoding="utf-8")
    assert 'source = "pages/**/*.{lang}.md"' in config and 'output = "{dir}/{stem}.{lang}{ext}"' in config


TWO_LAYOUTS = (
    '[[layout]]\nsource = "docs/**/*.md"\noutput = "i18n/{lang}/docs/{path}"\n'
    '[[layout]]\nsource = "blog/**/*.md"\noutput = "i18n/{lang}/blog/{path}"\n'
)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('source = "a/**/*.md"\noutput = "b/{lang}/{path}"\n' + TWO_LAYOUTS, "source: give the patterns either"),
        ('[[layout]]\nsource = "docs/**/*.md"\n', r"layout\[1\]\.output: needed"),
        (
            '[[layout]]\nsource = "docs/**/*.md"\noutput = "x/{lang}/{path}"\nlang = "fr"\n',
            r"layout\[1\]\.lang: unknown",
        ),
        (TWO_LAYOUTS.replace('blog/**/*.md"', 'blog/**/*.md"\nname = "docs"'), r"layout\[2\]\.name: .*share catalogs"),
        (TWO_LAYOUTS.replace('"blog/**/*.md"', '"**/*.md"'), r"layout\[2\]\.name: needed"),
        (TWO_LAYOUTS.replace("{lang}/blog", "blog"), r"layout\[2\]\.output: must contain \{lang\}"),
        ("layout = 3\n", "layout: expected"),
    ],
)
def test_bad_layout_tables_name_the_table_and_key(tmp_path: Path, toml: str, message: str) -> None:
    write(tmp_path / "l10n.toml", toml)
    for name in ("docs/a.md", "blog/a.md"):
        write(tmp_path / name, POST)
    result = run_l10n("extract", cwd=tmp_path)
    assert result.returncode == 2
    assert re.search(r"l10n\.toml:\d+: " + message, result.stderr), result.stderr


def test_posts_of_several_layouts_never_share_a_catalog_and_outputs_are_no_layouts_source(tmp_path: Path) -> None:
    """Each layout's posts are named after the layout; one layout's outputs under another's source folder
    are not sources; a post is selected by its file in any layout."""
    toml = TWO_LAYOUTS.replace("i18n/{lang}/blog/{path}", "docs/{lang}/blog/{path}")
    write(tmp_path / "l10n.toml", toml)
    write(tmp_path / "docs/a.md", POST)
    write(tmp_path / "blog/a.md", POST)
    write(tmp_path / "docs/en/blog/a.md", "# Hello\n")  # the blog's output, inside the docs' source folder
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    catalogs = sorted(path.relative_to(tmp_path / "locales/en").as_posix() for path in tmp_path.glob("locales/**/*.po"))
    assert catalogs == ["blog/a.po", "docs/a.po"]
    write(tmp_path / "blog/b.md", POST)
    result = run_l10n("extract", "blog/b.md", cwd=tmp_path)  # a file of the second layout, selected
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "locales/en/blog/b.po").is_file()
    assert (tmp_path / "docs/en/blog/a.md").read_text(encoding="utf-8") == "# Hello\n"
