"""Front matter: detection, location of the configured values, and in-place substitution of translations.

The acid test throughout: after substituting a translation, a YAML (TOML, JSON) reader gets exactly the
translation for that key and every other key unchanged, in the same order; the untranslated value gives the
source back byte for byte.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n.document.frontmatter import FrontMatter, FrontMatterField, parse_front_matter, render_value
from l10n.document.frontmatter.blocks import find_block
from l10n.document.frontmatter.keys import KeyPattern
from l10n.document.segments import FrontMatterError

SHARED = Path(__file__).resolve().parents[2] / "shared"
LOCAL_DATA = Path(__file__).resolve().parent / "data"
KEYS = ("title", "description", "tags[]")


# ---------------------------------------------------------------------------------------------------------
# helpers


def parse(text: str, keys: tuple[str, ...] = KEYS) -> FrontMatter:
    front_matter = parse_front_matter(text, keys)
    assert front_matter is not None
    return front_matter


def substitute(text: str, front_matter: FrontMatter, translate: Any) -> str:
    """Apply render_value to every field, as render does (from the end, so offsets stay valid)."""
    out = text
    for field in sorted(front_matter.fields, key=lambda field: field.start, reverse=True):
        translation = translate(field) if callable(translate) else translate
        out = out[: field.start] + render_value(field, translation, text) + out[field.end :]
    return out


def load(text: str) -> Any:
    front_matter = parse_front_matter(text, ())
    assert front_matter is not None
    content = text[front_matter.content_start : front_matter.content_end]
    if front_matter.format == "yaml":
        return yaml.safe_load(content) or {}
    if front_matter.format == "toml":
        return tomllib.loads(content)
    return json.loads(content)


def leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every leaf with its path, in document order: equal lists mean equal values in the same order."""
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in leaves(value, (*path, key))]
    if isinstance(data, list):
        return [leaf for index, value in enumerate(data) for leaf in leaves(value, (*path, index))]
    return [(path, data)]


def assert_only_changed(before: str, after: str, changed: dict[tuple[Any, ...], str]) -> None:
    """``after`` reads like ``before`` except at the paths of ``changed``, which hold the given values."""
    old, new = dict(leaves(load(before))), leaves(load(after))
    assert [path for path, _ in new] == list(old)
    for path, value in new:
        assert repr(value) == repr(changed.get(path, old[path])), path  # repr: nan is nan, 1 is not True
    front_before, front_after = parse(before, ()), parse(after, ())
    assert after[front_after.end :] == before[front_before.end :]


def translate_one(text: str, key: str, translation: str, keys: tuple[str, ...] = KEYS) -> str:
    front_matter = parse(text, keys)
    (field,) = [field for field in front_matter.fields if field.key == key]
    return text[: field.start] + render_value(field, translation, text) + text[field.end :]


def field_of(text: str, key: str, keys: tuple[str, ...] = KEYS) -> FrontMatterField:
    (field,) = [field for field in parse(text, keys).fields if field.key == key]
    return field


def chomped(translation: str, chomping: str) -> str:
    """What a block scalar with this chomping indicator reads back as (YAML spec 8.1.1.2)."""
    content = translation.rstrip("\n")
    if chomping == "-":
        return content
    if chomping == "+":
        return content + "\n" * max(1, len(translation) - len(content))
    return content + "\n"


# ---------------------------------------------------------------------------------------------------------
# detection


def test_yaml_front_matter_is_located_with_its_fields_in_source_order() -> None:
    text = (
        "---\n"
        "tags: [IA, Santé]\n"
        'title: "L\'IA : une révolution"\n'
        "date: 2024-03-25\n"
        "description: Comment l'IA change la médecine\n"
        "---\n"
        "# Corps\n"
    )
    front_matter = parse(text)
    assert front_matter.format == "yaml"
    assert text[front_matter.end :] == "# Corps\n"
    assert list(front_matter.data) == ["tags", "title", "date", "description"]
    assert [(f.key, f.value, f.line, f.style) for f in front_matter.fields] == [
        ("tags[]", "IA", 2, "plain"),
        ("tags[]", "Santé", 2, "plain"),
        ("title", "L'IA : une révolution", 3, "double"),
        ("description", "Comment l'IA change la médecine", 5, "plain"),
    ]
    title = front_matter.fields[2]
    assert text[title.start : title.end] == '"L\'IA : une révolution"'


@pytest.mark.parametrize(
    "text",
    [
        "# Titre\n\n---\ntitle: x\n---\n",
        "---\nFoo\n---\nBar\n---\nBaz\n",  # CommonMark example 96: a setext heading between thematic breaks
        "---\n\nUn paragraphe qui suit une ligne horizontale.\n\nEt un autre.\n\n---\n\nFin.\n",
        "---\n- un\n- deux\n---\n",  # a list, not a mapping
        "---\nRemarque : jamais fermé, et de la prose.\n\nTexte.\n",  # a thematic break, then prose
        "---\n@quelqu'un a écrit\n---\n",  # not YAML at all, and not written as a mapping
        "--- title: x\n---\n",
        "+++\n",  # CommonMark example 44
        "{\n",
    ],
)
def test_a_block_that_is_not_a_mapping_is_markdown(text: str) -> None:
    assert parse_front_matter(text, KEYS) is None


