"""MDX posts (Astro/Starlight, Docusaurus, Next.js): read as MDX reads them, translated without breaking them."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from conftest import run_l10n, translate_catalog, write
from corpus import SHARED_DATA
from oracle import compare, missing_reason
from pseudo import double_words, reference_labels

from l10n.checks import check_rendered, check_translation
from l10n.dialect_choice import DEFAULT_JSX_ATTRIBUTES, DEFAULT_JSX_VERBATIM
from l10n.document import extract, render
from l10n.document.markdown import Dialect
from l10n.translate.placeholders import decode, encode, verify

FIXTURE = Path(__file__).parent / "data" / "dialects" / "starlight-mdx.mdx"
MDX = Dialect(mdx=True, directives=True, jsx_attributes=DEFAULT_JSX_ATTRIBUTES, jsx_verbatim=DEFAULT_JSX_VERBATIM)
# A line of a msgid that is JSX flow (a line of tags) or ESM: what must never be in an entry
_FLOW_OR_ESM = re.compile(r"^[ \t]*(?:</?[A-Za-z][\w.:-]*(?:\s[^>]*)?/?>[ \t]*)+$|^(?:import|export) ", re.MULTILINE)


def msgids(text: str, dialect: Dialect = MDX) -> list[str]:
    return [segment.msgid for segment in extract(text, dialect=dialect).segments]


def pseudo(text: str, dialect: Dialect = MDX) -> str:
    document = extract(text, front_matter_keys=("title", "description"), dialect=dialect)
    labels = reference_labels(text)
    return render(document, {s.msgid: double_words(s.msgid, labels) + ' "q"' for s in document.segments}).text


# -- what is an entry -----------------------------------------------------------------------------------------


def test_components_are_block_level_without_blank_lines_and_their_markdown_is_translated() -> None:
    text = "Installez :\n<Steps>\n1. Lancez la commande.\n2. Saisissez `y`.\n</Steps>\n<Aside>\nUn conseil.\n</Aside>\n"
    assert msgids(text) == ["Installez :", "Lancez la commande.", "Saisissez `y`.", "Un conseil."]
    # the same text read as CommonMark: the tags are glued to the paragraphs
    assert "</Steps>" in " ".join(msgids(text, Dialect()))


def test_esm_expressions_and_comments_are_never_entries() -> None:
    text = (
        "import { Aside } from '@astrojs/starlight/components';\nexport const meta = {\n  titre: 'x',\n};\n\n"
        "{/* un commentaire */}\n{frontmatter.title}\n\nTexte {props.nom} ici.\n"
    )
    assert msgids(text) == ["Texte {props.nom} ici."]


def test_the_fixture_entries_and_their_kinds() -> None:
    document = extract(FIXTURE.read_text(encoding="utf-8"), front_matter_keys=("title", "description"), dialect=MDX)
    kinds = {segment.msgid: segment.kind for segment in document.segments}
    assert kinds["Un conseil « utile »"] == "jsx title (Aside)"
    assert kinds["Linux et macOS"] == "jsx label (TabItem)"
    assert kinds["Ouvrez le dossier créé."] == "list item"
    assert kinds["Ouvrez PowerShell, puis tapez la commande."] == "paragraph"
    assert not any("config.yml" in msgid or "FileTree" in msgid for msgid in kinds)  # verbatim component
    assert not any(_FLOW_OR_ESM.search(msgid) for msgid in kinds)


def test_a_jsx_attribute_entry_names_component_and_attribute_in_the_catalog(tmp_path: Path) -> None:
    write(tmp_path / "l10n.toml", 'source_dir = "docs/fr"\noutput_dir = "docs/{lang}"\n')
    write(tmp_path / "docs/fr/guide.mdx", FIXTURE.read_text(encoding="utf-8"))
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    entry = polib.pofile(str(tmp_path / "locales/en/guide.po")).find("Un conseil « utile »")
    assert entry is not None and "jsx title (Aside)" in entry.comment


def test_identity_is_byte_exact_crlf_included() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    for variant in (text, text.replace("\n", "\r\n")):
        document = extract(variant, dialect=MDX)
        assert render(document, {}).text == variant
        assert render(document, {s.msgid: s.msgid for s in document.segments}, force=True).text == variant


# -- write-back -----------------------------------------------------------------------------------------------


def test_a_translated_attribute_is_requoted_safely() -> None:
    text = '<Aside type="tip" title="Un conseil">\nTexte.\n</Aside>\n'
    out = render(extract(text, dialect=MDX), {"Un conseil": 'A "useful" tip'}).text
    assert out.splitlines()[0] == '<Aside type="tip" title="A &#34;useful&#34; tip">'
    single = "<TabItem label='Linux'>\nTexte.\n</TabItem>\n"
    assert "label='Linux &#39;n&#39; Mac'" in render(extract(single, dialect=MDX), {"Linux": "Linux 'n' Mac"}).text


def test_a_line_break_before_a_component_stays_whatever_the_length() -> None:
    text = "Le fichier se place dans `public/admin/` :\n    <FileTree>\n    - public/\n    </FileTree>\n"
    long = "The file goes in the `public/admin/` folder of your project, next to the others:"
    out = render(extract(text, dialect=MDX), {"Le fichier se place dans `public/admin/` :": long}).text
    assert out == f"{long}\n    <FileTree>\n    - public/\n    </FileTree>\n"


def test_inline_components_are_atomic_placeholders_for_machine_translation() -> None:
    msgid = "Appuyez sur <Kbd>Ctrl</Kbd> + <Kbd>C</Kbd> dans {props.app}."
    encoded = encode(msgid, dialect=MDX)
    assert encoded.text == "Appuyez sur <x1/>Ctrl<x2/> + <x3/>C<x4/> dans <x5/>."
    draft = decode(encoded, "Press <x1/>Ctrl<x2/> + <x3/>C<x4/> in <x5/>.")
    assert draft == "Press <Kbd>Ctrl</Kbd> + <Kbd>C</Kbd> in {props.app}."
    assert verify(msgid, draft, dialect=MDX) == []
    assert verify(msgid, "Press <Kbd>Ctrl</Kbd> + C in {props.app}.", dialect=MDX)


# -- attacks: refused with a check id ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("translation", "check"),
    [
        ("Press <Kbd>Ctrl</Kbd> <Note.Evil /> in {props.app}.", "syntax-mismatch"),
        ("Press <Kbd>Ctrl</Kbd> <Note_x /> in {props.app}.", "syntax-mismatch"),
        ("Press <Kbd>Ctrl</Kbd> <Script>x</Script> in {props.app}.", "syntax-mismatch"),
        ("Press <Kbd>Ctrl</Kbd> in {props.evil}.", "syntax-mismatch"),
        ("Press <Kbd>Ctrl</Kbd> in {props.app}. <!-- note -->", "mdx-syntax"),
        ("Press <Kbd>Ctrl</Kbd> if a<3 in {props.app}.", "mdx-syntax"),
        ("Press <Kbd>Ctrl</Kbd> <b in {props.app}.", "mdx-syntax"),
        ("Press <Kbd>Ctrl</Kbd> in {props.app} {oops.", "mdx-syntax"),
    ],
)
def test_what_mdx_would_reject_or_a_changed_component_is_refused(translation: str, check: str) -> None:
    msgid = "Appuyez sur <Kbd>Ctrl</Kbd> dans {props.app}."
    findings = check_translation(msgid, translation, source_lang="fr", target_lang="en", dialect=MDX)
    assert check in {finding.check for finding in findings if finding.is_error}


def test_the_same_text_is_fine_where_mdx_does_not_apply() -> None:
    findings = check_translation("Si a<3 alors.", "If a<3 then.", source_lang="fr", target_lang="en")
    assert not [finding for finding in findings if finding.is_error]
    assert check_translation("Si 1 < 3 alors.", "If 1 < 3 then.", source_lang="fr", target_lang="en", dialect=MDX) == []


def test_a_built_post_with_a_component_changed_is_a_structure_mismatch() -> None:
    text = '<Aside type="tip" title="Titre">\nTexte.\n</Aside>\n\nVoir <Kbd>Ctrl</Kbd>.\n'
    document = extract(text, dialect=MDX)
    translated = 'Aside translated: <Aside type="tip" title="Title">\nText.\n</Aside>\n\nSee <Kbd>Ctrl</Kbd>.\n'
    assert not [f for f in check_rendered(document, translated[len("Aside translated: ") :]) if f.is_error]
    for changed in (
        text.replace('type="tip"', 'type="danger"'),
        text.replace("<Kbd>Ctrl</Kbd>", "<Kbd>Ctrl</Kbd> <Evil />"),
        text.replace("</Aside>\n", "</Aside>\n<Aside>\nNew.\n</Aside>\n"),
        text + "\n<!-- x -->\n",
    ):
        findings = [f for f in check_rendered(document, changed) if f.is_error]
        assert findings and findings[0].check in ("structure-mismatch", "mdx-syntax")
        assert findings[0].line is not None


def test_a_built_post_whose_component_text_and_same_page_anchors_follow_the_translation_passes() -> None:
    # A component's translated attributes (description) and a <a href="#..."> that follows a translated heading
    # are what a good build produces; an external href changed is not.
    text = (
        '## L\'instance app\n\n<LinkCard\n  title="Apprendre"\n  href="https://a.example/"\n'
        '  description="Un cours."\n/>\n\n<code><a href="#linstance-app">app</a></code>\n'
    )
    document = extract(text, dialect=MDX)
    built = (
        '## The app instance\n\n<LinkCard\n  title="Learn"\n  href="https://a.example/"\n'
        '  description="A course."\n/>\n\n<code><a href="#the-app-instance">app</a></code>\n'
    )
    assert not [f for f in check_rendered(document, built) if f.is_error]
    hijacked = built.replace("https://a.example/", "https://evil.example/")
    assert [f for f in check_rendered(document, hijacked) if f.is_error]


ATTACKS = {
    "new component": ("Un conseil utile.", "A useful <Note.Evil /> tip."),
    "html comment": ("Un conseil utile.", "A useful tip. <!-- hidden -->"),
    "bare less-than": ("Un conseil utile.", "A useful tip if a<3."),
    "unclosed tag": ("Un conseil utile.", "A useful <b tip."),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_attack_never_reaches_a_built_mdx_post(tmp_path: Path, attack: str) -> None:
    msgid, msgstr = ATTACKS[attack]
    write(tmp_path / "l10n.toml", 'source_dir = "docs/fr"\noutput_dir = "docs/{lang}"\nmin_completion = 0\n')
    write(tmp_path / "docs/fr/guide.mdx", f"import X from './x';\n\n<Aside>\n{msgid}\n</Aside>\n")
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    assert translate_catalog(tmp_path / "locales/en/guide.po", {msgid: msgstr}) == 1
    result = run_l10n("build", cwd=tmp_path)
    assert re.search(r"locales/en/guide\.po:\d+: .*\b(syntax-mismatch|mdx-syntax)\b", result.stderr + result.stdout)
    output = tmp_path / "docs/en/guide.mdx"
    assert not output.exists() or msgstr not in output.read_text(encoding="utf-8")


def test_a_dialect_change_extracts_again(tmp_path: Path) -> None:
    write(tmp_path / "l10n.toml", 'source_dir = "docs/fr"\noutput_dir = "docs/{lang}"\ndialect = "commonmark"\n')
    write(tmp_path / "docs/fr/guide.md", "Installez :\n<Steps>\n1. Lancez.\n</Steps>\n")
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    assert polib.pofile(str(tmp_path / "locales/en/guide.po")).find("Lancez.") is None
    write(tmp_path / "l10n.toml", 'source_dir = "docs/fr"\noutput_dir = "docs/{lang}"\ndialect = "mdx"\n')
    assert run_l10n("extract", cwd=tmp_path).returncode == 0
    assert polib.pofile(str(tmp_path / "locales/en/guide.po")).find("Lancez.") is not None


# -- the framework's own parser as the oracle -------------------------------------------------------------------


def _real_mdx_posts() -> list[tuple[Path, Dialect]]:
    posts = [(path, MDX) for path in sorted(SHARED_DATA.rglob("*.mdx")) if "/en/" not in path.as_posix()]
    react = SHARED_DATA / "corpus-fr" / "react-fr"  # react.dev compiles its .md pages as MDX
    return posts + [(path, MDX) for path in sorted(react.rglob("*.md"))]


def test_pseudo_translated_fixture_means_the_same_to_remark_and_compiles() -> None:
    if reason := missing_reason():
        pytest.skip(reason)
    text = FIXTURE.read_text(encoding="utf-8")
    output = pseudo(text)
    assert output != text
    result = compare([(FIXTURE.name, text, output)], mdx=[True])
    assert result.same, result.differences


def test_real_mdx_posts_identity_entries_and_oracle() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} not found: the real MDX posts were not tested")
    if reason := missing_reason():
        pytest.skip(reason)
    pairs, flow_in_msgids = [], []
    for path, dialect in _real_mdx_posts():
        text = path.read_text(encoding="utf-8")
        document = extract(text, front_matter_keys=("title", "description"), dialect=dialect)
        assert render(document, {}).text == text, path
        flow_in_msgids += [
            f"{path}:{s.line}"
            for s in document.segments
            if not s.kind.startswith("front matter") and _FLOW_OR_ESM.search(s.msgid)
        ]
        pairs.append((str(path.relative_to(SHARED_DATA)), text, pseudo(text, dialect)))
    assert len(pairs) > 150
    assert flow_in_msgids == []
    result = compare(pairs, mdx=[True] * len(pairs))
    assert result.same, result.differences[:10]


def test_in_commonmark_a_tag_line_inside_a_paragraph_keeps_its_breaks() -> None:
    text = "Le fichier se place dans le dossier `public/admin/` :\n    <FileTree>\n    - public/\n    </FileTree>\n"
    document = extract(text)  # CommonMark: the tags are inline HTML of one paragraph
    (msgid,) = [segment.msgid for segment in document.segments]
    for start in ("The file goes in the big and shiny", "In"):
        translation = msgid.replace("Le fichier se place dans le dossier", start)
        out = render(document, {msgid: translation}).text
        assert out == f"{start} `public/admin/` :\n    <FileTree>\n    - public/\n    </FileTree>\n"
