"""Behaviour of extract/render on the cases a site's posts actually contain."""

from __future__ import annotations

import pytest
import yaml
from corpus import FRONT_MATTER_KEYS, LOCAL_DATA, REPO, corpus_files, read_source, shared_data_or_skip

from l10n.document import FrontMatterError, extract, render
from l10n.document.markdown import Dialect

SEED = REPO.parent / "shared" / "seeds" / "000_75b62f67281b3372.txt"
SAMPLE_SEED = REPO / "content" / "fr" / "tech" / "ia" / "ia-medecine.md"


def msgids(text: str, **options) -> list[str]:
    return [segment.msgid for segment in extract(text, **options).segments]


def translate(text: str, mapping: dict[str, str], **options) -> str:
    return render(extract(text, **options), mapping).text


# -- segmentation (more cases, as posts and their templates: data/extraction/*.md) ----------------------------


def test_hard_breaks_are_newlines_in_msgid_and_markers_stay_in_layout() -> None:
    text = "Première ligne  \ndeuxième\\\ntroisième\n"
    assert msgids(text) == ["Première ligne\ndeuxième\ntroisième"]
    out = translate(text, {"Première ligne\ndeuxième\ntroisième": "First line\nsecond\nthird"})
    assert out == "First line  \nsecond\\\nthird\n"


def test_task_list_marker_is_layout() -> None:
    text = "- [ ] à faire\n- [x] fait\n"
    assert msgids(text) == ["à faire", "fait"]
    assert translate(text, {"à faire": "to do", "fait": "done"}) == "- [ ] to do\n- [x] done\n"


@pytest.mark.parametrize(
    "heading",
    [
        "## Exposer l'API {#exposing-api}",
        '## Exposer l\'API {#exposing-api .note data-x="1"}',
        "## Exposer l'API {/*exposing-api*/}",
    ],
)
def test_a_headings_explicit_id_is_layout_so_no_translation_can_change_the_anchor(heading: str) -> None:
    document = extract(heading + "\n\n[lien](#exposing-api)\n")
    assert [segment.msgid for segment in document.segments] == ["Exposer l'API", "[lien](#exposing-api)"]
    built = render(document, {"Exposer l'API": "Expose the API", "[lien](#exposing-api)": "[link](#exposing-api)"}).text
    assert built == heading.replace("Exposer l'API", "Expose the API") + "\n\n[link](#exposing-api)\n"


def test_mdx_imports_exports_and_jsx_pass_through() -> None:
    text = (
        "import Aside from '~/components/Aside.astro';\nexport const meta = { titre: 'x' };\n\n"
        '<Aside type="tip">\n\nUn conseil utile.\n\n</Aside>\n\n{/* commentaire */}\n'
    )
    assert msgids(text, dialect=Dialect(mdx=True)) == ["Un conseil utile."]
    out = translate(text, {"Un conseil utile.": "A useful tip."}, dialect=Dialect(mdx=True))
    assert out == text.replace("Un conseil utile.", "A useful tip.")


# -- write-back ---------------------------------------------------------------------------------------------


def test_layout_is_kept_in_containers() -> None:
    text = "> Un texte cité\n> sur deux lignes.\n\n1. Premier point\n   avec une suite.\n"
    mapping = {
        "Un texte cité sur deux lignes.": "A quoted text over two lines.",
        "Premier point avec une suite.": "First point with a continuation.",
    }
    out = translate(text, mapping)
    lines = out.splitlines()
    assert [line[:2] for line in lines[:2]] == ["> ", "> "]
    assert lines[2] == ""
    assert lines[3].startswith("1. ") and lines[4].startswith("   ") and not lines[4].startswith("    ")
    assert msgids(out) == list(mapping.values())


def test_source_quirks_survive_translation() -> None:
    text = "\ufeff# Titre\r\n\r\nTexte\u00a0: «\u202fcafe\u0301\u202f»\r\nsuite\tici\n\nFin"
    out = translate(text, {"Titre": "Title", "Fin": "End"})
    assert out == "\ufeff# Title\r\n\r\nTexte\u00a0: «\u202fcafe\u0301\u202f»\r\nsuite\tici\n\nEnd"


