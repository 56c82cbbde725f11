"""``l10n translate`` over a project's catalogs, against the local LibreTranslate-compatible server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from mt_server import MTServer

from l10n.config import Config, load_config
from l10n.project import iter_posts
from l10n.run import operations
from l10n.translate.command import Progress, translate_project
from l10n.translate.orchestrator import RetryPolicy

REPO = Path(__file__).resolve().parent.parent
NO_WAIT = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)

POST = """\
---
title: "Le potager en hiver"
---

# Le potager en hiver

Il reste **beaucoup** à faire au [jardin](https://exemple.fr/jardin) quand il fait froid.

Protégez les salades avec un voile, puis lisez la [notice][ref].

Le RGPD ne concerne pas les poireaux.

Une phrase fragile avec du `code`.

[ref]: https://exemple.fr/notice
"""

OTHER = """\
---
title: "Les semis"
---

Il reste **beaucoup** à faire au [jardin](https://exemple.fr/jardin) quand il fait froid.

Semez les tomates en mars.
"""


@pytest.fixture
def server() -> Iterator[MTServer]:
    with MTServer(hang=2.0) as running:
        yield running


def _project(root: Path, server_url: str, posts: dict[str, str], langs: tuple[str, ...] = ("en",)) -> Config:
    toml = f'source_lang = "fr"\ntarget_langs = {list(langs)!r}\nbackend = "libre"\n'
    toml += f'[backends.libre]\nurl = "{server_url}"\n'
    (root / "l10n.toml").write_text(toml.replace("'", '"'), encoding="utf-8")
    for name, text in posts.items():
        path = root / "content" / "fr" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = load_config(root)
    operations.extract_catalogs(config, iter_posts(config), list(langs)).commit()
    return config


def _translate(config: Config, **options: object) -> list:  # type: ignore[type-arg]
    options = {"retry": NO_WAIT, "timeout": 1.0, "environ": {}, **options}
    return translate_project(config, **options)  # type: ignore[arg-type]


def _catalog(config: Config, name: str, lang: str = "en") -> polib.POFile:
    return polib.pofile(str(config.locales_dir / lang / Path(name).with_suffix(".po")))


def _entry(catalog: polib.POFile, start: str) -> polib.POEntry:
    return next(entry for entry in catalog if entry.msgid.startswith(start))


def _msgfmt_ok(path: Path) -> None:
    result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_empty_entries_get_fuzzy_machine_drafts_and_a_persons_translation_is_never_touched(
    tmp_path: Path, server: MTServer
) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST})
    path = config.locales_dir / "en" / "potager.po"
    catalog = polib.pofile(str(path))
    _entry(catalog, "Protégez").msgstr = "Protect the lettuces with a fleece, then read the [manual][ref]."
    fuzzy_by_person = _entry(catalog, "Le RGPD")
    fuzzy_by_person.msgstr = "GDPR does not apply to leeks."
    fuzzy_by_person.flags.append("fuzzy")
    catalog.save()

    [report] = _translate(config)

    catalog = _catalog(config, "potager.md")
    draft = _entry(catalog, "Il reste")
    assert draft.msgstr == (
        "iL RESTE **BEAUCOUP** À FAIRE AU [JARDIN](https://exemple.fr/jardin) QUAND IL FAIT FROID."
    )
    assert draft.fuzzy and draft.tcomment == "machine translation: libre"
    assert _entry(catalog, "Protégez").msgstr.startswith("Protect the lettuces")
    assert not _entry(catalog, "Protégez").fuzzy
    assert _entry(catalog, "Le RGPD").msgstr == "GDPR does not apply to leeks."  # fuzzy, but a person's
    assert report.failures == [] and report.sent >= 3
    assert max(server.per_text.values()) == 1
    _msgfmt_ok(path)


def test_the_same_text_in_two_posts_is_sent_once_and_memory_comes_first(tmp_path: Path, server: MTServer) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST, "semis.md": OTHER})
    path = config.locales_dir / "en" / "semis.po"
    catalog = polib.pofile(str(path))
    _entry(catalog, "Semez").msgstr = "Sow tomatoes in March."
    catalog.save()
    (tmp_path / "content" / "fr" / "potager.md").write_text(POST + "\nSemez les tomates en mars.\n", "utf-8")
    operations.extract_catalogs(config, iter_posts(config), ["en"]).commit()

    [report] = _translate(config)

    assert server.per_text["Il reste <g1>beaucoup</g1> à faire au <g2>jardin</g2> quand il fait froid."] == 1
    assert all(count == 1 for count in server.per_text.values())
    assert not any("Semez" in text for text in server.per_text)  # reviewed translation found in memory
    sown = _entry(_catalog(config, "potager.md"), "Semez")
    assert sown.msgstr == "Sow tomatoes in March." and not sown.fuzzy
    assert report.from_memory == 1


def test_protected_markup_and_glossary_terms_never_reach_the_engine(tmp_path: Path, server: MTServer) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "glossary.tsv").write_text("fr\ten\nRGPD\tGDPR\n", encoding="utf-8")
    config = _project(tmp_path, server.url, {"potager.md": POST})
    _translate(config)
    seen = " ".join(server.per_text)
    for hidden in ("https://", "RGPD", "`code`", "[ref]"):
        assert hidden not in seen
    catalog = _catalog(config, "potager.md")
    assert _entry(catalog, "Le RGPD").msgstr == "lE GDPR NE CONCERNE PAS LES POIREAUX."
    assert _entry(catalog, "Protégez").msgstr.endswith(" [NOTICE][ref].")  # the label is kept


def test_a_draft_with_broken_placeholders_is_asked_for_once_more(tmp_path: Path, server: MTServer) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST})
    server.script("fragile", ["drop"])
    [report] = _translate(config)
    assert report.failures == []
    draft = _entry(_catalog(config, "potager.md"), "Une phrase fragile").msgstr
    assert draft == "uNE PHRASE FRAGILE AVEC DU `code`."
    assert server.per_text["Une phrase fragile avec du <x1/>."] == 2


@pytest.mark.parametrize("fault", ["drop", "mangle", "url", "braces"])
def test_a_draft_that_keeps_breaking_the_markup_is_left_empty_and_reported(
    tmp_path: Path, server: MTServer, fault: str
) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST})
    server.script("jardin", [fault, fault])
    [report] = _translate(config)
    [failure] = report.failures
    assert "Il reste" in failure.msgid and failure.path.name == "potager.po" and failure.line
    if fault == "braces":  # caught by the project's checks: build would refuse it
        assert "template-injected" in failure.reason
    catalog = _catalog(config, "potager.md")
    assert _entry(catalog, "Il reste").msgstr == ""
    assert _entry(catalog, "Protégez").msgstr  # the others were written
    _msgfmt_ok(config.locales_dir / "en" / "potager.po")


def test_a_failed_request_leaves_a_valid_catalog_and_a_rerun_finishes_the_work(
    tmp_path: Path, server: MTServer
) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST})
    server.script("fragile", ["500", "500", "500"])
    [first] = _translate(config)
    assert len(first.failures) == 1 and "HTTP 500" in first.failures[0].reason
    _msgfmt_ok(config.locales_dir / "en" / "potager.po")
    requests_before = server.requests
    [second] = _translate(config)
    assert second.failures == [] and second.sent == 1
    assert server.requests - requests_before == 1  # only what was left
    assert all(entry.msgstr for entry in _catalog(config, "potager.md") if not entry.obsolete)


class _Interrupt(Progress):
    """Stops the run (as Ctrl-C would) when the ``after``-th draft arrives."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.seen = 0

    def advance(self, segments: int, characters: int) -> None:
        self.seen += segments
        if self.seen >= self.after:
            raise KeyboardInterrupt


def test_an_interrupted_run_keeps_its_finished_drafts_and_the_next_run_sends_only_the_rest(
    tmp_path: Path, server: MTServer
) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST})
    with pytest.raises(KeyboardInterrupt):
        _translate(config, jobs=1, progress=_Interrupt(after=3))
    kept = {entry.msgid: entry.msgstr for entry in _catalog(config, "potager.md") if entry.msgstr}
    left = {entry.msgid for entry in _catalog(config, "potager.md") if not entry.msgstr}
    assert len(kept) == 2 and left
    _msgfmt_ok(config.locales_dir / "en" / "potager.po")
    requests_before = server.requests
    [report] = _translate(config, jobs=1)
    assert report.failures == []
    assert server.requests - requests_before == len(left)  # only what was left
    after = {entry.msgid: entry.msgstr for entry in _catalog(config, "potager.md")}
    assert all(after[msgid] == msgstr for msgid, msgstr in kept.items())
    assert all(after[msgid] for msgid in left)


