"""The translation memory on disk (``.l10n-cache/memory-<lang>.sqlite``): the same answers as the memory in RAM,
kept up to date catalog by catalog, and never trusted when it is not this tool's."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

import polib
import pytest
from conftest import ENGLISH, POST_B, project_files, run_l10n, snapshot, translate_catalog, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process
from reference_memory import TranslationMemory

from l10n.memory import database as memory_store
from l10n.memory.database import DiskMemory, MemoryStore, PendingCatalogs, catalog_sortkey, memory_file
from l10n.memory.fuzzy import first_best, length_window
from l10n.project import files_under
from l10n.store.sqlite import CACHE_DIR

SENTENCE = "Une soupe de légumes se prépare en trente minutes."
OTHER = "Il faut des poireaux, des carottes et des pommes de terre."

# Few letters, short texts: the same source texts and translations come back often (votes, ties), and many
# texts are close to each other (fuzzy matches, equal scores).
_text = st.text(alphabet="abcé ", min_size=1, max_size=12)
_msgid = st.one_of(st.sampled_from(["a", "ab", "abc", "abcé", "b a c", "é é", "cab", "bac a"]), _text)
_pairs = st.lists(st.tuples(_msgid, st.sampled_from(["X", "Y", "Z", "Yé"])), max_size=8)
_cutoffs = st.sampled_from([0.0, 30.0, 50.0, 66.7, 75.0, 90.0, 100.0])


def _catalog_names(count: int) -> list[str]:
    return [f"c{number:02d}.po" for number in range(count)]


class Files:
    """Catalogs as files (their pairs as JSON) in a scratch directory, synchronized into a memory database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store_path = memory_file(root / CACHE_DIR, "en")

    def write(self, catalogs: dict[str, Sequence[tuple[str, str]]]) -> None:
        for path in self.root.glob("*.po"):
            path.unlink()
        for name, pairs in catalogs.items():
            (self.root / name).write_text(json.dumps(pairs), encoding="utf-8")

    def synchronize(self) -> tuple[str, bool]:
        listed = [(catalog_sortkey(PurePosixPath(path.name).parts), path.name, path) for path in self.root.glob("*.po")]
        with MemoryStore(self.store_path) as store:
            return store.synchronize(listed, lambda paths: [_read(path) for path in paths])


def _read(path: Path) -> list[tuple[str, str]]:
    return [(msgid, msgstr) for msgid, msgstr in json.loads(path.read_text(encoding="utf-8"))]


def in_ram(catalogs: dict[str, Sequence[tuple[str, str]]]) -> TranslationMemory:
    return TranslationMemory(pair for name in sorted(catalogs) for pair in catalogs[name])


@contextlib.contextmanager
def _small_parts(small: bool) -> Iterator[None]:
    saved = memory_store.BLOCK, memory_store.CACHED_SOURCES, memory_store.CHANGED_BATCH
    if small:
        memory_store.BLOCK, memory_store.CACHED_SOURCES, memory_store.CHANGED_BATCH = 2, 4, 1
    try:
        yield
    finally:
        memory_store.BLOCK, memory_store.CACHED_SOURCES, memory_store.CHANGED_BATCH = saved


def assert_same_answers(disk: DiskMemory, ram: TranslationMemory, queries: Sequence[str], cutoff: float) -> None:
    assert len(disk) == len(ram)
    for query in queries:
        assert disk.exact(query) == ram.exact(query)
        assert disk.fuzzy(query, cutoff) == ram.fuzzy(query, cutoff)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    states=st.lists(st.lists(_pairs, max_size=5), min_size=1, max_size=4),
    queries=st.lists(_text, max_size=6),
    cutoff=_cutoffs,
    small=st.booleans(),
)
def test_the_disk_memory_answers_as_the_memory_in_ram(
    states: list[list[list[tuple[str, str]]]], queries: list[str], cutoff: float, small: bool
) -> None:
    """Catalogs change, appear and disappear from run to run; after each synchronization the database gives
    exactly the in-RAM memory's answers (votes, ties to the first seen, fuzzy scores and the first best).
    ``small``: parts of two texts, a cache of four, catalogs read one by one: bands span parts and leave the
    cache, the memory grows over several reads."""
    with tempfile.TemporaryDirectory() as scratch, _small_parts(small):
        files = Files(Path(scratch))
        for state in states:
            catalogs = dict(zip(_catalog_names(len(state)), state, strict=True))
            if len(catalogs) > 2:
                del catalogs["c01.po"]  # a gap: later catalogs keep their place without renumbering
            files.write(catalogs)
            files.synchronize()
            ram = in_ram(catalogs)
            disk = DiskMemory(files.store_path)
            try:
                known = [msgid for pairs in catalogs.values() for msgid, _ in pairs]
                assert_same_answers(disk, ram, [*queries, *dict.fromkeys(known)], cutoff)
            finally:
                disk.close()


