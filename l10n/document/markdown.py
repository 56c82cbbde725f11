"""The one place where markdown-it-py is set up: the base syntax plus the post's dialect, as plugins.

Every reader of Markdown in l10n (extraction, structure checks, inline fingerprints, placeholders, links, the
review page) asks this module for its parser, so a post is read the same way everywhere. A dialect
(:class:`Dialect`) says what a site's framework adds to CommonMark + GFM; each addition is a markdown-it plugin
applied with ``md.use``, the library's own extension mechanism.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .dialect import COMMONMARK as COMMONMARK
from .dialect import Dialect as Dialect
from .dialects.atomic import Scanner, atomic_plugin, protected_scanner
from .dialects.containers import containers_plugin
from .dialects.directives import directives_plugin
from .dialects.mdx import mdx_plugin
from .dialects.templates import scan_template

Plugin = Callable[[MarkdownIt], None]




def dialect_plugins(dialect: Dialect) -> list[Plugin]:
    """The plugins that add ``dialect``'s syntax to a CommonMark parser, in the order they must be applied."""
    plugins: list[Plugin] = []
    scanners: list[Scanner] = []
    pattern = None
    if dialect.protect:
        locked = protected_scanner(dialect.protect)
        scanners.append(locked)
        pattern = locked.pattern  # type: ignore[attr-defined]
    if dialect.shortcodes or dialect.liquid:
        scanners.append(partial(scan_template, shortcodes=dialect.shortcodes, liquid=dialect.liquid))
    if scanners:
        attributes = dialect.shortcode_attributes if dialect.shortcodes else ()
        plugins.append(
            partial(atomic_plugin, scanners=tuple(scanners), pattern=pattern, shortcode_attributes=attributes)
        )
    if dialect.directives:
        plugins.append(directives_plugin)
    if dialect.containers:
        plugins.append(containers_plugin)  # after directives: ``:::note[Title]`` stays a directive
    if dialect.mdx:  # last: it lets every block rule start at any indentation (no indented code in MDX)
        plugins.append(
            partial(mdx_plugin, jsx_attributes=dialect.jsx_attributes, jsx_verbatim=dialect.jsx_verbatim)
        )
    return plugins


def new_parser(
    dialect: Dialect = COMMONMARK,
    *,
    html: bool = True,
    task_lists: bool = True,
    footnote_refs_always: bool = False,
    front_matter: bool = False,
) -> MarkdownIt:
    """A fresh parser for ``dialect``: CommonMark, GFM tables and strikethrough, footnotes, then the dialect.

    ``html`` False renders raw HTML as text (the review page); ``task_lists`` recognises ``- [ ]`` items;
    ``footnote_refs_always`` treats every ``[^label]`` as a footnote reference (a segment parsed alone does
    not know its post's definitions); ``front_matter`` skips a leading front matter block. Callers that
    configure the parser further (recording rules, URL validation) cache their own.
    """
    md = MarkdownIt("commonmark", {"html": html}).enable(["table", "strikethrough"])
    if front_matter:
        md.use(front_matter_plugin)
    md.use(footnote_plugin, always_match_refs=footnote_refs_always)
    if task_lists:
        md.use(tasklists_plugin)
    for plugin in dialect_plugins(dialect):
        md.use(plugin)
    return md
