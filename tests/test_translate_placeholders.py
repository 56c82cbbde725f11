"""Inline Markdown survives machine translation: it goes out as tags and comes back verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.translate.placeholders import (
    EncodeError,
    PlaceholderError,
    decode,
    encode,
    encoded_signature,
    markup_signature,
    verify,
)

SAMPLES = [
    "Un **texte** en *italique* et ~~barré~~.",
    "Voir [la documentation](https://exemple.fr/doc \"Titre\") et ![un chat](../../assets/chat.jpeg).",
    "Le code `print(\"bonjour\")` et <abbr title=\"x\">HTML</abbr> brut.",
    "Une note[^1] et une autre[^note-longue].",
    "Un lien [complet][ref], un [raccourci] et un [replié][].",
    "Une adresse <https://exemple.fr> et une nue https://exemple.fr/page?x=1.",
    "***Très*** __fort__ et _léger_ avec \\*échappé\\* et &amp; entité.",
    "Première ligne\nseconde ligne après un saut.",
    "[*Lien* en **gras**](https://exemple.fr) puis `code` final",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_an_untouched_draft_decodes_to_the_source_byte_for_byte(text: str) -> None:
    encoded = encode(text)
    assert decode(encoded, encoded.text) == text
    assert verify(text, text) == []


def test_what_an_engine_could_damage_is_hidden_from_it() -> None:
    text = "Lancez `pip install l10n`, lisez <https://a.fr>, https://b.fr/x, <b>gras</b> et la note[^1]."
    sent = encode(text).text
    for fragile in ("pip install", "https://", "<b>", "[^1]"):
        assert fragile not in sent
    assert "Lancez" in sent and "gras" in sent  # the words are still there to translate


def test_bare_domains_a_linkifier_would_link_go_out_atomic() -> None:
    # An engine that accents or spaces out "mes-aides.gouv.fr" would make its draft a new, unknown host.
    encoded = encode("Voir [mes-aides.gouv.fr/stats](https://mes-aides.gouv.fr/stats) et example.com. Fin.")
    assert "gouv" not in encoded.text and "example" not in encoded.text
    assert encoded.text.endswith(". Fin.")
    assert "1.2.3" in encode("La version 1.2.3 lit config.yml.").text  # not domains: translated as text


def test_link_text_and_alt_text_are_translated_but_destinations_are_not() -> None:
    encoded = encode("Lisez [le guide](https://exemple.fr/guide) et ![le schéma](schema.png).")
    assert encoded.text == "Lisez <g1>le guide</g1> et <g2>le schéma</g2>."
    draft = "Read <g1>the guide</g1> and <g2>the diagram</g2>."
    assert decode(encoded, draft) == "Read [the guide](https://exemple.fr/guide) and ![the diagram](schema.png)."


def test_an_engine_may_reorder_tags_and_move_spaces_into_emphasis() -> None:
    encoded = encode("Le chat **noir** et `x` dort.")
    assert encoded.text == "Le chat <g1>noir</g1> et <x2/> dort."
    assert decode(encoded, "<x2/> and the <G1> black </g1> cat sleep.") == "`x` and the  **black**  cat sleep."
    assert decode(encoded, "The < g1 >black</ g1> cat <x2 /> sleeps.") == "The **black** cat `x` sleeps."
    assert decode(encoded, "The <g1>black</g1> cat <x2></x2> sleeps.") == "The **black** cat `x` sleeps."


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        ("The black cat sleeps.", "missing"),
        ("The <g1>black</g1> cat <x2/> and <x2/>.", "repeated"),
        ("The <g1>black</g1> <x2/> <x3/>.", "unknown"),
        ("The <g1>black <x2/>.", "not closed"),
        ("The </g1>black<g1> <x2/>.", "badly nested"),
    ],
)
def test_a_draft_with_broken_placeholders_is_rejected(draft: str, message: str) -> None:
    encoded = encode("Le chat **noir** et `x`.")
    with pytest.raises(PlaceholderError, match=message):
        decode(encoded, draft)


def test_verification_sees_markup_that_changed_in_the_translation() -> None:
    source = "Voir [la page](https://a.fr) et *ceci*."
    assert verify(source, "See [the page](https://a.fr) and *this*.") == []
    assert verify(source, "See [the page](https://evil.example) and *this*.")  # destination changed
    assert verify(source, "See [the page](https://a.fr) and this.")  # emphasis lost
    assert verify(source, "See [the page](https://a.fr) and *this* <script>x</script>.")  # HTML added
    assert verify(source, "See [the page](https://a.fr) and *this* https://b.example.")  # URL added
    assert verify("__gras__ ici", "__bold__s here")  # underscores do not close inside a word


def test_glossary_terms_go_out_protected_and_come_back_as_required() -> None:
    terms = [("RGPD", "GDPR"), ("IBM Watson", "IBM Watson"), ("apprentissage automatique", "machine learning")]
    text = "Le RGPD et IBM Watson. Apprentissage automatique et RGPDX."
    encoded = encode(text, terms=terms)
    assert "RGPD " not in encoded.text and "IBM" not in encoded.text and "pprentissage" not in encoded.text
    assert "RGPDX" in encoded.text  # whole words only
    draft = encoded.text.replace("Le ", "The ").replace(" et ", " and ")
    assert decode(encoded, draft).startswith("The GDPR and IBM Watson. machine learning and RGPDX")


def test_reference_labels_are_kept_and_other_brackets_are_text_when_the_labels_are_known() -> None:
    text = "Un [raccourci] et un [texte][ref] et [entre crochets]."
    encoded = encode(text, reference_labels={"raccourci", "ref"})
    assert "raccourci" not in encoded.text  # a shortcut reference's text is its label: never translated
    assert "texte" in encoded.text and "entre crochets" in encoded.text
    unknown = encode(text)  # labels unknown: every bracketed label is protected
    assert "entre crochets" not in unknown.text


def test_a_msgid_of_only_markup_needs_no_translation() -> None:
    assert not encode("`code` https://exemple.fr").needs_translation
    assert encode("Un mot").needs_translation


SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "commonmark" / "spec-0.31.2-examples.json"


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/data (CommonMark examples) is not available")
def test_every_commonmark_example_paragraph_round_trips() -> None:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    texts = [
        token.content
        for example in json.loads(SPEC.read_text(encoding="utf-8"))
        for token in md.parse(example["markdown"])
        if token.type == "inline" and "\r" not in token.content and "\0" not in token.content
    ]
    assert len(texts) > 500
    for text in texts:
        encoded = encode(text)
        assert decode(encoded, encoded.text) == text, text


def test_edge_whitespace_is_not_sent_and_comes_back_as_in_the_source() -> None:
    text = "Une description en bloc\nsur deux lignes.\n"  # a YAML literal block scalar keeps its final newline
    encoded = encode(text)
    assert encoded.text == "Une description en bloc<x1/>sur deux lignes."
    assert decode(encoded, " A block description<x1/> on two lines. ") == "A block description\n on two lines.\n"
    assert verify(text, "A block description\n on two lines.\n") == []


FRAGMENTS = [
    "mot", " ", "é", "*", "**", "_", "__", "~~", "`", "``", "[", "]", "(", ")", "<", ">", "!", "\\", "&amp;",
    "[^1]", "https://a.fr/x", "<b>", "</b>", "\n", "![", "](u)", '"t"', ":",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join))
def test_any_inline_markdown_round_trips_or_is_refused(text: str) -> None:
    try:
        encoded = encode(text)
    except EncodeError:
        return  # refused: the entry is reported and not sent, never garbled
    assert decode(encoded, encoded.text) == text
    assert verify(text, text) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*FRAGMENTS, "mot clé", "Mot", "a.fr"]), max_size=14).map("".join))
def test_the_markup_read_while_encoding_is_the_markup_verification_reads(text: str) -> None:
    # Drafts are verified against the signature kept from encoding the msgid (glossary terms and all), not a
    # second parse of it: the two must agree, or a draft could pass with markup the source does not have.
    terms = [("mot", "word"), ("mot clé", "keyword"), ("a.fr", "a.fr")]
    try:
        encoded = encode(text, terms=terms)
    except EncodeError:
        return
    assert encoded_signature(encoded) == markup_signature(text)
    broken = text + " <b>x</b> [y](https://evil.example)"
    assert verify(text, broken, expected=encoded_signature(encoded)) == verify(text, broken)