def test_line_count_is_kept_and_short_translation_drops_lines_cleanly() -> None:
    text = "Un paragraphe assez long\nqui continue ici\net se termine là.\n\nSuite.\n"
    source = "Un paragraphe assez long qui continue ici et se termine là."
    long = translate(text, {source: "A " + "long " * 12 + "one."})
    assert long.count("\n") == text.count("\n")
    short = translate(text, {source: "Short."})
    assert short == "Short.\n\nSuite.\n"


def test_translation_that_would_open_a_block_is_escaped() -> None:
    text = "Le premier.\n\nUne phrase.\n"
    out = translate(text, {"Le premier.": "1. The first.", "Une phrase.": "# Not a heading"})
    assert out == "1\\. The first.\n\n\\# Not a heading\n"
    assert msgids(out) == ["1\\. The first.", "\\# Not a heading"]


def test_continuation_lines_never_start_a_block() -> None:
    text = "Un texte qui\ncontinue ici.\n"
    out = translate(text, {"Un texte qui continue ici.": "Text - 1. still # text > here"})
    assert msgids(out) == ["Text - 1. still # text > here"]
    assert "<p>" in render_html(out) and "<li>" not in render_html(out)


def test_table_cell_pipes_and_heading_hashes_are_escaped() -> None:
    text = "# Titre\n\n| A | B |\n|---|---|\n| oui | non |\n"
    out = translate(text, {"Titre": "Issue #", "oui": "yes | no", "non": "no"})
    assert out == "# Issue \\#\n\n| A | B |\n|---|---|\n| yes \\| no | no |\n"


def test_translation_that_changes_structure_is_rolled_back_and_reported() -> None:
    text = "Bonjour le monde.\n\nAu revoir.\n"
    rendered = render(extract(text), {"Bonjour le monde.": "Hello **world**.", "Au revoir.": "Goodbye."})
    assert rendered.text == "Bonjour le monde.\n\nGoodbye.\n"
    assert [(p.line, p.check, p.severity) for p in rendered.problems] == [(1, "structure", "error")]
    assert rendered.translated == 1


def test_untranslated_and_blank_translations_keep_source_bytes() -> None:
    text = "Texte   avec   espaces.\n"
    assert translate(text, {"Texte   avec   espaces.": ""}) == text
    assert translate(text, {}) == text


def render_html(markdown: str) -> str:
    from l10n.document.parse import markdown_parser

    return markdown_parser().render(markdown)


# -- front matter -------------------------------------------------------------------------------------------


def test_malformed_front_matter_is_an_error_with_its_line() -> None:
    with pytest.raises(FrontMatterError) as error:
        extract("---\ntitle: ok\ndescription: [non fermé\n---\n\nTexte.\n")
    assert error.value.line in (3, 4)


@pytest.mark.parametrize(
    "translation",
    ["AI: a revolution", "#1 in care", "- dash first", "It's 'quoted'", 'Say "hi"', "back\\slash", "yes", "null"],
)
def test_front_matter_translation_is_quoted_as_needed(translation: str) -> None:
    text = "---\ntitle: Titre simple\ndate: 2024-03-25\ntags: [a, b]\n---\nTexte.\n"
    out = translate(text, {"Titre simple": translation})
    loaded = yaml.safe_load(out.split("---\n")[1])
    assert loaded["title"] == translation
    assert out.endswith("date: 2024-03-25\ntags: [a, b]\n---\nTexte.\n")


@pytest.mark.parametrize("style", ["|", ">", "|-", ">-"])
def test_block_scalar_descriptions_keep_header_and_indentation(style: str) -> None:
    text = f"---\ndescription: {style}\n  Une description\n  sur deux lignes.\nauthor: moi\n---\n"
    document = extract(text)
    source_value = document.segments[0].msgid
    translation = source_value.replace("Une description", "A description").replace("sur deux lignes", "on two lines")
    out = render(document, {source_value: translation}).text
    assert out.startswith(f"---\ndescription: {style}\n  A description")
    loaded = yaml.safe_load(out.split("---\n")[1])
    assert loaded == {"description": translation, "author": "moi"}


