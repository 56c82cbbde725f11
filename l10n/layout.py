"""Where a site keeps its posts: the source pattern, each language's output path, and the sources found.

A layout is a source glob and an output template, both relative to the site root::

    source = "content/**/*.{lang}.md"          # Hugo, translation by file name: index.fr.md
    output = "{dir}/{stem}.{lang}{ext}"        #   -> index.en.md beside it

    source = "_posts/**/*.md"                  # Jekyll, default language at the root
    output = "_posts/{lang}/{path}"            #   -> _posts/en/<path>

The source glob knows ``**/`` (any number of directories), ``*`` and ``?`` (within one name), ``{a,b}``
(alternatives) and ``{lang}`` (the source language). ``{lang}`` in the file name (``*.{lang}.md``, or the
source language written out: ``*.fr.md``) is the *language marker*: it is left out of the post's identity.

A post is identified by its *path*: where it lies under the glob's literal base directory, its language marker
left out (``content/posts/x/index.fr.md`` is ``posts/x/index.md``). Catalogs and templates are named after it.
The output template knows ``{lang}`` (the target language, required), ``{path}``, ``{dir}`` (the source's
directory from the site root), ``{stem}`` (its file name without extension or marker) and ``{ext}``.

Outputs are never sources, by construction: a file that the output template could yield for a target language
(whether or not its source still exists) is left out of the sources, whatever the two patterns are. Every path
the template yields must stay inside the site root.
"""

from __future__ import annotations

import os
import posixpath
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from l10n.fileio import InputError

SOURCE_SUFFIXES = (".md", ".mdx", ".markdown")
OUTPUT_FIELDS = frozenset({"lang", "path", "dir", "stem", "ext"})
# Never searched for sources: tool and build directories.
SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__", ".l10n-cache"})
_GLOB_SPECIAL = re.compile(r"[*?{\[]")


class LayoutError(ValueError):
    """A source or output pattern that cannot work; the message names the key (``source: ...``)."""


def _glob_regex(pattern: str, lang: str) -> str:
    """A regular expression for the glob ``pattern`` (see the module docstring); ``{lang}`` is ``lang``."""
    out: list[str] = []
    position = 0
    while position < len(pattern):
        if pattern.startswith("**/", position):
            out.append("(?:[^/]+/)*")
            position += 3
            continue
        if pattern.startswith("**", position):
            out.append(".*")
            position += 2
            continue
        character = pattern[position]
        if character == "*":
            out.append("[^/]*")
        elif character == "?":
            out.append("[^/]")
        elif character == "{":
            close = pattern.find("}", position)
            if close < 0:
                raise LayoutError(f"source: unclosed '{{' in {pattern!r}")
            inner = pattern[position + 1 : close]
            if inner == "lang":
                out.append(re.escape(lang))
            else:
                out.append("(?:" + "|".join(re.escape(choice) for choice in inner.split(",")) + ")")
            position = close + 1
            continue
        elif character == "[":
            raise LayoutError(f"source: '[' is not supported in {pattern!r} (use {{a,b}} for alternatives)")
        else:
            out.append(re.escape(character))
        position += 1
    return "".join(out)


def posix_text(path: PurePosixPath | str) -> str:
    """``PurePosixPath(path).as_posix()``, without making a path object of a relative path already written
    that way (the run's paths are built by the thousand)."""
    if isinstance(path, str):
        plain = path and path[0] != "/" and path[-1] != "/" and "//" not in path
        if not plain or path == "." or path.startswith("./") or "/./" in path or path.endswith("/."):
            return PurePosixPath(path).as_posix()
        return path
    return path.as_posix()


def split_suffix(name: str) -> tuple[str, str]:
    """A file name's stem and suffix, as ``PurePosixPath.stem`` and ``.suffix`` split it."""
    index = name.rfind(".")
    if 0 < index < len(name) - 1:
        return name[:index], name[index:]
    return name, ""


def _normalized(path: str) -> str:
    return posixpath.normpath(path) if path else "."


def _outside(path: str) -> bool:
    return path.startswith("/") or path == ".." or path.startswith("../")


