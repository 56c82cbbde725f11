"""Disguised links and invisible characters in translations, by hand and from a hostile MT engine (issue 16).

Each payload is appended to an otherwise faithful translation. By hand (a PO edited and built with
``--include-fuzzy``), ``check`` must name the entry's file and line with the payload's check id and the payload
must not reach the built post; from machine translation (the local fake server appending it to its answer),
the draft must not be written. The legitimate cases (the source's own hosts and e-mail, an IDN host the source
has, French typography with U+202F) must pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from mt_server import MTServer
from test_poisoned_catalog import run

from l10n.checks import check_rendered, check_translation, source_facts
from l10n.config import load_config
from l10n.document import extract
from l10n.hosts import links, normalize_host
from l10n.project import iter_posts
from l10n.run import operations
from l10n.translate.command import translate_project
from l10n.translate.orchestrator import RetryPolicy
from l10n.translate.placeholders import verify

# (payload, check id, the bytes that must not reach a built post)
PAYLOADS = [
    ("see https://evil\uff0ecom/x", "link-host-added", "evil\uff0ecom"),
    ("see evil\u3002com", "link-host-added", "evil\u3002com"),
    ("see https://evil%2Ecom/x", "link-host-added", "evil%2Ecom"),
    ("see www.evil\uff0ecom", "link-host-added", "www.evil"),
    ("see http://2130706433/", "link-host-added", "2130706433"),
    ("see https://exemple.fr@evil.com/", "link-host-added", "@evil.com"),
    ("write to attacker@evil.com", "link-added", "attacker@evil.com"),
    ("mailto:attacker@evil.com", "link-added", "mailto:attacker"),
    ("xmpp:attacker@evil.com", "link-added", "xmpp:attacker"),
    ("call tel:+19005550100", "link-added", "tel:+1900"),
    ('<a href="steam:run/1">play</a>', "link-added", "steam:run"),
    ("[play](zoommtg:join)", "link-added", "zoommtg:join"),
    ("file\u202egnp.exe", "control-character", "\u202e"),
    ("null\x00byte", "control-character", "\x00"),
    ("\x1b[31mred", "control-character", "\x1b"),
]
ZERO_WIDTH = ("pass\u200bword", "invisible-character")

SOURCE_TEXT = "Le site [exemple](https://exemple.fr/a) répond à contact@exemple.fr depuis 2020."
GOOD_TEXT = "The site [example](https://exemple.fr/a) answers contact@exemple.fr since 2020."


def ids(msgid: str, msgstr: str) -> dict[str, str]:
    return {f.check: f.severity for f in check_translation(msgid, msgstr, source_lang="fr", target_lang="en")}


@pytest.mark.parametrize(("payload", "check", "_marker"), PAYLOADS, ids=[p[1] + "-" + repr(p[0]) for p in PAYLOADS])
def test_each_payload_in_a_translation_is_an_error(payload: str, check: str, _marker: str) -> None:
    assert ids(SOURCE_TEXT, GOOD_TEXT) == {}
    found = ids(SOURCE_TEXT, f"{GOOD_TEXT[:-1]} {payload}.")
    assert found.get(check) == "error", found


def test_a_zero_width_character_is_a_warning() -> None:
    payload, check = ZERO_WIDTH
    assert ids(SOURCE_TEXT, f"{GOOD_TEXT[:-1]} {payload}.") == {check: "warning"}


def test_the_source_worked_out_once_finds_what_each_check_finds() -> None:
    # A translate run reads each msgid once (source_facts) for all its drafts: nothing may slip through that way.
    facts = source_facts(SOURCE_TEXT)
    other = source_facts("Un texte sans lien.")  # given for another msgid, it is not used
    drafts = [GOOD_TEXT, GOOD_TEXT.replace("https://exemple.fr/a", "https://evil.example/a"),
              GOOD_TEXT.replace("[example]", "**example**"), f"{GOOD_TEXT} <img src=x onerror=alert(1)>",
              *(f"{GOOD_TEXT[:-1]} {payload}." for payload, _check, _marker in PAYLOADS)]
    for draft in drafts:
        expected = check_translation(SOURCE_TEXT, draft, source_lang="fr", target_lang="en")
        for given in (facts, other):
            assert check_translation(SOURCE_TEXT, draft, source_lang="fr", target_lang="en", source=given) == expected
    assert any(f.is_error for f in check_translation(SOURCE_TEXT, drafts[1], source_lang="fr", target_lang="en",
                                                     source=facts))


def test_the_same_payloads_fail_the_machine_translation_verifier() -> None:
    assert verify(SOURCE_TEXT, GOOD_TEXT) == []
    for payload, check, _marker in PAYLOADS:
        if check.startswith("link"):
            assert verify(SOURCE_TEXT, f"{GOOD_TEXT[:-1]} {payload}."), payload


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        # the source's own host and e-mail, also as mailto: and with the host in another case or www.
        (SOURCE_TEXT, "The site [example](https://exemple.fr/a) answers mailto:contact@EXEMPLE.fr since 2020."),
        # an IDN host the source has, written in Unicode or as punycode
        ("Voir https://café.fr/menu pour le menu.", "See https://xn--caf-dma.fr/menu for the menu."),
        ("Voir https://café.fr/menu pour le menu.", "See https://café.fr/menu for the menu."),
        # French typography with U+202F (narrow no-break space) in a French translation
        ("Le site\u202f: exemple.fr\u202f!", "Le site\u202f: exemple.fr\u202f!"),
        # a bidi isolate and a zero-width joiner the source has; an emoji ZWJ sequence
        ("Nom\u2068 عربي \u2069 ici.", "Name\u2068 عربي \u2069 here."),
        ("Une famille 👨\u200d👩\u200d👧 heureuse.", "A happy 👨\u200d👩\u200d👧 family."),
        # inline code before a colon, file names and abbreviations are not links
        ("Lancez `npm` puis `README.md` : fini.", "Run `npm` then `README.md`: done, e.g. with Node.js."),
        # prose with a colon is not a scheme, nor a quoted name:value string outside an attribute (code)
        ("Remarque : ceci compte.", "Note: this counts."),
        ('Envoyez `x` avec send("mon-appli:message").', 'Send `x` with send("my-app:message").'),
        # a Wikipedia link localized to the reader's language
        (
            "Voir [l'article](https://fr.wikipedia.org/wiki/Pain).",
            "See [the article](https://en.wikipedia.org/wiki/Pain).",
        ),
    ],
)
def test_legitimate_translations_pass(source: str, translation: str) -> None:
    target = "fr" if "\u202f" in translation else "en"
    findings = check_translation(source, translation, source_lang="fr", target_lang=target)
    assert [f for f in findings if f.check != "number-mismatch"] == []


def test_hosts_are_normalized_as_a_url_parser_does() -> None:
    assert normalize_host("EVIL%2Ecom") == "evil.com"
    assert normalize_host("evil\u3002com") == "evil.com"
    assert normalize_host("evil\uff61com.") == "evil.com"
    assert normalize_host("user:pw@good.com@evil.com:8080") == "evil.com"
    assert normalize_host("2130706433") == "127.0.0.1"
    assert normalize_host("0x7f.1") == "127.0.0.1"
    assert normalize_host("0177.0.0.01") == "127.0.0.1"
    assert normalize_host("127.1") == "127.0.0.1"
    assert normalize_host("café.FR") == "xn--caf-dma.fr"
    assert normalize_host("[::1]:80") == "[::1]"
    assert [link.key for link in links("ftp://files.example/x")] == ["files.example", "ftp:"]
    assert [link.key for link in links("https://2130706433/ and evil.com/x")] == ["127.0.0.1", "evil.com"]


# --- by hand: a catalog edited and built -------------------------------------------------------------------


def _post() -> str:
    paragraphs = [f"Paragraphe {index} sur [exemple](https://exemple.fr/{index}) ici." for index in range(20)]
    return "---\ntitle: Le titre\n---\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def hand_edited(tmp_path: Path) -> tuple[Path, dict[str, tuple[str, str]]]:
    """A site whose English catalog has one payload per paragraph (and the zero-width one in the title)."""
    project = tmp_path / "site"
    (project / "content" / "fr").mkdir(parents=True)
    (project / "content" / "fr" / "post.md").write_text(_post(), encoding="utf-8")
    (project / "l10n.toml").write_text(
        'source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\n', encoding="utf-8"
    )
    assert run(project, "extract").returncode == 0
    catalog_path = project / "locales" / "en" / "post.po"
    catalog = polib.pofile(str(catalog_path))
    poisoned: dict[str, tuple[str, str]] = {}
    for index, (payload, check, marker) in enumerate(PAYLOADS):
        entry = next(e for e in catalog if e.msgid.startswith(f"Paragraphe {index} "))
        entry.msgstr = f"Paragraph {index} about [example](https://exemple.fr/{index}) here, {payload}."
        poisoned[entry.msgid] = (check, marker)
    title = next(e for e in catalog if e.msgid == "Le titre")
    title.msgstr = "The ti\u200btle"
    catalog.save(str(catalog_path))
    return project, poisoned


def test_hand_edited_payloads_are_named_and_never_reach_the_output(
    hand_edited: tuple[Path, dict[str, tuple[str, str]]],
) -> None:
    project, poisoned = hand_edited
    built = run(project, "build", "--include-fuzzy")
    assert built.returncode == 1, built.stdout + built.stderr
    output = (project / "content" / "en" / "post.md").read_text(encoding="utf-8")
    for msgid, (_check, marker) in poisoned.items():
        assert marker not in output, (marker, msgid)
        assert msgid in output  # the source text stays in place of the refused translation
    checked = run(project, "check", "--format", "json")
    assert checked.returncode == 1
    diagnostics = json.loads(checked.stdout)
    lines = {entry.msgid: entry.linenum for entry in polib.pofile(str(project / "locales" / "en" / "post.po"))}
    for msgid, (check, _marker) in poisoned.items():
        assert any(
            item["check"] == check and item["path"] == "locales/en/post.po" and item["line"] == lines[msgid]
            for item in diagnostics
        ), (msgid, check)
    # the zero-width character is a warning with its line (the entry is still used)
    assert any(
        item["check"] == "invisible-character" and item["line"] == lines["Le titre"] and item["severity"] == "warning"
        for item in diagnostics
    )
    for item in diagnostics:  # every message prints on one line, whatever the payload
        assert item["message"].isprintable()


def test_a_hand_edited_output_with_a_disguised_link_fails_check(
    hand_edited: tuple[Path, dict[str, tuple[str, str]]],
) -> None:
    project, _poisoned = hand_edited
    run(project, "build", "--include-fuzzy")
    output_path = project / "content" / "en" / "post.md"
    text = output_path.read_text(encoding="utf-8")
    output_path.write_text(text.rstrip("\n") + " See www.evil\uff0ecom or \u202eevil.\n", encoding="utf-8")
    source = (project / "content" / "fr" / "post.md").read_text(encoding="utf-8")
    found = {f.check for f in check_rendered(extract(source), output_path.read_text(encoding="utf-8"))}
    assert {"link-host-added", "control-character"} <= found


# --- from machine translation: the fake server appends the payload ----------------------------------------


@pytest.fixture
def server() -> Iterator[MTServer]:
    with MTServer() as running:
        yield running


@pytest.mark.parametrize(
    ("payload", "check"), [(p[0], p[1]) for p in PAYLOADS] + [ZERO_WIDTH], ids=lambda value: repr(value)[:20]
)
def test_a_machine_draft_with_a_payload_is_not_written(
    tmp_path: Path, server: MTServer, payload: str, check: str
) -> None:
    (tmp_path / "content" / "fr").mkdir(parents=True)
    (tmp_path / "content" / "fr" / "post.md").write_text(
        "# Le potager\n\nIl reste beaucoup à faire au [jardin](https://exemple.fr/jardin) en hiver.\n", encoding="utf-8"
    )
    (tmp_path / "l10n.toml").write_text(
        f'source_lang = "fr"\ntarget_langs = ["en"]\nbackend = "libre"\n[backends.libre]\nurl = "{server.url}"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    operations.extract_catalogs(config, iter_posts(config), ["en"]).commit()
    server.script("jardin", [f"append:{payload}"] * 2)  # the first answer and the one retry
    [report] = translate_project(
        config, retry=RetryPolicy(attempts=1, base_delay=0, max_delay=0), timeout=2.0, environ={}
    )
    catalog = polib.pofile(str(config.locales_dir / "en" / "post.po"))
    entry = next(e for e in catalog if "jardin" in e.msgid)
    assert entry.msgstr == ""  # not written: build can never use it
    [failure] = [f for f in report.failures if "jardin" in f.msgid]
    assert failure.line in range(entry.linenum - 3, entry.linenum + 1)  # the entry's first line
    assert f"[{check}]" in failure.reason
    assert str(failure.path).endswith("post.po")
    heading = next(e for e in catalog if e.msgid == "Le potager")
    assert heading.msgstr == "lE POTAGER"  # the other entry got its draft


@pytest.mark.parametrize("payload", ["\u202e", "\x1b[31m", "\x00", "\u2066"], ids=["RLO", "ESC", "NUL", "LRI"])
def test_a_control_character_in_a_front_matter_translation_never_reaches_the_output(
    tmp_path: Path, payload: str
) -> None:
    """Item 3's "same in front matter values": a translated title with a control character is an error
    naming the catalog and line, and the built post keeps the source's title."""
    project = tmp_path / "site"
    (project / "content" / "fr").mkdir(parents=True)
    (project / "content" / "fr" / "post.md").write_text(
        "---\ntitle: Le titre\ndescription: Une description\n---\n\nUn paragraphe.\n", encoding="utf-8"
    )
    (project / "l10n.toml").write_text(
        'source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\n', encoding="utf-8"
    )
    assert run(project, "extract").returncode == 0
    catalog_path = project / "locales" / "en" / "post.po"
    catalog = polib.pofile(str(catalog_path))
    for entry in catalog:
        entry.msgstr = {"Le titre": f"The {payload}title", "Une description": "A description"}.get(
            entry.msgid, "A paragraph."
        )
    catalog.save(str(catalog_path))
    built = run(project, "build")
    assert built.returncode == 1, built.stdout + built.stderr
    output = (project / "content" / "en" / "post.md").read_text(encoding="utf-8")
    assert payload not in output
    assert "title: Le titre\n" in output and "description: A description\n" in output
    checked = run(project, "check", "--format", "json")
    line = next(entry.linenum for entry in polib.pofile(str(catalog_path)) if entry.msgid == "Le titre")
    assert any(
        item["check"] == "control-character" and item["path"] == "locales/en/post.po" and item["line"] == line
        for item in json.loads(checked.stdout)
    ), checked.stdout
