"""The run cache (``.l10n-cache/``): unchanged posts are skipped, and every change that matters is noticed.

Each test changes one input the cache must take into account and shows the run does what a run without a
cache would do: the outputs, catalogs and ``check`` verdicts are the same as if the cache were not there.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import polib
from conftest import ENGLISH, POST_B, project_files, run_l10n, snapshot, translate_catalog, write

from l10n.config import load_config
from l10n.ownership import lock_path, read_lock, state_token
from l10n.project import iter_posts
from l10n.run import operations
from l10n.run.plan import Plan
from l10n.store.identity import file_digest
from l10n.store.records import POSTS_FILE, PostRecord, RunCache
from l10n.store.sqlite import CACHE_DIR


def sync(root: Path, *extra: str) -> Plan:
    """``sync`` through the API (the plan tells how many posts the cache let it skip), committed."""
    config = load_config(root)
    options = operations.options_from(config, None, None)
    plan = operations.sync(config, iter_posts(config), list(config.target_langs), options, jobs=1)
    plan.commit()
    return plan


def translated(project: Path) -> Path:
    assert run_l10n("extract", cwd=project).returncode == 0
    for name in ("jardin/hiver.po", "soupe.po"):
        translate_catalog(project / "locales/en" / name, ENGLISH)
    assert run_l10n("sync", cwd=project).returncode == 0
    return project


def test_unchanged_posts_are_skipped_and_an_edited_one_is_redone(project: Path) -> None:
    translated(project)
    again = sync(project)
    assert (again.skipped, len(list(again.staged()))) == (2, 0)
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    edited = sync(project)
    assert edited.skipped == 1
    assert polib.pofile(str(project / "locales/en/soupe.po")).find("Une phrase de plus.") is not None
    assert "Une phrase de plus." in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def test_an_output_deleted_or_edited_by_hand_is_noticed(project: Path) -> None:
    translated(project)
    output = project / "content/en/soupe.md"
    english = output.read_text(encoding="utf-8")
    output.unlink()
    check = run_l10n("check", cwd=project)
    assert check.returncode == 1
    assert "content/en/soupe.md: [stale-output]" in check.stdout
    assert sync(project).skipped == 1
    assert output.read_text(encoding="utf-8") == english

    # An edit by hand is noticed too, and kept (issue 13: l10n overwrites only what it wrote) unless forced.
    output.write_text(english + "Ajouté à la main.\n", encoding="utf-8")
    assert run_l10n("check", cwd=project).returncode == 1
    assert run_l10n("build", cwd=project).returncode == 1
    assert output.read_text(encoding="utf-8") == english + "Ajouté à la main.\n"
    assert run_l10n("build", "--force", cwd=project).returncode == 0
    assert output.read_text(encoding="utf-8") == english


def test_a_template_or_catalog_changed_by_hand_is_noticed(project: Path) -> None:
    translated(project)
    template = project / "locales/templates/soupe.pot"
    text = template.read_text(encoding="utf-8")
    template.unlink()
    assert run_l10n("check", cwd=project).returncode == 1
    sync(project)
    # the same template, but for its dates when the minute turned since the first extract
    assert _undated(template.read_text(encoding="utf-8")) == _undated(text)
    # A translator revises an entry: the next build uses it.
    catalog = project / "locales/en/soupe.po"
    translate_catalog(catalog, {"Une recette de soupe": "A soup recipe, revised"})
    assert run_l10n("check", cwd=project).returncode == 1  # the output is now stale
    assert run_l10n("build", cwd=project).returncode == 0
    assert "# A soup recipe, revised" in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def _undated(template: str) -> str:
    return re.sub(r'"(POT-Creation|PO-Revision)-Date: [^"]*"', "", template)


def test_a_glossary_change_reaches_check(project: Path) -> None:
    translated(project)
    assert run_l10n("check", cwd=project).returncode == 0
    write(project / "locales/glossary.tsv", "fr\ten\npoireaux\tscallions\n")
    check = run_l10n("check", cwd=project)
    assert check.returncode == 1, check.stdout
    assert "[glossary-term]" in check.stdout


def test_a_configuration_change_is_noticed(project: Path) -> None:
    translated(project)
    assert run_l10n("check", cwd=project).returncode == 0
    config = (project / "l10n.toml").read_text(encoding="utf-8")
    write(project / "l10n.toml", config.replace(', "tags[]"', ""))
    assert run_l10n("check", cwd=project).returncode == 1  # templates and catalogs would lose the tags
    assert run_l10n("extract", cwd=project).returncode == 0
    assert polib.pofile(str(project / "locales/templates/jardin/hiver.pot")).find("Jardin") is None


def test_other_build_options_are_noticed(project: Path) -> None:
    translated(project)
    assert not (project / "content/de").exists()  # German, untranslated, is under min_completion
    assert run_l10n("build", "--min-completion", "0", cwd=project).returncode == 0
    assert (project / "content/de/soupe.md").read_text(encoding="utf-8") == POST_B


def test_a_new_reviewed_translation_fills_the_other_posts_through_the_memory(project: Path) -> None:
    write(project / "content/fr/velouté.md", "# Un velouté\n\nUne soupe de légumes se prépare en trente minutes.\n")
    assert run_l10n("sync", cwd=project).returncode == 0
    velvet = project / "locales/en/velouté.po"
    sentence = "Une soupe de légumes se prépare en trente minutes."
    assert polib.pofile(str(velvet)).find(sentence).msgstr == ""
    assert sync(project).skipped == 3
    # Only soupe.po changes; velouté's own files do not, but the memory now knows the sentence.
    translate_catalog(project / "locales/en/soupe.po", {sentence: ENGLISH[sentence]})
    plan = sync(project)
    assert plan.filled["en"] == (1, 0)
    entry = polib.pofile(str(velvet)).find(sentence)
    assert (entry.msgstr, entry.fuzzy) == (ENGLISH[sentence], False)


def test_a_compendium_change_feeds_the_memory(project: Path) -> None:
    config = (project / "l10n.toml").read_text(encoding="utf-8")
    write(project / "l10n.toml", config + 'compendia = ["compendium-en.po"]\n')
    write(project / "compendium-en.po", 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    assert run_l10n("sync", "--lang", "en", cwd=project).returncode == 0
    sentence = "Une soupe de légumes se prépare en trente minutes."
    write(
        project / "compendium-en.po",
        f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{sentence}"\nmsgstr "{ENGLISH[sentence]}"\n',
    )
    assert run_l10n("sync", "--lang", "en", cwd=project).returncode == 0
    assert polib.pofile(str(project / "locales/en/soupe.po")).find(sentence).msgstr == ENGLISH[sentence]


def recorded(project: Path, rel: str) -> PostRecord | None:
    """What the run cache holds about a post (read, then let go: a reader holds the database)."""
    cache = RunCache.load(project)
    try:
        return cache.record(rel)
    finally:
        cache.close()


def _forge_output_hash(project: Path, rel: str, lang: str, output: Path) -> Path:
    """Make the cache claim that ``output``, as it is now, is what build would write (a lie)."""
    cache = RunCache.load(project)
    record = cache.record(rel)
    assert record is not None
    recorded = read_lock(lock_path(project / "locales", lang)).get(rel)
    record.langs[lang].out = state_token(file_digest(output), recorded)
    cache.remember(rel, record)
    cache.save(exists=lambda _: True)
    return project / CACHE_DIR / POSTS_FILE


def _set_meta(database: Path, key: str, value: str) -> None:
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))


def test_a_cache_from_another_version_or_corrupt_is_not_trusted(project: Path) -> None:
    translated(project)
    assert run_l10n("check", cwd=project).returncode == 0
    output = project / "content/en/soupe.md"
    output.write_text(output.read_text(encoding="utf-8") + "Ajouté à la main.\n", encoding="utf-8")
    database = _forge_output_hash(project, "soupe.md", "en", output)
    forged = database.read_bytes()
    # The same version trusts its records (this is how unchanged posts are skipped)...
    assert run_l10n("check", cwd=project).returncode == 0
    # ...another version's records are ignored, and so are a truncated file, garbage and another schema.
    _set_meta(database, "tool", "another version")
    assert run_l10n("check", cwd=project).returncode == 1
    database.write_bytes(forged[: len(forged) // 2])
    assert run_l10n("check", cwd=project).returncode == 1
    database.write_bytes(b"\xff\x00garbage")
    assert run_l10n("check", cwd=project).returncode == 1
    database.unlink()
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        connection.execute("CREATE TABLE posts (path TEXT, record TEXT)")  # no digest column
    assert run_l10n("check", cwd=project).returncode == 1
    assert run_l10n("sync", cwd=project).returncode == 1  # an edit by hand is kept (issue 13)...
    assert run_l10n("sync", "--force", cwd=project).returncode == 0  # ...unless forced
    assert "Ajouté à la main." not in output.read_text(encoding="utf-8")
    assert run_l10n("check", cwd=project).returncode == 0


def test_a_damaged_record_is_not_trusted(project: Path) -> None:
    translated(project)
    output = project / "content/en/soupe.md"
    output.write_text(output.read_text(encoding="utf-8") + "Ajouté à la main.\n", encoding="utf-8")
    database = project / CACHE_DIR / POSTS_FILE
    honest = recorded(project, "soupe.md")
    assert honest is not None
    # A byte of the stored record changes (the output hash now matches the edited file), not its digest.
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        text = connection.execute("SELECT record FROM posts WHERE path = ?", (b"soupe.md",)).fetchone()[0]
        lie = text.replace(honest.langs["en"].out or "", file_digest(output) or "")
        assert lie != text
        connection.execute("UPDATE posts SET record = ? WHERE path = ?", (lie, b"soupe.md"))
    assert run_l10n("check", cwd=project).returncode == 1


def test_a_corrupt_cache_is_rebuilt_by_the_next_run(project: Path) -> None:
    translated(project)
    database = project / CACHE_DIR / POSTS_FILE
    database.write_bytes(database.read_bytes()[:1500])  # truncated inside its first page
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    assert sync(project).skipped == 0  # nothing trusted: every post is redone...
    assert sync(project).skipped == 2  # ...and recorded again
    assert run_l10n("check", cwd=project).returncode == 0


def test_records_of_deleted_posts_are_dropped(project: Path) -> None:
    translated(project)
    write(project / "content/fr/velouté.md", "# Un velouté\n\nUne soupe de légumes.\n")
    assert run_l10n("sync", cwd=project).returncode == 0
    assert recorded(project, "velouté.md") is not None
    (project / "content/fr/velouté.md").unlink()
    assert run_l10n("sync", cwd=project).returncode == 0  # the whole site
    assert recorded(project, "velouté.md") is None
    assert recorded(project, "soupe.md") is not None
    # Also when the run covers some posts only: a record is kept exactly while its post exists.
    (project / "content/fr/soupe.md").unlink()
    assert run_l10n("sync", "content/fr/jardin", cwd=project).returncode == 0
    assert (recorded(project, "soupe.md"), recorded(project, "jardin/hiver.md") is not None) == (None, True)


def test_a_run_that_is_not_committed_records_nothing(project: Path) -> None:
    translated(project)
    before = recorded(project, "soupe.md")
    assert before is not None
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    config = load_config(project)
    options = operations.options_from(config, None, None)
    plan = operations.sync(config, iter_posts(config), list(config.target_langs), options, jobs=1)
    plan.discard()
    assert recorded(project, "soupe.md") == before
    assert sync(project).skipped == 1  # the edited post is still seen as changed


def test_deleting_the_cache_only_costs_time(project: Path) -> None:
    translated(project)
    before = project_files(snapshot(project))
    for path in sorted((project / CACHE_DIR).iterdir()):
        path.unlink()
    (project / CACHE_DIR).rmdir()
    assert run_l10n("sync", cwd=project).returncode == 0
    assert project_files(snapshot(project)) == before
    assert run_l10n("check", cwd=project).returncode == 0


def test_bad_input_after_a_cached_run_writes_nothing(project: Path) -> None:
    translated(project)
    before = snapshot(project)
    (project / "locales/en/soupe.po").write_text('msgid "Non fermé\nmsgstr ""\n', encoding="utf-8")
    broken = snapshot(project)
    result = run_l10n("sync", "--jobs", "2", cwd=project)
    assert result.returncode == 2
    assert "locales/en/soupe.po:" in result.stderr
    assert snapshot(project) == broken  # neither the posts nor the cache were touched
    assert broken != before


def test_a_build_alone_does_not_vouch_for_the_catalogs(project: Path) -> None:
    translated(project)
    (project / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    assert run_l10n("build", cwd=project).returncode == 0  # builds from the catalogs as they are
    check = run_l10n("check", cwd=project)
    assert check.returncode == 1
    assert "locales/templates/soupe.pot: [stale-catalog]" in check.stdout


def _reported(result: subprocess.CompletedProcess[str]) -> tuple[int, str, list[str]]:
    """Exit code, standard output, and the problems and unwritten posts a run printed (not its counts)."""
    lines = [line for line in result.stderr.splitlines() if "skipped" not in line and "files updated" not in line]
    return result.returncode, result.stdout, lines


def test_diagnostics_replayed_from_the_cache_are_a_cold_runs_in_the_same_order(project: Path) -> None:
    assert run_l10n("extract", cwd=project).returncode == 0
    sentence = "Une soupe de légumes se prépare en trente minutes."
    linked = next(msgid for msgid in ENGLISH if "(/jardin/debuter)" in msgid)
    english = {**ENGLISH, sentence: sentence, linked: ENGLISH[linked].replace("/jardin/debuter", "/elsewhere")}
    for name in ("jardin/hiver.po", "soupe.po"):
        translate_catalog(project / "locales/en" / name, english)
        translate_catalog(project / "locales/de" / name, {sentence: sentence})  # under min_completion
    assert run_l10n("sync", cwd=project).returncode == 1  # the broken link is an error
    styles = ("text", "json", "github")
    commands = [("-v", "build"), ("-v", "sync"), *(("check", "--format", style) for style in styles)]
    warm, cold = [], []
    for command in commands:
        run_l10n("sync", cwd=project)
        assert "2 posts unchanged" in run_l10n("-v", "sync", cwd=project).stderr.splitlines()[-2]  # cache warm
        warm.append(_reported(run_l10n(*command, cwd=project)))
        shutil.rmtree(project / CACHE_DIR)
        cold.append(_reported(run_l10n(*command, cwd=project)))
    assert warm == cold
    code, _, lines = warm[1]
    assert code == 1
    assert any("[identical-to-source]" in line for line in lines)
    assert any("[link-mismatch]" in line for line in lines)
    assert any(line.startswith("not written: content/de/soupe.md") for line in lines)
    assert json.loads(warm[3][1])  # check's JSON report is not empty


def test_a_run_keeps_what_an_earlier_run_verified_for_the_same_files(project: Path) -> None:
    translated(project)
    write(project / "locales/glossary.tsv", "fr\ten\nchou\tcabbage\n")  # a new build context, same outputs
    assert run_l10n("check", cwd=project).returncode == 0  # verifies extract and build, not the fill
    # check's record of each post is merged with sync's: the fill sync verified still holds.
    assert "2 posts unchanged" in run_l10n("-v", "sync", cwd=project).stderr
