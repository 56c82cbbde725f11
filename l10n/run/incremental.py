"""A run over posts: skips every post the run cache shows up to date, processes the rest in parallel
(:mod:`l10n.run.post`), collects the plan, and updates the cache and the memory databases after the commit."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from l10n.catalog.template import now_stamp
from l10n.config import Config
from l10n.fileio import stage_text
from l10n.layout import SOURCE_SUFFIXES
from l10n.memory.database import MemoryStore, PendingCatalogs, catalog_sortkey
from l10n.memory.rules import Memory
from l10n.ownership import lock_path, read_lock, render_lock, state_token
from l10n.project import (
    LazyPosts,
    Post,
    PostFiles,
    display,
    load_glossary,
    po_path,
    read_document,
    source_path,
)
from l10n.run.memories import MemoryState, memory_path, synchronize_memory
from l10n.run.plan import Below, Plan, Steps
from l10n.store.identity import context_digest, digest, file_digest, tool_fingerprint
from l10n.store.parsed import ParsedStore
from l10n.store.records import LangRecord, PostRecord, RunCache
from l10n.store.spool import Rows
from l10n.store.stamps import FileDigests
from l10n.workers import ordered_map

if TYPE_CHECKING:
    from l10n.run.post import PostResult, Task

Progress = Callable[[str], None]
# What the cache shows of a post: to process, up to date, up to date with diagnostics to report again.
_STALE, _SKIP, _REPLAY = 0, 1, 2
_LOOKUPS = 100  # posts whose records and stamps are looked up together (a bounded number held at once)


@dataclass
class Run:
    """One run of an operation over posts: skips what the cache shows up to date, processes the rest."""

    config: Config
    posts: Sequence[Post]
    langs: tuple[str, ...]
    steps: Steps
    jobs: int
    progress: Progress | None
    cache: RunCache = field(init=False)
    parsed: ParsedStore = field(init=False)
    digests: FileDigests = field(init=False)  # of the files the run looks at, from their stamps when unchanged
    _pending: PendingCatalogs = field(init=False, default_factory=PendingCatalogs)  # catalogs the run rewrites
    _memories: dict[str, MemoryState] = field(init=False, default_factory=dict)  # the memory databases (sync)
    locks: dict[str, dict[str, str]] = field(init=False)  # lang -> post -> output hash l10n wrote (committed)
    _owned: dict[str, dict[str, str | None]] = field(init=False)  # lock lines the run changes (None: removed)
    _linked_pages: dict[tuple[str, str, str], bool] = field(init=False, default_factory=dict)  # changed?
    _listed: set[str] = field(init=False, default_factory=set)  # the run's posts (their sources exist)
    _files: PostFiles = field(init=False)
    extract_context: str = field(init=False)
    build_context: str | None = field(init=False)

    def __post_init__(self) -> None:
        config = self.config
        self.locks = {lang: read_lock(lock_path(config.locales_dir, lang)) for lang in self.langs}
        self._owned = {lang: {} for lang in self.langs}
        self.cache = RunCache.load(config.root)
        self.parsed = ParsedStore(config.root)
        self.digests = FileDigests(config.root)
        self._files = PostFiles(config, self.langs)
        config_file = config.config_file
        config_bytes = config_file.read_bytes() if config_file is not None and config_file.is_file() else b""
        self.extract_context = context_digest(
            tool_fingerprint(), config.root, digest(config_bytes), config.dialects.describe()
        )
        self.build_context = None
        if self.steps.build is not None:
            self.build_context = context_digest(
                self.extract_context,
                self.steps.build.min_completion,
                self.steps.build.include_fuzzy,
                self.steps.build.force,
                file_digest(config.glossary),
            )

    # -- what is on disk now --

    def _up_to_date(self, rels: Sequence[str], fill_tokens: Mapping[str, str | None]) -> list[PostRecord | None]:
        """Each post's record (by path as text) when it shows that this run would change nothing for the post
        (else None); the records, and the stamps of the posts' files, looked up together."""
        records = self.cache.records(rels)
        known = [index for index, record in enumerate(records) if record is not None]
        names: list[str] = []
        for index in known:
            names += self._files.of(rels[index])
        digests = self.digests.digests(names)
        width = 2 + 3 * len(self.langs)  # source, template, and each language's catalog, output, layout patch
        found: list[PostRecord | None] = [None] * len(rels)
        for place, index in enumerate(known):
            record = records[index]
            assert record is not None
            if self._holds(record, rels[index], digests[place * width : (place + 1) * width], fill_tokens):
                found[index] = record
        return found

    def _holds(
        self, record: PostRecord, rel: str, digests: Sequence[str | None], fill_tokens: Mapping[str, str | None]
    ) -> bool:
        """Whether the record shows the post's files as they are (``digests``: source, template, then each
        language's catalog, output and layout patch) and this run's work on them done."""
        source, pot = digests[0], digests[1]
        if record.context != self.extract_context or source is None or record.source != source or record.pot != pot:
            return False
        for index, lang in enumerate(self.langs):
            po, out, layout = digests[2 + 3 * index : 5 + 3 * index]
            item = record.langs.get(lang)
            if item is None or item.po != po or item.out != state_token(out, self.locks[lang].get(rel)):
                return False
            if self.steps.build is not None and item.layout != layout:
                return False
            if self.steps.extract and not item.extract:
                return False
            if self.steps.build is not None and (
                item.build != self.build_context or self._linked_pages_changed(lang, item.depends)
            ):
                return False
            if self.steps.fill and not (item.fill == "complete" or (item.fill and item.fill == fill_tokens.get(lang))):
                return False
        return True

    def _linked_pages_changed(self, lang: str, depends: Mapping[str, str]) -> bool:
        """Whether a post another post's build links into would now give other anchors; each linked page
        looked at once per run, however many posts link to it."""
        assert self.steps.build is not None
        for source, recorded in depends.items():
            key = (lang, source, recorded)
            if key not in self._linked_pages:
                from l10n.run.anchors import page_changed

                self._linked_pages[key] = page_changed(
                    self.config, source, recorded, lang, self.steps.build.include_fuzzy
                )
            if self._linked_pages[key]:
                return True
        return False

    # -- the translation memory (sync) --

    def _synchronize_memories(self) -> dict[str, MemoryState]:
        for lang in self.langs:
            self._memories[lang] = synchronize_memory(self.config, lang, self.jobs, self.digests.digest)
        return self._memories

    # -- the run --

    def run(self) -> tuple[Plan, Rows]:
        """The plan (staged files, diagnostics) and, for check, the files that would change (``[path]`` rows)."""
        try:
            return self._run()
        except BaseException:
            self.cache.close()
            self.parsed.close()
            self.digests.close()
            # a run stopped by bad input leaves nothing new behind, in the cache either (what it updated stays)
            for state in reversed(self._memories.values()):
                state.undo()
            raise

    def _run(self) -> tuple[Plan, Rows]:
        plan = Plan(posts=len(self.posts))
        changes = Rows()
        memories = self._synchronize_memories() if self.steps.fill else {}
        fill_tokens = {lang: (state.previous if not state.grew else None) for lang, state in memories.items()}
        # One flag per post (its path aside): the records with something to replay are read again, one at a
        # time, when replayed; the posts to process are made again when processed.
        # Until the first post to process, what a record replays goes to the plan at once (in post order all
        # the same): a run that changes nothing reads no record twice.
        rels: list[str] = []
        fresh: list[int] = []
        all_fresh = True
        named = self.posts.rels if isinstance(self.posts, LazyPosts) else None
        for start in range(0, len(self.posts), _LOOKUPS):
            some = (
                named[start : start + _LOOKUPS]
                if named is not None
                else [post.rel.as_posix() for post in self.posts[start : start + _LOOKUPS]]
            )
            for rel, record in zip(some, self._up_to_date(some, fill_tokens), strict=True):
                found = _STALE if record is None else _REPLAY if self._replays(record) else _SKIP
                if record is not None and found == _REPLAY and all_fresh:
                    self._replay(plan, record)
                    found = _SKIP
                all_fresh = all_fresh and found != _STALE
                fresh.append(found)
                rels.append(rel)
        self._listed.update(rels)
        stale = LazyPosts([index for index, state in enumerate(fresh) if state == _STALE], self.posts.__getitem__)
        tokens = {lang: state.token for lang, state in memories.items()}
        filled = {lang: [0, 0] for lang in self.langs}
        # The work on posts (and the parser it imports) is set up only when a post needs it.
        work: list[tuple[Task, Generator[PostResult, None, None]]] = []

        def process() -> tuple[Task, Generator[PostResult, None, None]]:
            if not work:
                from l10n.memory.database import DiskMemory
                from l10n.run.post import abandon, process_post

                task = self._task({lang: DiskMemory(state.path) for lang, state in memories.items()}, now_stamp())
                if self.steps.extract and self.steps.write:
                    task = dataclasses.replace(task, predecessors=self._predecessors())
                work.append((task, ordered_map(process_post, task, stale, self.jobs, abandon=abandon)))
            return work[0]

        try:
            for index, (rel, found) in enumerate(zip(rels, fresh, strict=True)):
                record = self.cache.record(rel) if found == _REPLAY else None
                if found == _SKIP or record is not None:
                    plan.skipped += 1
                    if record is not None:
                        self._replay(plan, record)
                else:
                    from l10n.run.post import process_post

                    task, computed = process()
                    # a record unreadable now: the post is processed here
                    result = next(computed) if found == _STALE else process_post(task, self.posts[index])
                    self._take(plan, changes, result, tokens)
                    self._count_fill(result, filled)
                if self.progress:
                    self.progress(rel)
        except BaseException:
            for _, computed in work:
                computed.close()
            plan.discard()
            raise
        finally:
            for task, _ in work:
                from l10n.memory.database import DiskMemory

                for memory in task.memories.values():
                    if isinstance(memory, DiskMemory):
                        memory.close()
            for state in memories.values():
                state.release()
        self.cache.end_lookups()
        self.parsed.close_lookups()
        if self.steps.build is not None and self.steps.write:
            self._stage_locks(plan)
        if self.steps.fill:
            plan.filled = {lang: (exact, fuzzy) for lang, (exact, fuzzy) in filled.items()}
        update = functools.partial(self._remember, tuple(lang for lang, state in memories.items() if not state.private))
        if self.steps.write:
            plan._after_commit = update
        else:
            update()
        return plan, changes

    def _predecessors(self) -> dict[tuple[str, str], Path]:
        """The old catalogs of posts renamed or moved since the last run (see :mod:`l10n.rename`)."""
        config, by_rel = self.config, {post.rel: post for post in self.posts}

        def newcomers(lang: str) -> list[PurePosixPath]:
            return [rel for rel in by_rel if not po_path(config, rel, lang).exists()]

        def segments(rel: PurePosixPath) -> set[str]:
            return {segment.msgid for segment in read_document(config, by_rel[rel]).segments if segment.msgid}

        def has_source(stem: PurePosixPath) -> bool:
            return any(source_path(config, f"{stem}{suffix}").is_file() for suffix in SOURCE_SUFFIXES)

        from l10n.rename import find_predecessors

        return find_predecessors(config, newcomers, segments, self.langs, has_source)

    def _task(self, memories: Mapping[str, Memory], stamp: str) -> Task:
        from l10n.run.post import Task

        return Task(
            self.config,
            self.langs,
            self.steps,
            stamp=stamp,
            glossary=load_glossary(self.config) if self.steps.build is not None else None,
            memories=memories,
            parsed=self.parsed,
            locks=self.locks,
        )

    def _take(self, plan: Plan, changes: Rows, result: PostResult, tokens: Mapping[str, str]) -> None:
        """Keep of a post's result only what the end of the run needs, on disk."""
        plan.stage(result.staged, result.read)
        if result.parsed is not None:
            self.parsed.remember(result.rel.as_posix(), *result.parsed)
        for path in result.changes:
            changes.add([str(path)])
        self._collect(plan, result)
        self._own(result)
        record = self._record(result, tokens)
        if record is not None:
            self.cache.remember(result.rel.as_posix(), record)

    def _own(self, result: PostResult) -> None:
        """Note the lock lines a post's build changes: the output it wrote (or found identical to what it
        builds) is l10n's; a post without output loses its line."""
        if self.steps.build is None:
            return
        rel = result.rel.as_posix()
        for lang, item in result.langs.items():
            if item.owned is not None:
                self._owned[lang][rel] = item.owned
            elif item.out is None:
                self._owned[lang][rel] = None

    def _stage_locks(self, plan: Plan) -> None:
        """Stage each language's lock file whose lines change (none when nothing did: no churn)."""
        for lang in self.langs:
            entries = dict(self.locks[lang])
            for rel, owned in self._owned[lang].items():
                if owned is None:
                    entries.pop(rel, None)
                else:
                    entries[rel] = owned
            if entries != self.locks[lang]:
                plan.stage([stage_text(lock_path(self.config.locales_dir, lang), render_lock(entries))])

    def _count_fill(self, result: PostResult, filled: dict[str, list[int]]) -> None:
        """Count the entries filled; spool the catalogs the run rewrites (or finds gone), for the memory
        database to take after the commit (the run's own memory is the one synchronized before)."""
        config = self.config
        for lang, item in result.langs.items():
            filled[lang][0] += item.filled[0]
            filled[lang][1] += item.filled[1]
            if not self.steps.fill or not (item.catalog_changes or item.po is None):
                continue  # a catalog the run does not change is in the memory as it is
            if item.po is not None and item.pairs is None:
                continue
            path = po_path(config, result.rel, lang)
            sortkey = catalog_sortkey(path.relative_to(config.locales_dir / lang).parts)
            self._pending.add(lang, sortkey, display(config, path), item.po, item.pairs or [])

    def _replays(self, record: PostRecord) -> bool:
        """Whether :meth:`_replay` has anything to add to the plan from this record."""
        if self.steps.extract and record.diagnostics:
            return True
        return self.steps.build is not None and any(
            record.langs[lang].diagnostics or record.langs[lang].below is not None for lang in self.langs
        )

    def _replay(self, plan: Plan, record: PostRecord) -> None:
        if self.steps.extract:
            plan.diagnostics.add(record.diagnostics)
        if self.steps.build is not None:
            for lang in self.langs:
                item = record.langs[lang]
                plan.diagnostics.add(item.diagnostics)
                if item.below is not None:
                    plan.add_below(Below(*item.below))

    def _collect(self, plan: Plan, result: PostResult) -> None:
        plan.diagnostics.add(result.diagnostics)
        for lang in self.langs:
            item = result.langs[lang]
            plan.diagnostics.add(item.diagnostics)
            if item.below is not None:
                plan.add_below(Below(*item.below))

    # -- what the cache remembers --

    def _remember(self, langs: Sequence[str]) -> None:
        """After the run's files are committed: the catalogs the run rewrote into the memory databases, the
        posts' records, and no record of a post whose source is gone.

        Records of posts found up to date need no new fill token: they were found up to date only against
        an unchanged token (or as complete).
        """
        for lang in langs:
            # the cache is an optimization: a catalog not recorded here is only parsed again by the next run
            with contextlib.suppress(OSError, sqlite3.Error), MemoryStore(memory_path(self.config, lang)) as store:
                store.apply(self._pending.of(lang))
        self._pending.close()
        config, listed = self.config, self._listed

        def exists(rel: str) -> bool:
            return rel in listed or source_path(config, rel).is_file()

        self.cache.save(exists=exists)
        self.parsed.save(exists=exists)
        self.digests.save()

    def _record(self, result: PostResult, tokens: Mapping[str, str]) -> PostRecord | None:
        """What this run verified about a post, for the state its files are in after the run."""
        if result.source is None:
            return None
        langs: dict[str, LangRecord] = {}
        for lang, item in result.langs.items():
            if self.steps.write:
                extract_ok = self.steps.extract
                build_ok = self.steps.build is not None
            else:  # check: only what would not change is verified
                extract_ok = self.steps.extract and not result.template_changes and not item.catalog_changes
                build_ok = self.steps.build is not None and not item.output_changes
            fill = None
            if self.steps.fill:
                fill = "complete" if item.complete else tokens[lang]
            recorded = item.owned if item.owned is not None else self.locks[lang].get(result.rel.as_posix())
            langs[lang] = LangRecord(
                po=item.po,
                out=state_token(item.out, recorded),
                extract=extract_ok,
                build=self.build_context if build_ok else None,
                fill=fill,
                diagnostics=item.diagnostics if build_ok else [],
                below=item.below if build_ok else None,
                depends=item.depends if build_ok else {},
                layout=item.layout,
            )
        return PostRecord(result.source, result.pot, self.extract_context, result.diagnostics, langs)
