"""Localized links: internal destinations rewritten for the target locale, every other byte kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from l10n.frontmatter_set import set_front_matter, validate_front_matter_set
from l10n.links import LinkRules, rewrite_links

REPOSITORY = Path(__file__).resolve().parent.parent
SEED = REPOSITORY / "content" / "fr" / "tech" / "ia" / "ia-medecine.md"

RULES = LinkRules.from_config(
    {
        "prefix": "/{lang}",
        "exclude": ["/api/*"],
        "slugs": {"en": {"/tech/ia/ia-medecine": "/tech/ai/ai-in-medicine"}},
    }
)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    pairs = []
    for old, new in zip(before.split("\n"), after.split("\n"), strict=True):
        if old != new:
            pairs.append((old, new))
    return pairs


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        ("/tech/ia/ia-recherche", "/en/tech/ia/ia-recherche"),  # absolute internal path: prefixed
        ("/tech/ia/ia-medecine", "/en/tech/ai/ai-in-medicine"),  # slug map, then prefix
        ("/tech/ia/ia-medecine/", "/en/tech/ai/ai-in-medicine/"),  # trailing slash kept
        ("/tech/ia/ia-medecine#defis", "/en/tech/ai/ai-in-medicine#defis"),  # fragment kept
        ("/recherche?q=ia", "/en/recherche?q=ia"),  # query kept
        ("/", "/en/"),
        ("../pain-au-levain", "../pain-au-levain"),  # relative
        ("./scripts-bash-robustes", "./scripts-bash-robustes"),
        ("#conclusion", "#conclusion"),  # same-page anchor
        ("https://www.has-sante.fr/ia", "https://www.has-sante.fr/ia"),  # external
        ("//cdn.example.org/lib", "//cdn.example.org/lib"),  # protocol-relative: external
        ("mailto:contact@example.org", "mailto:contact@example.org"),
        ("/blog-placeholder-8.jpg", "/blog-placeholder-8.jpg"),  # asset
        ("/files/guide.pdf#page=2", "/files/guide.pdf#page=2"),
        ("/api/v1/posts", "/api/v1/posts"),  # excluded
        ("/en/tech/ai", "/en/tech/ai"),  # already localized
    ],
)
def test_rewrite_rules(destination: str, expected: str) -> None:
    assert RULES.rewrite(destination, "en") == expected


def test_source_prefix_is_replaced() -> None:
    rules = LinkRules.from_config({"prefix": "/{lang}", "source_prefix": "/fr"})
    assert rules.rewrite("/fr/tech/ia", "en") == "/en/tech/ia"
    assert rules.rewrite("/fr", "en") == "/en/"
    assert rules.rewrite("/francais", "en") == "/en/francais"


def test_front_matter_links_follow_the_rules_too() -> None:
    """A site path in the source language's prefix given as a front matter value (a Starlight hero's
    ``link``), and HTML links in values (a banner), are links; other paths there may not be, and stay."""
    rules = LinkRules.from_config({"prefix": "/{lang}", "source_prefix": "/en"})
    post = (
        "---\ntitle: Start\nbanner:\n  content: |\n    New! <a href=\"/en/guides/v7/\">Upgrade</a>\n"
        "hero:\n  actions:\n    - text: Go\n      link: /en/install/\n    - link: '/en/why/'\n"
        "permalink: /about/\nimage: /en/cover.png\n---\n\n[Go](/en/install/)\n"
    )
    assert rewrite_links(post, rules, "fr") == (
        "---\ntitle: Start\nbanner:\n  content: |\n    New! <a href=\"/fr/guides/v7/\">Upgrade</a>\n"
        "hero:\n  actions:\n    - text: Go\n      link: /fr/install/\n    - link: '/fr/why/'\n"
        "permalink: /about/\nimage: /en/cover.png\n---\n\n[Go](/fr/install/)\n"
    )


def test_slugs_alone_without_prefix() -> None:
    rules = LinkRules.from_config({"slugs": {"en": {"/cuisine/pain-au-levain": "/cooking/sourdough-bread"}}})
    assert rules.rewrite("/cuisine/pain-au-levain", "en") == "/cooking/sourdough-bread"
    assert rules.rewrite("/cuisine/pain-au-levain", "de") == "/cuisine/pain-au-levain"
    assert not rules.is_active("de")


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"prefx": "/{lang}"}, "links.prefx"),
        ({"prefix": "{lang}"}, "links.prefix"),
        ({"prefix": "/{lang}/"}, "links.prefix"),
        ({"prefix": "/{language}"}, "links.prefix"),
        ({"prefix": 3}, "links.prefix"),
        ({"exclude": [1]}, "links.exclude"),
        ({"slugs": {"en": {"tech/ia": "/tech/ai"}}}, "links.slugs.en"),
        ({"slugs": {"en": "/tech/ai"}}, "links.slugs.en"),
        ({"source_prefix": "/{lang}"}, "links.source_prefix"),
    ],
)
def test_bad_configuration_names_the_key(table: dict[str, object], key: str) -> None:
    with pytest.raises(ValueError, match=rf"^{key}:"):
        LinkRules.from_config(table)


def test_only_destination_bytes_change_in_a_post() -> None:
    post = (
        "---\n"
        'title: "Voir [ceci](/tech/front-matter)"\n'
        "---\n"
        "# Titre avec [lien](/tech/titre)\n"
        "\n"
        '> - Voir [b](/tech/x "Titre") et ![i](/img/a.png), [c](./rel), [d](#ancre), [e](https://x.example/a),\n'
        ">   [f][ref], `[g](/tech/code)` et [h](\n"
        ">   /tech/y) [![img](/i.png)](/tech/w) [l](</tech/a b>)\n"
        "\n"
        "| a | b |\n"
        "|---|---|\n"
        "| [x](/t1) | [y](/t2) [z](/t1) |\n"
        "\n"
        "Setext [avec lien](/tech/s)\n"
        "===\n"
        "\n"
        "    [bloc de code](/tech/code-indente)\n"
        "\n"
        '<a href="/tech/html">HTML brut</a>\n'
        "\n"
        "```\n"
        "[n](/tech/code-cloture)\n"
        "```\n"
        "\n"
        '[ref]: /tech/ia/ia-medecine/ "Titre"\n'
        "[ref2]:\n"
        "  </tech/z>\n"
    )
    expected = {
        "# Titre avec [lien](/en/tech/titre)",
        '> - Voir [b](/en/tech/x "Titre") et ![i](/img/a.png), [c](./rel), [d](#ancre), [e](https://x.example/a),',
        ">   /en/tech/y) [![img](/i.png)](/en/tech/w) [l](</en/tech/a b>)",
        "| [x](/en/t1) | [y](/en/t2) [z](/en/t1) |",
        "Setext [avec lien](/en/tech/s)",
        '<a href="/en/tech/html">HTML brut</a>',
        '[ref]: /en/tech/ai/ai-in-medicine/ "Titre"',
        "  </en/tech/z>",
    }
    output = rewrite_links(post, RULES, "en")
    assert {new for _old, new in changed_lines(post, output)} == expected
    # Nothing but destinations changed: undoing the rewrites gives the post back byte for byte.
    undone = output.replace("/en/tech/ai/ai-in-medicine", "/tech/ia/ia-medecine").replace("/en/t", "/t")
    assert undone == post


def test_links_inside_image_alt_text_are_not_positions_of_the_post() -> None:
    post = "Voir ![un [lien](/tech/x) dans le texte](/tech/img) et [z](/tech/z).\n"
    assert (
        rewrite_links(post, RULES, "en")
        == "Voir ![un [lien](/tech/x) dans le texte](/en/tech/img) et [z](/en/tech/z).\n"
    )


def test_crlf_and_bom_are_kept() -> None:
    post = "\ufeff# Titre\r\n\r\nVoir [la page](/tech/a) et [l'autre](/tech/b).\r\n"
    assert rewrite_links(post, RULES, "en") == post.replace("(/tech/", "(/en/tech/")


def test_no_rules_no_change() -> None:
    post = "Voir [la page](/tech/a).\n"
    assert rewrite_links(post, LinkRules.from_config({}), "en") is post


@pytest.mark.skipif(not SEED.exists(), reason="the sample blog's seed post is not in this checkout")
def test_the_seed_posts_related_pages_are_localized() -> None:
    post = SEED.read_text(encoding="utf-8")
    output = rewrite_links(post, RULES, "en")
    assert changed_lines(post, output) == [
        (
            "- [IA en Imagerie Médicale](/tech/ia/ia-imagerie-medicale)",
            "- [IA en Imagerie Médicale](/en/tech/ia/ia-imagerie-medicale)",
        ),
        (
            "- [IA et Découverte de Médicaments](/tech/ia/ia-medicaments)",
            "- [IA et Découverte de Médicaments](/en/tech/ia/ia-medicaments)",
        ),
        (
            "- [IA en Recherche Scientifique](/tech/ia/ia-recherche)",
            "- [IA en Recherche Scientifique](/en/tech/ia/ia-recherche)",
        ),
        (
            "- [Éthique de l'IA en Santé](/tech/ia/ethique-ia-sante)",
            "- [Éthique de l'IA en Santé](/en/tech/ia/ethique-ia-sante)",
        ),
    ]
    # heroImage and imgUrl in the front matter are not links of the body: untouched.
    assert 'heroImage: "/blog-placeholder-8.jpg"' in output


@pytest.mark.skipif(not (REPOSITORY / "content" / "fr").is_dir(), reason="no sample blog in this checkout")
def test_sample_blog_posts_keep_their_layout() -> None:
    for path in sorted((REPOSITORY / "content" / "fr").rglob("*.md")):
        post = path.read_text(encoding="utf-8")
        output = rewrite_links(post, RULES, "en")
        assert output.count("\n") == post.count("\n")
        for old, new in changed_lines(post, output):
            assert new.replace("(/en/", "(/") == old, f"{path}: {old!r} -> {new!r}"


# --- front matter `set` -------------------------------------------------------------------------------------


def test_set_overrides_a_scalar_in_place_and_appends_new_keys() -> None:
    post = '---\ntitle: "Bonjour" # titre\nlang: fr\ntags:\n  - a\n---\n# Bonjour\n'
    output = set_front_matter(post, {"lang": "{lang}", "translated": True}, "en")
    assert output == '---\ntitle: "Bonjour" # titre\nlang: en\ntags:\n  - a\ntranslated: true\n---\n# Bonjour\n'


def test_set_quotes_values_that_need_it_and_keeps_crlf() -> None:
    post = "---\r\ntitle: x\r\n---\r\nbody\r\n"
    output = set_front_matter(post, {"note": "a: b", "lang": "{lang}"}, "pt_BR")
    assert output == '---\r\ntitle: x\r\nnote: "a: b"\r\nlang: pt_BR\r\n---\r\nbody\r\n'


def test_set_in_toml_front_matter() -> None:
    post = '+++\ntitle = "C# en pratique" # titre\nlang = "fr"\n[params]\nx = 1\n+++\nbody\n'
    output = set_front_matter(post, {"lang": "{lang}", "draft": False}, "en")
    assert output == '+++\ntitle = "C# en pratique" # titre\nlang = "en"\ndraft = false\n[params]\nx = 1\n+++\nbody\n'


def test_set_adds_front_matter_to_a_post_without_one() -> None:
    assert set_front_matter("# Titre\n", {"lang": "{lang}"}, "en") == "---\nlang: en\n---\n# Titre\n"


def test_set_in_json_front_matter_adds_members() -> None:
    post = '{\n  "title": "Bonjour"\n}\n\n# Bonjour\n'
    assert (
        set_front_matter(post, {"lang": "{lang}"}, "en") == '{\n  "lang": "en",\n  "title": "Bonjour"\n}\n\n# Bonjour\n'
    )
    with pytest.raises(ValueError, match=r"front_matter\.set\.title"):
        set_front_matter(post, {"title": "x"}, "en")


def test_a_dashed_block_that_is_markdown_gets_a_front_matter_before_it() -> None:
    # `---\nFoo\n---` is a thematic break and a setext heading, not front matter (CommonMark example 96).
    assert set_front_matter("---\nFoo\n---\n", {"lang": "{lang}"}, "en") == "---\nlang: en\n---\n---\nFoo\n---\n"


def test_set_replaces_a_block_scalar() -> None:
    post = "---\nlang: |\n  fr\nb: 1\n---\n"
    assert set_front_matter(post, {"lang": "{lang}"}, "en") == "---\nlang: en\nb: 1\n---\n"


def test_set_refuses_to_replace_a_list() -> None:
    with pytest.raises(ValueError, match=r"front_matter\.set\.tags"):
        set_front_matter("---\ntags:\n  - a\n---\n", {"tags": "x"}, "en")


def test_nothing_configured_nothing_changes() -> None:
    post = "---\ntitle: x\n---\n"
    assert set_front_matter(post, {}, "en") is post


@pytest.mark.parametrize(
    ("table", "key"),
    [({"sett": {}}, "front_matter.sett"), ({"set": {"lang": ["en"]}}, "front_matter.set.lang")],
)
def test_front_matter_configuration_names_the_key(table: dict[str, object], key: str) -> None:
    with pytest.raises(ValueError, match=rf"^{key}:"):
        validate_front_matter_set(table)


# --- at build time, through the installed command -----------------------------------------------------------


def test_build_applies_link_rules_and_front_matter_set_to_every_output(tmp_path: Path) -> None:
    project = tmp_path / "site"
    (project / "content" / "fr" / "tech").mkdir(parents=True)
    (project / "content" / "fr" / "tech" / "a.md").write_text(
        '---\ntitle: "Première page"\nlang: fr\n---\n\nVoir [la seconde](/tech/b) et ![un schéma](/img/s.png).\n'
        "\n[ref]: /tech/ia/ia-medecine\n",
        encoding="utf-8",
    )
    (project / "content" / "fr" / "tech" / "b.md").write_text(
        'Retour à [la première](/tech/a#haut) ou <a href="/tech/a">ici</a>.\n', "utf-8"
    )
    (project / "l10n.toml").write_text(
        'source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\n'
        '[links]\nprefix = "/{lang}"\n[links.slugs.en]\n"/tech/ia/ia-medecine" = "/tech/ai/ai-in-medicine"\n'
        '[front_matter]\nset = { lang = "{lang}" }\n',
        encoding="utf-8",
    )
    command = shutil.which("l10n", path=str(Path(sys.executable).parent)) or shutil.which("l10n")
    l10n = [command] if command else [sys.executable, "-m", "l10n"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*l10n, "--root", str(project), *args], capture_output=True, text=True, timeout=300)

    assert run("extract").returncode == 0
    catalog_path = project / "locales" / "en" / "tech" / "a.po"
    catalog = polib.pofile(str(catalog_path))
    for entry in catalog:
        if entry.msgid.startswith("Voir"):
            entry.msgstr = "See [the second one](/tech/b) and ![a diagram](/img/s.png)."
    catalog.save(str(catalog_path))
    built = run("build")
    assert built.returncode == 0, built.stderr

    first = (project / "content" / "en" / "tech" / "a.md").read_text(encoding="utf-8")
    assert first == (
        '---\ntitle: "Première page"\nlang: en\n---\n\nSee [the second one](/en/tech/b) and ![a diagram](/img/s.png).\n'
        "\n[ref]: /en/tech/ai/ai-in-medicine\n"
    )
    # An untranslated post gets the same treatment (a front matter block is added: `set` asks for it).
    second = (project / "content" / "en" / "tech" / "b.md").read_text(encoding="utf-8")
    assert second == '---\nlang: en\n---\nRetour à [la première](/en/tech/a#haut) ou <a href="/en/tech/a">ici</a>.\n'
    # The built posts are what check expects: nothing stale, no structure problem.
    checked = run("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


# --- property: whatever the Markdown, only internal destinations change, and each as the rules say ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from l10n.document.inline import document_parser, walk  # noqa: E402
from l10n.links import html_href_spans  # noqa: E402

PIECES = [
    "- ",
    "> ",
    "1. ",
    "    ",
    "  ",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "```\n",
    "# ",
    "===\n",
    "| a | b |\n|---|---|\n| ",
    " | ",
    "[x](/p)",
    '[y](/q/r "t")',
    "![i](/a.png)",
    "![j](/img)",
    "[z](<,/s s>)",
    "[w](https://e.example/p)",
    "[r]",
    "[r]: /ref",
    "[r]:\n  /ref2",
    "[^1]",
    "[^1]: note",
    "`[c](/code)`",
    '<a href="/h">',
    "</a>",
    "<div>",
    "<a class='c' href='/i'>",
    '<!-- <a href="/j"> -->',
    "<a href=/k>",
    "<script>x='<a href=\"/l\">'</script>",
    "mot ",
    "texte ",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "\\",
    "/",
    "#frag",
    "?q=1",
    "é",
]


def link_targets(text: str) -> list[tuple[str, str]]:
    return [
        (token.type, str(token.attrGet("href") or token.attrGet("src") or ""))
        for token in walk(document_parser().parse(text, {}))
        if token.type in ("link_open", "image")
    ]


def with_hrefs_rewritten(html: str) -> str:
    for start, end in reversed(html_href_spans(html)):
        html = html[:start] + RULES.rewrite(html[start:end], "en") + html[end:]
    return html


def everything_but_links(text: str, *, rewrite_html: bool = False) -> list[tuple[str, str]]:
    return [
        (token.type, with_hrefs_rewritten(token.content) if rewrite_html and "html" in token.type else token.content)
        for token in walk(document_parser().parse(text, {}))
        if token.type not in ("link_open", "image", "inline")
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_rewriting_changes_exactly_the_internal_destinations(pieces: list[str]) -> None:
    post = "".join(pieces)
    output = rewrite_links(post, RULES, "en")
    assert output.count("\n") == post.count("\n")
    expected = [(kind, RULES.rewrite(target, "en")) for kind, target in link_targets(post)]
    assert link_targets(output) == expected
    assert everything_but_links(output) == everything_but_links(post, rewrite_html=True)
