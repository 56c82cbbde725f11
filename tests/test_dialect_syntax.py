"""The dialect plugins read framework syntax as the frameworks do (token level)."""

from __future__ import annotations

import pytest
from markdown_it.token import Token

from l10n.document.markdown import Dialect, new_parser

DIRECTIVES = Dialect(directives=True)
CONTAINERS = Dialect(containers=True)
TEMPLATES = Dialect(shortcodes=True, liquid=True)
LOCKED = Dialect(protect=(r"\[/?(center|columns)\]", "%[A-Z_]+%"))


def blocks(text: str, dialect: Dialect) -> list[tuple[str, str]]:
    return [(token.type, token.info) for token in new_parser(dialect).parse(text) if token.type != "inline"]


def inline(text: str, dialect: Dialect) -> list[Token]:
    tokens = new_parser(dialect).parse(text)
    return [child for token in tokens if token.type == "inline" for child in token.children or ()]


def entries(text: str, dialect: Dialect) -> list[tuple[str, str]]:
    return [
        (token.meta["l10n_entry"], token.content)
        for token in new_parser(dialect).parse(text)
        if token.type == "inline" and "l10n_entry" in token.meta
    ]


# -- remark directives --------------------------------------------------------------------------------------


def test_a_container_directive_is_a_block_whose_fences_are_not_text() -> None:
    text = "Avant\n:::tip[Raccourci clavier]{.large}\nPour modifier.\n:::\nAprès\n"
    assert blocks(text, DIRECTIVES) == [
        ("paragraph_open", ""),
        ("paragraph_close", ""),
        ("directive_container_open", "tip{.large}"),
        ("paragraph_open", ""),
        ("paragraph_close", ""),
        ("directive_container_close", ""),
        ("paragraph_open", ""),
        ("paragraph_close", ""),
    ]
    paragraphs = [t.content for t in new_parser(DIRECTIVES).parse(text) if t.type == "inline" and not t.meta]
    assert paragraphs == ["Avant", "Pour modifier.", "Après"]  # the entries: data/extraction/segments.md


def test_in_commonmark_the_same_fences_are_paragraph_text() -> None:
    text = ":::tip[Raccourci clavier]\nPour modifier.\n:::\n"
    assert [t.content for t in new_parser().parse(text) if t.type == "inline"] == [text.strip()]


def test_containers_nest_with_longer_fences_outside() -> None:
    text = "::::note\n:::caution\ndedans\n:::\nencore\n::::\n"
    assert [kind for kind, _ in blocks(text, DIRECTIVES) if kind.startswith("directive")] == [
        "directive_container_open",
        "directive_container_open",
        "directive_container_close",
        "directive_container_close",
    ]


def test_the_first_fence_as_long_closes_a_container() -> None:
    text = ":::note\n:::tip\ntexte\n:::\nsuite\n:::\n"
    # micromark: same-size fences do not nest, the first `:::` closes the outer container
    assert [kind for kind, _ in blocks(text, DIRECTIVES)] == [
        "directive_container_open",
        "directive_container_open",
        "paragraph_open",
        "paragraph_close",
        "directive_container_close",
        "directive_container_close",
        "paragraph_open",  # "suite\n:::": a fence without a name is text
        "paragraph_close",
    ]


def test_an_unclosed_container_runs_to_the_end() -> None:
    assert blocks(":::note\ntexte\n", DIRECTIVES)[-1] == ("directive_container_close", "")


@pytest.mark.parametrize(
    "line",
    [":::", "::: tip", ":::tip Titre", ":::-x", ":::x-", ":::tip[label", ":::tip{a=}", "    :::tip"],
)
def test_lines_that_are_not_container_directives(line: str) -> None:
    assert not any(kind.startswith("directive") for kind, _ in blocks(line + "\ntexte\n:::\n", DIRECTIVES))


def test_a_leaf_directive_and_its_label() -> None:
    text = "Texte\n::youtube[Ma vidéo]{#abc}\n"
    assert ("directive_leaf_open", "youtube{#abc}") in blocks(text, DIRECTIVES)  # its entries: data/extraction/


def test_a_text_directive_keeps_its_label_as_text_and_the_rest_atomic() -> None:
    children = inline('Le :abbr[RGPD]{title="Règlement"} protège.', DIRECTIVES)
    assert [(t.type, t.content) for t in children] == [
        ("text", "Le "),
        ("directive_text_open", ':abbr[RGPD]{title="Règlement"}'),
        ("text", "RGPD"),
        ("directive_text_close", ""),
        ("text", " protège."),
    ]
    assert children[1].info == 'abbr{title="Règlement"}'


