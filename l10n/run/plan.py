"""What a run would write and what it found: the :class:`Plan`, and the :class:`Steps` that say what a
run does."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from l10n.fileio import Staged, discard_staged, flush_staged, move_staged
from l10n.report import ProblemLog
from l10n.stale import changed_since_read
from l10n.store.spool import Rows


class Below(NamedTuple):
    """An output not written: its post is translated under ``min_completion``."""

    output: str  # as shown
    lang: str
    percent: float


@dataclass(frozen=True)
class BuildOptions:
    min_completion: float
    include_fuzzy: bool
    force: bool = False  # overwrite outputs l10n did not write (or that were edited since)


@dataclass(frozen=True)
class Steps:
    """What a run does to each post. Made by the presets below, one per command."""

    extract: bool = False  # bring the template and catalogs up to date with the source
    fill: bool = False  # then fill empty entries from the translation memory (sync)
    build: BuildOptions | None = None  # build the outputs: from the updated catalogs with extract, else from disk
    write: bool = True  # stage the files that change; otherwise only report them (check)

    @classmethod
    def extract_only(cls) -> Steps:
        return cls(extract=True)

    @classmethod
    def extract_and_fill(cls) -> Steps:
        return cls(extract=True, fill=True)

    @classmethod
    def build_only(cls, options: BuildOptions) -> Steps:
        return cls(build=options)

    @classmethod
    def sync(cls, options: BuildOptions) -> Steps:
        return cls(extract=True, fill=True, build=options)

    @classmethod
    def check(cls, options: BuildOptions) -> Steps:
        return cls(extract=True, build=options, write=False)


@dataclass
class Plan:
    """What an operation would write (only files whose content changes) and what it found.

    Files are computed post by post and staged (written in full next to their targets); nothing replaces a
    file until :meth:`commit`, so bad input found in any post leaves every file as it was. What the plan
    collects post by post is spooled to disk (:mod:`l10n.store.spool`): its memory does not grow with the posts.
    """

    diagnostics: ProblemLog = field(default_factory=ProblemLog)  # read back in report order
    _below: Rows = field(default_factory=Rows)  # Below rows, in post order
    filled: dict[str, tuple[int, int]] = field(default_factory=dict)  # lang -> (exact, fuzzy)
    posts: int = 0
    _staged: Rows = field(default_factory=Rows)  # [target, temporary, hash when read], keyed by target
    skipped: int = 0  # posts found up to date in the run cache
    conflicts: list[str] = field(default_factory=list)  # targets changed on disk since read: not replaced
    _after_commit: Callable[[], None] | None = None

    @property
    def has_errors(self) -> bool:
        return self.diagnostics.errors > 0

    def stage(self, staged: Iterable[Staged], read: Mapping[str, str] | None = None) -> None:
        """Add staged files; ``read``: the content hash each target had when the run read it ("" absent)."""
        for item in staged:
            # "/" below every character: the order of sorted paths (by their parts), as files are listed
            self._staged.add([*item, (read or {}).get(item.target)], key=item.target.replace("/", "\0"))

    def staged(self) -> Iterator[Staged]:
        """The staged files, in the order staged."""
        return (Staged(target, temporary) for target, temporary, _ in self._staged)

    def add_below(self, below: Below) -> None:
        self._below.add(below)

    def below(self) -> Iterator[Below]:
        """The outputs not written for being under ``min_completion``, in post order."""
        return (Below(output, lang, float(percent)) for output, lang, percent in self._below)

    def commit(self, written: Callable[[Path], None] | None = None) -> int:
        """Move the staged files over their targets (in path order, each passed to ``written``); returns
        how many there were."""
        count = 0
        try:
            flush_staged(self.staged())
            for target, temporary, read in self._staged.by_key():
                item = Staged(target, temporary)
                if changed_since_read(target, read):  # someone else wrote it meanwhile: theirs stays, run redone
                    discard_staged([item])
                    self.conflicts.append(item.target)
                    continue
                move_staged(item)
                count += 1
                if written is not None:
                    written(Path(item.target))
        except BaseException:  # a full disk, a read-only directory...: what is not moved in yet is removed
            self.discard()
            raise
        self._staged.clear()
        if self._after_commit is not None:
            self._after_commit()
        return count

    def discard(self) -> None:
        """Remove the staged files (what a run that is not committed leaves behind)."""
        discard_staged(self.staged())
        self._staged.clear()
