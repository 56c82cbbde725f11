"""Checks on real translation mistakes: every check id fires on its mistake and stays quiet on a good one."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.checks import ERROR_CHECKS, WARNING_CHECKS, check_rendered, check_translation, excerpt
from l10n.document import extract, render
from l10n.document.markdown import Dialect
from l10n.frontmatter_set import set_front_matter
from l10n.glossary import Glossary
from l10n.links import LinkRules, rewrite_links
from l10n.problems import Problem

GLOSSARY = Glossary.parse("fr\ten\nRGPD\tGDPR\nIBM Watson\tIBM Watson\nMayo Clinic\tMayo Clinic\n")


def ids(msgid: str, msgstr: str, target_lang: str = "en") -> set[str]:
    findings = check_translation(msgid, msgstr, source_lang="fr", target_lang=target_lang, glossary=GLOSSARY)
    return {finding.check for finding in findings}


# (check id, source, a faithful translation, the same translation with the mistake)
CASES = [
    (
        "link-mismatch",
        "Lisez [notre guide](/tech/ia/ia-medecine) avant de commencer.",
        "Read [our guide](/tech/ia/ia-medecine) before you start.",
        "Read [our guide](/tech/ai/ai-in-medicine) before you start.",
    ),
    (
        "link-mismatch",
        "Plus d'infos sur <https://www.cnil.fr/fr/rgpd>.",
        "More about it at <https://www.cnil.fr/fr/rgpd>.",
        "More about it at https://www.cnil.fr/fr/rgpd.",
    ),
    (
        "image-mismatch",
        "![Le Mont Aiguille](../../assets/vercors.jpg) au lever du jour.",
        "![Mont Aiguille](../../assets/vercors.jpg) at sunrise.",
        "![Mont Aiguille](../../assets/vercors-en.jpg) at sunrise.",
    ),
    (
        "code-mismatch",
        "Ajoutez `set -euo pipefail` en tête du script.",
        "Add `set -euo pipefail` at the top of the script.",
        "Add `set -euo pipe failure` at the top of the script.",
    ),
    (
        "code-mismatch",
        "La commande `ls` liste les fichiers.",
        "The `ls` command lists the files.",
        "The ls command lists the files.",
    ),
    (
        "footnote-mismatch",
        "Le levain double de volume[^1] en six heures.",
        "The starter doubles in size[^1] in six hours.",
        "The starter doubles in size[^2] in six hours.",
    ),
    (
        "emphasis-mismatch",
        "- **Analyse des Symptômes**",
        "- **Symptom Analysis**",
        "- Symptom Analysis",
    ),
    (
        "emphasis-mismatch",
        "On le *nourrit* régulièrement.",
        "We *feed* it regularly.",
        "We *feed* it ~~regularly~~.",
    ),
    (
        "html-added",
        "Appuyez sur Entrée pour valider.",
        "Press Enter to confirm.",
        'Press <span style="color:red">Enter</span> to confirm.',
    ),
    (
        "html-mismatch",
        "Appuyez sur <kbd>Entrée</kbd> pour valider.",
        "Press <kbd>Enter</kbd> to confirm.",
        "Press Enter to confirm.",
    ),
    (
        "script-injected",
        "Un script Bash commence souvent par trois lignes.",
        "A Bash script often starts with three lines.",
        "A Bash script often starts with three lines.<script>fetch('/x?'+document.cookie)</script>",
    ),
    (
        "event-handler-injected",
        'Voir l\'image <img src="/img/a.png" alt="schéma">.',
        'See the picture <img src="/img/a.png" alt="diagram">.',
        'See the picture <img src="/img/a.png" alt="diagram" onerror="alert(1)">.',
    ),
    (
        "unsafe-url",
        "Consultez [la documentation](/docs) pour plus de détails.",
        "See [the documentation](/docs) for more details.",
        "See [the documentation](javascript:alert(document.domain)) for more details.",
    ),
    (
        "unsafe-url",
        "Un schéma ![simple](/img/schema.png) suffit.",
        "A ![simple](/img/schema.png) diagram is enough.",
        "A ![simple](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) diagram is enough.",
    ),
    (
        "link-host-added",
        "Ce guide s'appuie sur les dernières publications médicales.",
        "This guide draws on the latest medical publications.",
        "This guide draws on the latest [medical publications](https://cheap-pills.example/buy).",
    ),
    (
        "link-added",
        "Écrivez-nous pour toute question.",
        "Write to us with any question.",
        "Write to us at help@evil.example with any question.",
    ),
    (
        "control-character",
        "Le fichier est prêt.",
        "The file is ready.",
        "The file is \u202egnp.exe ready.",
    ),
    (
        "placeholder-damage",
        "Le système **Ada Health** guide le diagnostic initial.",
        "The **Ada Health** system guides the initial diagnosis.",
        "The <g1>Ada Health</g1> system guides the initial diagnosis.",
    ),
    (
        "placeholder-damage",
        "Tapez `make` puis validez.",
        "Type `make` then confirm.",
        "Type `make` then confirm <x2/>.",
    ),
    (
        "template-injected",
        "Le composant affiche la date du jour.",
        "The component shows today's date.",
        "The component shows today's date {fetch('/x?' + document.cookie)}.",
    ),
    (
        "template-injected",
        "La configuration du site est lue au démarrage.",
        "The site configuration is read at startup.",
        "The site configuration is read at startup: {{ site.github.token }}.",
    ),
    (
        "glossary-term",
        "- Conformité RGPD et HIPAA",
        "- GDPR and HIPAA compliance",
        "- RGPD and HIPAA compliance",
    ),
    (
        "glossary-term",
        "- IBM Watson diagnostique des maladies rares en quelques minutes",
        "- IBM Watson diagnoses rare diseases in minutes",
        "- IBM's Watson diagnoses rare diseases in minutes",
    ),
    (
        "number-mismatch",
        "- L'IA de Mayo Clinic prédit les crises cardiaques avec 85% de précision",
        "- Mayo Clinic's AI predicts heart attacks with 85% accuracy",
        "- Mayo Clinic's AI predicts heart attacks with 58% accuracy",
    ),
    (
        "number-mismatch",
        "Publié en 2024 après 3 ans de travail.",
        "Published in 2024 after 3 years of work.",
        "Published in 2023 after 3 years of work.",
    ),
    (
        "whitespace-mismatch",
        "Le mode strict",
        "Strict mode",
        "Strict mode ",
    ),
    (
        "end-punctuation",
        "S'il ne bouge pas, inutile d'aller plus loin.",
        "If it does not move, there is no point going further.",
        "If it does not move, there is no point going further",
    ),
    (
        "end-punctuation",
        "Pourquoi le pain est-il dense ?",
        "Why is the bread dense?",
        "Why is the bread dense.",
    ),
    (
        "identical-to-source",
        "Il m'a fallu cinq essais pour obtenir un bon pain.",
        "It took me five attempts to get a good loaf.",
        "Il m'a fallu cinq essais pour obtenir un bon pain.",
    ),
    (
        "french-typography",
        "Le problème n'est pas Bash lui-même : c'est qu'il continue.",
        "The problem is not Bash itself: it keeps going.",
        "The problem is not Bash itself : it keeps going.",
    ),
    (
        "invisible-character",
        "Le mot de passe est secret.",
        "The password is secret.",
        "The pass\u200bword is secret.",
    ),
    (
        "french-typography",
        "Il appelle ça « le mode strict ».",
        "He calls it “strict mode”.",
        "He calls it « strict mode ».",
    ),
]


@pytest.mark.parametrize(("check", "source", "good", "bad"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_fires_on_the_mistake_and_not_on_the_faithful_translation(
    check: str, source: str, good: str, bad: str
) -> None:
    assert ids(source, good) == set(), f"false positive on a faithful translation: {ids(source, good)}"
    assert check in ids(source, bad)


def test_every_check_id_is_exercised() -> None:
    # structure-mismatch is a check of built posts; mdx-syntax needs the MDX dialect (tests/test_mdx.py)
    exercised = {case[0] for case in CASES} | {"structure-mismatch", "mdx-syntax", "code-changed"}
    assert exercised == set(ERROR_CHECKS) | set(WARNING_CHECKS)


def test_severities() -> None:
    findings = check_translation("Voir [ceci](/a) : 85 %.", "See [this](/b) : 58%", source_lang="fr", target_lang="en")
    severities = {finding.check: finding.severity for finding in findings}
    assert severities["link-mismatch"] == "error"
    assert severities["number-mismatch"] == "warning"
    assert severities["french-typography"] == "warning"
    assert severities["end-punctuation"] == "warning"


def test_locale_number_formatting_is_not_a_change() -> None:
    assert ids("Il y a 1 000 recettes et 3,5 kg de farine.", "There are 1,000 recipes and 3.5 kg of flour.") == set()
    assert ids("Environ 12 345,6 km.", "About 12,345.6 km.") == set()


def test_untranslated_or_short_identical_entries_are_fine() -> None:
    assert check_translation("Introduction", "", source_lang="fr", target_lang="en") == []
    assert ids("Introduction", "Introduction") == set()  # a short identical title is normal
    assert ids("IBM Watson Health", "IBM Watson Health") == set()
    assert ids("Pré Peyret – Châtillon-en-Diois", "Pré Peyret – Châtillon-en-Diois") == set()  # names only
    assert ids("Hauts Plateaux du Vercors Sud", "Hauts Plateaux du Vercors Sud") == {"identical-to-source"}


def test_french_typography_is_fine_in_a_french_target() -> None:
    assert "french-typography" not in ids("Il dit : « oui ».", "Il dit : « oui ».", target_lang="fr_CA")


def test_kept_markup_in_a_real_sentence_is_not_flagged() -> None:
    source = (
        "Lisez [la recette de pain au levain](/cuisine/pain-au-levain) et le [guide][g], "
        "puis lancez `bash -n script.sh`[^1]."
    )
    translation = (
        "Read the [sourdough bread recipe](/cuisine/pain-au-levain) and the [guide][g], "
        "then run `bash -n script.sh`[^1]."
    )
    assert ids(source, translation) == set()
    assert "link-mismatch" in ids(source, translation.replace("[guide][g]", "[guide][guide]"))


def test_messages_are_one_printable_line_even_for_hostile_text() -> None:
    hostile = "Voir <b>ceci</b>\x1b[31m" + "x" * 500
    findings = check_translation(
        "Voir ceci.", hostile + "\n<script>\u202ealert(1)</script>", source_lang="fr", target_lang="en"
    )
    assert findings
    for finding in findings:
        assert isinstance(finding, Problem)
        assert finding.message.isprintable(), finding.message
        assert len(finding.message) < 300
    assert excerpt("a\nb\x1b") == "'a\\x0ab\\x1b'"


def test_obfuscated_injections_are_caught() -> None:
    source = "Voir [la doc](/docs)."
    assert "unsafe-url" in ids(source, "See [the docs](JaVaScRiPt:alert(1)).")
    assert "unsafe-url" in ids(source, "See [the docs](java&#115;cript:alert(1)).")
    assert "unsafe-url" in ids(source, 'See <a href="java\tscript:alert(1)">the docs</a>.')
    assert "script-injected" in ids(source, "See [the docs](/docs).< SCRIPT src=//x.example/a.js></SCRIPT>")
    assert "event-handler-injected" in ids(source, "See [the docs](/docs). <svg/onload=alert(1)>")
    assert "link-host-added" in ids(source, "See [the docs](//evil.example/docs).")
    # Prose that merely mentions these words is fine.
    assert ids("Données : JavaScript : voir [la doc](/docs).", "Data: JavaScript: see [the docs](/docs).") == set()


# --- built posts -------------------------------------------------------------------------------------------

POST = """---
title: "Le mode strict"
---