def test_empty_or_comment_only_front_matter_is_front_matter_without_fields() -> None:
    for text in ("---\n---\nTexte\n", "---\n# rien\n\n---\nTexte\n"):
        front_matter = parse(text)
        assert (front_matter.data, front_matter.fields) == ({}, ())
        assert text[front_matter.end :] == "Texte\n"


def test_delimiters_may_have_trailing_spaces_and_close_with_dots() -> None:
    text = "--- \ntitle:      Bonjour \n...\t\nCorps"
    front_matter = parse(text)
    assert text[front_matter.end :] == "Corps"
    assert front_matter.fields[0].value == "Bonjour"


def test_front_matter_at_end_of_file_without_final_newline() -> None:
    text = "---\ntitle: Seul\n---"
    front_matter = parse(text)
    assert front_matter.end == len(text)
    assert translate_one(text, "title", "Alone") == "---\ntitle: Alone\n---"


def test_bom_offsets_count_the_bom() -> None:
    text = "\ufeff---\ntitle: Bonjour\n---\nCorps\n"
    front_matter = parse(text)
    (field,) = front_matter.fields
    assert text[field.start : field.end] == "Bonjour"
    assert field.line == 2
    out = translate_one(text, "title", "Hello: world")
    assert out == '\ufeff---\ntitle: "Hello: world"\n---\nCorps\n'


def test_crlf_and_mixed_line_endings_are_kept() -> None:
    text = "---\r\ntitle: Bonjour\r\ndescription: |\r\n  Ligne un\r\n  Ligne deux\r\nauthor: x\n---\r\nCorps\r\n"
    front_matter = parse(text)
    title, description = front_matter.fields
    assert (title.line, description.line) == (2, 3)
    assert text[front_matter.end :] == "Corps\r\n"
    out = substitute(text, front_matter, lambda f: {"title": "Hello"}.get(f.key, "Line one\nLine two\n"))
    assert out == ("---\r\ntitle: Hello\r\ndescription: |\r\n  Line one\r\n  Line two\r\nauthor: x\n---\r\nCorps\r\n")
    assert_only_changed(text, out, {("title",): "Hello", ("description",): "Line one\nLine two\n"})


def test_lone_carriage_returns_end_lines_too() -> None:
    text = "---\rtitle: Bonjour\rdescription: Salut\r---\rCorps"
    front_matter = parse(text)
    assert [field.line for field in front_matter.fields] == [2, 3]
    assert text[front_matter.end :] == "Corps"


# ---------------------------------------------------------------------------------------------------------
# malformed front matter


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('---\ntitle: "pas fermé\ndate: 2024-01-01\n---\n', 2),  # found at the end, reported where it opened
        ("---\ntitle: Bonjour\ndescription: a: b\n---\n", 3),
        ("---\ntitle: Bonjour\n\tdescription: tabulation\n---\n", 3),
        ("---\ntitle: Bonjour\n  description: mal indentée\n---\n", 3),
        ("---\ntitle: Bonjour\ntags: [a, b\n---\n", 3),
        ("\ufeff---\r\ntitle: ok\r\ndescription: a: b\r\n---\r\n", 3),
        ("---\ntitle: Bonjour\ndate: 2024-02-30\n---\n", 3),  # well-formed, but no such date
        ("---\ntitle: Bonjour\nbad: \x07\n---\n", 3),
        ("+++\ntitle = 'ok'\ndescription = \n+++\n", 3),
        ('+++\ntitle = "x"\ntitle = "y"\n+++\n', 3),
        ('{\n"title": "x",\n"description": oops\n}\n', 3),
    ],
)
def test_malformed_front_matter_names_its_line_in_the_whole_text(text: str, line: int) -> None:
    with pytest.raises(FrontMatterError) as caught:
        parse_front_matter(text, KEYS)
    assert caught.value.line == line
    assert "\n" not in str(caught.value)


# ---------------------------------------------------------------------------------------------------------
# key paths


NESTED = """---
title: Titre
seo:
  title: Titre SEO
  description: >-
    Une description
    repliée
  robots: index
tags:
  - un
  - 2024
  - ""
  - deux
categories: [a, b]
authors:
  - name: Alice
    role: autrice
  - name: Bob
date: 2024-01-01
draft: false
count: 3
nothing: null
empty: ''
solo: seul
---
"""


def test_dotted_paths_list_items_and_lists_of_mappings() -> None:
    keys = ("seo.title", "seo.description", "tags[]", "authors[].name", "solo[]", "categories", "date")
    front_matter = parse(NESTED, keys)
    assert [(f.key, f.path, f.value) for f in front_matter.fields] == [
        ("seo.title", ("seo", "title"), "Titre SEO"),
        ("seo.description", ("seo", "description"), "Une description repliée"),
        ("tags[]", ("tags", 0), "un"),
        ("tags[]", ("tags", 3), "deux"),  # 2024 is a number and "" has nothing to translate
        ("authors[].name", ("authors", 0, "name"), "Alice"),
        ("authors[].name", ("authors", 1, "name"), "Bob"),
        ("solo[]", ("solo",), "seul"),  # a lone string where a list is expected is its one item
    ]  # "categories" names a list, not a string; dates are not strings
    out = substitute(NESTED, front_matter, lambda field: field.value.upper() + " : #1")
    assert_only_changed(NESTED, out, {field.path: field.value.upper() + " : #1" for field in front_matter.fields})