def test_retranslate_machine_redoes_only_unreviewed_machine_drafts(tmp_path: Path, server: MTServer) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST})
    path = config.locales_dir / "en" / "potager.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        entry.msgstr = "old machine draft"
        entry.flags = ["fuzzy"]
        entry.tcomment = "machine translation: google"
    reviewed = _entry(catalog, "Protégez")
    reviewed.flags = []  # a person reviewed this draft: it is theirs now
    person = _entry(catalog, "Le RGPD")
    person.tcomment = ""
    person.msgstr = "A person's draft"
    catalog.save()

    _translate(config)
    assert server.requests == 0  # without the option, nothing to do

    _translate(config, retranslate_machine=True)
    catalog = _catalog(config, "potager.md")
    assert _entry(catalog, "Il reste").msgstr.startswith("iL RESTE")
    assert _entry(catalog, "Il reste").tcomment == "machine translation: libre"
    assert _entry(catalog, "Protégez").msgstr == "old machine draft"
    assert _entry(catalog, "Le RGPD").msgstr == "A person's draft"


def test_dry_run_sends_nothing_and_counts_what_would_be_billed(tmp_path: Path, server: MTServer) -> None:
    config = _project(tmp_path, server.url, {"potager.md": POST, "semis.md": OTHER})
    path = config.locales_dir / "en" / "potager.po"
    before = path.read_bytes()
    [report] = _translate(config, dry_run=True)
    assert server.requests == 0 and path.read_bytes() == before
    [done] = _translate(config)
    assert (report.segments, report.characters) == (done.segments, done.characters)
    assert report.segments == len(server.per_text)
    assert report.characters == sum(len(text) for text in server.per_text)


