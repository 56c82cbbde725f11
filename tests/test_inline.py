"""Inline fingerprints: what a translation of a segment must keep, computed from markdown-it-py tokens."""

from __future__ import annotations

from l10n.document.inline import fingerprint, mask_front_matter, prose, reference_labels


def test_fingerprint_records_every_kind_of_inline_markup() -> None:
    text = (
        'Voir [le guide](/guide "Titre") et ![un schéma](/img/schema.png "Légende"), `make test`, '
        "une note[^1], "
        "*un peu*, **beaucoup**, ~~pas du tout~~, <kbd>Ctrl</kbd> et <https://example.org/doc>."
    )
    print_ = fingerprint(text)
    assert print_.links == (("/guide", "Titre"),)
    assert print_.images == (("/img/schema.png", "Légende"),)
    assert print_.code == ("make test",)
    assert print_.footnotes == ("1",)
    assert (print_.emphasis, print_.strong, print_.strikethrough) == (1, 1, 1)
    assert print_.html == ("</kbd>", "<kbd>")
    assert print_.autolinks == ("https://example.org/doc",)


def test_word_order_may_change_but_markup_may_not() -> None:
    source = "Lisez [A](/a) puis [B](/b) avec `x`."
    reordered = "Read [B](/b) after [A](/a) with `x`."
    assert fingerprint(source) == fingerprint(reordered)
    assert fingerprint(source) != fingerprint("Read [B](/b) after [A](/changed) with `x`.")


def test_emphasis_style_does_not_matter_only_its_presence() -> None:
    assert fingerprint("un *mot* et un **autre**") == fingerprint("a _word_ and another __one__")
    assert fingerprint("un **mot** important").strong == 1
    assert fingerprint("an important word").strong == 0


def test_reference_links_are_recognised_without_their_definitions() -> None:
    source = "Voir [la doc][doc] et [le site]."
    labels = reference_labels(source)
    assert len(fingerprint(source, labels=labels).links) == 2
    # A translated (renamed) label no longer matches its definition: the link is gone.
    renamed = fingerprint("See [the docs][documentation] and [le site].", labels=labels)
    assert len(renamed.links) == 1


def test_javascript_links_are_seen_not_hidden_as_text() -> None:
    # markdown-it would normally refuse to make this a link; the checks must see it to reject it.
    assert fingerprint("[clic](javascript:alert(1))").links == (("javascript:alert(1)", ""),)


def test_prose_keeps_only_what_a_reader_reads() -> None:
    text = "Le `RGPD` est [expliqué](/rgpd-85) ici : 85 %."
    assert prose(text) == "Le   est expliqué ici : 85 %."


def test_mask_front_matter_keeps_offsets_and_lines() -> None:
    text = "---\ntitle: Bonjour\n---\n# Titre\n"
    masked = mask_front_matter(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert masked.endswith("# Titre\n")
    assert "title" not in masked
    # Not front matter (a setext heading between thematic breaks): left as Markdown.
    assert mask_front_matter("---\nFoo\n---\n") == "---\nFoo\n---\n"