def test_a_source_text_takes_the_place_of_its_first_appearance_whatever_its_translation(tmp_path: Path) -> None:
    """Two sources equally close to the text: the first to appear wins, though the other text has a
    translation that appears first (and that translation is outvoted)."""
    catalogs = {"a.po": [("abcy", "X"), ("abcx", "X")], "b.po": [("abcy", "Y"), ("abcy", "Y")]}
    files = Files(tmp_path)
    files.write(catalogs)
    files.synchronize()
    disk = DiskMemory(files.store_path)
    try:
        assert disk.fuzzy("abcz") == in_ram(catalogs).fuzzy("abcz") == ("Y", 75.0, "abcy")
    finally:
        disk.close()


@settings(max_examples=40, deadline=None)
@given(
    before=st.lists(_pairs, min_size=1, max_size=4),
    rewritten=st.lists(st.tuples(st.integers(0, 5), _pairs | st.none()), max_size=3),
    queries=st.lists(_text, max_size=4),
    small=st.booleans(),
)
def test_catalogs_rewritten_by_a_run_replace_their_rows(
    before: list[list[tuple[str, str]]],
    rewritten: list[tuple[int, list[tuple[str, str]] | None]],
    queries: list[str],
    small: bool,
) -> None:
    """What a run writes (a catalog filled, created or gone) enters the database as if read from the files."""
    with tempfile.TemporaryDirectory() as scratch, _small_parts(small):
        files = Files(Path(scratch))
        catalogs = dict(zip(_catalog_names(len(before)), before, strict=True))
        files.write(catalogs)
        files.synchronize()
        pending = PendingCatalogs()
        for number, pairs in rewritten:
            name = f"c{number:02d}.po"
            if pairs is None:
                catalogs.pop(name, None)
            else:
                catalogs[name] = pairs
            pending.add("en", catalog_sortkey((name,)), name, None if pairs is None else f"hash {pairs}", pairs or [])
        with MemoryStore(files.store_path) as store:
            store.apply(pending.of("en"))
        pending.close()
        disk = DiskMemory(files.store_path)
        try:
            known = [msgid for pairs in catalogs.values() for msgid, _ in pairs]
            assert_same_answers(disk, in_ram(catalogs), [*queries, *dict.fromkeys(known)], 75.0)
        finally:
            disk.close()


@given(query=st.text(max_size=40), candidate=st.text(max_size=40), cutoff=st.floats(0, 100))
def test_a_text_outside_the_length_window_never_reaches_the_cutoff(query: str, candidate: str, cutoff: float) -> None:
    window = length_window(len(query), cutoff)
    if window is not None and not window[0] <= len(candidate) <= window[1]:
        assert fuzz.ratio(query, candidate) < cutoff


def test_the_length_window_by_hand() -> None:
    # cutoff 75: ratio <= 200 * min / sum, so 0.6 * |a| <= |b| <= |a| / 0.6
    assert length_window(60, 75.0) == (35, 101)
    assert fuzz.ratio("a" * 60, "a" * 36) == 75.0  # the exact bound is reached
    assert fuzz.ratio("a" * 60, "a" * 100) == 75.0
    assert fuzz.ratio("a" * 60, "a" * 101) < 75.0
    assert length_window(10, 0.0) is None
    assert length_window(10, 100.5) == (1, 0)


@given(
    query=_text,
    sources=st.lists(_text, max_size=30, unique=True),
    groups=st.lists(st.integers(0, 3), max_size=30),
    cutoff=_cutoffs,
)
def test_groups_give_the_first_best_of_one_extract_over_all_sources(
    query: str, sources: list[str], groups: list[int], cutoff: float
) -> None:
    """Sources dealt into groups (each in order, as the bands of lengths are) give the pick of one
    ``extractOne`` over all of them: the best score, ties to the first in order."""
    group_of = {source: groups[index] if index < len(groups) else 0 for index, source in enumerate(sources)}
    dealt = [[source for source in sources if group_of[source] == group] for group in range(4)]
    found = process.extractOne(query, sources, scorer=fuzz.ratio, score_cutoff=cutoff) if sources else None
    best = first_best(query, dealt, cutoff, sources.index)
    assert best == (None if found is None else (found[0], found[1]))


