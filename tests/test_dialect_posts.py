"""Posts in their site's dialect: framework syntax is layout, labels and titles are entries, translations
cannot change the syntax, and pseudo-translated real posts keep their framework's tree."""

from __future__ import annotations

import re

import pytest
from corpus import LOCAL_DATA, read_source, shared_data_or_skip
from oracle import first_difference
from site_dialects import (
    DIRECTIVE_SITES,
    GRAV_PROTECT,
    Drafts,
    extract_post,
    pseudo_drafts,
    real_posts,
    site_of,
)

from l10n.checks import check_translation
from l10n.document import render
from l10n.document.markdown import Dialect
from l10n.document.parse import parse_structure
from l10n.document.syntax_blocks import block_syntax

FIXTURES = LOCAL_DATA / "dialects"
STARLIGHT = Dialect(directives=True)
VITEPRESS = Dialect(containers=True)
HUGO = Dialect(shortcodes=True, shortcode_attributes=("caption", "title", "alt"))
JEKYLL = Dialect(liquid=True)
GRAV = Dialect(protect=(r"\[/?(center|columns)\]", "%[A-Z_]+%"))
FIXTURE_DIALECTS = {
    "starlight.md": STARLIGHT,
    "vitepress.md": VITEPRESS,
    "hugo.md": HUGO,
    "jekyll.md": JEKYLL,
    "grav.md": GRAV,
}


def entries(name: str) -> list[tuple[str, str]]:
    document = extract_post(read_source(FIXTURES / name), FIXTURE_DIALECTS[name])
    return [(segment.kind, segment.msgid) for segment in document.segments]


def test_starlight_asides_directive_labels_are_entries_and_fences_layout() -> None:
    assert entries("starlight.md") == [
        ("heading 1", "Des apartés Starlight"),
        ("paragraph", "Une note simple."),
        ("directive label (tip)", "Raccourci clavier"),
        ("paragraph", "Pour modifier, appuyez sur :kbd[Ctrl]{.key} puis relâchez."),
        ("directive label (caution)", "Attention"),
        ("paragraph", "Avant l'imbrication."),
        ("paragraph", "Imbriqué."),
        ("directive label (youtube)", "Une vidéo de démonstration"),
        (
            "paragraph",
            'Le :abbr[RGPD]{title="Règlement général sur la protection des données"} s\'applique à 12:30 aussi.',
        ),
    ]


def test_vitepress_container_titles_are_entries() -> None:
    assert entries("vitepress.md") == [
        ("heading 1", "Conteneurs VitePress"),
        ("paragraph", "Un conseil utile."),
        ("container title (warning)", "Attention"),
        ("paragraph", "Attention danger."),
        ("container title (details)", "Explications détaillées"),
        ("paragraph", "Le détail de **l'explication**."),
        ("list item", "un point"),
        ("list item", "un autre"),
        ("container title (info)", "Extérieur"),
        ("container title (danger)", "Intérieur"),
        ("paragraph", "Imbriqué."),
    ]


def test_hugo_shortcodes_are_layout_and_their_prose_parameters_entries() -> None:
    assert entries("hugo.md") == [
        ("front matter: title", "Un billet Hugo"),
        ("paragraph", 'Voici une figure, et un lien vers {{< ref "autre-billet.md" >}} dans le texte.'),
        ("shortcode caption (figure)", "Le pont au lever du soleil"),
        ("shortcode alt (figure)", "Un pont"),
        ("paragraph", "Ce paragraphe est **dans** un shortcode apparié."),
        ("paragraph", "Fin du billet."),
    ]


def test_liquid_tags_are_layout_and_raw_bodies_never_entries() -> None:
    assert entries("jekyll.md") == [
        ("front matter: title", "Un billet Jekyll"),
        ("paragraph", "Bonjour {{ page.author | default: \"inconnu\" }}, bienvenue sur {{ site.title }}."),
        ("paragraph", "Les commentaires sont ouverts."),
        ("paragraph", "Un dernier paragraphe {% comment %}caché{% endcomment %} visible."),
    ]


