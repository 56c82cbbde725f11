"""The project's posts and where their files go: sources listed (safely, inside the source directory),
templates, catalogs and outputs by post path, paths as shown to the user."""

from __future__ import annotations

import contextlib
import functools
import os
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from l10n.config import Config
from l10n.document.segments import FrontMatterError
from l10n.fileio import InputError, read_text
from l10n.glossary import Glossary
from l10n.layout import split_suffix

if TYPE_CHECKING:
    from l10n.document import Document


@dataclass(frozen=True)
class Post:
    """A source post: its absolute path and its path relative to the source directory."""

    source: Path
    rel: PurePosixPath


Key = TypeVar("Key")


class LazyPosts(Sequence[Post], Generic[Key]):
    """Posts named by keys (relative paths, indexes into other posts), each :class:`Post` made by ``make`` when
    it is read: a site's posts are never all held as ``Post`` objects."""

    def __init__(self, keys: Sequence[Key], make: Callable[[Key], Post], *, rels: Sequence[str] | None = None) -> None:
        self._keys = keys
        self._make = make
        self.rels = rels  # the posts' paths as text (``post.rel.as_posix()``), when known without making them

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Post: ...

    @overload
    def __getitem__(self, index: slice) -> list[Post]: ...

    def __getitem__(self, index: int | slice) -> Post | list[Post]:
        if isinstance(index, slice):
            return [self._make(key) for key in self._keys[index]]
        return self._make(self._keys[index])


def post_at(config: Config, rel: str) -> Post:
    """The post at ``rel``, a path relative to the source directory."""
    return Post(source_path(config, rel), PurePosixPath(rel))


def _catalog_rel(rel: PurePosixPath, suffix: str) -> str:
    """``rel.with_suffix(suffix)`` as text (paths of every post are made by every run)."""
    directory, slash, name = rel.as_posix().rpartition("/")
    return directory + slash + split_suffix(name)[0] + suffix


def pot_path(config: Config, rel: PurePosixPath) -> Path:
    return config.templates_dir / _catalog_rel(rel, ".pot")


def po_path(config: Config, rel: PurePosixPath, lang: str) -> Path:
    return config.locales_dir / lang / _catalog_rel(rel, ".po")


def layout_patch_path(config: Config, rel: PurePosixPath, lang: str) -> Path:
    """The page's own layout edits, kept by ``l10n adopt`` (see :mod:`l10n.layout_patch`)."""
    return config.locales_dir / lang / _catalog_rel(rel, ".patch")


def output_path(config: Config, rel: PurePosixPath, lang: str) -> Path:
    """Where the post's output in ``lang`` goes (the layout's output template; inside the site root)."""
    return config.root / config.layout.output_rel(rel, lang)


class PostFiles:
    """The paths of a post's files as text (:func:`source_path`, :func:`pot_path`, :func:`po_path`,
    :func:`output_path`, :func:`layout_patch_path`): a run looks at every post's, path objects for each would
    cost more than looking."""

    def __init__(self, config: Config, langs: Sequence[str]) -> None:
        self._config, self._langs = config, langs
        self._root = os.path.join(config.root, "")
        self._templates = os.path.join(config.templates_dir, "")
        self._locales = [os.path.join(config.locales_dir, lang, "") for lang in langs]

    def of(self, rel: str) -> list[str]:
        """The post's source and template, then each language's catalog, output and layout patch."""
        directory, slash, name = rel.rpartition("/")
        stem = directory + slash + split_suffix(name)[0]
        files = [self._root + self._config.layout.source_rel(rel), self._templates + stem + ".pot"]
        output_rel = self._config.layout.output_rel
        for lang, locale in zip(self._langs, self._locales, strict=True):
            files += (locale + stem + ".po", self._root + output_rel(rel, lang), locale + stem + ".patch")
        return files


def source_path(config: Config, rel: PurePosixPath | str) -> Path:
    """The source file of the post ``rel`` (its language marker put back, for a layout that has one)."""
    return config.root / config.layout.source_rel(rel)


def display(config: Config, path: Path) -> str:
    """A path as printed and written into catalogs: relative to the project root, with ``/``."""
    try:
        return Path(path).relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def iter_posts(config: Config, selected: Sequence[Path] = ()) -> Sequence[Post]:
    """The source posts, sorted; limited to ``selected`` files or directories when given.

    A missing source directory, a selected path outside it, or a symlink leading out of it is bad input.
    """
    rels = config.layout.find_sources(config.root)
    posts = LazyPosts(rels, functools.partial(post_at, config), rels=rels)
    _refuse_clashes(config, rels)
    if not selected:
        return posts
    chosen: list[Post] = []
    for wanted in selected:
        absolute = Path(os.path.abspath(wanted))
        if not any(
            _inside(absolute, directory.absolute()) and _inside(absolute.resolve(), directory.resolve())
            for directory in config.source_dirs
        ):
            shown = " or ".join(display(config, directory) for directory in config.source_dirs)
            raise InputError(wanted, None, f"not inside the source directory {shown}")
        if not absolute.exists():
            raise InputError(wanted, None, "no such post")
        matches = [post for post in posts if post.source.absolute() == absolute or absolute in post.source.parents]
        if not matches:
            raise InputError(wanted, None, "not a Markdown post (.md, .mdx or .markdown)")
        chosen += [post for post in matches if post not in chosen]
    return sorted(chosen, key=lambda post: post.rel)


def _refuse_clashes(config: Config, rels: Sequence[str]) -> None:
    """Two sources that would share a catalog (``a.md`` and ``a.mdx``) are bad input. Keyed by text, not by
    path objects, which would make this the run's peak of memory when nothing changed."""
    seen: dict[str, str] = {}
    for rel in rels:
        first = seen.setdefault(posixpath.splitext(rel)[0], rel)
        if first != rel:
            raise InputError(
                source_path(config, rel), None, f"same catalog path as {display(config, source_path(config, first))}"
            )


def read_document(config: Config, post: Post) -> Document:
    from l10n.document import extract  # the parser: only for the posts a run reads

    text = read_text(post.source)
    try:
        return extract(text, front_matter_keys=config.front_matter_keys, dialect=config.dialect_for(post.rel))
    except FrontMatterError as error:
        raise InputError(post.source, error.line, error.message) from None


def load_glossary(config: Config) -> Glossary:
    return Glossary.load(config.glossary)


def files_under(directory: Path, suffix: str) -> Iterator[Path]:
    """What ``sorted(directory.rglob("*" + suffix))`` lists (symbolic links to directories not followed), in
    the same order, listing one directory at a time."""
    for _, path in files_below(str(directory), suffix):
        yield Path(path)


def files_below(directory: str, suffix: str, parts: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """:func:`files_under` as text: each file's path and its parts below ``directory``."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        path = entry.path
        if entry.name.endswith(suffix):
            yield (*parts, entry.name), path
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                yield from files_below(path, suffix, (*parts, entry.name))