def test_non_string_values_and_missing_keys_are_not_fields() -> None:
    keys = ("date", "draft", "count", "nothing", "empty", "missing", "seo.missing", "title.sub", "tags")
    assert parse(NESTED, keys).fields == ()


def test_a_key_path_with_empty_part_is_refused() -> None:
    with pytest.raises(ValueError, match="key path"):
        parse_front_matter(NESTED, ("seo..title",))


def test_duplicate_keys_are_bad_input() -> None:
    # Issue 16: PyYAML keeps the last of two keys silently; a translator would never see the first.
    with pytest.raises(FrontMatterError, match=r"duplicate key 'title' \(first on line 2\)") as raised:
        parse("---\ntitle: Premier\ntitle: Second\n---\n")
    assert raised.value.line == 3


def test_aliases_are_not_translated_twice_and_anchors_keep_their_properties() -> None:
    text = "---\ntitle: &t !!str Bonjour\ndescription: *t\n---\n"
    front_matter = parse(text)
    (field,) = front_matter.fields  # the alias is the same node: one segment, at the anchor
    assert text[field.start : field.end] == "Bonjour"
    out = translate_one(text, "title", "Hello: there")
    assert out == '---\ntitle: &t !!str "Hello: there"\ndescription: *t\n---\n'
    assert load(out) == {"title": "Hello: there", "description": "Hello: there"}


# ---------------------------------------------------------------------------------------------------------
# YAML flow scalars


PLAIN_STAYS_PLAIN = [
    "Hello world",
    "L'IA en médecine",  # a quote inside is fine
    'Un "mot" cité',
    "Pourquoi ?",
    "ok:fine",
    "C#, F# et Python",
    "Café, thé",
    "a-b",
    "100 % bio",
    "Version 2",
    "«\u00a0Guillemets\u00a0»",
]
PLAIN_NEEDS_QUOTES = [
    "Note: important",
    "Fin:",
    "a #hashtag",
    "- puce",
    "-",
    "? question",
    ":deux-points",
    "'apostrophe",
    '"guillemets"',
    "\\antislash",
    "[lien]",
    "]",
    "{objet}",
    "&ancre",
    "*étoile",
    "!important",
    "|barre",
    ">chevron",
    "%pourcent",
    "@arobase",
    "`code`",
    "#titre",
    ",virgule",
    " espace devant",
    "espace derrière ",
    "tab\tulation",
    "...suite",
    "yes",
    "No",
    "on",
    "null",
    "~",
    "true",
    "1.5",
    "42",
    "0x1F",
    "1_000",
    "1:20",
    ".inf",
    ".NaN",
    "2024-01-01",
    "2024-01-01 10:00:00",
    "=",
    "<<",
    "y",
    "deux\nlignes",
    "retour\rchariot",
    "sép\u2028ligne",
    "nul\x00",
    "cloche\x07",
    "\ufeffbom",
]


@pytest.mark.parametrize("translation", PLAIN_STAYS_PLAIN)
def test_plain_scalar_stays_plain_when_safe(translation: str) -> None:
    text = "---\ntitle: Bonjour  # un commentaire\nother: 1\n---\n"
    out = translate_one(text, "title", translation)
    assert out == f"---\ntitle: {translation}  # un commentaire\nother: 1\n---\n"
    assert_only_changed(text, out, {("title",): translation})


@pytest.mark.parametrize("translation", PLAIN_NEEDS_QUOTES)
def test_plain_scalar_switches_to_double_quotes_when_needed(translation: str) -> None:
    text = "---\ntitle: Bonjour  # un commentaire\nother: 1\n---\n"
    out = translate_one(text, "title", translation)
    written = out.split("title: ", 1)[1].split("  # un commentaire")[0]
    assert written.startswith('"') and written.endswith('"')
    assert_only_changed(text, out, {("title",): translation})


@pytest.mark.parametrize(
    ("translation", "written"),
    [
        ("Hello", "Hello"),
        ("Pourquoi ?", '"Pourquoi ?"'),
        ("a, b", '"a, b"'),
        ("a[b]", '"a[b]"'),
        ("x:y", '"x:y"'),
        ("{x}", '"{x}"'),
    ],
)
def test_plain_scalar_in_a_flow_sequence_follows_flow_rules(translation: str, written: str) -> None:
    text = "---\ntags: [Santé, IA]\n---\n"
    field = parse(text).fields[0]
    assert field.flow
    assert render_value(field, translation, text) == written
    assert_only_changed(text, text[: field.start] + written + text[field.end :], {("tags", 0): translation})


@pytest.mark.parametrize(
    ("translation", "written"),
    [
        ("It's here", "'It''s here'"),
        ('Say "hi": # now', "'Say \"hi\": # now'"),
        ("  spaces  ", "'  spaces  '"),
        ("two\nlines", '"two\\nlines"'),
    ],
)
def test_single_quoted_doubles_its_quotes(translation: str, written: str) -> None:
    text = "---\ntitle: 'L''été'\n---\n"
    assert translate_one(text, "title", translation) == f"---\ntitle: {written}\n---\n"
    assert_only_changed(text, translate_one(text, "title", translation), {("title",): translation})