@dataclass(frozen=True)
class Layout:
    """A validated source pattern and output template for one site (see the module docstring)."""

    source: str
    output: str
    source_lang: str
    target_langs: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    # Directories (from the site root) never searched for sources: the catalogs, for one.
    skip: tuple[str, ...] = field(default=())

    @classmethod
    def create(
        cls,
        source: str,
        output: str,
        source_lang: str,
        target_langs: Sequence[str],
        exclude: Sequence[str] = (),
        skip: Sequence[str] = (),
    ) -> Layout:
        """A layout, or LayoutError naming the key (``source``, ``output`` or ``exclude``) and the problem."""
        source = source.strip().strip("/") if source.strip() != "/" else ""
        marked = _marked(source, source_lang)
        layout = cls(marked, output.strip(), source_lang, tuple(target_langs), tuple(exclude), tuple(skip))
        layout._validate()
        return layout

    # ---- validation ----

    def _validate(self) -> None:
        if _outside(_normalized(self.base)) or ".." in PurePosixPath(self.source).parts:
            raise LayoutError(f"source: {self.source!r} leaves the site root")
        name = self.source.rsplit("/", 1)[-1]
        if "{lang}" in name and ".{lang}." not in name:
            raise LayoutError("source: {lang} in a file name must sit between dots, e.g. '*.{lang}.md'")
        _glob_regex(self.source, self.source_lang)
        for pattern in self.exclude:
            _glob_regex(pattern, self.source_lang)
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(self.output) if name is not None}
        except ValueError as error:
            raise LayoutError(f"output: {error} in {self.output!r}") from None
        unknown = names - OUTPUT_FIELDS
        if unknown:
            known = ", ".join("{" + name + "}" for name in sorted(OUTPUT_FIELDS))
            raise LayoutError(f"output: unknown placeholder {{{sorted(unknown)[0]}}} (known: {known})")
        if "lang" not in names:
            raise LayoutError("output: must contain {lang}, e.g. 'content/{lang}/{path}' or '{dir}/{stem}.{lang}{ext}'")
        if "dir" in names and (not self.output.startswith("{dir}/") or self.output.count("{dir}") > 1):
            raise LayoutError("output: {dir} can only start the template, e.g. '{dir}/{stem}.{lang}{ext}'")
        if any(part in (".", "..") for part in self.output.split("/")) or self.output.startswith("/"):
            raise LayoutError(f"output: {self.output!r} leaves the site root (no '..', '.' or leading '/')")
        if not names & {"path", "stem"}:
            raise LayoutError("output: must contain {path} or {stem}, or every post would go to one file")
        for sample in ("a.md", "a/b/c.md"):
            for lang in self.target_langs or ("xx",):
                if _outside(self._output_rel(PurePosixPath(sample), lang)):
                    raise LayoutError(f"output: {self.output!r} leaves the site root")

    # ---- the pattern's parts ----

    @cached_property
    def base(self) -> str:
        """The glob's literal leading directories, ``{lang}`` filled in ('' for the site root)."""
        parts = self.source.split("/")
        literal: list[str] = []
        for part in parts[:-1]:
            filled = part.replace("{lang}", self.source_lang)
            if _GLOB_SPECIAL.search(filled):
                break
            literal.append(filled)
        return "/".join(literal)

    @cached_property
    def marker(self) -> str:
        """The language marker of a source file name (``.fr``), or '' when names carry none."""
        return "." + self.source_lang if ".{lang}." in self.source.rsplit("/", 1)[-1] else ""

    @cached_property
    def _source_regex(self) -> re.Pattern[str]:
        return re.compile(_glob_regex(self.source, self.source_lang))

    @cached_property
    def _exclude_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(_glob_regex(pattern.strip("/"), self.source_lang)) for pattern in self.exclude)

    @cached_property
    def _output_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(self._output_regex(lang)) for lang in self.target_langs)

    def _output_regex(self, lang: str) -> str:
        """Every path (from the site root, normalized) the output template can yield for ``lang``."""
        base = re.escape(self.base)
        pieces: list[str] = []
        for literal, name, _, _ in string.Formatter().parse(self.output):
            pieces.append(re.escape(literal))
            if name == "lang":
                pieces.append(re.escape(lang))
            elif name == "path":
                pieces.append(".+")
            elif name == "dir":
                pieces.append(f"(?:{base}(?:/[^\n]+)?)" if self.base else "(?:[^\n]+)")
            elif name == "stem":
                pieces.append("[^/]+")
            elif name == "ext":
                pieces.append(r"\.(?:mdx?|markdown)")
        regex = "".join(pieces)
        if not self.base and self.output.startswith("{dir}/"):
            regex = "(?:[^\n]+/)?" + regex.removeprefix("(?:[^\n]+)/")  # a source at the root: {dir} is "."
        return regex

    # ---- one post's paths ----

    def post_path(self, source_rel: str) -> str:
        """The post's identity for a source at ``source_rel`` (from the site root)."""
        rel = source_rel[len(self.base) + 1 :] if self.base else source_rel
        if self.marker:
            directory, _, name = rel.rpartition("/")
            stem, ext = posixpath.splitext(name)
            name = stem.removesuffix(self.marker) + ext
            rel = f"{directory}/{name}" if directory else name
        return rel

    def source_rel(self, path: PurePosixPath | str) -> str:
        """The source file (from the site root) of the post ``path``: the inverse of :meth:`post_path`."""
        text = posix_text(path)
        directory, _, name = text.rpartition("/") if text != "." else ("", "", "")
        stem, suffix = split_suffix(name)
        parts = [self.base] if self.base else []
        if directory:
            parts.append(directory)
        return "/".join([*parts, stem + self.marker + suffix])

    def _output_rel(self, path: PurePosixPath | str, lang: str) -> str:
        text = posix_text(path)
        stem, suffix = split_suffix(text.rpartition("/")[2])
        rendered = self.output.format(
            lang=lang,
            path=text,
            dir=posixpath.dirname(self.source_rel(text)) or ".",
            stem=stem,
            ext=suffix,
        )
        return _normalized(rendered)

    def output_rel(self, path: PurePosixPath | str, lang: str) -> str:
        """The output (from the site root) of post ``path`` in ``lang``; leaving the root is bad input."""
        rendered = self._output_rel(path, lang)
        if _outside(rendered):
            raise InputError(self.source_rel(path), None, f"output path {rendered!r} leaves the site root")
        return rendered

    def is_output(self, rel: str) -> bool:
        """Whether the file at ``rel`` (from the site root) is a path the output template yields."""
        return any(regex.fullmatch(rel) for regex in self._output_regexes)

    def is_source(self, rel: str) -> bool:
        """Whether the file at ``rel`` (from the site root) is a source: it matches the source glob and no
        exclusion, and it is not a path the output template yields."""
        if not rel.endswith(SOURCE_SUFFIXES) or not self._source_regex.fullmatch(rel):
            return False
        if self.marker and not PurePosixPath(rel).stem.endswith(self.marker):
            return False
        if any(regex.fullmatch(rel) for regex in self._exclude_regexes):
            return False
        return not self.is_output(rel)

    def output_search_root(self, lang: str) -> str:
        """The deepest directory (from the site root) holding every output of ``lang``."""
        if self.output.startswith("{dir}"):
            return self.base
        head = self.output.replace("{lang}", lang).split("{", 1)[0]
        return _normalized(head.rsplit("/", 1)[0]) if "/" in head else ""

    # ---- the files on disk ----

    def find_sources(self, root: Path) -> list[str]:
        """The post paths of every source under ``root``, in the order of a sorted walk of the source base.

        Hidden files and directories, ``node_modules`` and the ``skip`` directories are not searched; a
        symbolic link that leads out of the source base is bad input.
        """
        base = root / self.base if self.base else root
        if not base.is_dir():
            raise InputError(base, None, "source directory not found (set source_dir, or source, in the configuration)")
        real_base = base.resolve()
        # paths as text: a site has thousands of directories and files, a path object each would cost more
        # than listing them
        top = str(root)
        below = top if top.endswith(os.sep) else top + os.sep
        skipped = {str(root / directory) for directory in self.skip}
        found: list[str] = []
        # a sorted walk, top-down as os.walk goes, but from the listing's own entries: whether a name is a
        # directory or a link is known without asking the file system again
        pending = [str(base)]
        while pending:
            directory = pending.pop()
            prefix = "." if directory == top else directory.removeprefix(below).replace(os.sep, "/")
            try:
                with os.scandir(directory) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError:  # unreadable, or gone since listed: not searched, as os.walk does
                continue
            subdirectories: list[str] = []
            files: list[os.DirEntry[str]] = []
            for entry in entries:
                try:
                    is_directory = entry.is_dir()
                except OSError:
                    is_directory = False
                if not is_directory:
                    files.append(entry)
                elif entry.name.startswith(".") or entry.name in SKIPPED_DIRECTORIES or entry.path in skipped:
                    continue
                elif entry.is_symlink():  # links to directories are not followed
                    if not _within(Path(entry.path).resolve(), real_base):
                        raise InputError(Path(entry.path), None, "symlink leads out of the source directory")
                else:
                    subdirectories.append(entry.path)
            for entry in files:
                name = entry.name
                if name.startswith(".") or not name.endswith(SOURCE_SUFFIXES):
                    continue
                rel = name if prefix == "." else f"{prefix}/{name}"
                if not self.is_source(rel):
                    continue
                if entry.is_symlink() and not _within(Path(entry.path).resolve(), real_base):
                    raise InputError(Path(entry.path), None, "symlink leads out of the source directory")
                found.append(self.post_path(rel))
            pending += reversed(subdirectories)
        return found

    def output_files(self, root: Path, lang: str) -> Iterator[Path]:
        """Files under the output search root that the output template could have written for ``lang``."""
        regex = re.compile(self._output_regex(lang))
        start = root / self.output_search_root(lang)
        if not start.is_dir():
            return
        for directory, subdirectories, files in os.walk(start):
            subdirectories[:] = sorted(
                name for name in subdirectories if not name.startswith(".") and name not in SKIPPED_DIRECTORIES
            )
            for name in sorted(files):
                path = Path(directory) / name
                if name.endswith(SOURCE_SUFFIXES) and regex.fullmatch(path.relative_to(root).as_posix()):
                    yield path


def _within(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def _marked(source: str, source_lang: str) -> str:
    """The source glob with the source language written out in its file name (``*.fr.md``) as ``{lang}``."""
    directory, slash, name = source.rpartition("/")
    literal = f".{source_lang}."
    if "{lang}" not in name and literal in name:
        name = name.replace(literal, ".{lang}.", 1)
    return directory + slash + name


def preset(source_dir: str, output_dir: str, source_lang: str, target_langs: Sequence[str]) -> tuple[str, str]:
    """The source glob and output template equivalent to ``source_dir`` / ``output_dir`` (``{lang}`` dirs)."""
    source = source_dir.replace("{lang}", source_lang).strip("/")
    source = "" if _normalized(source) == "." else _normalized(source)
    return (f"{source}/**/*" if source else "**/*"), output_dir.rstrip("/") + "/{path}"
