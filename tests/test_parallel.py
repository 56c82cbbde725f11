"""Posts spread over processes (``--jobs``): the same files, byte for byte, and the same report as a serial run;
bad input anywhere still writes nothing."""

from __future__ import annotations

import json
import re
import shutil
import zlib
from pathlib import Path

import polib
import pytest
from conftest import POST_A, POST_B, REPO, run_l10n, snapshot, write

from l10n.catalog.template import now_stamp
from l10n.config import load_config
from l10n.project import Post, iter_posts
from l10n.workers import ordered_map

CORPUS = REPO / "tests" / "data" / "corpus-fr"
_PLAIN = re.compile(r"[^\W\d_][\w\s,;:'’!?.()-]*")
_WORD = re.compile(r"[^\W\d_]{2,}")


def site(root: Path) -> Path:
    """The kept corpus sample and the fixture posts, about half of the plain-prose entries translated."""
    write(root / "l10n.toml", 'target_langs = ["en", "de"]\nfront_matter_keys = ["title", "description", "tags[]"]\n')
    write(root / "content/fr/jardin/hiver.md", POST_A)
    write(root / "content/fr/soupe.md", POST_B)
    for number, path in enumerate(sorted(CORPUS.rglob("*.md*"))):
        write(
            root / "content/fr" / f"corpus-{number // 10}" / f"{number:02d}-{path.parent.name}{path.suffix}",
            path.read_bytes(),
        )
    assert run_l10n("extract", cwd=root).returncode == 0
    for catalog_file in sorted((root / "locales/en").rglob("*.po")):
        catalog = polib.pofile(str(catalog_file))
        for entry in catalog:
            if _PLAIN.fullmatch(entry.msgid) and zlib.crc32(entry.msgid.encode()) % 2 == 0:
                entry.msgstr = _WORD.sub(lambda match: f"{match.group(0)} {match.group(0)}", entry.msgid)
        catalog.save(str(catalog_file))
    return root


def test_jobs_write_the_same_files_and_report_as_a_serial_run(tmp_path: Path) -> None:
    serial = site(tmp_path / "serial")
    parallel = tmp_path / "parallel"
    shutil.copytree(serial, parallel)
    for _attempt in range(3):  # dates in catalogs have minute precision: both runs in the same minute
        minute = now_stamp()
        one = run_l10n("-v", "sync", "--jobs", "1", "--min-completion", "10", cwd=serial)
        two = run_l10n("-v", "sync", "--jobs", "2", "--min-completion", "10", cwd=parallel)
        if now_stamp() == minute:
            break
        shutil.rmtree(serial)
        shutil.rmtree(parallel)
        site(serial)
        shutil.copytree(serial, parallel)
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stderr == two.stderr
    files = {name: digest for name, (digest, _) in snapshot(serial).items() if not name.startswith(".l10n-cache")}
    assert files == {
        name: digest for name, (digest, _) in snapshot(parallel).items() if not name.startswith(".l10n-cache")
    }
    assert sum(name.startswith("content/en/") for name in files) > 10  # posts were built
    for root in (serial, parallel):  # the serial and the parallel check agree (cache or none)
        (root / "content/fr/soupe.md").write_text(POST_B + "\nUne phrase de plus.\n", encoding="utf-8")
    check_one = run_l10n("check", "--jobs", "1", cwd=serial)
    check_two = run_l10n("check", "--jobs", "2", cwd=parallel)
    assert check_one.returncode == check_two.returncode == 1
    assert check_one.stdout == check_two.stdout


def test_bad_input_in_any_post_writes_nothing_with_jobs(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    write(root / "content/fr/corpus-1/zz-bad.md", '---\ntitle: "Sans fin\ntags: [a\n---\n\n# Titre\n')
    before = snapshot(root)
    result = run_l10n("sync", "--jobs", "2", "--min-completion", "0", cwd=root)
    assert result.returncode == 2
    assert "content/fr/corpus-1/zz-bad.md:" in result.stderr
    assert snapshot(root) == before  # not one post written, no temporary file left
    assert not (root / "content/en").exists()  # nor the directories made for the outputs


def test_status_over_processes_reports_what_a_serial_run_does(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    serial = run_l10n("status", "--json", "--jobs", "1", cwd=root)
    parallel = run_l10n("status", "--json", "--jobs", "2", cwd=root)
    assert serial.returncode == parallel.returncode == 0, parallel.stderr
    assert parallel.stdout == serial.stdout
    totals = {row["lang"]: row for row in json.loads(serial.stdout)["totals"]}
    assert totals["en"]["translated"] > 0 and totals["en"]["untranslated"] > 0


def _square_unless_13(_: None, item: int) -> int:
    if item == 13:
        raise ValueError("thirteen")
    return item * item


def test_results_come_in_order_and_those_not_taken_are_abandoned() -> None:
    abandoned: list[int] = []
    results = ordered_map(_square_unless_13, None, list(range(40, 140)), 2, abandon=abandoned.append)
    taken = [next(results) for _ in range(30)]
    results.close()  # the consumer stops early: everything computed but not taken is undone
    assert taken == [item * item for item in range(40, 70)]
    assert not set(abandoned) & set(taken)
    assert len(abandoned) == len(set(abandoned)) and all(value >= 70 * 70 for value in abandoned)
    # A failing item: results before its chunk arrive in order, then its error.
    received: list[int] = []
    with pytest.raises(ValueError, match="thirteen"):
        received.extend(ordered_map(_square_unless_13, None, list(range(100)), 2))
    assert received == [item * item for item in range(len(received))] and len(received) <= 13


def _rel_of(_: None, post: Post) -> tuple[str, str]:
    return post.rel.as_posix(), post.source.name


def test_the_post_list_spreads_over_processes_as_a_list_would(tmp_path: Path) -> None:
    """Posts are kept as relative paths and built when read: sorted, and sliced into chunks for the workers,
    each the same post a list of them would give."""
    write(tmp_path / "l10n.toml", 'target_langs = ["en"]\n')
    names = [f"dir{index % 3}/post-{index:02d}.md" for index in range(25)] + ["a.mdx", ".hidden.md", "notes.txt"]
    for name in names:
        write(tmp_path / "content/fr" / name, "# Titre\n")
    config = load_config(tmp_path)
    posts = iter_posts(config)
    expected = sorted(name for name in names if name.endswith((".md", ".mdx")) and not name.startswith("."))
    assert [post.rel.as_posix() for post in posts] == expected
    assert all(post.source == config.source_dir / post.rel for post in posts)
    assert [post.rel.as_posix() for post in posts[3:7]] == expected[3:7]
    assert list(ordered_map(_rel_of, None, posts, 2)) == [(rel, rel.rsplit("/", 1)[-1]) for rel in expected]
