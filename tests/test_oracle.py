"""The framework-parser oracle itself: it sees what the frameworks see (so the dialect tests can rely on it)."""

from __future__ import annotations

import pytest
from oracle import compare, compile_errors, github_slugs, require_oracle, shapes

pytestmark = pytest.mark.usefixtures("_oracle")


@pytest.fixture
def _oracle() -> None:
    require_oracle()


def test_text_is_left_out_and_markup_kept() -> None:
    first, second = shapes(["# Titre\n\nDu *texte* [lien](/a).\n", "# Title\n\nSome *text* [link](/a).\n"], mdx=False)
    assert first.tree == second.tree
    assert first.tree is not None and first.tree["children"][0]["type"] == "heading"


def test_a_changed_link_or_component_is_a_difference() -> None:
    source = "Voir [ici](/a).\n\n<Aside type=\"tip\">\nTexte.\n</Aside>\n"
    assert compare([("same", source, source.replace("Texte", "Text"))], mdx=[True]).same
    changed_link = compare([("link", source, source.replace("/a", "/b"))], mdx=[True])
    assert not changed_link.same and "url" in changed_link.differences[0]
    changed_component = compare([("jsx", source, source.replace("Aside", "Evil"))], mdx=[True])
    assert not changed_component.same


def test_directives_are_parsed_where_the_source_uses_them() -> None:
    source = ":::note[Titre]\nTexte.\n:::\n"
    assert compare([("label", source, ":::note[Title]\nText.\n:::\n")], mdx=[False]).same
    renamed = compare([("name", source, ":::ñöţé[Title]\nText.\n:::\n")], mdx=[False])
    assert not renamed.same


def test_mdx_compilation_catches_what_commonmark_accepts() -> None:
    assert compile_errors(["# Titre\n\nTexte.\n", "Texte a<3 b.\n", "<!-- commentaire -->\n"]) [0] is None
    errors = compile_errors(["Texte a<3 b.\n", "<!-- commentaire -->\n", "---\ntitle: x\n---\n\n{oops\n"])
    assert all(errors)


def test_github_slugger() -> None:
    assert github_slugs(["Ressources", "Ressources", "L'été à Paris !", "`src/pages`"]) == [
        "ressources", "ressources-1", "lété-à-paris-", "srcpages",
    ]