def _front_matter_only_changes_configured_values(text: str) -> None:
    document = extract(text, front_matter_keys=FRONT_MATTER_KEYS)
    translations = {s.msgid: f"«EN» {s.msgid} : # 'x' \"y\"" for s in document.segments if s.kind.startswith("front")}
    out = render(document, translations).text
    before = yaml.safe_load(text.lstrip("\ufeff").split("---", 2)[1])
    after = yaml.safe_load(out.lstrip("\ufeff").split("---", 2)[1])
    assert list(after) == list(before)
    for key in before:
        if key in ("title", "description") and isinstance(before[key], str) and before[key]:
            assert after[key] == translations.get(before[key], before[key])
        elif key == "tags" and isinstance(before[key], list):
            assert after[key] == [translations.get(t, t) if isinstance(t, str) else t for t in before[key]]
        else:
            assert after[key] == before[key], key
    assert out.split("---", 2)[2].count("\n") == text.split("---", 2)[2].count("\n")


def test_seed_post_front_matter_translation_changes_only_values() -> None:
    path = SEED if SEED.exists() else SAMPLE_SEED
    if not path.exists():
        pytest.skip("neither the seed post nor the sample blog's copy is here")
    _front_matter_only_changes_configured_values(read_source(path))


@pytest.mark.parametrize("source", ["kept-sample", "shared"])
def test_corpus_front_matter_translation_changes_only_values(source: str) -> None:
    data = LOCAL_DATA if source == "kept-sample" else shared_data_or_skip()
    checked = 0
    for path in corpus_files(data):
        text = read_source(path)
        if text.lstrip("\ufeff").startswith("---\n"):
            _front_matter_only_changes_configured_values(text)
            checked += 1
    assert checked > 0


def test_corpus_data_exists_locally() -> None:
    assert len(corpus_files(LOCAL_DATA)) >= 30


def test_image_titles_are_segments_and_keep_their_quotes() -> None:
    text = "![Le mont](img/mont.jpg \"Le mont au lever du jour\")\n\n![Un lac](lac.png 'Le lac')\n"
    assert [(s.kind, s.msgid) for s in extract(text).segments] == [
        ("image alt", "Le mont"),
        ("image title", "Le mont au lever du jour"),
        ("image alt", "Un lac"),
        ("image title", "Le lac"),
    ]
    out = translate(text, {"Le mont au lever du jour": 'The "mount" at dawn', "Le lac": "The lake's shore"})
    assert out == "![Le mont](img/mont.jpg \"The \\\"mount\\\" at dawn\")\n\n![Un lac](lac.png 'The lake\\'s shore')\n"


def test_hard_break_mismatch_is_written_and_reported_as_a_warning() -> None:
    text = "Ligne un  \nligne deux\n"
    rendered = render(extract(text), {"Ligne un\nligne deux": "Line one, line two"})
    assert rendered.text.replace("\n", " ").split() == ["Line", "one,", "line", "two"]
    assert [(p.check, p.severity) for p in rendered.problems] == [("line-breaks", "warning")]


def test_a_translation_may_format_a_name_as_code_or_drop_the_formatting() -> None:
    """A code span is text to the page's structure (the checks judge who may change it): adding or dropping
    one is not a structure change that rolls the segment back."""
    document = extract("Use @astrojs/node as `middleware`.\n\n- an item\n")
    for translation in ("Utilisez `@astrojs/node` comme `middleware`.", "Utilisez @astrojs/node comme middleware."):
        rendered = render(document, {"Use @astrojs/node as `middleware`.": translation})
        assert rendered.text == f"{translation}\n\n- an item\n"
        assert not rendered.problems
    # emphasis is still structure
    rendered = render(document, {"Use @astrojs/node as `middleware`.": "Utilisez *ceci* comme `middleware`."})
    assert rendered.text == document.text and rendered.problems