def test_locked_patterns_alone_on_their_lines_are_layout() -> None:
    assert entries("grav.md") == [
        ("front matter: title", "Une page Grav"),
        ("paragraph", "Texte centré au milieu de la page."),
        ("paragraph", "Le site %SITE_NAME% vous souhaite la bienvenue [center]ici[/center]."),
        ("paragraph", "Première colonne de texte."),
    ]


_SYNTAX = re.compile(
    r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}|^ *:{2,}\w*|:\w+(?=[\[{])|\[/?center\]|%[A-Z_]+%", re.MULTILINE
)


def _syntax_of(text: str) -> list[str]:
    """The framework syntax of a post, translated shortcode parameters left out."""
    return [re.sub(r'(caption|alt|title)="[^"]*"', r'\1=""', found) for found in _SYNTAX.findall(text)]


@pytest.mark.parametrize("name", sorted(FIXTURE_DIALECTS))
def test_fixtures_round_trip_byte_exact_and_pseudo_translations_keep_the_syntax(name: str) -> None:
    text = read_source(FIXTURES / name)
    dialect = FIXTURE_DIALECTS[name]
    document = extract_post(text, dialect)
    assert render(document, {s.msgid: s.msgid for s in document.segments}, force=True).text == text
    drafts = Drafts()
    pseudo_drafts(name, document, dialect, drafts)
    assert drafts.refused == []
    rendered = render(document, drafts.written)
    assert [p for p in rendered.problems if p.severity == "error"] == []
    assert rendered.translated == len(document.segments)
    assert _syntax_of(rendered.text) == _syntax_of(text)


def test_a_translation_keeps_the_container_closed_whatever_its_length() -> None:
    text = "::: warning\nAttention danger.\n:::\n"
    document = extract_post(text, VITEPRESS)
    translation = "Beware: this is a real danger, one that a longer sentence describes at length."
    rendered = render(document, {"Attention danger.": translation})
    assert rendered.text == f"::: warning\n{translation}\n:::\n"
    assert rendered.problems == ()


def test_a_label_translation_with_brackets_stays_a_label() -> None:
    text = ":::tip[Raccourci clavier]\nTexte.\n:::\n"
    document = extract_post(text, STARLIGHT)
    rendered = render(document, {"Raccourci clavier": "Keyboard [shortcut"})
    assert rendered.text == ":::tip[Keyboard \\[shortcut]\nTexte.\n:::\n"


# -- attacks: a translation that changes framework syntax is refused, with an id, and never reaches a post ------


def _errors(msgid: str, msgstr: str, dialect: Dialect) -> list[str]:
    findings = check_translation(msgid, msgstr, source_lang="fr", target_lang="en", dialect=dialect)
    return [finding.check for finding in findings if finding.is_error]


@pytest.mark.parametrize(
    ("dialect", "msgid", "msgstr"),
    [
        (STARLIGHT, "Le :abbr[RGPD]{title=\"x\"} ici.", "The :ñöţé[GDPR]{title=\"x\"} here."),
        (STARLIGHT, "Le :abbr[RGPD]{title=\"x\"} ici.", "The :abbr[GDPR]{title=\"y\"} here."),
        (STARLIGHT, "Voir ceci.", "See :evil[this]."),
        (HUGO, "Voir {{< ref \"a.md\" >}} ici.", "See {{< ref \"b.md\" >}} here."),
        (HUGO, "Voir ceci.", "See {{< youtube id=\"x\" >}} this."),
        (JEKYLL, "Bonjour {{ page.author }}.", "Hello {{ site.secret }}."),
        (JEKYLL, "Texte.", "Text {% include evil.html %}."),
        (JEKYLL, "Texte {% raw %}a{% endraw %}.", "Text {% brut %}a{% endbrut %}."),
        (GRAV, "Le site %SITE_NAME% ici.", "The %SITE_NOM% here."),
        (GRAV, "Le site [center]ici[/center].", "The site [centre]here[/centre]."),
    ],
)
def test_changed_added_or_dropped_syntax_is_refused(dialect: Dialect, msgid: str, msgstr: str) -> None:
    assert "syntax-mismatch" in _errors(msgid, msgstr, dialect) or "template-injected" in _errors(
        msgid, msgstr, dialect
    )


def test_a_correct_translation_of_text_directives_passes() -> None:
    msgid = 'Le :abbr[RGPD]{title="x"} s\'applique à 12:30.'
    assert _errors(msgid, 'The :abbr[GDPR]{title="x"} applies at 12:30.', STARLIGHT) == []


@pytest.mark.parametrize(
    ("dialect", "text", "msgid", "hostile"),
    [
        (STARLIGHT, ":::note\nTexte.\n:::\n", "Texte.", "Text.\n:::ñöţé\nMore."),
        (STARLIGHT, ":::note\nTexte.\n:::\n", "Texte.", "Text.\n::evil[x]{src=y}\nMore."),
        (VITEPRESS, "::: tip\nTexte.\n:::\n", "Texte.", "Text.\n:::\n::: danger\nEvil"),
        (JEKYLL, "Avant.\n\nTexte.\n", "Texte.", "Text.\n{% include evil.html %}\nMore."),
    ],
)
def test_a_translation_that_adds_block_syntax_is_refused_and_never_opens_a_block(
    dialect: Dialect, text: str, msgid: str, hostile: str
) -> None:
    assert "syntax-mismatch" in _errors(msgid, hostile, dialect)
    # even used (a build refuses it first), its lines never open a block: render flattens or rolls it back
    document = extract_post(text, dialect)
    rendered = render(document, {msgid: hostile})
    assert block_syntax(rendered.text, dialect) == block_syntax(text, dialect)
    assert [t.type for t in parse_structure(rendered.text, dialect)] == [t.type for t in parse_structure(text, dialect)]


# -- [text] with no reference definition is text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("[NDLR : il parle de Rome]", "[Editor's note: he means Rome]"),
        ("Steve [Jobs] a dit", "Steve [Jobs] said"),
        ("Le type `T` est [id: string].", "The type `T` is [id: string]."),
        ("Le [NDLR] ici", "The [editor's note] here"),
    ],
)
def test_brackets_without_a_definition_are_text(msgid: str, msgstr: str) -> None:
    findings = check_translation(msgid, msgstr, source_lang="fr", target_lang="en", references=frozenset({"lien"}))
    assert [f.check for f in findings if f.is_error] == []