@given(
    parts=st.lists(
        st.lists(
            st.text(min_size=1, max_size=4).filter(lambda s: "/" not in s and "\0" not in s), min_size=1, max_size=3
        ),
        min_size=2,
        max_size=6,
    )
)
def test_catalog_places_sort_as_the_paths_do(parts: list[list[str]]) -> None:
    paths = [PurePosixPath(*part) for part in parts]
    assert sorted(paths, key=lambda path: catalog_sortkey(path.parts)) == sorted(paths)


def test_a_worker_opens_its_own_connection(tmp_path: Path) -> None:
    files = Files(tmp_path)
    files.write({"a.po": [(SENTENCE, "A soup.")]})
    files.synchronize()
    memory = DiskMemory(files.store_path)
    assert memory.exact(SENTENCE) == "A soup."
    state = memory.__getstate__()
    assert state == {"path": files.store_path}  # what a worker gets where processes are not forked
    memory._pid = -1  # as seen from a forked child: the parent's connection is not used
    inherited = memory._connection
    assert memory.exact(SENTENCE) == "A soup."
    assert memory._connection is not inherited
    assert inherited is not None
    inherited.close()
    memory.close()


# ---- through sync ----


def translated(project: Path) -> Path:
    assert run_l10n("extract", cwd=project).returncode == 0
    translate_catalog(project / "locales/en/soupe.po", ENGLISH)
    assert run_l10n("sync", cwd=project).returncode == 0
    return project


def entry(project: Path, name: str, msgid: str) -> polib.POEntry:
    found = polib.pofile(str(project / "locales/en" / name)).find(msgid)
    assert found is not None
    return found


@pytest.mark.parametrize(
    "damage",
    ["garbage", "other tool", "other shape"],
)
def test_a_memory_database_that_is_not_this_tools_is_ignored_and_rebuilt(project: Path, damage: str) -> None:
    translated(project)
    database = project / CACHE_DIR / "memory-en.sqlite"
    if damage == "garbage":
        database.write_bytes(b"SQLite format 3\0" + b"\xff" * 5000)
    else:
        # a well-formed memory claiming a wrong translation: trusted, it would fill the new post with it
        connection = sqlite3.connect(database)
        connection.execute("UPDATE sources SET msgstr = 'POISON'")
        connection.execute("UPDATE pairs SET msgstr = 'POISON'")
        if damage == "other tool":
            connection.execute("UPDATE meta SET value = 'another version' WHERE key = 'tool'")
        else:
            connection.execute("ALTER TABLE sources RENAME COLUMN first TO earliest")
        connection.commit()
        connection.close()
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SENTENCE}\n")
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 0, result.stderr
    assert entry(project, "velouté.po", SENTENCE).msgstr == ENGLISH[SENTENCE]
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("SELECT msgstr FROM sources WHERE msgid = ?", (SENTENCE,)).fetchone() == (
            ENGLISH[SENTENCE],
        )
    finally:
        connection.close()


def test_a_changed_catalog_replaces_its_pairs(project: Path) -> None:
    translated(project)
    translate_catalog(project / "locales/en/soupe.po", {SENTENCE: "Soup in half an hour."})
    assert run_l10n("sync", cwd=project).returncode == 0
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SENTENCE}\n")
    assert run_l10n("sync", cwd=project).returncode == 0
    # the old translation is gone from the memory: it would tie with the new one and win as first seen
    assert entry(project, "velouté.po", SENTENCE).msgstr == "Soup in half an hour."


def test_a_deleted_catalog_leaves_the_memory(project: Path) -> None:
    translated(project)
    (project / "content/fr/soupe.md").unlink()
    (project / "locales/en/soupe.po").unlink()
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SENTENCE}\n\n{OTHER}\n")
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 0, result.stderr
    assert entry(project, "velouté.po", SENTENCE).msgstr == ""
    assert entry(project, "velouté.po", OTHER).msgstr == ""


def test_a_removed_posts_catalog_still_feeds_the_memory(project: Path) -> None:
    translated(project)
    (project / "content/fr/soupe.md").unlink()  # its catalog stays: a person's work
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SENTENCE}\n")
    assert run_l10n("sync", cwd=project).returncode == 0
    assert entry(project, "velouté.po", SENTENCE).msgstr == ENGLISH[SENTENCE]


def test_deleting_the_cache_changes_no_result(project: Path, tmp_path: Path) -> None:
    translated(project)
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SENTENCE}\n\n{OTHER[:-8]} navets.\n")
    cold = tmp_path / "cold"
    shutil.copytree(project, cold)
    shutil.rmtree(cold / CACHE_DIR)
    for root in (project, cold):
        assert run_l10n("sync", cwd=root).returncode == 0
    assert project_files(snapshot(project)).keys() == project_files(snapshot(cold)).keys()
    for name in ("locales/en/velouté.po", "content/en/soupe.md"):
        assert (project / name).read_bytes() == (cold / name).read_bytes()
    close = entry(project, "velouté.po", f"{OTHER[:-8]} navets.")
    assert (close.msgstr, close.fuzzy, close.previous_msgid) == (ENGLISH[OTHER], True, OTHER)


