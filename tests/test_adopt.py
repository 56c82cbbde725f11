"""``l10n adopt``: a site that already has translated posts brings them into its catalogs; a post a build then
gives back byte for byte becomes l10n's, any other keeps its page; a translation already in a catalog is never
touched; bad input in a translated post writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from conftest import ENGLISH, POST_B, project_files, run_l10n, snapshot, translate_catalog, write


def hand_translated_site(project: Path) -> Path:
    """A site whose English posts were written by hand (here: built once, then the catalogs thrown away)."""
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", ENGLISH)
    translate_catalog(project / "locales/en/jardin/hiver.po", ENGLISH)
    assert run_l10n("build", "--lang", "en", cwd=project).returncode == 0
    shutil.rmtree(project / "locales")
    shutil.rmtree(project / ".l10n-cache", ignore_errors=True)
    return project


def entries(path: Path) -> dict[str, tuple[str, bool]]:
    return {entry.msgid: (entry.msgstr, entry.fuzzy) for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_adopting_hand_translations_fills_the_catalogs_and_takes_the_pages(project: Path) -> None:
    hand_translated_site(project)
    pages = {name: (project / name).read_bytes() for name in ("content/en/soupe.md", "content/en/jardin/hiver.md")}
    result = run_l10n("adopt", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "2 translated posts, 2 rebuilt byte for byte" in result.stderr
    soup = entries(project / "locales/en/soupe.po")
    assert soup == {msgid: (ENGLISH[msgid], False) for msgid in soup}
    garden = entries(project / "locales/en/jardin/hiver.po")
    assert garden == {msgid: (ENGLISH[msgid], False) for msgid in garden}
    lock = (project / "locales/en/outputs.lock").read_text(encoding="utf-8")
    assert "soupe.md\t" in lock and "jardin/hiver.md\t" in lock
    # the pages are l10n's now: a changed source rebuilds them; until then nothing changes
    assert run_l10n("check", "--lang", "en", cwd=project).returncode == 0
    assert {name: (project / name).read_bytes() for name in pages} == pages
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    assert run_l10n("sync", "--lang", "en", cwd=project).returncode == 0
    assert "Une phrase de plus." in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def test_a_page_that_is_not_rebuilt_exactly_is_kept_and_its_differences_listed(project: Path) -> None:
    hand_translated_site(project)
    page = project / "content/en/soupe.md"
    extra = page.read_text(encoding="utf-8") + "\nA note the translator added.\n"
    page.write_text(extra, encoding="utf-8")
    result = run_l10n("adopt", "--lang", "en", "--report", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    report = {post["output"]: post for post in json.loads(result.stdout)["posts"]}
    assert report["content/en/soupe.md"]["reproduced"] is False
    assert report["content/en/jardin/hiver.md"]["reproduced"] is True
    assert "content/en/soupe.md: kept as it is" in result.stderr
    assert "soupe.md\t" not in (project / "locales/en/outputs.lock").read_text(encoding="utf-8")
    assert not (project / "locales/en/soupe.patch").exists()  # an added paragraph is text, not layout
    # its entries are still adopted; with a paragraph more and nothing to anchor on (no code, link or number),
    # where it belongs is a guess: fuzzy, pointing at the translated post's line; nothing wrong is reviewed
    catalog = polib.pofile(str(project / "locales/en/soupe.po"))
    assert all(entry.msgstr.startswith(ENGLISH[entry.msgid]) for entry in catalog)
    assert all(entry.msgstr == ENGLISH[entry.msgid] for entry in catalog if not entry.fuzzy)
    assert all(entry.tcomment.startswith("adopted from content/en/soupe.md:") for entry in catalog if entry.fuzzy)
    build = run_l10n("build", "--lang", "en", "--include-fuzzy", cwd=project)
    assert "content/en/soupe.md: [not-written-by-l10n]" in build.stderr
    assert page.read_text(encoding="utf-8") == extra


def test_adopt_never_touches_a_translation_and_is_idempotent(project: Path) -> None:
    hand_translated_site(project)
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", {"Une recette de soupe": "Soup, the translator's way"})
    assert run_l10n("adopt", "--lang", "en", cwd=project).returncode == 0
    soup = entries(project / "locales/en/soupe.po")
    assert soup["Une recette de soupe"] == ("Soup, the translator's way", False)
    assert soup["Il faut des poireaux, des carottes et des pommes de terre."][0] == ENGLISH[
        "Il faut des poireaux, des carottes et des pommes de terre."
    ]
    before = project_files(snapshot(project))
    again = run_l10n("adopt", "--lang", "en", cwd=project)
    assert again.returncode == 0
    assert "0 files updated" in again.stderr
    assert project_files(snapshot(project)) == before


def test_dry_run_writes_nothing(project: Path) -> None:
    hand_translated_site(project)
    before = project_files(snapshot(project))
    result = run_l10n("adopt", "--dry-run", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "would adopt: 2 translated posts, 2 rebuilt byte for byte" in result.stderr
    assert project_files(snapshot(project)) == before


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("---\ntitle: [unclosed\n---\n\nText.\n", "content/en/soupe.md:2:"),
        (b"---\ntitle: Soup\n---\n\nbad \xff byte\n", "content/en/soupe.md:5:"),
    ],
)
def test_a_broken_translated_post_is_bad_input_and_nothing_is_written(
    project: Path, content: str | bytes, where: str
) -> None:
    hand_translated_site(project)
    write(project / "content/en/soupe.md", content)
    before = project_files(snapshot(project))
    result = run_l10n("adopt", "--lang", "en", cwd=project)
    assert result.returncode == 2
    assert where in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert project_files(snapshot(project)) == before


def test_adopted_entries_feed_the_translation_memory(project: Path) -> None:
    hand_translated_site(project)
    assert run_l10n("adopt", "--lang", "en", cwd=project).returncode == 0
    (project / "content/fr/cuisine").mkdir()
    (project / "content/fr/soupe.md").rename(project / "content/fr/cuisine/soupe.md")
    result = run_l10n("sync", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    moved = entries(project / "locales/en/cuisine/soupe.po")
    assert moved == {msgid: (ENGLISH[msgid], False) for msgid in moved}


def test_a_page_whose_layout_differs_keeps_its_layout_through_later_builds(project: Path) -> None:
    hand_translated_site(project)
    page = project / "content/en/soupe.md"
    human = (
        page.read_text(encoding="utf-8")
        .replace("---\n\n", "translator: Anna\n---\n\n", 1)  # a line without translatable text
        .replace("to make.\n", "to make. \n")  # trailing whitespace
        .replace("make. \n\n", "make. \n   \n")  # a blank line's whitespace
    )
    page.write_text(human, encoding="utf-8")
    result = run_l10n("adopt", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "2 translated posts, 2 rebuilt byte for byte" in result.stderr
    patch = (project / "locales/en/soupe.patch").read_text(encoding="utf-8")
    assert "+translator: Anna\n" in patch and "+A vegetable soup takes thirty minutes to make. \n" in patch
    assert "soupe.md\t" in (project / "locales/en/outputs.lock").read_text(encoding="utf-8")
    assert run_l10n("check", "--lang", "en", cwd=project).returncode == 0
    assert run_l10n("build", "--lang", "en", cwd=project).returncode == 0
    assert page.read_text(encoding="utf-8") == human
    # the patch is the page's layout: an edit to it is an edit to the page, even with the run cache warm
    patch_file = project / "locales/en/soupe.patch"
    patch_file.write_text(patch.replace("+translator: Anna", "+translator: Anne"), encoding="utf-8")
    assert run_l10n("build", "--lang", "en", cwd=project).returncode == 0
    assert page.read_text(encoding="utf-8") == human.replace("Anna", "Anne")
    patch_file.write_text(patch, encoding="utf-8")
    # the source grows: the page is rebuilt with its layout
    source = project / "content/fr/soupe.md"
    source.write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    assert run_l10n("sync", "--lang", "en", cwd=project).returncode == 0
    assert page.read_text(encoding="utf-8") == human + "\nUne phrase de plus.\n"
    # the source changes a line the patch edits: that edit is left out, and said
    source.write_text(POST_B.replace('title: "Une recette', 'title: "Ma recette'), encoding="utf-8")
    result = run_l10n("-v", "sync", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "locales/en/soupe.patch: warning: [layout-patch-stale]" in result.stderr
    rebuilt = page.read_text(encoding="utf-8")
    assert 'title: "Ma recette de soupe"\n---' in rebuilt and "make. \n   \n" in rebuilt


def test_a_malformed_layout_patch_is_bad_input(project: Path) -> None:
    hand_translated_site(project)
    assert run_l10n("adopt", "--lang", "en", cwd=project).returncode == 0
    (project / "locales/en/soupe.patch").write_text("@@ -1,1 +1,1 @@\n-a\nnot a hunk line\n", encoding="utf-8")
    before = snapshot(project)
    result = run_l10n("build", "--lang", "en", cwd=project)
    assert result.returncode == 2
    assert "locales/en/soupe.patch:3: expected a hunk line" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before