def test_turning_bracketed_text_into_a_link_to_a_defined_label_is_refused() -> None:
    findings = check_translation(
        "Le [NDLR] ici", "The [lien] here", source_lang="fr", target_lang="en", references=frozenset({"lien"})
    )
    assert "link-mismatch" in [f.check for f in findings if f.is_error]


def test_a_reference_link_still_must_keep_its_label() -> None:
    references = frozenset({"doc"})
    assert _link_errors("Voir [la doc][doc].", "See [the docs][doc].", references) == []
    assert _link_errors("Voir [la doc][doc].", "See [the docs][docs].", references) == ["link-mismatch"]
    assert _link_errors("Voir [doc].", "See [documentation].", references) == ["link-mismatch"]


def _link_errors(msgid: str, msgstr: str, references: frozenset[str]) -> list[str]:
    findings = check_translation(msgid, msgstr, source_lang="fr", target_lang="en", references=references)
    return [f.check for f in findings if f.is_error]


# -- the real posts --------------------------------------------------------------------------------------------

_SYNTAX_IN_MSGID = {
    "directive fence": re.compile(r"(?:^|\n)[ \t]*:{2,}[A-Za-z]"),
    "container fence": re.compile(r"(?:^|\n)[ \t]*:::(?:[ \t]|$)"),
    "shortcode": re.compile(r"\{\{[<%]"),
    "template tag on a line of its own": re.compile(r"(?:^|\n)[ \t]*\{[%{#][^\n]*[%}#]\}[ \t]*(?:\n|$)"),
}