def _distinct_site(root: Path) -> Path:
    """Posts whose paragraphs are close to, but not the same as, the translated ones: exact and fuzzy fills."""
    write(root / "l10n.toml", 'target_langs = ["en"]\nmin_completion = 0\n')
    write(root / "content/fr/soupe.md", POST_B)
    assert run_l10n("extract", cwd=root).returncode == 0
    translate_catalog(root / "locales/en/soupe.po", ENGLISH)
    for number in range(40):
        body = f"{SENTENCE}\n\n{OTHER[:-1]} {number}.\n\nUne phrase propre au billet {number}.\n"
        write(root / f"content/fr/billets/{number:02d}.md", f"# Billet {number}\n\n{body}")
    return root


def test_jobs_fill_from_the_memory_as_a_serial_run(tmp_path: Path) -> None:
    serial = _distinct_site(tmp_path / "serial")
    parallel = tmp_path / "parallel"
    shutil.copytree(serial, parallel)
    for _attempt in range(3):  # dates in catalogs have minute precision: both runs in the same minute
        one = run_l10n("-v", "sync", "--jobs", "1", cwd=serial)
        two = run_l10n("-v", "sync", "--jobs", "2", cwd=parallel)
        assert one.returncode == two.returncode == 0, one.stderr + two.stderr
        files = {name: state[0] for name, state in project_files(snapshot(serial)).items()}
        if files == {name: state[0] for name, state in project_files(snapshot(parallel)).items()}:
            break
        shutil.rmtree(serial)
        shutil.rmtree(parallel)
        _distinct_site(serial)
        shutil.copytree(serial, parallel)
    else:
        pytest.fail("--jobs 2 wrote other files than --jobs 1")
    assert one.stderr == two.stderr
    assert "memory: en: 40 entries filled, 40 fuzzy suggestions" in one.stderr
    close = entry(serial, "billets/07.po", f"{OTHER[:-1]} 7.")
    assert (close.msgstr, close.fuzzy, close.previous_msgid) == (ENGLISH[OTHER], True, OTHER)


def test_a_memory_database_that_cannot_be_written_gives_the_run_a_private_one(project: Path) -> None:
    translated(project)
    blocked = project / CACHE_DIR / "memory-en.sqlite"
    blocked.unlink()
    (blocked / "not a database").mkdir(parents=True)  # a directory where the database goes: not replaceable
    write(project / "content/fr/velouté.md", f"# Un velouté\n\n{SENTENCE}\n")
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 0, result.stderr
    assert entry(project, "velouté.po", SENTENCE).msgstr == ENGLISH[SENTENCE]
    assert not list(Path(tempfile.gettempdir()).glob("l10n-memory-*/memory-en.sqlite"))  # removed after the run


def test_catalogs_are_listed_as_sorted_rglob_lists_them(tmp_path: Path) -> None:
    for name in ("a.po", "a-b.po", "a/b.po", "a/c/d.po", "a b/e.po", "z.po", "notes.txt", "é.po", "A/f.po"):
        write(tmp_path / name, "")
    (tmp_path / "dir.po").mkdir()  # a directory with the suffix is listed, as rglob does
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed, as rglob does
    assert list(files_under(tmp_path, ".po")) == sorted(tmp_path.rglob("*.po"))


def test_a_catalog_whose_name_is_not_utf8_is_remembered_and_replaced(tmp_path: Path) -> None:
    name = "caf\udce9.po"  # a file name that is not UTF-8, as Python shows it
    files = Files(tmp_path)
    files.write({name: [(SENTENCE, "A soup.")], "z.po": [(OTHER, "Leeks.")]})
    _, grew = files.synchronize()
    assert grew
    _, grew = files.synchronize()
    assert not grew  # found as it was
    pending = PendingCatalogs()
    pending.add("en", catalog_sortkey((name,)), name, "new hash", [(SENTENCE, "Soup.")])
    with MemoryStore(files.store_path) as store:
        store.apply(pending.of("en"))
    pending.close()
    disk = DiskMemory(files.store_path)
    try:
        assert (disk.exact(SENTENCE), disk.exact(OTHER), len(disk)) == ("Soup.", "Leeks.", 2)
    finally:
        disk.close()
