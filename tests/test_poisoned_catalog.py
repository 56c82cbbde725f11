"""A poisoned catalog, end to end through the installed ``l10n`` command in a temporary project.

Every entry of the English catalog is an injection or a damaging mistake, marked fuzzy like a machine draft,
and the post is built with ``--include-fuzzy``: no injected byte may reach ``content/en/``, and ``l10n check``
must name each poisoned entry (its PO file and line) with the right check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SOURCE = """\
---
title: "Le RGPD expliqué"
description: "Un guide court"
---

# Le RGPD expliqué

Lisez [notre guide](/guide) avant de commencer.

Le règlement s'applique depuis 2018 à toutes les entreprises.

Ajoutez `set -euo pipefail` en tête du script.

- **Analyse des risques**
- Conformité RGPD et HIPAA

Un schéma ![simple](/img/schema.png) suffit.

Consultez [la documentation](/docs) pour plus de détails.

Le système **Ada Health** guide le diagnostic.

Les données personnelles sont protégées.

Voir l'image <img src="/img/a.png" alt="schéma"> ci-dessus.

Ce guide s'appuie sur les publications officielles.

Une note de bas de page[^1] suffit.

Fin du guide.

[^1]: La note.
"""

# msgid -> (poisoned msgstr, check ids `l10n check` must report for it, bytes that must not reach the output)
POISON: dict[str, tuple[str, set[str], tuple[str, ...]]] = {
    "Le RGPD expliqué": (
        "GDPR explained<script>alert(document.cookie)</script>",
        {"script-injected", "html-added"},
        ("<script", "alert(document.cookie)"),
    ),
    "Lisez [notre guide](/guide) avant de commencer.": (
        "Read [our guide](https://evil.example/phish) before you start.",
        {"link-mismatch", "link-host-added"},
        ("evil.example", "phish"),
    ),
    "Ajoutez `set -euo pipefail` en tête du script.": (
        "Add `set -euo pipe failure` at the top of the script.",
        {"code-mismatch"},
        ("pipe failure",),
    ),
    "**Analyse des risques**": ("Risk analysis", {"emphasis-mismatch"}, ("Risk analysis",)),
    "Conformité RGPD et HIPAA": ("RGPD and HIPAA compliance", {"glossary-term"}, ("RGPD and HIPAA compliance",)),
    "Un schéma ![simple](/img/schema.png) suffit.": (
        "A ![simple](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) diagram is enough.",
        {"image-mismatch", "unsafe-url"},
        ("data:image", "PHN2Zy"),
    ),
    "Consultez [la documentation](/docs) pour plus de détails.": (
        "See [the documentation](javascript:alert(1)) for more details.",
        {"link-mismatch", "unsafe-url"},
        ("javascript:",),
    ),
    "Le système **Ada Health** guide le diagnostic.": (
        "The <g1>Ada Health</g1> system guides the diagnosis.",
        {"placeholder-damage", "emphasis-mismatch"},
        ("<g1>", "</g1>"),
    ),
    "Les données personnelles sont protégées.": (
        'Personal data is protected.<iframe src="https://tracker.example/x"></iframe>',
        {"script-injected", "html-added", "link-host-added"},
        ("<iframe", "tracker.example"),
    ),
    'Voir l\'image <img src="/img/a.png" alt="schéma"> ci-dessus.': (
        'See the picture <img src="/img/a.png" alt="diagram" onerror="alert(2)"> above.',
        {"event-handler-injected", "html-added", "html-mismatch"},
        ("onerror", "alert(2)"),
    ),
    "Ce guide s'appuie sur les publications officielles.": (
        "This guide draws on the [official publications](https://cheap-pills.example/buy).",
        {"link-mismatch", "link-host-added"},
        ("cheap-pills.example",),
    ),
    "Une note de bas de page[^1] suffit.": (
        "A footnote[^2] is enough <a href=vbscript:msgbox(1)>here</a>.",
        {"footnote-mismatch", "unsafe-url", "html-added"},
        ("[^2]", "vbscript:", "msgbox"),
    ),
}
# Faithful translations, which must be used.
GOOD = {
    "Un guide court": "A short guide",
    "Le règlement s'applique depuis 2018 à toutes les entreprises.": (
        "The regulation has applied to every company since 2018."
    ),
    "Fin du guide.": "End of the guide.",
    "La note.": "The note.",
}


def l10n_command() -> list[str]:
    installed = shutil.which("l10n", path=str(Path(sys.executable).parent)) or shutil.which("l10n")
    return [installed] if installed else [sys.executable, "-m", "l10n"]


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    return subprocess.run(
        [*l10n_command(), "--root", str(project), *args],
        capture_output=True,
        text=True,
        cwd=project,
        env=environment,
        timeout=300,
    )


@pytest.fixture
def poisoned_project(tmp_path: Path) -> Path:
    project = tmp_path / "site"
    (project / "content" / "fr").mkdir(parents=True)
    (project / "content" / "fr" / "guide.md").write_text(SOURCE, encoding="utf-8")
    (project / "l10n.toml").write_text(
        'source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\ninclude_fuzzy = true\n', encoding="utf-8"
    )
    (project / "locales").mkdir()
    (project / "locales" / "glossary.tsv").write_text("fr\ten\nRGPD\tGDPR\n", encoding="utf-8")
    extracted = run(project, "extract")
    assert extracted.returncode == 0, extracted.stderr

    catalog_path = project / "locales" / "en" / "guide.po"
    catalog = polib.pofile(str(catalog_path))
    msgids = {entry.msgid for entry in catalog}
    assert set(POISON) | set(GOOD) <= msgids, sorted(set(POISON) | set(GOOD) - msgids)
    for entry in catalog:
        if entry.msgid in POISON:
            entry.msgstr = POISON[entry.msgid][0]
            entry.flags.append("fuzzy")
            entry.tcomment = "machine translation (poisoned on purpose)"
        elif entry.msgid in GOOD:
            entry.msgstr = GOOD[entry.msgid]
    catalog.save(str(catalog_path))
    return project


def entry_lines(catalog_path: Path) -> dict[str, int]:
    """msgid -> the line number the command should name for it (polib's, i.e. the entry's msgid line)."""
    return {entry.msgid: entry.linenum for entry in polib.pofile(str(catalog_path))}


def test_no_injected_byte_reaches_the_output(poisoned_project: Path) -> None:
    built = run(poisoned_project, "build", "--include-fuzzy")
    assert built.returncode == 1, built.stdout + built.stderr  # errors found, reported
    output = (poisoned_project / "content" / "en" / "guide.md").read_text(encoding="utf-8")
    for msgid, (_msgstr, _checks, markers) in POISON.items():
        for marker in markers:
            assert marker not in output, f"{marker!r} from the translation of {msgid!r} reached the output"
        assert msgid in output  # the source text stays
    for translation in GOOD.values():
        assert translation in output
    # The output is the source with exactly the good translations in it: nothing else moved.
    expected = SOURCE
    for msgid, msgstr in GOOD.items():
        expected = expected.replace(msgid, msgstr)
    assert output == expected
    # Every rejected entry is reported by the build itself.
    for msgid in POISON:
        line = entry_lines(poisoned_project / "locales" / "en" / "guide.po")[msgid]
        assert f"locales/en/guide.po:{line}:" in built.stderr, (msgid, built.stderr)


def test_check_names_each_poisoned_entry(poisoned_project: Path) -> None:
    assert run(poisoned_project, "build", "--include-fuzzy").returncode == 1
    checked = run(poisoned_project, "check", "--format", "json")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    diagnostics = json.loads(checked.stdout)
    lines = entry_lines(poisoned_project / "locales" / "en" / "guide.po")
    for msgid, (_msgstr, expected_checks, _markers) in POISON.items():
        found = {
            item["check"]
            for item in diagnostics
            if item["path"] == "locales/en/guide.po" and item["line"] == lines[msgid]
        }
        assert expected_checks <= found, (msgid, found)
        assert all(
            item["severity"] == "error"
            for item in diagnostics
            if item["line"] == lines[msgid] and item["check"] in expected_checks
        )
    good_lines = {lines[msgid] for msgid in GOOD}
    assert not [item for item in diagnostics if item["line"] in good_lines and item["severity"] == "error"]
    # The built output is up to date and sound: no problem is reported on it.
    assert not [item for item in diagnostics if item["path"].startswith("content/")]


def test_github_annotations_point_at_the_catalog_entry(poisoned_project: Path) -> None:
    run(poisoned_project, "build", "--include-fuzzy")
    checked = run(poisoned_project, "check", "--format", "github")
    assert checked.returncode == 1
    annotations = [line for line in checked.stdout.splitlines() if line.startswith("::")]
    line = entry_lines(poisoned_project / "locales" / "en" / "guide.po")[
        "Consultez [la documentation](/docs) pour plus de détails."
    ]
    assert any(a.startswith(f"::error file=locales/en/guide.po,line={line},title=unsafe-url::") for a in annotations), (
        annotations
    )
    for annotation in annotations:
        assert annotation.isprintable()


def test_a_hand_edited_output_with_an_injection_fails_check(poisoned_project: Path) -> None:
    run(poisoned_project, "build", "--include-fuzzy")
    output_path = poisoned_project / "content" / "en" / "guide.md"
    text = output_path.read_text(encoding="utf-8")
    injected = text.replace("End of the guide.", "End.\n\n<script src=//x.example/a.js></script>")
    output_path.write_text(injected, encoding="utf-8")
    checked = run(poisoned_project, "check", "--format", "json")
    assert checked.returncode == 1
    on_output = {item["check"] for item in json.loads(checked.stdout) if item["path"] == "content/en/guide.md"}
    assert "not-written-by-l10n" in on_output  # an error; was stale-output before issue 13 (edited by hand)


def test_sync_names_the_lines_of_the_catalog_it_rewrites_in_the_same_run(poisoned_project: Path) -> None:
    """A source edit moves every entry of the catalog that sync rewrites and then builds from: the build's
    findings name the entries' lines in the new catalog."""
    source = poisoned_project / "content" / "fr" / "guide.md"
    text = source.read_text(encoding="utf-8")
    body = text.index("\n---\n") + len("\n---\n")
    source.write_text(text[:body] + "\nUn paragraphe ajouté en tête.\n" + text[body:], encoding="utf-8")
    catalog_path = poisoned_project / "locales" / "en" / "guide.po"
    before = entry_lines(catalog_path)
    synced = run(poisoned_project, "sync")
    assert synced.returncode == 1, synced.stdout + synced.stderr
    after = entry_lines(catalog_path)
    assert sum(after[msgid] != before[msgid] for msgid in POISON) >= len(POISON) // 2  # entries moved
    for msgid in POISON:
        assert f"locales/en/guide.po:{after[msgid]}:" in synced.stderr, (msgid, after[msgid], synced.stderr)


