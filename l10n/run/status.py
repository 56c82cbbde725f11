"""``l10n status``: per post and locale, entries and words by state, as the catalogs would be after
``extract`` (computed, nothing written)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from l10n.catalog.io import read_catalog
from l10n.catalog.merge import merge
from l10n.catalog.stats import Stats, catalog_stats
from l10n.catalog.template import make_template, now_stamp
from l10n.config import Config
from l10n.fileio import read_bytes_if_any
from l10n.project import Post, display, po_path, pot_path
from l10n.run.post import parse_document
from l10n.store.parsed import ParsedStore
from l10n.workers import default_jobs, ordered_map


@dataclass(frozen=True)
class StatusRow:
    post: str
    lang: str
    stats: Stats

    def as_dict(self) -> dict[str, object]:
        stats = self.stats
        return {
            "post": self.post,
            "lang": self.lang,
            "entries": stats.entries,
            "translated": stats.translated,
            "fuzzy": stats.fuzzy,
            "untranslated": stats.untranslated,
            "words": stats.words,
            "translated_words": stats.translated_words,
            "fuzzy_words": stats.fuzzy_words,
            "untranslated_words": stats.untranslated_words,
            "percent": round(stats.percent, 1),
        }


@dataclass(frozen=True)
class _StatusTask:
    config: Config
    langs: tuple[str, ...]
    stamp: str
    parsed: ParsedStore  # looked up only: status writes nothing, not even the cache


def _status_rows(task: _StatusTask, post: Post) -> list[StatusRow]:
    config = task.config
    document, _ = parse_document(config, post, read_bytes_if_any(post.source), task.parsed)
    template = make_template(
        document,
        display(config, post.source),
        project=post.rel.as_posix(),
        previous=read_catalog(pot_path(config, post.rel)),
        now=task.stamp,
    )
    return [
        StatusRow(
            display(config, post.source),
            lang,
            catalog_stats(merge(read_catalog(po_path(config, post.rel, lang)), template, lang)),
        )
        for lang in task.langs
    ]


def status(config: Config, posts: Sequence[Post], langs: Sequence[str], *, jobs: int | None = None) -> list[StatusRow]:
    """Per post and locale, entries and words by state, as the catalogs would be after ``extract``."""
    task = _StatusTask(config, tuple(langs), now_stamp(), ParsedStore(config.root))
    try:
        workers = jobs or config.jobs or default_jobs()
        return [row for rows in ordered_map(_status_rows, task, posts, workers) for row in rows]
    finally:
        task.parsed.close()