@pytest.mark.parametrize(
    ("text", "directive"),
    [
        (":heart: et :+1:", None),  # a name followed by a colon is not a directive (gemoji)
        ("a ::b", None),  # a directive does not follow a colon
        ("\\::b", ":b"),  # ... unless that colon is escaped
        ("http://example.com", None),  # a name does not start with punctuation
        (":a- et :_b", None),  # nor end with - or _
        ("voir :br", ":br"),
        # micromark reads these as directives too (remarkjs/remark-directive#5): kept intact, never translated
        ("à 12:30", ":30"),
        ("la n:th", ":th"),
    ],
)
def test_text_directives_follow_micromark(text: str, directive: str | None) -> None:
    found = [t.content for t in inline(text, DIRECTIVES) if t.type == "directive_text"]
    assert found == ([directive] if directive else [])
    atomic = [t for t in inline(text, DIRECTIVES) if t.meta.get("l10n_atomic")]
    assert len(atomic) == len(found)


# -- markdown-it containers ---------------------------------------------------------------------------------


def test_a_vitepress_container_keeps_its_name_as_layout_and_its_title_as_an_entry() -> None:
    text = "::: warning Attention\nAttention danger.\n:::\n"
    assert blocks(text, CONTAINERS)[0] == ("container_l10n_open", "warning")
    assert entries(text, CONTAINERS) == [("container title (warning)", "Attention")]
    assert [t.content for t in inline(text, CONTAINERS)] == ["Attention", "Attention danger."]


def test_with_directives_too_a_bracketed_label_stays_a_directive() -> None:
    both = Dialect(directives=True, containers=True)
    assert blocks(":::note[Titre]\ntexte\n:::\n", both)[0] == ("directive_container_open", "note")
    assert blocks("::: tip Titre\ntexte\n:::\n", both)[0] == ("container_l10n_open", "tip")


# -- shortcodes, template tags, locked patterns ----------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        '{{< figure src="a.png" caption="Une >}} image" >}}',
        "{{% note %}}",
        "{{< /note >}}",
        "{% include foo.html %}",
        "{%- if page.title -%}",
        "{{ page.title | upcase }}",
        "{# commentaire #}",
        "{% raw %}{{ pas interprété }}{% endraw %}",
    ],
)
def test_template_syntax_is_atomic_inline(tag: str) -> None:
    children = inline(f"Avant {tag} après", TEMPLATES)
    assert [(t.type, t.content) for t in children] == [
        ("text", "Avant "),
        ("l10n_atomic", tag),
        ("text", " après"),
    ]


def test_template_lines_alone_are_blocks_and_paired_shortcodes_keep_markdown_inside() -> None:
    text = "Texte\n{{% note %}}\nDedans **gras**.\n{{% /note %}}\n{% raw %}\n{{ x }}\n{% endraw %}\n"
    assert [kind for kind, _ in blocks(text, TEMPLATES)] == [
        "paragraph_open",
        "paragraph_close",
        "l10n_atomic_block",
        "paragraph_open",
        "paragraph_close",
        "l10n_atomic_block",
        "l10n_atomic_block",
    ]
    assert ("l10n_atomic_block", "{% raw %}\n{{ x }}\n{% endraw %}") in blocks(text, TEMPLATES)


def test_highlighted_code_in_shortcodes_and_liquid_is_kept_whole() -> None:
    text = '{{< highlight go "linenos=table" >}}\nfunc main() {}\n{{< /highlight >}}\n\n'
    text += "{% highlight ruby %}\ndef foo\n  bar\nend\n{% endhighlight %}\n"
    assert [kind for kind, _ in blocks(text, TEMPLATES)] == ["l10n_atomic_block", "l10n_atomic_block"]


def test_without_the_dialect_braces_are_text() -> None:
    assert [t.type for t in inline("Avant {% include x %} après", Dialect())] == ["text"]


def test_locked_patterns_are_atomic_wherever_they_start() -> None:
    children = inline("Voir [center]ceci[/center] et %SITE_NAME% puis x%A%", LOCKED)
    assert [t.content for t in children if t.meta.get("l10n_atomic")] == [
        "[center]",
        "[/center]",
        "%SITE_NAME%",
        "%A%",
    ]
    assert "".join(t.content for t in children) == "Voir [center]ceci[/center] et %SITE_NAME% puis x%A%"
