"""The translator's workflow end to end: idempotent runs, memory after a rename, edits merged like msgmerge,
catalogs every gettext tool accepts, and catalogs saved by other tools read without loss."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from conftest import (
    ENGLISH,
    POST_A,
    POST_B,
    SHARED_DATA,
    project_files,
    run_l10n,
    snapshot,
    translate_catalog,
    write,
)

from l10n.catalog.io import parse_catalog, render_catalog

needs_gettext = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext not installed")


def translated_project(project: Path) -> Path:
    assert run_l10n("extract", cwd=project).returncode == 0
    for name in ("jardin/hiver.po", "soupe.po"):
        translate_catalog(project / "locales/en" / name, ENGLISH)
    assert run_l10n("sync", cwd=project).returncode == 0
    return project


@pytest.mark.parametrize("command", ["extract", "build", "sync", "check", "status"])
def test_a_second_run_changes_no_byte_and_no_mtime(project: Path, command: str) -> None:
    translated_project(project)
    first = run_l10n(command, cwd=project)
    assert first.returncode == 0, first.stderr
    before = snapshot(project)
    second = run_l10n(command, cwd=project)
    assert second.returncode == 0, second.stderr
    # The run cache's stamps (l10n.store.stamps) are the one exception: files that have grown old enough since
    # the first run are remembered by the second, so that the third reads none of them.
    stamps = ".l10n-cache/stamps.sqlite"
    assert {name: state for name, state in snapshot(project).items() if name != stamps} == {
        name: state for name, state in before.items() if name != stamps
    }


def test_dates_move_only_when_content_does(project: Path) -> None:
    translated_project(project)
    template = project / "locales/templates/soupe.pot"
    created = polib.pofile(str(template)).metadata["POT-Creation-Date"]
    mtime = template.stat().st_mtime_ns
    assert run_l10n("sync", cwd=project).returncode == 0
    assert template.stat().st_mtime_ns == mtime
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    assert run_l10n("extract", cwd=project).returncode == 0
    # The date has minute precision: what must hold is that the unchanged jardin template kept its bytes.
    assert polib.pofile(str(template)).find("Une phrase de plus.") is not None
    assert polib.pofile(str(project / "locales/templates/jardin/hiver.pot")).metadata["POT-Creation-Date"] == created


def test_renamed_post_keeps_every_translation(project: Path) -> None:
    translated_project(project)
    old_output = project / "content/en/soupe.md"
    english = old_output.read_text(encoding="utf-8")
    (project / "content/fr/cuisine").mkdir()
    (project / "content/fr/soupe.md").rename(project / "content/fr/cuisine/soupe.md")
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "memory:" not in result.stderr  # the old catalog came whole (issue 16): nothing from the memory
    catalog = polib.pofile(str(project / "locales/en/cuisine/soupe.po"))
    assert [(entry.msgstr, entry.fuzzy) for entry in catalog] == [(ENGLISH[entry.msgid], False) for entry in catalog]
    assert (project / "content/en/cuisine/soupe.md").read_text(encoding="utf-8") == english
    # The old catalog is kept (a person's work), reported as a warning; the stale page is an error.
    check = run_l10n("check", cwd=project)
    assert check.returncode == 1
    assert "locales/en/soupe.po: warning: [orphan-catalog]" in check.stdout
    assert "carried to locales/en/cuisine/soupe.po: it can go" in check.stdout
    assert "locales/templates/soupe.pot: warning: [orphan-template]" in check.stdout
    assert "content/en/soupe.md: [orphan-output]" in check.stdout
    old_output.unlink()
    assert run_l10n("check", cwd=project).returncode == 0


def test_memory_offers_close_matches_as_fuzzy(project: Path) -> None:
    translated_project(project)
    write(project / "content/fr/velouté.md", "# Un velouté\n\nIl faut des poireaux, des carottes et des navets.\n")
    assert run_l10n("sync", cwd=project).returncode == 0
    entry = polib.pofile(str(project / "locales/en/velouté.po")).find(
        "Il faut des poireaux, des carottes et des navets."
    )
    assert entry.fuzzy
    assert entry.msgstr == "You need leeks, carrots and potatoes."
    assert entry.previous_msgid == "Il faut des poireaux, des carottes et des pommes de terre."
    # Fuzzy is not reviewed: the German catalog, with no reviewed translations, got nothing.
    assert not polib.pofile(str(project / "locales/de/velouté.po")).translated_entries()


@needs_gettext
def test_source_edits_merge_like_msgmerge(project: Path, tmp_path: Path) -> None:
    translated_project(project)
    catalog = project / "locales/en/jardin/hiver.po"
    old = tmp_path / "old.po"
    shutil.copy(catalog, old)
    edited = (
        POST_A.replace("Pailler les massifs", "Pailler soigneusement les massifs")
        .replace("> Un jardin se prépare en hiver.\n", "")
        .replace("## Les tâches du mois", "## Les tâches du mois de janvier")
    )
    (project / "content/fr/jardin/hiver.md").write_text(edited, encoding="utf-8")
    assert run_l10n("extract", cwd=project).returncode == 0
    theirs = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", "-", str(old), str(project / "locales/templates/jardin/hiver.pot")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def state(po: polib.POFile) -> tuple[set[tuple[str, str, bool, str | None]], set[tuple[str, str]]]:
        live = {(e.msgid, e.msgstr, e.fuzzy, e.previous_msgid) for e in po if e.msgid and e.msgstr}
        return live, {(e.msgid, e.msgstr) for e in po.obsolete_entries()}

    ours = polib.pofile(str(catalog))
    assert state(polib.pofile(theirs))[0] <= state(ours)[0]
    assert state(polib.pofile(theirs))[1] <= state(ours)[1]
    assert ("Un jardin se prépare en hiver.", "A garden is prepared in winter.") in state(ours)[1]
    assert ours.find("Pailler soigneusement les massifs").previous_msgid == "Pailler les massifs"


@needs_gettext
def test_every_catalog_passes_msgfmt_and_loads_in_babel_and_polib(project: Path) -> None:
    translated_project(project)
    catalogs = sorted([*project.rglob("*.po"), *project.rglob("*.pot")])
    assert len(catalogs) == 6
    for path in catalogs:
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        if path.suffix == ".po":
            assert "warning" not in result.stderr, result.stderr
        with path.open("rb") as handle:
            babel_ids = {message.id for message in read_po(handle) if message.id}
        assert babel_ids == {entry.msgid for entry in polib.pofile(str(path)) if entry.msgid}


@needs_gettext
def test_a_catalog_saved_by_msgcat_is_read_without_loss(project: Path) -> None:
    translated_project(project)
    catalog = project / "locales/en/jardin/hiver.po"
    # Reflowed the way another tool would (narrow wrapping, gettext's own line breaking).
    subprocess.run(["msgcat", "--width=40", "-o", str(catalog), str(catalog)], check=True)
    reflowed = catalog.read_bytes()
    before = snapshot(project)
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 0, result.stderr
    assert catalog.read_bytes() == reflowed  # same meaning: not rewritten, the editor's wrapping stays
    # The run cache (not a project file) learns the new catalog's hash; every project file is as it was.
    assert project_files(snapshot(project)) == project_files(before)
    assert run_l10n("check", cwd=project).returncode == 0


@pytest.mark.skipif(not (SHARED_DATA / "po").is_dir(), reason="../shared/data/po is not available")
@needs_gettext
def test_real_world_catalogs_round_trip_without_loss(tmp_path: Path) -> None:
    """PO files written by po4a and by people (wrapped, fuzzy, obsolete, previous msgids): what we write
    back says exactly what they said, as msgcat sees it."""
    files = sorted(path for path in (SHARED_DATA / "po").rglob("*") if path.suffix in (".po", ".pot"))
    assert files
    for path in files:
        ours = tmp_path / "ours.po"
        ours.write_text(render_catalog(parse_catalog(path.read_text(encoding="utf-8"), path)), encoding="utf-8")
        normalized = [
            subprocess.run(["msgcat", "--no-wrap", str(item)], capture_output=True, text=True, check=True).stdout
            for item in (path, ours)
        ]
        assert normalized[1] == normalized[0], path


def test_crlf_and_bom_survive_the_round_trip(project: Path) -> None:
    source = "\ufeff---\r\ntitle: Fenêtres\r\n---\r\n\r\n# Fenêtres\r\n\r\nUn texte écrit\r\nsous Windows.\r\n"
    write(project / "content/fr/windows.md", source)
    assert run_l10n("extract", "content/fr/windows.md", cwd=project).returncode == 0
    translate_catalog(
        project / "locales/en/windows.po",
        {"Fenêtres": "Windows", "Un texte écrit sous Windows.": "A text written on Windows."},
    )
    result = run_l10n("build", "--lang", "en", "content/fr/windows.md", cwd=project)
    assert result.returncode == 0, result.stderr
    english = (project / "content/en/windows.md").read_bytes()
    assert english.startswith(b"\xef\xbb\xbf---\r\ntitle: Windows\r\n---\r\n\r\n# Windows\r\n")
    assert english.count(b"\r\n") == source.count("\r\n")
    assert b"\n" not in english.replace(b"\r\n", b"")
    assert (
        run_l10n("build", "--lang", "de", "--min-completion", "0", "content/fr/windows.md", cwd=project).returncode == 0
    )
    assert (project / "content/de/windows.md").read_bytes() == source.encode()


def test_mdx_posts_keep_their_extension_and_jsx(project: Path) -> None:
    source = (
        'import Aside from "../components/Aside.astro";\n\n# Composants\n\n<Aside>Un encart.</Aside>\n\nDu texte.\n'
    )
    write(project / "content/fr/composants.mdx", source)
    assert run_l10n("extract", cwd=project).returncode == 0
    catalog = polib.pofile(str(project / "locales/en/composants.po"))
    assert "Du texte." in [entry.msgid for entry in catalog]
    assert not any("import" in entry.msgid for entry in catalog)
    translate_catalog(project / "locales/en/composants.po", {"Composants": "Components", "Du texte.": "Some text."})
    assert (
        run_l10n("build", "--lang", "en", "--min-completion", "0", "content/fr/composants.mdx", cwd=project).returncode
        == 0
    )
    english = (project / "content/en/composants.mdx").read_text(encoding="utf-8")
    assert english.startswith('import Aside from "../components/Aside.astro";\n\n# Components\n')
    assert english.endswith("Some text.\n")


def test_compendium_feeds_the_memory(project: Path) -> None:
    compendium = polib.POFile()
    compendium.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    compendium.append(polib.POEntry(msgid="Une recette de soupe", msgstr="A soup recipe"))
    compendium.save(str(project / "compendium.po"))
    (project / "l10n.toml").write_text(
        (project / "l10n.toml").read_text(encoding="utf-8") + 'compendia = ["compendium.po"]\n', encoding="utf-8"
    )
    assert run_l10n("sync", cwd=project).returncode == 0
    entry = polib.pofile(str(project / "locales/en/soupe.po")).find("Une recette de soupe")
    assert (entry.msgstr, entry.fuzzy) == ("A soup recipe", False)
    (project / "compendium.po").unlink()
    missing = run_l10n("sync", cwd=project)
    assert missing.returncode == 2
    assert "compendium.po: compendium not found" in missing.stderr


@needs_gettext
def test_an_update_rewrites_only_the_entries_that_changed(project: Path) -> None:
    translated_project(project)
    catalog = project / "locales/en/jardin/hiver.po"
    subprocess.run(["msgcat", "--width=40", "-o", str(catalog), str(catalog)], check=True)
    before = catalog.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    (project / "content/fr/jardin/hiver.md").write_text(POST_A + "\nUn paragraphe ajouté.\n", encoding="utf-8")
    assert run_l10n("sync", cwd=project).returncode == 0
    after = catalog.read_text(encoding="utf-8").split("\n\n")
    # The header (dates) and the new entry differ; every other entry keeps its bytes, wrapping included.
    assert after[1:-1] == before[1:]
    assert 'msgid "Un paragraphe ajouté."' in after[-1]