def test_inline_code_localized_by_a_reviewer_is_built_and_a_drafts_is_not(tmp_path: Path) -> None:
    project = tmp_path / "site"
    (project / "content" / "fr").mkdir(parents=True)
    (project / "content" / "fr" / "cli.md").write_text("Tapez `o + entrée` pour ouvrir le site.\n", encoding="utf-8")
    (project / "l10n.toml").write_text(
        'source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\n', encoding="utf-8"
    )
    assert run(project, "extract").returncode == 0
    catalog_path = project / "locales" / "en" / "cli.po"
    output = project / "content" / "en" / "cli.md"
    for fuzzy in (True, False):
        catalog = polib.pofile(str(catalog_path))
        [entry] = [entry for entry in catalog if entry.msgid]
        entry.msgstr = "Type `o + enter` to open the site."
        entry.flags = ["fuzzy"] if fuzzy else []
        catalog.save(str(catalog_path))
        built = run(project, "build", "--include-fuzzy")
        if fuzzy:  # a draft (a machine's) may not change code: the source's text stays
            assert built.returncode == 1 and "code-mismatch" in built.stderr, built.stderr
            assert "o + enter" not in output.read_text(encoding="utf-8")
        else:  # a reviewer may: used, with a warning
            assert built.returncode == 0, built.stderr
            assert output.read_text(encoding="utf-8") == "Type `o + enter` to open the site.\n"
            checked = run(project, "check")
            assert checked.returncode == 0, checked.stdout + checked.stderr
            assert "code-changed" in checked.stdout + checked.stderr