@pytest.mark.parametrize(
    ("translation", "written"),
    [
        ('A "quoted" word', '"A \\"quoted\\" word"'),
        ("C:\\path", '"C:\\\\path"'),
        ("tab\there", '"tab\\there"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("bell\x07 and \x9b", '"bell\\a and \\x9B"'),
        ("sep\u2028arator\u2029", '"sep\\Larator\\P"'),
        ("Émoji 🎉 and «\u202fnbsp\u202f»", '"Émoji 🎉 and «\u202fnbsp\u202f»"'),
    ],
)
def test_double_quoted_escapes_quotes_backslashes_and_control_characters(translation: str, written: str) -> None:
    text = '---\ntitle: "Un \\"titre\\""\n---\n'
    out = translate_one(text, "title", translation)
    assert out == f"---\ntitle: {written}\n---\n"
    assert_only_changed(text, out, {("title",): translation})


def test_multi_line_flow_scalars_are_rewritten_on_one_line() -> None:
    text = '---\ntitle: Un titre\n  sur deux lignes\ndescription: "Une description\n  en deux"\nother: x\n---\n'
    assert [field.value for field in parse(text).fields] == ["Un titre sur deux lignes", "Une description en deux"]
    out = substitute(text, parse(text), lambda field: field.value.upper())
    assert out == '---\ntitle: UN TITRE SUR DEUX LIGNES\ndescription: "UNE DESCRIPTION EN DEUX"\nother: x\n---\n'


def test_comments_dates_and_untranslated_keys_stay_byte_identical() -> None:
    text = (
        "---\n"
        "# Métadonnées de l'article\n"
        "date: 2011-05-26 20:00:00 +02:00   # publication\n"
        "updated: 2024-03-25T10:00:00Z\n"
        "title:      Bonjour le monde    # titre\n"
        "lang: fr\n"
        "pubDate: '2024-03-25'\n"
        "tags:\n"
        "  - IA   # premier\n"
        "  # un commentaire entre deux\n"
        "  - Santé\n"
        "---\n"
    )
    out = substitute(text, parse(text), lambda field: field.value + " (en)")
    assert out == (
        "---\n"
        "# Métadonnées de l'article\n"
        "date: 2011-05-26 20:00:00 +02:00   # publication\n"
        "updated: 2024-03-25T10:00:00Z\n"
        "title:      Bonjour le monde (en)    # titre\n"
        "lang: fr\n"
        "pubDate: '2024-03-25'\n"
        "tags:\n"
        "  - IA (en)   # premier\n"
        "  # un commentaire entre deux\n"
        "  - Santé (en)\n"
        "---\n"
    )


def test_identity_gives_the_source_bytes_even_for_unusual_spellings() -> None:
    text = '---\ntitle: "\\u00e9t\\xE9 \\/ x"\ndescription: >\n  a\n  b\n\n\ntags: [ "x" ,y ]\n---\n'
    front_matter = parse(text)
    assert [field.value for field in front_matter.fields] == ["été / x", "a b\n", "x", "y"]
    assert substitute(text, front_matter, lambda field: field.value) == text


# ---------------------------------------------------------------------------------------------------------
# YAML block scalars


@pytest.mark.parametrize(
    ("header", "body", "translation", "expected"),
    [
        ("|", "  Ligne un\n  Ligne deux\n", "Line one\nLine two\n", "|\n  Line one\n  Line two\n"),
        ("|-", "  Ligne un\n  Ligne deux\n", "Line one\nLine two", "|-\n  Line one\n  Line two\n"),
        ("|+", "  Ligne\n\n", "Line\n\n\n", "|+\n  Line\n\n\n"),
        ("|+", "  Ligne\n\n\n", "Line\n", "|+\n  Line\n"),
        ("|2", "    indentée\n  normale\n", "  indented\nnormal\n", "|2\n    indented\n  normal\n"),
        ("|-  # commentaire", "    Ligne\n", "Line", "|-  # commentaire\n    Line\n"),
        (">", "  Un texte replié\n", "A folded text\n", ">\n  A folded text\n"),
        (">-", "  Un\n\n  Deux\n", "One\nTwo", ">-\n  One\n\n  Two\n"),
        (">+", "  Un\n\n", "One\n\n", ">+\n  One\n\n"),
        (">", "  Un\n", "One\n  indented\nback\n", ">\n  One\n    indented\n  back\n"),
        ("|", "  Un\n", " leading space\n", "|2\n   leading space\n"),
        ("|", "  Un\n", "\n\nafter blank lines\n", "|\n\n\n  after blank lines\n"),
    ],
)
def test_block_scalars_keep_header_and_indentation(header: str, body: str, translation: str, expected: str) -> None:
    text = f"---\ndescription: {header}\n{body}next: 1\n---\n"
    out = translate_one(text, "description", translation)
    assert out == f"---\ndescription: {expected}next: 1\n---\n"
    assert_only_changed(text, out, {("description",): chomped(translation, header[1:2] if header[1:2] in "+-" else "")})


def test_block_scalar_chomping_decides_the_trailing_line_breaks() -> None:
    for header, translation, value in [
        ("|", "Line", "Line\n"),
        ("|", "Line\n\n\n", "Line\n"),
        ("|-", "Line\n", "Line"),
        ("|+", "Line", "Line\n"),
        ("|+", "Line\n\n", "Line\n\n"),
    ]:
        text = f"---\ndescription: {header}\n  Ligne\n\ntitle: x\n---\n"
        out = translate_one(text, "description", translation)
        assert load(out) == {"description": value, "title": "x"}, (header, translation)


def test_block_scalar_in_a_sequence_and_nested_mapping() -> None:
    text = (
        "---\n"
        "seo:\n"
        "    description: |2-\n"
        "        code-like\n"
        "      text\n"
        "tags:\n"
        "- >\n"
        "  replié\n"
        "  ici\n"
        "- |1\n"
        "   un\n"
        "---\n"
    )
    front_matter = parse(text, ("seo.description", "tags[]"))
    assert [field.value for field in front_matter.fields] == ["  code-like\ntext", "replié ici\n", "  un\n"]
    out = substitute(text, front_matter, lambda field: " x: #\n  y\nz\n")
    assert_only_changed(
        text,
        out,
        {
            ("seo", "description"): " x: #\n  y\nz",
            ("tags", 0): " x: #\n  y\nz\n",
            ("tags", 1): " x: #\n  y\nz\n",
        },
    )


def test_folded_translation_is_wrapped_like_the_source() -> None:
    text = "---\ndescription: >\n  Une description assez longue\n  pour être repliée.\nnext: 1\n---\n"
    translation = "A description long enough to be folded over several lines like the source one.\n"
    out = translate_one(text, "description", translation)
    body = out.split("description: >\n")[1].split("next:")[0].splitlines()
    assert len(body) > 2
    assert all(line.startswith("  ") and len(line) <= 2 + 30 for line in body)
    assert_only_changed(text, out, {("description",): translation})


def test_block_scalar_falls_back_to_double_quotes_for_unwritable_text() -> None:
    text = "---\ndescription: |\n  Ligne\nnext: 1\n---\n"
    for translation in ("carriage\rreturn\n", "bell\x07\n", "\n\n"):
        out = translate_one(text, "description", translation)
        assert out.startswith('---\ndescription: "'), translation
        assert load(out)["description"] == translation


# ---------------------------------------------------------------------------------------------------------
# property tests: any translation reads back exactly, in every style and context

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
texts = st.text(min_size=1, max_size=60).filter(lambda value: value != "")
prose = st.text(alphabet=st.sampled_from(list("abcdeé ÀZ:#'\"\\-?[]{},&*!|>%@`.\t\n\u00a0«»")), min_size=1, max_size=40)
translations = st.one_of(texts, prose)

FLOW_CONTEXTS = {
    "plain": "---\ntitle: Bonjour\nx: 1\n---\n",
    "plain in flow": "---\ntitle: [Bonjour, 2]\nx: 1\n---\n",
    "plain in flow mapping": "---\ntitle: {a: Bonjour, b: 2}\nx: 1\n---\n",
    "single": "---\ntitle: 'Bonjour'   # c\nx: 1\n---\n",
    "double": '---\ntitle: "Bonjour"\nx: 1\n---\n',
    "sequence item": "---\ntitle:\n  - Bonjour\n  - 2\nx: 1\n---\n",
    "nested": "---\nseo:\n  title: Bonjour\n  x: 1\n---\n",
}


@pytest.mark.parametrize("context", FLOW_CONTEXTS)
@SETTINGS
@given(translation=translations)
def test_any_translation_reads_back_in_flow_styles(context: str, translation: str) -> None:
    text = FLOW_CONTEXTS[context]
    front_matter = parse(text, ("title", "title[]", "title.a", "seo.title"))
    (field,) = front_matter.fields
    out = text[: field.start] + render_value(field, translation, text) + text[field.end :]
    assert_only_changed(text, out, {field.path: translation})


BLOCK_HEADERS = ["|", "|-", "|+", ">", ">-", ">+", "|2", ">1-", "|-  # c"]


@pytest.mark.parametrize("header", BLOCK_HEADERS)
@SETTINGS
@given(translation=translations)
def test_any_translation_reads_back_in_block_styles(header: str, translation: str) -> None:
    text = f"---\nseo:\n  description: {header}\n     Une ligne\n     Deux\n\n  x: 1\n---\n"
    (field,) = parse(text, ("seo.description",)).fields
    out = text[: field.start] + render_value(field, translation, text) + text[field.end :]
    chomping = next((ch for ch in header[1:3] if ch in "+-"), "")
    # A translation a block scalar cannot hold is written in double quotes, exactly.
    expected = chomped(translation, chomping) if out[field.start] == header[0] else translation
    assert_only_changed(text, out, {("seo", "description"): expected})


# ---------------------------------------------------------------------------------------------------------
# TOML

TOML = '''+++
title = "Bonjour \\"monde\\""
description = 'Littérale'
date = 2024-01-01T10:00:00+02:00
tags = [ "un", 'deux', 3 ]   # commentaire
summary = """
Sur plusieurs
lignes"""
notes = \'\'\'
brut\'\'\'

[seo]
title = "SEO"   # c
"quoted.key" = "q"
authors.name = "Nom"

[[authors]]
name = "Alice"

[[authors]]
name = "Bob"
links = { site = "https://b.example", label = "Site de Bob" }
+++
Corps
'''
TOML_KEYS = ("title", "description", "tags[]", "summary", "notes", "seo.title", "authors[].name")
TOML_KEYS += ("authors[].links.label", "seo.authors.name")


def test_toml_front_matter_fields() -> None:
    front_matter = parse(TOML, TOML_KEYS)
    assert front_matter.format == "toml"
    assert TOML[front_matter.end :] == "Corps\n"
    assert [(field.key, field.path, field.value, field.style) for field in front_matter.fields] == [
        ("title", ("title",), 'Bonjour "monde"', "basic"),
        ("description", ("description",), "Littérale", "literal"),
        ("tags[]", ("tags", 0), "un", "basic"),
        ("tags[]", ("tags", 1), "deux", "literal"),
        ("summary", ("summary",), "Sur plusieurs\nlignes", "ml-basic"),
        ("notes", ("notes",), "brut", "ml-literal"),
        ("seo.title", ("seo", "title"), "SEO", "basic"),
        ("seo.authors.name", ("seo", "authors", "name"), "Nom", "basic"),
        ("authors[].name", ("authors", 0, "name"), "Alice", "basic"),
        ("authors[].name", ("authors", 1, "name"), "Bob", "basic"),
        ("authors[].links.label", ("authors", 1, "links", "label"), "Site de Bob", "basic"),
    ]
    assert [field.line for field in front_matter.fields][:6] == [2, 3, 5, 5, 6, 9]


@pytest.mark.parametrize(
    ("key", "translation", "written"),
    [
        ("description", "Literal", "'Literal'"),
        ("description", "It's", '"It\'s"'),
        ("title", 'Say "hi" \\o/', '"Say \\"hi\\" \\\\o/"'),
        ("title", "tab\tand\x01", '"tab\\tand\\u0001"'),
        ("summary", "On several\nlines", '"""\nOn several\nlines"""'),
        ("notes", "raw\n'''quotes", '"""\nraw\n\'\'\'quotes"""'),
        ("notes", "raw\\n", "'''\nraw\\n'''"),
    ],
)
def test_toml_values_are_requoted(key: str, translation: str, written: str) -> None:
    out = translate_one(TOML, key, translation, TOML_KEYS)
    field = field_of(TOML, key, TOML_KEYS)
    assert out[field.start : field.start + len(written)] == written
    assert_only_changed(TOML, out, {field.path: translation})


@pytest.mark.parametrize("key", ["title", "description", "summary", "notes", "authors[].links.label"])
@SETTINGS
@given(translation=translations)
def test_any_translation_reads_back_in_toml(key: str, translation: str) -> None:
    field = field_of(TOML, key, TOML_KEYS)
    out = TOML[: field.start] + render_value(field, translation, TOML) + TOML[field.end :]
    assert_only_changed(TOML, out, {field.path: translation})


def test_toml_syntax_variants_are_scanned() -> None:
    text = """+++
# commentaire
"title" = "Titre"   # c
tags = [
  "un", # premier
  'deux',
  [ "imbriqué" ],
  { name = "dans une table", x = [1, 2] },
]
[ seo . "meta" ]
description = \"\"\"Une "description" avec \\\"\"\" dedans\"\"\"
date = 1979-05-27 07:32:00Z
numbers = [ 1.5, -3, inf, nan, 0x1F ]
[[ authors ]]
name = 'Alice'
[authors.social]
name = "réseau"
[[authors]]
name = "Bob"
[[authors.books]]
name = "Livre"
+++
"""
    keys = ("title", "tags[]", "tags[].name", "seo.meta.description", "authors[].name", "authors[].social.name")
    front_matter = parse(text, (*keys, "authors[].books[].name"))
    assert [(field.path, field.value) for field in front_matter.fields] == [
        (("title",), "Titre"),
        (("tags", 0), "un"),
        (("tags", 1), "deux"),
        (("tags", 3, "name"), "dans une table"),
        (("seo", "meta", "description"), 'Une "description" avec """ dedans'),
        (("authors", 0, "name"), "Alice"),
        (("authors", 0, "social", "name"), "réseau"),
        (("authors", 1, "name"), "Bob"),
        (("authors", 1, "books", 0, "name"), "Livre"),
    ]
    translation = "x \"\"\" ''' \\ \n y"
    out = substitute(text, front_matter, lambda field: field.value + translation)
    assert_only_changed(text, out, {field.path: field.value + translation for field in front_matter.fields})


def test_toml_crlf_multiline_string_keeps_crlf() -> None:
    text = '+++\r\ntitle = """\r\nUn\r\nDeux"""\r\n+++\r\n'
    out = translate_one(text, "title", "One\nTwo\nThree")
    assert out == '+++\r\ntitle = """\r\nOne\r\nTwo\r\nThree"""\r\n+++\r\n'
    assert load(out) == {"title": "One\nTwo\nThree"}


def test_toml_that_is_not_written_as_toml_is_markdown() -> None:
    assert parse_front_matter("+++\nUn paragraphe.\n+++\n", KEYS) is None


# ---------------------------------------------------------------------------------------------------------
# JSON

JSON_TEXT = """{
  "title": "Bonjour \\u00e0 \\"tous\\"",
  "date": "2024-01-01",
  "tags": ["un", 2, "deux"],
  "seo": {"description": "SEO"},
  "draft": false
}
Corps
"""


def test_json_front_matter_fields_and_requoting() -> None:
    keys = ("title", "tags[]", "seo.description")
    front_matter = parse(JSON_TEXT, keys)
    assert front_matter.format == "json"
    assert JSON_TEXT[front_matter.end :] == "Corps\n"
    assert [(field.path, field.value, field.line) for field in front_matter.fields] == [
        (("title",), 'Bonjour à "tous"', 2),
        (("tags", 0), "un", 4),
        (("tags", 2), "deux", 4),
        (("seo", "description"), "SEO", 5),
    ]
    out = substitute(JSON_TEXT, front_matter, lambda field: 'Hé "x" \\ \n' + field.value)
    assert '"title": "Hé \\"x\\" \\\\ \\nBonjour à \\"tous\\""' in out
    assert_only_changed(JSON_TEXT, out, {field.path: 'Hé "x" \\ \n' + field.value for field in front_matter.fields})
    assert substitute(JSON_TEXT, front_matter, lambda field: field.value) == JSON_TEXT


@SETTINGS
@given(translation=translations)
def test_any_translation_reads_back_in_json(translation: str) -> None:
    field = field_of(JSON_TEXT, "title")
    out = JSON_TEXT[: field.start] + render_value(field, translation, JSON_TEXT) + JSON_TEXT[field.end :]
    assert_only_changed(JSON_TEXT, out, {("title",): translation})


# ---------------------------------------------------------------------------------------------------------
# real data: the seed post, the French corpus, the CommonMark examples

CORPUS_KEYS = (
    *KEYS,
    # nested paths present in the corpus (nhoizey, betagouv, astro): they exercise the walk on real files
    "illustration.alt",
    "location.name",
    "phases[].name",
    "events[].name",
    "head[].content",
    "sidebar.label",
)


def _real_files() -> list[Any]:
    """The seed post and the French corpus; without ../shared, the sample kept in tests/data (PROVENANCE.md)."""
    if SHARED.is_dir():
        root = SHARED
        files = [SHARED / "seeds" / "000_75b62f67281b3372.txt"]
        files += sorted(path for path in (SHARED / "data" / "corpus-fr").rglob("*") if path.suffix in (".md", ".mdx"))
    else:
        root = LOCAL_DATA
        files = sorted(path for path in root.glob("*/**/*") if path.suffix in (".md", ".mdx"))
    return [pytest.param(path, id=str(path.relative_to(root))) for path in files]


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def pseudo(field: FrontMatterField) -> str:
    return "«» " + field.value + " : # 'x' \"y\""


@pytest.mark.parametrize("path", _real_files())
def test_real_front_matter_translates_only_its_values(path: Path) -> None:
    text = read(path)
    front_matter = parse_front_matter(text, CORPUS_KEYS)
    if front_matter is None:
        assert not text.lstrip("\ufeff").startswith(("---", "+++")), "front matter not recognised"
        return
    assert substitute(text, front_matter, lambda field: field.value) == text
    out = substitute(text, front_matter, pseudo)
    expected = {}
    for field in front_matter.fields:
        header = text[field.start : field.start + 3]
        chomping = next((ch for ch in header[1:] if ch in "+-"), "") if field.style in ("literal", "folded") else None
        expected[field.path] = pseudo(field) if chomping is None else chomped(pseudo(field), chomping)
    assert_only_changed(text, out, expected)


def _real_fields(folder: str) -> list[FrontMatterField]:
    root = SHARED / "data" / "corpus-fr" / folder
    if not root.is_dir():
        root = LOCAL_DATA / "frontmatter" / folder
    if not root.is_dir():
        pytest.skip(f"{SHARED / 'data' / 'corpus-fr' / folder} not found and no sample kept: not tested")
    found = []
    for path in sorted(root.rglob("*.md*")):
        front_matter = parse_front_matter(read(path), CORPUS_KEYS)
        found += front_matter.fields if front_matter else ()
    return found


def test_real_nested_front_matter_is_reached() -> None:
    fields = _real_fields("betagouv")
    nested = [field for field in fields if len(field.path) > 2]
    assert len(nested) > 50
    assert {field.key for field in nested} >= {"phases[].name"}


def test_real_block_scalar_descriptions_are_fields() -> None:
    fields = _real_fields("astro-fr")
    blocks = [field for field in fields if field.style in ("literal", "folded")]
    assert blocks and all(field.key == "description" and "\n" in field.value for field in blocks)


def test_commonmark_examples_never_raise_and_only_empty_blocks_are_front_matter() -> None:
    spec = SHARED / "data" / "commonmark" / "spec-0.31.2-examples.json"
    if not spec.is_file():
        spec = LOCAL_DATA / "commonmark" / "spec-0.31.2-examples.json"
    examples = json.loads(spec.read_text(encoding="utf-8"))
    found = {example["example"]: parse_front_matter(example["markdown"], KEYS) for example in examples}
    assert {number: fm.data for number, fm in found.items() if fm is not None} == {98: {}}  # "---\n---\n"


# ---------------------------------------------------------------------------------------------------------
# the LibYAML fast path gives what the locating scanner gives

TRICKY_YAML = [
    "---\ntitle: Bonjour\nx: 1\n---\n",
    "---\ntitle: [Bonjour, 'à vous', \"et\\u00e9\"]\n---\n",
    "---\nseo: {title: Bonjour, tags: [a b, c]}\n---\n",
    "---\ntags:\n- un\n- deux\nauthors:\n  - name: Zoé\n    role: autrice\n---\n",
    "---\nitems:\n  - - imbriqué\n    - encore\n  -   title: décalé\n      x: 2\n---\n",
    "---\ntitle: une ligne\n  qui continue\n  encore\ndescription: 'simple\n\n  avec paragraphe'\n---\n",
    '---\r\ntitle: "CRLF é"\r\nnested:\r\n    deep:\r\n        title: profond\r\n---\r\n',
    "\ufeff---\ntitle: après BOM 😀\n---\n",
    "---\n# commentaire\ntitle:    espacé   # fin\n? complex\n: valeur\n---\n",
    "---\ntitle: &ancre Bonjour\nautre: *ancre\n---\n",
    "---\ntitle: !!str 2024\ndescription: |\n  Bloc\n  littéral\n---\n",
    "---\nx: 1\n...\n---\n",
]


def _every_key(data: Any, prefix: str = "") -> list[str]:
    """A configured key path for every leaf of ``data`` (names holding a dot left out)."""
    keys: list[str] = []
    if isinstance(data, dict):
        for name, value in data.items():
            if isinstance(name, str) and "." not in name and name:
                keys += _every_key(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(data, list):
        for value in data:
            keys += _every_key(value, prefix + "[]")
    elif prefix:
        keys.append(prefix)
    return sorted(set(keys))


def _both_paths(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    from l10n.document.frontmatter import yaml_values

    with monkeypatch.context() as patch:
        patch.setattr(yaml_values, "_LIBYAML_LOADER", None)
        try:
            slow = parse_front_matter(text, ())
            keys = tuple(_every_key(slow.data)) if slow else ()
            slow = parse_front_matter(text, keys)
        except FrontMatterError as error:
            slow = error.args
    try:
        fast = parse_front_matter(text, keys if not isinstance(slow, tuple) else ())
    except FrontMatterError as error:
        fast = error.args
    return slow, fast


def _answered_fast(text: str, keys: tuple[str, ...]) -> bool | None:
    """Whether the LibYAML path answers for a post's YAML front matter with ``keys`` (None: no such block)."""
    from l10n.document.frontmatter import yaml_values

    block = find_block(text)
    if block is None or block.format != "yaml":
        return None
    content = text[block.content_start : block.content_end]
    patterns = [KeyPattern.parse(key) for key in keys]
    return yaml_values._parse_with_libyaml(text, block, patterns, content) is not None


@pytest.mark.parametrize("text", TRICKY_YAML)
def test_libyaml_fast_path_locates_tricky_values_as_the_scanner_does(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow, fast = _both_paths(text, monkeypatch)
    assert fast == slow


def test_libyaml_fast_path_locates_real_values_as_the_scanner_does(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [param.values[0] for param in _real_files()]
    files += sorted(path for path in (LOCAL_DATA / "frontmatter").rglob("*") if path.suffix in (".md", ".mdx"))
    answers = []
    for path in files:
        slow, fast = _both_paths(read(path), monkeypatch)  # every value selected
        assert fast == slow, path
        answers.append(_answered_fast(read(path), CORPUS_KEYS))
    with_yaml = [answer for answer in answers if answer is not None]
    assert sum(with_yaml) > 0.8 * len(with_yaml)  # with a site's keys, real posts go through the fast path


_yaml_keys = st.text(alphabet=st.sampled_from(list("abcxyz_-")), min_size=1, max_size=6)
_yaml_leaves = st.one_of(prose, st.integers(), st.booleans(), st.none())
_yaml_data = st.recursive(
    _yaml_leaves,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(_yaml_keys, children, max_size=3)),
    max_leaves=12,
)


@SETTINGS
@given(
    data=st.dictionaries(_yaml_keys, _yaml_data, min_size=1, max_size=5),
    flow=st.sampled_from([False, True, None]),
    width=st.sampled_from([20, 80]),
    indent=st.sampled_from([2, 4]),
)
def test_libyaml_fast_path_agrees_on_generated_front_matter(
    data: dict[str, Any], flow: bool | None, width: int, indent: int
) -> None:
    """Front matter as YAML writers lay it out (block or flow, wrapped, quoted as needed): both paths agree."""
    dumped = yaml.safe_dump(data, default_flow_style=flow, width=width, indent=indent, allow_unicode=True)
    text = f"---\n{dumped}---\n\nCorps.\n"
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow, fast = _both_paths(text, monkeypatch)
    assert fast == slow