# ---- the command line ----


def _l10n(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("l10n", path=str(Path(sys.executable).parent)) or shutil.which("l10n")
    if executable is None:
        pytest.skip("the l10n command is not installed")
    environment = {key: value for key, value in os.environ.items() if not key.endswith("_KEY")}
    return subprocess.run(
        [executable, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_command_runs_8_requests_at_once_with_jobs_8(tmp_path: Path, server: MTServer) -> None:
    posts = {f"post-{number}.md": f"# Titre {number}\n\nParagraphe numéro {number}.\n" for number in range(10)}
    _project(tmp_path, server.url, posts)
    server.delay = 1.0  # long enough for all 8 to be in flight together on a loaded machine
    result = _l10n("translate", "--jobs", "8", cwd=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert server.max_in_flight == 8
    assert "en (libre): sent 20 segments" in result.stderr

    dry = _l10n("translate", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0 and "would send 0 segments" in dry.stderr


def test_the_command_reports_failures_with_exit_code_1(tmp_path: Path, server: MTServer) -> None:
    _project(tmp_path, server.url, {"potager.md": POST})
    server.script("jardin", ["drop", "drop"])
    result = _l10n("translate", cwd=tmp_path)
    assert result.returncode == 1
    assert "potager.po:" in result.stderr and "not translated" in result.stderr
    assert "1 failed" in result.stderr


def test_a_post_without_a_catalog_is_named(tmp_path: Path, server: MTServer) -> None:
    _project(tmp_path, server.url, {"potager.md": POST})
    (tmp_path / "content" / "fr" / "nouveau.md").write_text("Un nouveau billet.\n", encoding="utf-8")
    result = _l10n("translate", cwd=tmp_path)
    assert result.returncode == 0
    assert "locales/en/nouveau.po: no catalog yet (run l10n extract)" in result.stderr


def test_a_backend_without_its_key_is_bad_usage(tmp_path: Path, server: MTServer) -> None:
    _project(tmp_path, server.url, {"potager.md": POST})
    result = _l10n("translate", "--backend", "deepl", cwd=tmp_path)
    assert result.returncode == 2 and "DEEPL_API_KEY" in result.stdout + result.stderr
    assert server.requests == 0


def test_the_sample_blog_pseudo_translated_keeps_its_layout_and_passes_check(tmp_path: Path) -> None:
    """pseudo makes every text about 30% longer and accented: the built posts must still be sound."""
    shutil.copytree(REPO / "content" / "fr", tmp_path / "content" / "fr")
    shutil.copytree(REPO / "locales", tmp_path / "locales")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'target_langs = ["en"]' in pyproject
    (tmp_path / "pyproject.toml").write_text(
        pyproject.replace('target_langs = ["en"]', 'target_langs = ["en", "de"]'), encoding="utf-8"
    )
    assert _l10n("extract", cwd=tmp_path).returncode == 0
    translated = _l10n("translate", "--lang", "de", "--backend", "pseudo", cwd=tmp_path)
    assert translated.returncode == 0, translated.stdout + translated.stderr
    assert "0 failed" in translated.stderr
    built = _l10n("build", "--lang", "de", "--include-fuzzy", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    checked = _l10n("check", "--lang", "de", "--include-fuzzy", cwd=tmp_path)
    if "No such option" in checked.stderr:
        checked = _l10n("check", "--lang", "de", cwd=tmp_path)
        # Issue 16: without include_fuzzy, a preview of machine drafts left published is an error of its own;
        # nothing else may be reported.
        errors = [line for line in checked.stdout.splitlines() if "warning:" not in line]
        assert errors and all("[unreviewed-output]" in line for line in errors), checked.stdout
    else:
        assert checked.returncode == 0, checked.stdout + checked.stderr

    for source in sorted((tmp_path / "content" / "fr").rglob("*.md")):
        relative = source.relative_to(tmp_path / "content" / "fr")
        output = (tmp_path / "content" / "de" / relative).read_text(encoding="utf-8")
        text = source.read_text(encoding="utf-8")
        assert "⟦" in output
        # The body keeps every line (a folded front matter value may take one more line).
        body_in, body_out = text.split("\n---\n", 1)[1], output.split("\n---\n", 1)[1]
        assert body_out.count("\n") == body_in.count("\n")
        in_fence = False
        for line_in, line_out in zip(body_in.splitlines(), body_out.splitlines(), strict=True):
            fence = line_in.lstrip().startswith(("```", "~~~"))
            in_fence = in_fence != fence
            if fence or in_fence or not line_in.strip() or re.match(r" {0,3}\[[^\]^][^\]]*\]: ", line_in):
                assert line_out == line_in  # code, blank lines and reference definitions stay as they are
    for catalog in (tmp_path / "locales" / "de").rglob("*.po"):
        _msgfmt_ok(catalog)
        assert all(entry.fuzzy and "machine translation: pseudo" in entry.tcomment
                   for entry in polib.pofile(str(catalog)) if entry.msgstr)
    again = _l10n("translate", "--lang", "de", "--backend", "pseudo", cwd=tmp_path)
    assert "sent 0 segments" in again.stderr  # idempotent: nothing left to do