def test_no_msgid_of_the_real_posts_holds_block_syntax() -> None:
    data = shared_data_or_skip()
    found = []
    for path, text, dialect in real_posts(data):
        for segment in extract_post(text, dialect).segments:
            for what, pattern in _SYNTAX_IN_MSGID.items():
                if pattern.search(segment.msgid):
                    found.append(f"{path.relative_to(data)}:{segment.line}: {what}: {segment.msgid[:80]!r}")
            if site_of(path, data) == "yunohost-grav-fr":
                for pattern in GRAV_PROTECT:
                    match = re.search(pattern, segment.msgid)
                    if match and match.group(0) == segment.msgid.strip():
                        found.append(f"{path.relative_to(data)}:{segment.line}: locked pattern alone")
    assert found == []


def test_real_posts_round_trip_byte_exact_in_their_dialect() -> None:
    data = shared_data_or_skip()
    changed = []
    for path, text, dialect in real_posts(data):
        document = extract_post(text, dialect)
        identity = render(document, {segment.msgid: segment.msgid for segment in document.segments}, force=True)
        if identity.text != text or document.problems:
            changed.append(str(path.relative_to(data)))
    assert changed == []


def test_pseudo_translating_the_real_posts_refuses_almost_no_draft() -> None:
    data = shared_data_or_skip()
    drafts = Drafts()
    for path, text, dialect in real_posts(data):
        pseudo_drafts(str(path.relative_to(data)), extract_post(text, dialect), dialect, drafts)
    assert drafts.sent > 9000
    assert drafts.refused_share <= 0.001, "\n".join(drafts.refused[:20])


def _directives(node: dict, path: str = "") -> list[str]:
    """The directives of a framework tree (oracle shape), with their place, name, attributes and label."""
    found = []
    if node.get("type", "").endswith("Directive"):
        found.append(f"{path} {node['type']} {node.get('name')} {node.get('attributes')} {node.get('label')}")
    for index, child in enumerate(node.get("children", [])):
        found += _directives(child, f"{path}/{index}")
    return found


def test_pseudo_translated_directive_posts_keep_the_frameworks_tree() -> None:
    """remark (with remark-directive where the post uses directives) reads the pseudo-translated posts of the
    directive sites as their sources: the whole tree for Markdown posts; for MDX posts the directives (JSX is
    the MDX reader's part, compared by its own tests)."""
    from oracle import require_oracle, shapes, uses_directives

    require_oracle()
    data = shared_data_or_skip()
    names, sources, outputs, mdx = [], [], [], []
    for path, text, dialect in real_posts(data):
        if site_of(path, data) not in DIRECTIVE_SITES:
            continue
        document = extract_post(text, dialect)
        drafts = Drafts()
        pseudo_drafts(path.name, document, dialect, drafts)
        front_matter = {s.msgid for s in document.segments if s.kind.startswith("front matter")}
        body = {msgid: draft for msgid, draft in drafts.written.items() if msgid not in front_matter}
        names.append(str(path.relative_to(data)))
        sources.append(text)
        outputs.append(render(document, body).text)
        mdx.append(dialect.mdx)
    assert len(names) > 200
    flags = [uses_directives(text) for text in sources]
    before = shapes(sources, mdx=mdx, directives=flags)
    after = shapes(outputs, mdx=mdx, directives=flags)
    differences, directives = [], 0
    for name, is_mdx, source, output in zip(names, mdx, before, after, strict=True):
        if source.tree is None or output.tree is None:
            continue  # an MDX post the JSX part breaks: the MDX reader's tests report it
        directives += len(_directives(source.tree))
        if is_mdx and _directives(source.tree) != _directives(output.tree):
            differences.append(f"{name}: {set(_directives(source.tree)) ^ set(_directives(output.tree))}")
        elif not is_mdx and (found := first_difference(source.tree, output.tree)):
            differences.append(f"{name}: {found}")
    assert directives > 50
    assert differences == []
