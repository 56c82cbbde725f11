"""What a page adopted from people may keep as its layout patch (``l10n.adopt.layout``): differences around
unchanged text and lines without text; never a difference in translated text."""

from __future__ import annotations

from l10n.adopt.layout import layout_patch
from l10n.dialect_choice import DEFAULT_JSX_ATTRIBUTES, DEFAULT_JSX_VERBATIM
from l10n.document import extract
from l10n.document.markdown import Dialect
from l10n.layout_patch import apply, diff

MDX = Dialect(mdx=True, directives=True, jsx_attributes=DEFAULT_JSX_ATTRIBUTES, jsx_verbatim=DEFAULT_JSX_VERBATIM)
KEYS = ["title", "description"]
BUILT = """---
title: Démarrer
description: Installer le projet.
sidebar:
  order: 2
---

import Card from '../../components/Card.astro';

## Installer

Lancez la commande suivante dans le dossier du projet.
Elle installe tout.

<YouTube id="intro-en" />

- premier point
- second point
"""


def kept(page: str) -> str | None:
    hunks = layout_patch(
        extract(BUILT, front_matter_keys=KEYS, dialect=MDX), extract(page, front_matter_keys=KEYS, dialect=MDX)
    )
    if hunks is None:
        return None
    text, stale = apply(BUILT, hunks)
    assert not stale
    return text


def test_whitespace_marks_quoting_and_lines_without_text_are_layout() -> None:
    page = (
        BUILT.replace("description: Installer le projet.", 'description: "Installer le projet."')
        .replace("  order: 2\n", "  order: 2\ni18nReady: true\n")
        .replace("'../../components/Card.astro'", "'~/components/Card.astro'")
        .replace("du projet.\n", "du projet. \n")
        .replace('<YouTube id="intro-en" />', '<YouTube id="intro-fr" />')
        .replace("- premier point\n- second point", "* premier point\n*   second point")
        .replace("## Installer", "### Installer")  # a heading's level is its marks
    )
    assert kept(page) == page


def test_a_difference_in_translated_text_is_not_layout() -> None:
    assert kept(BUILT.replace("Elle installe tout.", "Elle installe presque tout.")) is None
    assert kept(BUILT.replace("## Installer", "## Installation")) is None
    assert kept(BUILT.replace("- second point\n", "- second point\n- un point ajouté\n")) is None
    assert kept(BUILT.replace("title: Démarrer", "title: Commencer")) is None
    assert kept(BUILT.replace('<YouTube id="intro-en" />', '<YouTube id="intro-en" title="Vidéo" />')) is None


def test_a_block_moved_by_a_line_is_one_change_not_a_removal_and_an_addition() -> None:
    built = "Voir :\n\n-  [Référence](/fr/ref/)\n\n\nFin.\n"
    page = "Voir :\n\n\n- [Référence](/fr/ref/)\n\nFin.\n"  # a line lower, its marker respaced
    assert len(diff(built, page)) == 2  # a line diff sees the list item removed, then one added
    hunks = layout_patch(extract(built), extract(page))
    assert hunks is not None and apply(built, hunks) == (page, [])


def test_the_kind_of_a_space_is_layout_but_not_an_invisible_character() -> None:
    """French typography sets a no-break or narrow no-break space before ``: ; ! ?``, and a translator does
    not always set the same one: typography, kept by the patch. A zero-width character is text (the checks
    report it), never layout."""
    typeset = BUILT.replace("Lancez la commande suivante", "Lancez\u202fla commande\u00a0suivante")
    assert kept(typeset) == typeset
    assert kept(BUILT.replace("Lancez la commande", "Lancez la\u200bcommande")) is None
