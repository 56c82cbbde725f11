"""Translations follow their posts: a post that appears while another disappears with mostly the same segments
(a rename or a move, perhaps with edits) is taken for the same post, and its new catalog starts from the old
one whole (header, translator comments, fuzzy entries and their previous msgids) instead of from nothing.

The pairing is git's idea of a rename: the share of segments two versions have in common. The old catalog is
then marked (a header field naming its successor): ``check`` says it can go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath

import polib

from l10n.catalog.io import parse_catalog, render_catalog
from l10n.config import Config
from l10n.fileio import InputError, read_text

MOVED_TO = "X-L10n-Moved-To"  # header field of a catalog whose translations were carried to another post's
SIMILARITY = 0.5  # share of segments in common (of the larger of the two) to take two posts for one


def similarity(first: set[str], second: set[str]) -> float:
    """Segments in common, over the number of segments of the larger version (1.0: the same segments)."""
    if not first or not second:
        return 0.0
    return len(first & second) / max(len(first), len(second))


def _catalogs_under(directory: Path) -> Iterator[Path]:
    pending = [directory]
    while pending:
        current = pending.pop()
        try:
            children = sorted(current.iterdir())
        except OSError:
            continue
        for child in children:
            if child.is_dir():
                pending.append(child)
            elif child.suffix == ".po":
                yield child


def _read(path: Path) -> polib.POFile | None:
    try:
        return parse_catalog(read_text(path), path)
    except InputError:
        return None  # a damaged orphan is no one's predecessor (check reports it where it matters)


def moved_to(catalog: polib.POFile) -> str | None:
    return catalog.metadata.get(MOVED_TO) or None


def _msgids(catalog: polib.POFile) -> set[str]:
    return {entry.msgid for entry in catalog if entry.msgid and not entry.obsolete}


def orphan_catalogs(
    config: Config, lang: str, has_source: Callable[[PurePosixPath], bool]
) -> Iterator[tuple[Path, polib.POFile]]:
    """The catalogs of ``lang`` whose source post is gone (``has_source`` of the catalog's path in the locale,
    without suffix, is false) and whose translations were not carried anywhere."""
    directory = config.locales_dir / lang
    for path in _catalogs_under(directory):
        rel = PurePosixPath(path.relative_to(directory).as_posix()).with_suffix("")
        if has_source(rel):
            continue
        catalog = _read(path)
        if catalog is not None and moved_to(catalog) is None:
            yield path, catalog


def find_predecessors(
    config: Config,
    newcomers: Callable[[str], Sequence[PurePosixPath]],
    segments: Callable[[PurePosixPath], set[str]],
    langs: Iterable[str],
    has_source: Callable[[PurePosixPath], bool],
) -> dict[tuple[str, str], Path]:
    """``(post, lang) -> old catalog`` for each post of ``newcomers(lang)`` (posts without a catalog in that
    locale) that is most like an orphan catalog of that locale, at least :data:`SIMILARITY` alike; each orphan
    goes to one post at most, the most alike pairs first. ``segments``: a post's msgids."""
    found: dict[tuple[str, str], Path] = {}
    known: dict[PurePosixPath, set[str]] = {}
    for lang in langs:
        posts = newcomers(lang)
        if not posts:
            continue
        orphans = [(path, _msgids(catalog)) for path, catalog in orphan_catalogs(config, lang, has_source)]
        if not orphans:
            continue
        pairs = []
        for rel in posts:
            if rel not in known:
                known[rel] = segments(rel)
            for index, (_, msgids) in enumerate(orphans):
                score = similarity(known[rel], msgids)
                if score >= SIMILARITY:
                    pairs.append((-score, rel.as_posix(), index))
        taken_posts: set[str] = set()
        taken_orphans: set[int] = set()
        for _, rel_text, index in sorted(pairs):
            if rel_text in taken_posts or index in taken_orphans:
                continue
            taken_posts.add(rel_text)
            taken_orphans.add(index)
            found[(rel_text, lang)] = orphans[index][0]
    return found


def mark_moved(text: str | None, path: Path, successor: str) -> str:
    """The old catalog's text with :data:`MOVED_TO` naming the catalog its translations went to."""
    catalog = parse_catalog(text or "", path)
    catalog.metadata[MOVED_TO] = successor
    return render_catalog(catalog, text)


def moved_to_of(path: Path) -> str | None:
    """Where a catalog's translations were carried (None when nowhere, or unreadable)."""
    catalog = _read(path)
    return moved_to(catalog) if catalog is not None else None
