"""The ``l10n`` command: parses options, calls the operations (l10n.run), prints, sets the exit code. No logic.

Longer than 500 lines because it is the whole command line in one place: each command is its option
declarations and a few lines of printing, with nothing in common left to move out.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import typer

from l10n import __version__
from l10n.argv import hoist_global_options
from l10n.fileio import InputError

if TYPE_CHECKING:
    from l10n.config import Config
    from l10n.project import Post
    from l10n.run.incremental import Progress as RunProgress
    from l10n.run.plan import Plan

# Only what ``l10n --help`` and ``l10n --version`` need is imported here; each command imports the rest
# (parsing, catalogs, the run, rich) when it runs, so the commands that do little start at once.

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

app = typer.Typer(
    name="l10n",
    help="Layout-preserving localization of Markdown posts through gettext catalogs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich formatting would import rich and markdown-it at every start.
    rich_markup_mode=None,
)


@dataclass
class Globals:
    root: Path | None = None
    verbosity: int = 0  # -1 quiet, 0 normal, 1+ verbose
    debug: bool = False  # tracebacks of errors


def _echo_error(message: str) -> None:
    typer.echo(message, err=True)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"l10n {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    ctx: typer.Context,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            help="The project directory (default: the nearest one upwards with an l10n.toml, or a pyproject.toml "
            "with a tool.l10n section).",
        ),
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="Say more (files written).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    ctx.obj = Globals(root=root, verbosity=-1 if quiet else verbose, debug=debug)


# ---- shared options and helpers, for every command (and for commands added by other modules) ----

LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", help="Target locale (repeatable; default: every target_langs)."),
]
PostsArgument = Annotated[
    list[Path] | None, typer.Argument(help="Posts or directories under the source directory (default: all).")
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Also overwrite localized posts l10n did not write, or that were edited by hand."),
]
MinCompletionOption = Annotated[
    float | None,
    typer.Option("--min-completion", min=0, max=100, help="Percent of words; posts below are not written."),
]
IncludeFuzzyOption = Annotated[
    bool | None,
    typer.Option("--include-fuzzy/--no-include-fuzzy", help="Use unreviewed (fuzzy) translations."),
]

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, max=256, help="Worker processes (default: the jobs setting, else the CPU count)."
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def handles_bad_input(function: F) -> F:
    """Bad input (or configuration) anywhere in a command: one line naming file and line, exit 2."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except InputError as error:
            shown = InputError(_relative(error.path), error.line, error.message)
            _echo_error(f"error: {shown}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except OSError as error:  # a full disk, a read-only site, a file where a directory belongs...
            from l10n import oserrors

            _show_traceback_if_asked(args, kwargs)
            path, message = oserrors.describe(error)
            _echo_error(f"error: {_relative(path)}: {message}" if path is not None else f"error: {message}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except _sqlite_error() as error:  # the run cache's databases (in .l10n-cache/): full disk, read-only...
            _show_traceback_if_asked(args, kwargs)
            from l10n.store.sqlite import CACHE_DIR

            _echo_error(f"error: {CACHE_DIR}: run cache: {error}")
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper  # type: ignore[return-value]


def _sqlite_error() -> type[Exception]:
    """SQLite's error class, imported when an error is being matched (not at each start)."""
    import sqlite3

    return sqlite3.Error


def _show_traceback_if_asked(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """With -v or --debug, the traceback of an error before its one line."""
    context = kwargs.get("ctx") or next((arg for arg in args if isinstance(arg, typer.Context)), None)
    state = globals_of(context) if context is not None else Globals()
    if state.debug or state.verbosity >= 1:
        import traceback

        traceback.print_exc(file=sys.stderr)


def _relative(path: Path) -> Path:
    """A path as the user will recognise it: relative to the current directory when under it."""
    try:
        return Path(path).absolute().relative_to(Path.cwd())
    except ValueError:
        return Path(path)


def globals_of(ctx: typer.Context) -> Globals:
    return ctx.obj if isinstance(ctx.obj, Globals) else Globals()


def load_project(ctx: typer.Context) -> Config:
    from l10n.config import find_root, load_config

    state = globals_of(ctx)
    if state.root is not None:
        if not state.root.is_dir():
            raise InputError(state.root, None, "--root: no such directory")
        return load_config(state.root)
    return load_config(find_root(Path.cwd()))


def select(
    ctx: typer.Context, langs: Sequence[str] | None, posts: Sequence[Path] | None
) -> tuple[Config, Sequence[Post], list[str]]:
    """The configuration, the selected posts and the selected target locales of a command."""
    from babel import UnknownLocaleError

    from l10n.config import normalize_locale
    from l10n.project import iter_posts

    config = load_project(ctx)
    chosen = list(config.target_langs)
    if langs:
        known = {normalize_locale(code): code for code in config.target_langs}
        chosen = []
        for code in langs:
            try:
                normalized = normalize_locale(code)
            except (ValueError, LookupError, UnknownLocaleError):
                normalized = None
            if normalized not in known:
                raise typer.BadParameter(
                    f"{code!r} is not a target language ({', '.join(config.target_langs)})", param_hint="--lang"
                )
            if known[normalized] not in chosen:
                chosen.append(known[normalized])
    posts_chosen = iter_posts(config, posts or ())
    # What the command imported lives as long as the process: out of the cyclic collector's sight (see main).
    gc.freeze()
    return config, posts_chosen, chosen


@contextmanager
def progress_reporter(ctx: typer.Context, total: int) -> Iterator[RunProgress | None]:
    """A progress bar on an interactive terminal (stderr), nothing otherwise."""
    if globals_of(ctx).verbosity < 0 or not sys.stderr.isatty() or total < 2:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("l10n", total=total)

        def advance(description: str) -> None:
            bar.update(task, advance=1, description=description)

        yield advance


def say(ctx: typer.Context, message: str, *, level: int = 0) -> None:
    """Print a progress or summary line (stderr) unless quieter than ``level``."""
    if globals_of(ctx).verbosity >= level:
        _echo_error(message)


COMMIT_ATTEMPTS = 3


def sweep_leftovers(ctx: typer.Context, config: Config, *, locked: bool) -> None:
    """Remove the temporary files interrupted runs left (see :mod:`l10n.tempfiles`)."""
    from l10n.tempfiles import sweep

    removed = sweep(config, locked=locked)
    if removed:
        say(ctx, f"removed {len(removed)} temporary files left by an interrupted run", level=1)


def run_writing(
    ctx: typer.Context, config: Config, total: int, compute: Callable[[RunProgress | None], Plan]
) -> tuple[Plan, int]:
    """Compute a plan and write it, holding the site's lock throughout (see :mod:`l10n.lock`); the plan and how
    many files were written. A file changed on disk during the run by a writer that takes no lock (an editor)
    is not replaced: the run is done again, reading it anew."""
    from l10n.lock import site_lock
    from l10n.project import display

    written = 0
    with site_lock(config.root, waiting=lambda message: say(ctx, message)):
        sweep_leftovers(ctx, config, locked=True)
        for _ in range(COMMIT_ATTEMPTS):
            with progress_reporter(ctx, total) as progress:
                plan = compute(progress)
            written += commit_plan(ctx, config, plan)
            if not plan.conflicts:
                return plan, written
            first = display(config, Path(plan.conflicts[0]))
            say(ctx, f"{first} (and {len(plan.conflicts) - 1} more) changed on disk during the run: running again")
    raise InputError(Path(plan.conflicts[0]), None, "kept changing on disk during the run; not replaced, try again")


def commit_plan(ctx: typer.Context, config: Config, plan: Plan) -> int:
    """Write the plan's files, naming each when verbose; how many were written."""
    from l10n.project import display

    def wrote(path: Path) -> None:
        say(ctx, f"wrote {display(config, path)}", level=1)

    return plan.commit(wrote)


def report_plan(ctx: typer.Context, plan: Plan) -> int:
    """Print what was found; the exit code (1 when a check failed)."""
    from l10n.report import format_text
    verbose = globals_of(ctx).verbosity >= 1
    for diagnostic in plan.diagnostics:
        if diagnostic.is_error or verbose:
            _echo_error(format_text(diagnostic))
    for output, lang, percent in plan.below():
        say(ctx, f"not written: {output} ({lang}: {percent:.0f}% translated, under the minimum)")
    return EXIT_FAILED if plan.has_errors else EXIT_OK


def say_skipped(ctx: typer.Context, plan: Plan) -> None:
    if plan.skipped:
        say(ctx, f"{plan.skipped} posts unchanged since a run verified them (.l10n-cache/): skipped", level=1)


# ---- commands ----


@app.command()
@handles_bad_input
def init(
    ctx: typer.Context,
    source_dir: Annotated[
        str | None, typer.Option("--source-dir", help="Where the source posts are (default: guessed).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing l10n.toml.")] = False,
) -> None:
    """Write a commented l10n.toml for a new site, guessing where its posts are."""
    from l10n.scaffold import write_initial_config

    root = (globals_of(ctx).root or Path.cwd()).resolve()
    path, found = write_initial_config(root, source_dir=source_dir, force=force)
    say(ctx, found)
    say(ctx, f"wrote {path.relative_to(root)}; edit it, then run: l10n sync")


@app.command()
@handles_bad_input
def extract(ctx: typer.Context, lang: LangOption = None, posts: PostsArgument = None, jobs: JobsOption = None) -> None:
    """Write or update the templates (.pot) and catalogs (.po) of every post."""
    from l10n.run import operations

    config, chosen, langs = select(ctx, lang, posts)
    plan, written = run_writing(
        ctx,
        config,
        len(chosen),
        lambda progress: operations.extract_catalogs(config, chosen, langs, progress=progress, jobs=jobs),
    )
    code = report_plan(ctx, plan)
    say_skipped(ctx, plan)
    say(ctx, f"extract: {len(chosen)} posts, {written} files updated")
    raise typer.Exit(code)


def _build_command(command: Literal["build", "sync"], summary: str) -> Callable[..., None]:
    """``build`` and ``sync``: the same options, the same report; sync extracts and fills first."""

    def run(
        ctx: typer.Context,
        lang: LangOption = None,
        posts: PostsArgument = None,
        min_completion: MinCompletionOption = None,
        include_fuzzy: IncludeFuzzyOption = None,
        jobs: JobsOption = None,
        force: ForceOption = False,
    ) -> None:
        _build_or_sync(ctx, command, lang, posts, min_completion, include_fuzzy, jobs, force)

    run.__doc__ = summary
    return run


build = app.command("build")(
    handles_bad_input(_build_command("build", "Write the localized posts from the sources and their catalogs."))
)
sync = app.command("sync")(
    handles_bad_input(
        _build_command("sync", "Extract, fill from the translation memory, build: the one command a site runs.")
    )
)


def _build_or_sync(
    ctx: typer.Context,
    command: Literal["build", "sync"],
    lang: list[str] | None,
    posts: list[Path] | None,
    min_completion: float | None,
    include_fuzzy: bool | None,
    jobs: int | None,
    force: bool,
) -> None:
    from l10n.run import operations

    config, chosen, langs = select(ctx, lang, posts)
    options = operations.options_from(config, min_completion, include_fuzzy, force=force)
    plan, written = run_writing(
        ctx,
        config,
        len(chosen),
        lambda progress: operations.build(
            config, chosen, langs, options, progress=progress, jobs=jobs, sync=command == "sync"
        ),
    )
    code = report_plan(ctx, plan)
    for code_lang, (exact, fuzzy) in plan.filled.items():  # sync's: build fills nothing
        if exact or fuzzy:
            say(ctx, f"memory: {code_lang}: {exact} entries filled, {fuzzy} fuzzy suggestions")
    say_skipped(ctx, plan)
    say(ctx, f"{command}: {len(chosen)} posts x {len(langs)} locales, {written} files updated")
    raise typer.Exit(code)


@app.command()
@handles_bad_input
def adopt(
    ctx: typer.Context,
    lang: LangOption = None,
    posts: PostsArgument = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing: say what would be adopted.")] = False,
    report: Annotated[str | None, typer.Option("--report", help="json: the per-post report on stdout.")] = None,
) -> None:
    """Fill the catalogs from the site's existing translated posts (never over a translation already there)."""
    import json

    from l10n.adopt.run import adopt as adopt_translations
    from l10n.lock import site_lock

    if report not in (None, "json"):
        raise typer.BadParameter("expected json", param_hint="--report")
    config, chosen, langs = select(ctx, lang, posts)
    with site_lock(config.root, waiting=lambda message: say(ctx, message)):  # one writer at a time
        result = adopt_translations(config, chosen, langs)
        if dry_run:
            result.plan.discard()
            written = 0
        else:
            written = commit_plan(ctx, config, result.plan)
    if report == "json":
        typer.echo(json.dumps({"posts": [post.as_dict() for post in result.posts]}, ensure_ascii=False, indent=2))
    for post in result.posts:
        outcome = post.outcome
        words = f"{outcome.reviewed} words reviewed, {outcome.fuzzy} fuzzy, {outcome.missing} not found"
        if post.reproduced:
            layout = f" with its layout patch {post.layout_patch}" if post.layout_patch else ""
            say(ctx, f"{post.output}: adopted ({words}); rebuilt byte for byte{layout}: recorded as l10n's", level=1)
        else:
            lines = ", ".join(str(line) for line in sorted(outcome.unaligned + outcome.guessed)[:20])
            say(ctx, f"{post.output}: kept as it is ({words}); to review: {post.post} lines {lines or '-'}")
    reproduced = sum(1 for post in result.posts if post.reproduced)
    verb = "would adopt" if dry_run else "adopt"
    say(
        ctx,
        f"{verb}: {len(result.posts)} translated posts, {reproduced} rebuilt byte for byte, {written} files updated",
    )


@app.command()
@handles_bad_input
def status(
    ctx: typer.Context,
    lang: LangOption = None,
    posts: PostsArgument = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    jobs: JobsOption = None,
) -> None:
    """Entries and words translated, fuzzy and untranslated, per post and locale."""
    import json

    from rich.console import Console
    from rich.table import Table

    from l10n.catalog.stats import Stats
    from l10n.run import status as run_status

    config, chosen, langs = select(ctx, lang, posts)
    sweep_leftovers(ctx, config, locked=False)
    rows = run_status.status(config, chosen, langs, jobs=jobs)
    totals = {code: Stats() for code in langs}
    for row in rows:
        totals[row.lang] = totals[row.lang] + row.stats
    if as_json:
        document = {
            "posts": [row.as_dict() for row in rows],
            "totals": [run_status.StatusRow("*", code, stats).as_dict() for code, stats in totals.items()],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    table = Table(title=None, show_edge=False)
    for column in ("post", "lang", "entries", "translated", "fuzzy", "untranslated", "words done"):
        table.add_column(column, justify="left" if column in ("post", "lang") else "right")
    for row in [*rows, *(run_status.StatusRow("total", code, stats) for code, stats in totals.items())]:
        stats = row.stats
        table.add_row(
            row.post,
            row.lang,
            str(stats.entries),
            str(stats.translated),
            str(stats.fuzzy),
            str(stats.untranslated),
            f"{stats.percent:.0f}%",
        )
    # Off a terminal (a pipe, a CI log) nothing limits the width: never truncate a post's path.
    Console(width=None if sys.stdout.isatty() else 200).print(table)


@app.command()
@handles_bad_input
def check(
    ctx: typer.Context,
    lang: LangOption = None,
    posts: PostsArgument = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="text, json or github (default: github when GITHUB_ACTIONS=true)."),
    ] = None,
    jobs: JobsOption = None,
) -> None:
    """Exit 1 when a template, catalog or output is out of date, an output is orphaned, or a check fails."""
    from l10n.project import display
    from l10n.report import Format, default_format, report_pieces
    from l10n.run import operations
    from l10n.tempfiles import leftover_diagnostics

    if output_format not in (None, "text", "json", "github"):
        raise typer.BadParameter("expected text, json or github", param_hint="--format")
    config, chosen, langs = select(ctx, lang, posts)
    options = operations.options_from(config, None, None)
    with progress_reporter(ctx, len(chosen)) as progress:
        diagnostics = operations.check(
            config, chosen, langs, options, whole_project=not posts, progress=progress, jobs=jobs
        )
    if not posts:
        diagnostics.add(leftover_diagnostics(config, lambda path: display(config, path)))
    chosen_format: Format = default_format(output_format)  # type: ignore[arg-type]
    for piece in report_pieces(diagnostics, chosen_format):  # in report order, read back from disk
        sys.stdout.write(piece)
    errors = diagnostics.errors
    if chosen_format != "json":
        say(
            ctx,
            f"check: {len(chosen)} posts x {len(langs)} locales, {errors} errors, {len(diagnostics) - errors} warnings",
        )
    raise typer.Exit(EXIT_FAILED if errors else EXIT_OK)


@app.command()
@handles_bad_input
def translate(
    ctx: typer.Context,
    lang: LangOption = None,
    posts: PostsArgument = None,
    backend: Annotated[
        str | None,
        typer.Option("--backend", help="google, deepl, libre, mymemory, microsoft, llm or pseudo (default: config)."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="Requests at once.")] = 4,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Send nothing; show what would be sent (llm: also tokens and cost)."),
    ] = False,
    retranslate_machine: Annotated[
        bool, typer.Option("--retranslate-machine", help="Also redo unreviewed machine drafts.")
    ] = False,
) -> None:
    """Fill empty catalog entries: translation memory first, then machine drafts (fuzzy, for review)."""
    from l10n.translate import command

    config, chosen, langs = select(ctx, lang, posts)
    if not dry_run:
        from l10n.lock import site_lock

        with site_lock(config.root, waiting=lambda message: say(ctx, message)):
            sweep_leftovers(ctx, config, locked=True)
    code = command.run(
        config,
        langs=langs,
        backend_name=backend,
        posts=chosen,
        jobs=jobs,
        dry_run=dry_run,
        retranslate_machine=retranslate_machine,
    )
    raise typer.Exit(code)


@app.command()
@handles_bad_input
def review(
    ctx: typer.Context,
    lang: LangOption = None,
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port (default: any free one).")] = 0,
    backend: Annotated[
        str | None, typer.Option("--backend", help="Machine translation for single segments (default: config).")
    ] = None,
) -> None:
    """Serve a local web page (127.0.0.1 only) to review and correct translations next to their source."""
    from l10n.lock import site_lock
    from l10n.review import server

    config, _, langs = select(ctx, lang, None)
    with site_lock(config.root, waiting=lambda message: say(ctx, message)):
        sweep_leftovers(ctx, config, locked=True)
    server.run(config, langs=langs, port=port, backend=backend, announce=lambda line: typer.echo(line))


def main() -> None:
    # What is imported by now lives as long as the process: frozen out of the cyclic collector's sight, the
    # collections that a run's many short-lived objects set off no longer traverse it again and again (and
    # forked workers do not copy the pages the collector would touch).
    gc.freeze()
    app(args=hoist_global_options(sys.argv[1:]), prog_name="l10n")
