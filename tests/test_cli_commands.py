"""Every command of the installed ``l10n`` script, run as a user would, with its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib
from conftest import ENGLISH, POST_A, POST_B, run_l10n, translate_catalog, write

from l10n import __version__


def extract_and_translate(project: Path) -> None:
    assert run_l10n("extract", cwd=project).returncode == 0
    for name in ("jardin/hiver.po", "soupe.po"):
        translate_catalog(project / "locales/en" / name, ENGLISH)


def test_extract_writes_templates_and_catalogs(project: Path) -> None:
    result = run_l10n("extract", cwd=project)
    assert result.returncode == 0, result.stderr
    for path in (
        "locales/templates/jardin/hiver.pot",
        "locales/templates/soupe.pot",
        "locales/en/jardin/hiver.po",
        "locales/de/jardin/hiver.po",
        "locales/en/soupe.po",
        "locales/de/soupe.po",
    ):
        assert (project / path).is_file(), path
    catalog = polib.pofile(str(project / "locales/de/jardin/hiver.po"))
    assert catalog.metadata["Language"] == "de"
    heading = catalog.find("Les tâches du mois")
    assert heading.occurrences == [("content/fr/jardin/hiver.md", "17")]
    assert heading.comment == "type: heading 2"
    assert catalog.find("Jardin").comment == "front matter: tags[]"
    assert catalog.find('echo "pas traduit"') is None  # code is not translatable
    assert not (project / "content/en").exists()  # extract builds nothing


def test_build_writes_translated_posts_and_skips_incomplete_ones(project: Path) -> None:
    extract_and_translate(project)
    result = run_l10n("build", cwd=project)
    assert result.returncode == 0, result.stderr
    english = (project / "content/en/jardin/hiver.md").read_text(encoding="utf-8")
    assert english.count("\n") == POST_A.count("\n")
    assert 'title: "The garden in winter"' in english
    assert "  - Garden\n  - Winter\n" in english
    assert "  - apple and pear trees\n" in english
    assert "| Pruning | 2 hours |" in english
    assert '```sh\necho "pas traduit"\n```\n' in english
    assert "date: 2024-01-15\n" in english
    # German has no translation: under min_completion, not written, and said so.
    assert not (project / "content/de").exists()
    assert "content/de/jardin/hiver.md" in result.stderr
    assert "0%" in result.stderr


def test_untranslated_build_is_byte_identical_to_the_source(project: Path) -> None:
    assert run_l10n("extract", cwd=project).returncode == 0
    result = run_l10n("build", "--lang", "de", "--min-completion", "0", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "content/de/jardin/hiver.md").read_bytes() == POST_A.encode()
    assert (project / "content/de/soupe.md").read_bytes() == POST_B.encode()


def test_fuzzy_translations_only_with_include_fuzzy(project: Path) -> None:
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", ENGLISH, fuzzy=True)
    result = run_l10n("build", "--lang", "en", "--min-completion", "0", "content/fr/soupe.md", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "content/en/soupe.md").read_text(encoding="utf-8") == POST_B
    result = run_l10n("build", "--lang", "en", "--include-fuzzy", "content/fr/soupe.md", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "# A soup recipe\n" in (project / "content/en/soupe.md").read_text(encoding="utf-8")


def test_sync_then_check_passes_and_an_edit_makes_check_fail(project: Path) -> None:
    extract_and_translate(project)
    assert run_l10n("sync", cwd=project).returncode == 0
    check = run_l10n("check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr

    source = project / "content/fr/jardin/hiver.md"
    source.write_text(POST_A.replace("Un jardin se prépare", "Un beau jardin se prépare"), encoding="utf-8")
    check = run_l10n("check", cwd=project)
    assert check.returncode == 1
    assert "locales/templates/jardin/hiver.pot: [stale-catalog] template out of date: run l10n extract" in check.stdout
    assert "locales/en/jardin/hiver.po: [stale-catalog]" in check.stdout
    assert "content/en/jardin/hiver.md: [stale-output] output out of date: run l10n build" in check.stdout
    assert run_l10n("sync", cwd=project).returncode == 0
    # The edited sentence is now fuzzy (kept out of the output), everything else is up to date.
    assert run_l10n("check", cwd=project).returncode == 0
    entry = polib.pofile(str(project / "locales/en/jardin/hiver.po")).find("Un beau jardin se prépare en hiver.")
    assert entry.fuzzy and entry.msgstr == ENGLISH["Un jardin se prépare en hiver."]
    assert "> Un beau jardin se prépare en hiver.\n" in (project / "content/en/jardin/hiver.md").read_text()

    # A post that falls under min_completion is not rebuilt; check says its page may be stale.
    (project / "content/fr/soupe.md").write_text(POST_B.replace("trente", "vingt"), encoding="utf-8")
    assert run_l10n("sync", cwd=project).returncode == 0
    check = run_l10n("check", cwd=project)
    assert check.returncode == 0
    assert "content/en/soupe.md: warning: [below-min-completion] 62% translated" in check.stdout


def test_check_reports_orphans_and_failed_checks_in_three_formats(project: Path) -> None:
    extract_and_translate(project)
    assert run_l10n("sync", cwd=project).returncode == 0
    write(project / "content/en/removed-post.md", "# Old\n")
    translate_catalog(
        project / "locales/en/soupe.po",
        {"Une soupe de légumes se prépare en trente minutes.": "Soup: see [here](https://evil.example/x)."},
    )
    text = run_l10n("check", cwd=project)
    assert text.returncode == 1
    assert "content/en/removed-post.md: [orphan-output] no source post for it" in text.stdout
    [bad_line] = [line for line in text.stdout.splitlines() if "[link-host-added]" in line]
    assert bad_line.startswith("locales/en/soupe.po:")
    po_line = int(bad_line.split(":")[1])
    lines = (project / "locales/en/soupe.po").read_text(encoding="utf-8").splitlines()
    assert lines[po_line - 1].startswith("msgid") or lines[po_line - 1].startswith("#")

    as_json = run_l10n("check", "--format", "json", cwd=project)
    assert as_json.returncode == 1
    problems = json.loads(as_json.stdout)
    assert {"path", "line", "check", "severity", "message"} <= problems[0].keys()
    assert any(item["check"] == "orphan-output" and item["severity"] == "error" for item in problems)

    github = run_l10n("check", cwd=project, env={"GITHUB_ACTIONS": "true"})
    assert github.returncode == 1
    assert "::error file=content/en/removed-post.md,title=orphan-output::no source post for it" in github.stdout
    assert f"::error file=locales/en/soupe.po,line={po_line},title=link-host-added::" in github.stdout


def test_status_counts_entries_and_words(project: Path) -> None:
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", {"Une recette de soupe": "A soup recipe"})
    translate_catalog(
        project / "locales/en/soupe.po",
        {"Il faut des poireaux, des carottes et des pommes de terre.": "Leeks, carrots, potatoes."},
        fuzzy=True,
    )
    result = run_l10n("status", "--json", "--lang", "en", "content/fr/soupe.md", cwd=project)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)["posts"]
    assert row["post"] == "content/fr/soupe.md"
    assert (row["entries"], row["translated"], row["fuzzy"], row["untranslated"]) == (3, 1, 1, 1)
    assert (row["words"], row["translated_words"], row["fuzzy_words"]) == (4 + 9 + 11, 4, 11)
    table = run_l10n("status", cwd=project)
    assert table.returncode == 0
    assert "content/fr/soupe.md" in table.stdout and "total" in table.stdout


def test_lang_and_post_arguments_limit_the_work(project: Path) -> None:
    result = run_l10n("extract", "--lang", "de", "content/fr/jardin", cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(
        path.relative_to(project / "locales").as_posix() for path in (project / "locales").rglob("*.po*")
    ) == [
        "de/jardin/hiver.po",
        "templates/jardin/hiver.pot",
    ]


def test_root_option_and_project_discovery(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert run_l10n("--root", project, "extract", cwd=elsewhere).returncode == 0
    assert (project / "locales/en/soupe.po").is_file()
    # From a subdirectory, the project is found upwards.
    result = run_l10n("-q", "status", "--json", cwd=project / "content/fr/jardin")
    assert result.returncode == 0 and json.loads(result.stdout)["posts"]


def test_init_guesses_the_source_directory(tmp_path: Path) -> None:
    site = tmp_path / "astro-site"
    write(site / "src/content/blog/fr/premier.md", "# Premier billet\n\nBonjour.\n")
    write(site / "src/content/blog/fr/deux/second.mdx", "# Second\n\nSalut.\n")
    write(site / "src/content/blog/es/primero.md", "# Primero\n")
    result = run_l10n("init", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "found 2 posts in src/content/blog/fr" in result.stderr
    config = (site / "l10n.toml").read_text(encoding="utf-8")
    assert 'source_dir = "src/content/blog/fr"' in config
    assert 'output_dir = "src/content/blog/{lang}"' in config
    assert 'target_langs = ["es"]' in config
    assert run_l10n("sync", cwd=site).returncode == 0
    assert (site / "locales/es/deux/second.po").is_file()
    again = run_l10n("init", cwd=site)
    assert again.returncode == 2
    assert "l10n.toml: already exists" in again.stderr


def test_python_dash_m_runs_the_same_command(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "l10n", "extract"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (project / "locales/en/soupe.po").is_file()


def test_version_is_printed_without_a_project(tmp_path: Path) -> None:
    result = run_l10n("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"l10n {__version__}\n"


def test_usage_errors_exit_2(project: Path) -> None:
    assert run_l10n("extract", "--lang", "xx-nope", cwd=project).returncode == 2
    assert run_l10n("frobnicate", cwd=project).returncode == 2
    assert run_l10n("check", "--format", "xml", cwd=project).returncode == 2
    assert run_l10n("build", "--min-completion", "150", cwd=project).returncode == 2


def test_a_translation_with_other_hard_breaks_is_a_warning_and_the_post_is_built(project: Path) -> None:
    write(project / "content/fr/adresse.md", "# Adresse\n\nLa Poste  \nrue du Louvre\n")
    assert run_l10n("extract", "--lang", "en", cwd=project).returncode == 0
    translate_catalog(
        project / "locales/en/adresse.po", {"Adresse": "Address", "La Poste\nrue du Louvre": "The Post Office, Louvre"}
    )
    result = run_l10n("-v", "build", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "content/fr/adresse.md:3: warning: [line-breaks]" in result.stderr
    english = (project / "content/en/adresse.md").read_text(encoding="utf-8")
    assert english == "# Address\n\nThe Post  \nOffice, Louvre\n"  # the source's two lines, the text flowed in


def test_the_command_keeps_its_long_lived_objects_out_of_the_collectors_way() -> None:
    """The modules and objects loaded before a run are frozen (``gc.freeze``): the cyclic collector does not
    traverse them at every collection the run sets off (a measured 5-8% of a run's CPU time)."""
    program = (
        "import gc, sys\n"
        "from l10n.cli import main\n"
        "sys.argv = ['l10n', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.get_freeze_count(), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert int(result.stderr.strip().splitlines()[-1]) > 10_000
