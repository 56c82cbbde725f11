"""A site's layouts: one source pattern and output template (l10n.layout), or several, each under a name.

Some sites keep posts in several places that each go somewhere else (Docusaurus: ``docs/`` to
``i18n/<lang>/docusaurus-plugin-content-docs/current/``, ``blog/`` to ``i18n/<lang>/docusaurus-plugin-content-blog/``).
Configured as a list of tables::

    [[layout]]
    source = "docs/**/*.{md,mdx}"
    output = "i18n/{lang}/docusaurus-plugin-content-docs/current/{path}"
    [[layout]]
    source = "blog/**/*.{md,mdx}"
    output = "i18n/{lang}/docusaurus-plugin-content-blog/{path}"
    name = "blog"   # optional: the source glob's folder

With several layouts, a post is named by its layout's name followed by its path in that layout
(``docs/guide/intro.md``), so its catalogs are ``locales/<lang>/docs/guide/intro.po`` and two layouts' posts
never share one. With one layout, posts keep the layout's own path. A file is the source of the first layout it
matches, and a file any layout's output template can yield is no layout's source.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from l10n.layout import Layout, LayoutError, posix_text

_NAME_FORBIDDEN = frozenset("*?{}[]\\")


@dataclass(frozen=True)
class LayoutSet:
    """The layouts of a site, each with its name ('' for the only layout of a site)."""

    layouts: tuple[tuple[str, Layout], ...]

    @classmethod
    def single(cls, layout: Layout) -> LayoutSet:
        return cls((("", layout),))

    @classmethod
    def named(cls, layouts: Sequence[tuple[str | None, Layout]]) -> LayoutSet:
        """Layouts of a ``[[layout]]`` list; a name left out is the source glob's folder. LayoutError names the
        table (``layout[2].name: ...``) when two names are the same, nest, or cannot be a folder."""
        named: list[tuple[str, Layout]] = []
        for index, (name, layout) in enumerate(layouts, 1):
            key = f"layout[{index}].name"
            chosen = layout.base if name is None else name.strip().strip("/")
            if not chosen:
                raise LayoutError(f"{key}: needed, the source pattern has no folder of its own to be named after")
            if chosen != posixpath.normpath(chosen) or chosen.startswith("..") or _NAME_FORBIDDEN & set(chosen):
                raise LayoutError(f"{key}: {chosen!r} is not a plain folder path (no '..', '.', or glob characters)")
            for other, _ in named:
                if chosen == other or chosen.startswith(other + "/") or other.startswith(chosen + "/"):
                    raise LayoutError(f"{key}: {chosen!r} and {other!r} would share catalogs (give each its own name)")
            named.append((chosen, layout))
        return cls(tuple(named))

    def with_skip(self, skip: Sequence[str]) -> LayoutSet:
        """The same layouts, never searching the ``skip`` directories (the catalogs) for sources."""
        return LayoutSet(
            tuple(
                (name, Layout.create(item.source, item.output, item.source_lang, item.target_langs, item.exclude, skip))
                for name, item in self.layouts
            )
        )

    @property
    def bases(self) -> tuple[str, ...]:
        """Each layout's source folder, from the site root ('' for the root)."""
        return tuple(layout.base for _, layout in self.layouts)

    # ---- which layout a file or a post belongs to ----

    def _owner(self, rel: str) -> tuple[str, Layout] | None:
        if len(self.layouts) == 1:
            return self.layouts[0] if self.layouts[0][1].is_source(rel) else None
        if self.is_output(rel):
            return None
        return next(((name, layout) for name, layout in self.layouts if layout.is_source(rel)), None)

    def _split(self, path: PurePosixPath | str) -> tuple[Layout, str] | None:
        text = posix_text(path)
        for name, layout in self.layouts:
            if not name:
                return layout, text
            if text.startswith(name + "/"):
                return layout, text[len(name) + 1 :]
        return None

    # ---- what l10n.layout.Layout answers for one layout ----

    def is_source(self, rel: str) -> bool:
        return self._owner(rel) is not None

    def is_output(self, rel: str) -> bool:
        return any(layout.is_output(rel) for _, layout in self.layouts)

    def post_path(self, source_rel: str) -> str:
        """The post's name for the source at ``source_rel`` (which :meth:`is_source`)."""
        owner = self._owner(source_rel)
        if owner is None:
            raise ValueError(f"not a source: {source_rel}")
        name, layout = owner
        path = layout.post_path(source_rel)
        return f"{name}/{path}" if name else path

    def source_rel(self, path: PurePosixPath | str) -> str:
        """The source file of the post ``path``; a name no layout has is taken as a path from the site root."""
        found = self._split(path)
        if found is None:
            return posix_text(path)
        layout, rest = found
        return layout.source_rel(rest)

    def output_rel(self, path: PurePosixPath | str, lang: str) -> str:
        found = self._split(path)
        if found is None:
            raise ValueError(f"no layout has the post {path}")
        layout, rest = found
        return layout.output_rel(rest, lang)

    def output_search_roots(self, lang: str) -> list[str]:
        return list(dict.fromkeys(layout.output_search_root(lang) for _, layout in self.layouts))

    def find_sources(self, root: Path) -> list[str]:
        """Every post's name, layout by layout, each in the order of a sorted walk of its source folder."""
        if len(self.layouts) == 1:
            return self.layouts[0][1].find_sources(root)
        found: list[str] = []
        for name, layout in self.layouts:
            for path in layout.find_sources(root):
                source = layout.source_rel(path)
                if self._owner(source) == (name, layout):
                    found.append(f"{name}/{path}")
        return found

    def output_files(self, root: Path, lang: str) -> Iterator[Path]:
        seen: set[Path] = set()
        for _, layout in self.layouts:
            for path in layout.output_files(root, lang):
                if path not in seen:
                    seen.add(path)
                    yield path