# Le mode strict

Un script **Bash** commence souvent par trois lignes.

- premier point
- second point

```bash
set -euo pipefail
```
"""


def test_a_faithful_build_has_no_findings() -> None:
    document = extract(POST)
    output = (
        POST.replace("Le mode strict", "Strict mode")
        .replace(
            "Un script **Bash** commence souvent par trois lignes.",
            "A **Bash** script often starts with three lines.",
        )
        .replace("premier point", "first point")
    )
    assert check_rendered(document, output) == []


@pytest.mark.parametrize(
    ("output", "line"),
    [
        (POST.replace("- second point", "second point"), 9),  # the list lost an item
        (POST.replace("# Le mode strict", "## Le mode strict"), 5),  # heading level changed
        (POST.replace("set -euo pipefail", "set -e"), 12),  # code was changed
        (POST.replace("trois lignes.", "trois lignes.\n\n---"), 7),  # a new block appeared
    ],
)
def test_structure_mismatch_points_at_the_output_line(output: str, line: int) -> None:
    findings = [f for f in check_rendered(extract(POST), output) if f.check == "structure-mismatch"]
    assert len(findings) == 1
    assert findings[0].severity == "error"
    assert findings[0].line is not None and abs(findings[0].line - line) <= 2


def test_injection_in_a_built_post_is_reported_with_its_line() -> None:
    output = POST.replace("trois lignes.", 'trois lignes. <img src=x onerror="alert(1)">')
    checks = {finding.check: finding for finding in check_rendered(extract(POST), output)}
    assert checks["event-handler-injected"].line == 7
    assert "html-added" in checks


def test_a_link_localized_to_the_readers_language_is_the_same_link() -> None:
    source = "Voir [l'article](https://fr.wikipedia.org/wiki/Levain) et [le guide](/fr/guide)."
    assert ids(source, "See [the article](https://en.wikipedia.org/wiki/Levain) and [the guide](/en/guide).") == set()
    assert ids(source, "See [the article](https://fr.wikipedia.org/wiki/Levain) and [the guide](/fr/guide).") == set()
    moved = ids(source, "See [the article](https://en.wikipedia.org/wiki/Sourdough) and [the guide](/en/guide).")
    assert "link-mismatch" in moved
    other_site = ids(source, "See [the article](https://en.evil.example/wiki/Levain) and [the guide](/en/guide).")
    assert {"link-mismatch", "link-host-added"} <= other_site


def test_a_link_to_another_sites_page_in_the_readers_locale_is_the_same_link() -> None:
    # documentation sites put a locale with a region in their paths: MDN, GitHub docs, AWS docs
    source = "Voir [fetch](https://developer.mozilla.org/fr/docs/Web/API/fetch)."
    assert ids(source, "See [fetch](https://developer.mozilla.org/en-US/docs/Web/API/fetch).") == set()
    assert ids(source, "See [fetch](https://developer.mozilla.org/en_gb/docs/Web/API/fetch).") == set()
    # another page, or a word that only starts like a language code, is another link
    assert "link-mismatch" in ids(source, "See [fetch](https://developer.mozilla.org/en-US/docs/Web/API/Request).")
    assert "link-mismatch" in ids(source, "See [fetch](https://developer.mozilla.org/en-route/docs/Web/API/fetch).")
    # a site whose default language has no prefix in its paths
    source = "Voir [la v6](https://v6.docs.example.org/fr/) et [le guide](https://docs.example.org/fr_fr/guide/)."
    same = "See [v6](https://v6.docs.example.org/) and [the guide](https://docs.example.org/guide/)."
    assert ids(source, same) == set()
    assert "link-mismatch" in ids(source, "See [v6](https://v6.docs.example.org/) and [it](https://docs.example.org/).")


def test_an_element_keeps_its_syntax_with_translated_attributes_and_heading_fragments() -> None:
    dialect = Dialect(mdx=True, jsx_attributes=("title", "text"))
    source = 'Voir <a href="/fr/api/#options-dimage">Image</a> <Badge text="Externe" variant="tip" />.'

    def errors(translation: str) -> set[str]:
        findings = check_translation(source, translation, source_lang="fr", target_lang="en", dialect=dialect)
        return {finding.check for finding in findings if finding.is_error}

    assert errors('See <a href="/fr/api/#image-options">Image</a> <Badge text="External" variant="tip" />.') == set()
    assert "syntax-mismatch" in errors('See <a href="/fr/other/">Image</a> <Badge text="External" variant="tip" />.')
    assert "syntax-mismatch" in errors('See <a href="/fr/api/">Image</a> <Badge text="External" variant="note" />.')


def test_a_components_translated_attributes_may_change_in_a_built_post() -> None:
    # description is one of the dialect's jsx_attributes (translated as entries): not HTML the source lacks
    dialect = Dialect(mdx=True, jsx_attributes=("title", "description"))
    source = '# Cours\n\n<LinkCard\n  title="Learn"\n  description="A course."\n  href="https://example.org/"\n/>\n'
    output = source.replace('"Learn"', '"Apprendre"').replace('"A course."', '"Un cours."')
    assert [f.check for f in check_rendered(extract(source, dialect=dialect), output) if f.is_error] == []
    moved = output.replace("https://example.org/", "https://example.org/other")
    assert "html-added" in {f.check for f in check_rendered(extract(source, dialect=dialect), moved)}


CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "corpus-fr"
LINK_RULES = LinkRules.from_config({"prefix": "/{lang}", "source_prefix": "/fr"})
LANG = {"lang": "{lang}"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/data/corpus-fr is not available (a clone without it)")
def test_no_false_errors_on_a_markup_preserving_translation_of_real_posts() -> None:
    """Pseudo-translate every segment of the French corpus through the MT placeholders (markup kept): the
    checks must not reject any, and every built post (links rewritten, front matter set) passes its checks."""
    from l10n.translate.backends import PseudoBackend
    from l10n.translate.placeholders import decode, encode

    backend = PseudoBackend()
    errors: list[tuple[str, int, str]] = []
    segments = 0
    for path in sorted(CORPUS.rglob("*.md*")):
        text = path.read_bytes().decode("utf-8", "replace")
        document = extract(text, dialect=Dialect(mdx=path.suffix == ".mdx"))
        translations = {}
        for segment in document.segments:
            encoded = encode(segment.msgid)
            translation = decode(encoded, backend.translate([encoded.text], "fr", "en")[0])
            segments += 1
            findings = check_translation(segment.msgid, translation, source_lang="fr", target_lang="en")
            errors += [(path.parent.name, segment.line, f.message) for f in findings if f.is_error]
            translations[segment.msgid] = translation
        # As the build does: link rules and front matter keys applied after the translations.
        built = set_front_matter(rewrite_links(render(document, translations).text, LINK_RULES, "en"), LANG, "en")
        findings = check_rendered(document, built, source_lang="fr", target_lang="en")
        errors += [(path.parent.name, f.line or 0, f.message) for f in findings if f.is_error]
    assert segments > 5000
    # The one expected finding: JavaScript inside an inline <script> of a paragraph is text to the extractor,
    # so the pseudo-translation mangles its URL; the check rightly refuses it.
    unexpected = [
        error
        for error in errors
        if error[0] != "mes-tweets-les-plus-marquants-de-2013" or not error[2].startswith("links to a host")
    ]
    assert unexpected == []


def test_built_post_with_internal_html_links_rewritten_by_the_link_rules_is_fine() -> None:
    source = 'Voir <a href="/tech/a">la page</a> et <a href="https://example.org/x">le site</a>.\n'
    rewritten = 'See <a href="/en/tech/a">the page</a> and <a href="https://example.org/x">the site</a>.\n'
    assert check_rendered(extract(source), rewritten) == []
    block = '<div class="cta">\n  <a href="/tech/a">Voir</a>\n</div>\n'
    assert check_rendered(extract(block), block.replace('"/tech/a"', '"/en/tech/a"')) == []
    assert check_rendered(extract(block), block.replace('"cta"', '"x"'))[0].check == "structure-mismatch"
    elsewhere = 'See <a href="/en/tech/a">the page</a> and <a href="https://evil.example/x">the site</a>.\n'
    assert {"link-host-added", "html-added"} <= {f.check for f in check_rendered(extract(source), elsewhere)}


def test_built_post_front_matter_set_by_the_configuration_and_localized_links_are_trusted() -> None:
    source = '---\ntitle: "Levain"\n---\n\nVoir [l\'article](https://fr.wikipedia.org/wiki/Levain).\n'
    output = (
        '---\ntitle: "Sourdough"\ncanonical: "https://example.org/en/sourdough"\n---\n\n'
        "See [the article](https://en.wikipedia.org/wiki/Levain).\n"
    )
    assert check_rendered(extract(source), output, source_lang="fr", target_lang="en") == []
    assert {f.check for f in check_rendered(extract(source), output)} == {"link-host-added"}


# --- property: an injection anywhere in a translation is an error --------------------------------------------

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SEGMENT_PIECES = [
    "Le texte ",
    "un mot ",
    "**gras** ",
    "*léger* ",
    "`code` ",
    "[lien](/page) ",
    "![image](/a.png) ",
    "<kbd>x</kbd> ",
    "[^1] ",
    "85 % ",
    "« citation » ",
    "https://exemple.fr ",
    "[réf][r] ",
    "\n",
    "é",
    ":",
    "<",
]
INJECTIONS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "[promo](https://evil.example/x)",
    "<https://evil.example>",
    " www.evil.example ",
    "<iframe src=/x></iframe>",
    "<g1>",
    "<x2/>",
    "{alert(1)}",
    "{{ site.secret }}",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(SEGMENT_PIECES), min_size=1, max_size=12),
    st.sampled_from(INJECTIONS),
    st.integers(min_value=0),
)
def test_an_injection_anywhere_is_an_error(pieces: list[str], injection: str, where: int) -> None:
    msgid = "".join(pieces).strip() or "Le texte"
    position = where % (len(msgid) + 1)
    msgstr = msgid[:position] + injection + msgid[position:]
    findings = check_translation(msgid, msgstr, source_lang="fr", target_lang="en")
    assert any(finding.is_error for finding in findings), (msgid, msgstr, findings)


FAITHFUL = {
    "Le texte ": "The text ",
    "un mot ": "a word ",
    "**gras** ": "**bold** ",
    "*léger* ": "*light* ",
    "`code` ": "`code` ",
    "[lien](/page) ": "[link](/page) ",
    "![image](/a.png) ": "![picture](/a.png) ",
    "<kbd>x</kbd> ": "<kbd>x</kbd> ",
    "[^1] ": "[^1] ",
    "85 % ": "85% ",
    "« citation » ": "“quote” ",
    "https://exemple.fr ": "https://exemple.fr ",
    "[réf][r] ": "[ref][r] ",
    "\n": "\n",
    "é": "e",
    ":": ":",
    "<": "<",
}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list(FAITHFUL)), min_size=1, max_size=12))
@example(["<", "é", "https://exemple.fr "])  # "<ehttps:" is no autolink: it never closes
def test_a_faithful_translation_is_never_an_error(pieces: list[str]) -> None:
    msgid = "".join(pieces)
    msgstr = "".join(FAITHFUL[piece] for piece in pieces)
    findings = check_translation(msgid, msgstr, source_lang="fr", target_lang="en")
    assert not [finding for finding in findings if finding.is_error], (msgid, msgstr, findings)


def test_inline_code_a_reviewer_localized_is_a_warning_and_a_drafts_an_error() -> None:
    source = "Publish at `https://<username>.github.io/` with `s + enter`."
    localized = "Publiez sur `https://<nom-utilisateur>.github.io/` avec `s + Entrée`."

    def found(reviewed: bool) -> dict[str, str]:
        findings = check_translation(source, localized, source_lang="en", target_lang="fr", reviewed=reviewed)
        return {finding.check: finding.severity for finding in findings}

    assert found(reviewed=True) == {"code-changed": "warning"}
    assert found(reviewed=False) == {"code-mismatch": "error"}
    # a reviewed entry's code is still looked into for what it would inject
    for hostile, check in (
        ("Publiez sur `{{< evil >}}` avec `s + Entrée`.", "template-injected"),
        ("Publiez sur `https://evil.example/` avec `s + Entrée`.", "link-host-added"),
        ("Publiez sur `\x1b[2J` avec `s + Entrée`.", "control-character"),
    ):
        findings = check_translation(source, hostile, source_lang="en", target_lang="fr", reviewed=True)
        assert check in {finding.check for finding in findings if finding.is_error}
