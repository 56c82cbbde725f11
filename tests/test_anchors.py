"""Heading anchors as the frameworks compute them, and link fragments that follow a translated heading."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_l10n, translate_catalog, write
from oracle import github_slugs, missing_reason

from l10n.anchor_links import localize_anchors
from l10n.anchors import SLUGGERS, anchors, hugo_slug_base

GITHUB = SLUGGERS["github"]
HUGO = SLUGGERS["hugo"]

# (markdown of a page, its anchors with github-slugger, with Hugo)
PAGE = """\
# Élément à l'été

## Pourquoi ?

## Le `code` et *l'emphase*

## Pourquoi ?

## Pourquoi ?

## Mon titre {#mon-id}

## Ça — c'est « ça » : 100 % !

## Été_2024 + C++

## [Un lien](https://example.org) et ![une image](x.png)

## Pourquoi-1
"""

EXPECTED_GITHUB = [
    "élément-à-lété",
    "pourquoi-",
    "le-code-et-lemphase",
    "pourquoi--1",
    "pourquoi--2",
    "mon-id",
    "ça--cest--ça---100--",
    "été_2024--c",
    "un-lien-et-",
    "pourquoi-1",
]
EXPECTED_HUGO = [
    "élément-à-lété",
    "pourquoi-",
    "le-code-et-lemphase",
    "pourquoi--1",
    "pourquoi--2",
    "mon-id",
    "ça--cest--ça---100--",
    "été_2024--c",
    "un-lien-et",
    "pourquoi-1",
]


def test_github_slugger_rules() -> None:
    assert anchors(PAGE, GITHUB) == EXPECTED_GITHUB


def test_hugo_rules() -> None:
    assert anchors(PAGE, HUGO) == EXPECTED_HUGO


@pytest.mark.parametrize(
    ("text", "anchor"),
    [  # Hugo's documentation, functions/urls/Anchorize (autoHeadingIDType = "github", the default)
        ("A B C", "a-b-c"),
        ("a b   c", "a-b---c"),
        ("< a, b, & c >", "-a-b--c-"),
        ("main.go", "maingo"),
        ("Hugö", "hugö"),
    ],
)
def test_hugo_documentation_examples(text: str, anchor: str) -> None:
    assert hugo_slug_base(text) == anchor


def test_hugo_repeats_and_empty_headings() -> None:
    assert HUGO.slugs(["Titre", "Titre", "Titre-1", "", "?"]) == [
        "titre",
        "titre-1",
        "titre-1-1",
        "heading",
        "heading-1",
    ]


HEADINGS = [
    "Élément à l'été",
    "Pourquoi ?",
    "Le code et l'emphase",
    "Pourquoi ?",
    "Ça — c'est « ça » : 100 % !",
    "Été_2024 + C++",
    "naïve café über straße",
    "Ünïcödé 日本語のテキスト",
    "Emoji 🎉 party 🚀",
    "Tabs\tand\u00a0no-break spaces",
    "Dashes – and — and ‐ hyphen",
    "Quotes “double” and ‘single’ and 'ascii'",
    "Math: a × b ÷ c ≠ d",
    "Currency $5 €10 £3",
    "Brackets [x] (y) {z} <w>",
    "Under_score and -dash-",
    "Apostrophe’s curly",
    "Ελληνικά και Кириллица",
    "العربية עברית",
    "Combining e\u0301 accent",
    "Numbers ½ ² ³ ٣",
    "Pourquoi ?",
    "pourquoi-",
    "",
    "---",
    "Dots... and ellipsis…",
    "Ligature ﬁ and ǅ",
    "İstanbul ǈ",
    "Roman Ⅻ ⅷ",
    "sup ⁵ sub ₂",
    "fullwidth ＡＢ １２",
    "zero\u200dwidth\u00adsoft",
    "ﬀ ß ẞ",
]


@pytest.mark.skipif(missing_reason() is not None, reason=str(missing_reason()))
def test_same_slugs_as_the_real_github_slugger() -> None:
    assert GITHUB.slugs(HEADINGS) == github_slugs(HEADINGS)


def test_same_page_links_follow_the_translated_heading() -> None:
    source = "## Ressources\n\nVoir [ici](#ressources) et [là](<#ressources>).\n\n[ref]: #ressources\n"
    output = "## Resources\n\nSee [here](#ressources) and [there](<#ressources>).\n\n[ref]: #ressources\n"
    rewritten, findings = localize_anchors(output, source, GITHUB, lambda _: None)
    assert rewritten == "## Resources\n\nSee [here](#resources) and [there](<#resources>).\n\n[ref]: #resources\n"
    assert findings == []


def test_a_link_to_a_missing_anchor_is_reported_with_its_line() -> None:
    source = "# Titre\n\nUn [lien](#nulle-part).\n"
    _, findings = localize_anchors("# Title\n\nA [link](#nulle-part).\n", source, GITHUB, lambda _: None)
    assert [(finding.line, finding.message) for finding in findings] == [
        (3, "#nulle-part: no such anchor in this page")
    ]


def test_html_ids_are_anchors_too() -> None:
    source = '<a id="haut"></a>\n\n# Titre\n\n[Haut](#haut)\n'
    output = '<a id="haut"></a>\n\n# Title\n\n[Top](#haut)\n'
    assert localize_anchors(output, source, GITHUB, lambda _: None) == (output, [])


def test_a_hostile_explicit_id_cannot_break_out_of_the_link() -> None:
    source = "## Titre {#titre}\n\n[x](#titre)\n"
    output = "## Title {#a)[evil](https://evil.com}\n\n[x](#titre)\n"
    rewritten, _ = localize_anchors(output, source, GITHUB, lambda _: None)
    assert "evil.com" not in rewritten.split("\n\n", 1)[1]


POST_A = (
    "---\ntitle: Premier\n---\n\n## Ressources utiles\n\nVoir [plus bas](#ressources-utiles).\n\n"
    "Voir [l'autre](deux.md#la-suite) et [rien](#absent).\n"
)
POST_B = "# Deux\n\n## La suite\n\nTexte.\n"
ENGLISH = {
    "Premier": "First",
    "Ressources utiles": "Useful resources",
    "Voir [plus bas](#ressources-utiles).": "See [below](#ressources-utiles).",
    "Voir [l'autre](deux.md#la-suite) et [rien](#absent).": "See [the other](deux.md#la-suite) and [nothing](#absent).",
    "Deux": "Two",
    "La suite": "What follows",
    "Texte.": "Text.",
}


def test_sync_rewrites_fragments_and_check_warns(tmp_path: Path) -> None:
    write(tmp_path / "l10n.toml", 'source_dir = "content/fr"\noutput_dir = "content/{lang}"\n')
    write(tmp_path / "content/fr/un.md", POST_A)
    write(tmp_path / "content/fr/deux.md", POST_B)
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    for name in ("un", "deux"):
        translate_catalog(tmp_path / f"locales/en/{name}.po", ENGLISH)
    result = run_l10n("sync", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    output = (tmp_path / "content/en/un.md").read_text(encoding="utf-8")
    assert "[below](#useful-resources)" in output
    assert "[the other](deux.md#what-follows)" in output
    check = run_l10n("check", cwd=tmp_path)
    assert check.returncode == 0
    assert "content/en/un.md:9: warning: [anchor-missing] #absent: no such anchor in this page" in check.stdout


def test_a_changed_heading_translation_reaches_the_posts_linking_to_it(tmp_path: Path) -> None:
    """The run cache knows that post A's output depends on post B's headings: a new translation of B's
    heading rebuilds A, whose link follows."""
    write(tmp_path / "l10n.toml", 'source_dir = "content/fr"\noutput_dir = "content/{lang}"\n')
    write(tmp_path / "content/fr/un.md", POST_A)
    write(tmp_path / "content/fr/deux.md", POST_B)
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    for name in ("un", "deux"):
        translate_catalog(tmp_path / f"locales/en/{name}.po", ENGLISH)
    assert run_l10n("sync", cwd=tmp_path).returncode == 0
    assert "(deux.md#what-follows)" in (tmp_path / "content/en/un.md").read_text(encoding="utf-8")
    translate_catalog(tmp_path / "locales/en/deux.po", {"La suite": "Next steps"})
    result = run_l10n("sync", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(deux.md#next-steps)" in (tmp_path / "content/en/un.md").read_text(encoding="utf-8")
    assert "## Next steps" in (tmp_path / "content/en/deux.md").read_text(encoding="utf-8")


ROUTES_UN = (
    "# Un\n\nVoir [la suite](/fr/guide/#la-suite), [installer](/fr/guide/installation/#pré-requis),\n"
    "[rien](/fr/guide/#absent) et [ailleurs](/en/guide/#la-suite).\n"
)
ROUTES_ENGLISH = {
    "Un": "One",
    "Voir [la suite](/fr/guide/#la-suite), [installer](/fr/guide/installation/#pré-requis), "
    "[rien](/fr/guide/#absent) et [ailleurs](/en/guide/#la-suite).": (
        "See [what follows](/fr/guide/#la-suite), [install](/fr/guide/installation/#pré-requis), "
        "[nothing](/fr/guide/#absent) and [elsewhere](/en/guide/#la-suite)."
    ),
    "Guide": "Guide",
    "La suite": "What follows",
    "Installation": "Installation",
    "Pré-requis": "Requirements",
    "Texte.": "Text.",
}


def test_links_to_another_post_by_site_route_follow_its_translated_heading(tmp_path: Path) -> None:
    """``/fr/guide/#la-suite`` (the link rules remove /fr, add /en) leads to guide/index.md; the fragment
    follows its translated heading, and a fragment it does not have is reported with file and line."""
    write(
        tmp_path / "l10n.toml",
        'source_dir = "content/fr"\noutput_dir = "content/{lang}"\n'
        '[links]\nprefix = "/{lang}"\nsource_prefix = "/fr"\n[front_matter]\nset = { lang = "{lang}" }\n',
    )
    write(tmp_path / "content/fr/un.md", "---\ntitle: Un\n---\n\n" + ROUTES_UN)
    write(tmp_path / "content/fr/guide/index.md", "# Guide\n\n## La suite\n\nTexte.\n")
    write(tmp_path / "content/fr/guide/installation.md", "# Installation\n\n## Pré-requis\n\nTexte.\n")
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    for name in ("un", "guide/index", "guide/installation"):
        translate_catalog(tmp_path / f"locales/en/{name}.po", ROUTES_ENGLISH)
    result = run_l10n("sync", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    output = (tmp_path / "content/en/un.md").read_text(encoding="utf-8")
    assert "[what follows](/en/guide/#what-follows)" in output
    assert "[install](/en/guide/installation/#requirements)" in output
    assert "[elsewhere](/en/guide/#la-suite)" in output  # not a route of a source page: left alone
    check = run_l10n("check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    line = output.splitlines().index(next(text for text in output.splitlines() if "#absent" in text)) + 1
    assert f"content/en/un.md:{line}: warning: [anchor-missing] #absent: no such anchor in /fr/guide/" in check.stdout
    assert check.stdout.count("anchor-missing") == 1


def test_a_route_from_the_site_root_names_a_post_too(tmp_path: Path) -> None:
    """Docusaurus-style routes (``/docs/intro``) name the source file from the site root."""
    write(tmp_path / "l10n.toml", 'source = "docs/**/*.md"\noutput = "i18n/{lang}/current/{path}"\n')
    write(tmp_path / "docs/un.md", "# Un\n\nVoir [la suite](/docs/guide/#la-suite).\n")
    write(tmp_path / "docs/guide.md", "# Guide\n\n## La suite\n\nTexte.\n")
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    english = {"Un": "One", "Voir [la suite](/docs/guide/#la-suite).": "See [more](/docs/guide/#la-suite).", **ENGLISH}
    for name in ("un", "guide"):
        translate_catalog(tmp_path / f"locales/en/{name}.po", {**english, "Guide": "Guide", "Texte.": "Text."})
    assert run_l10n("sync", cwd=tmp_path).returncode == 0
    assert "[more](/docs/guide/#what-follows)" in (tmp_path / "i18n/en/current/un.md").read_text(encoding="utf-8")
