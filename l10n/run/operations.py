"""The project-level operations: extract, fill, build, sync, check, status.

Every operation first computes, in memory, the files it would write (a :class:`~l10n.run.plan.Plan`);
nothing is written until every input has been read and validated, so bad input leaves the tree untouched.
``check`` is the same computation compared with the files on disk. Only files whose content changes are
written, atomically.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath, PurePosixPath

from l10n.config import Config
from l10n.problems import Problem
from l10n.project import Post, display, files_under
from l10n.report import ProblemLog
from l10n.run.incremental import Progress, Run
from l10n.run.plan import BuildOptions, Plan, Steps
from l10n.workers import default_jobs


def _jobs(config: Config, jobs: int | None) -> int:
    return jobs or config.jobs or default_jobs()


def extract_catalogs(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Plan:
    run = Run(config, posts, tuple(langs), Steps.extract_only(), _jobs(config, jobs), progress)
    return run.run()[0]


def fill(config: Config, posts: Sequence[Post], langs: Sequence[str], *, jobs: int | None = None) -> Plan:
    """Extract, then fill empty entries from the translation memory (what ``sync`` does before building)."""
    run = Run(config, posts, tuple(langs), Steps.extract_and_fill(), _jobs(config, jobs), None)
    return run.run()[0]


def build(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
    sync: bool = False,
) -> Plan:
    """Build the localized posts; with ``sync``, extract and fill from memory first (the one command a site
    runs)."""
    steps = Steps.sync(options) if sync else Steps.build_only(options)
    return Run(config, posts, tuple(langs), steps, _jobs(config, jobs), progress).run()[0]


def sync(
    config: Config, posts: Sequence[Post], langs: Sequence[str], options: BuildOptions, *, jobs: int | None = None
) -> Plan:
    """Extract, fill from memory, build: the one command a site runs."""
    return build(config, posts, langs, options, jobs=jobs, sync=True)


def options_from(
    config: Config, min_completion: float | None, include_fuzzy: bool | None, *, force: bool = False
) -> BuildOptions:
    return BuildOptions(
        min_completion=config.min_completion if min_completion is None else min_completion,
        include_fuzzy=config.include_fuzzy if include_fuzzy is None else include_fuzzy,
        force=force,
    )


def check(
    config: Config,
    posts: Sequence[Post],
    langs: Sequence[str],
    options: BuildOptions,
    *,
    whole_project: bool = True,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> ProblemLog:
    """Everything ``extract`` or ``build`` would change, orphans, and check findings. Writes nothing."""
    run = Run(config, posts, tuple(langs), Steps.check(options), _jobs(config, jobs), progress)
    plan, changed = run.run()
    diagnostics = plan.diagnostics
    for (name,) in changed:
        path = Path(name)
        shown = display(config, path)
        if path.suffix in (".pot", ".po"):
            what = "template" if path.suffix == ".pot" else "catalog"
            diagnostics.add(
                [Problem("stale-catalog", "error", f"{what} out of date: run l10n extract", path=shown)]
            )
        else:
            diagnostics.add([Problem("stale-output", "error", "output out of date: run l10n build", path=shown)])
    if whole_project:
        diagnostics.add(orphans(config, posts, langs))
    return diagnostics


def orphans(config: Config, posts: Sequence[Post], langs: Sequence[str]) -> Iterator[Problem]:
    """Outputs without a source (errors: a stale page is published); catalogs and templates without a
    source (warnings: catalogs are kept on purpose, they feed the translation memory). Files are listed one
    directory at a time (``Path.rglob`` remembers every path it yields)."""
    from l10n.rename import moved_to_of  # reads catalogs: only check looks for orphans

    stems = {_stem(post.rel) for post in posts}
    for lang in langs:
        expected = {config.layout.output_rel(post.rel, lang) for post in posts}
        for path in config.layout.output_files(config.root, lang):
            if path.relative_to(config.root).as_posix() not in expected:
                yield Problem("orphan-output", "error", "no source post for it", path=display(config, path))
        directory = config.locales_dir / lang
        for path in files_under(directory, ".po"):
            if _stem(path.relative_to(directory)) not in stems:
                successor = moved_to_of(path)
                message = (
                    f"no source post for it; its translations were carried to {successor}: it can go"
                    if successor
                    else "no source post for it (kept: its translations feed the translation memory)"
                )
                yield Problem("orphan-catalog", "warning", message, path=display(config, path))
        for path in files_under(directory, ".patch"):
            if _stem(path.relative_to(directory)) not in stems:
                message = "no source post for it: the layout patch of a page that is gone can go"
                yield Problem("orphan-layout-patch", "warning", message, path=display(config, path))
    templates = config.templates_dir
    for path in files_under(templates, ".pot"):
        if _stem(path.relative_to(templates)) not in stems:
            yield Problem("orphan-template", "warning", "no source post for it", path=display(config, path))


def _stem(rel: PurePath) -> str:
    return PurePosixPath(rel.as_posix()).with_suffix("").as_posix()
