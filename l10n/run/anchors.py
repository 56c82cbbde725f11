"""A built post's link fragments made to follow the translated headings (l10n.anchor_links), for one post and
language of a run: its own headings, and the headings of the posts it links to by relative file path or by
site route.

A route names a post when, the link rules' ``source_prefix`` removed (a route outside it is not a source
page), it is the post's path without extension, or its folder for an ``index``, ``_index`` or ``README`` post
(``/guide/installation/`` is ``guide/installation.md`` or ``guide/installation/index.md``), either under the
source folder (the post's name) or from the site root (``/docs/intro`` is ``docs/intro.md``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from l10n.anchor_links import Page, is_route, localize_anchors, page
from l10n.anchors import SLUGGERS, Slugger
from l10n.catalog.io import parse_catalog
from l10n.config import Config
from l10n.document import FrontMatterError, extract, render
from l10n.fileio import InputError, decode_utf8
from l10n.layout import SOURCE_SUFFIXES
from l10n.localize import usable_translations
from l10n.project import Post, display, output_path, po_path
from l10n.report import Diagnostic
from l10n.store.identity import digest

# Pages other posts link into, built once per worker process while their files are unchanged, with the
# content hashes of the files they were built from.
_BUILT_PAGES: dict[tuple[str, str, str, bool, int, int], tuple[Page | None, dict[str, str]]] = {}
_KEPT = 256


_INDEX_NAMES = ("index", "_index", "README")
_FILE_NAME = re.compile(r"\.[A-Za-z0-9]{1,10}$")  # a route to a file (/img/a.png), as the link rules see it


def follow_headings(
    config: Config,
    post: Post,
    source: str,
    rendered: str,
    lang: str,
    include_fuzzy: bool,
    localize: Callable[[str], str] = lambda text: text,
) -> tuple[str, list[Diagnostic], dict[str, str]]:
    """The built post: ``rendered`` with its fragments rewritten, then ``localize``d (link rules, front matter:
    routes are matched as the source wrote them); an ``anchor-missing`` warning per fragment left pointing
    nowhere, at its line in the built post; and the other posts' files read (path -> content hash, "" absent),
    on which the result depends. No fragment changes with ``anchors = "off"``."""
    if config.anchors == "off":
        return localize(rendered), [], {}
    slugger = SLUGGERS[config.anchors]
    depends: dict[str, str] = {}

    def other(path: str) -> Page | None:
        linked = unquote(path.split("?", 1)[0])
        if is_route(linked):
            for candidate in _route_sources(config, linked):
                found = _built_page(config, candidate, lang, slugger, include_fuzzy, depends)
                if found is not None:
                    return found
            return None
        return _built_page(config, (post.source.parent / linked).resolve(), lang, slugger, include_fuzzy, depends)

    anchored, findings = localize_anchors(rendered, source, slugger, other)
    text = localize(anchored)
    shift = text.count("\n") - anchored.count("\n")  # lines the front matter gained: findings are in the body
    shown = display(config, output_path(config, post.rel, lang))
    diagnostics = [
        Diagnostic(shown, finding.line + shift, "anchor-missing", "warning", finding.message) for finding in findings
    ]
    return text, diagnostics, depends


def _route_sources(config: Config, route: str) -> Iterator[Path]:
    """The source files a site route may name (see the module docstring), most likely first."""
    source_prefix = config.links.source_prefix.rstrip("/") if config.links is not None else ""
    if source_prefix:
        if route != source_prefix and not route.startswith(source_prefix + "/"):
            return
        route = route[len(source_prefix) :]
    stem = posixpath.normpath("/" + route.strip("/")).strip("/")
    if stem.startswith("..") or _FILE_NAME.search(stem):  # outside the site, or a file
        return
    names = [f"{stem}/{index}" if stem else index for index in _INDEX_NAMES]
    if stem:
        names.insert(0, stem)
    root = config.root.resolve()
    for name in names:
        for suffix in SOURCE_SUFFIXES:
            yield root / config.layout.source_rel(name + suffix)
    for name in names:
        for suffix in SOURCE_SUFFIXES:
            yield root / (name + suffix)


def _built_page(
    config: Config, source: Path, lang: str, slugger: Slugger, include_fuzzy: bool, depends: dict[str, str]
) -> Page | None:
    """The anchors of the post at ``source`` as built in ``lang`` from its catalog (None: not a post, or one
    that does not read: its own processing reports why). The files it reads go into ``depends``."""
    try:
        rel = source.relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return None
    if not config.layout.is_source(rel):
        return None
    post = Post(source, PurePosixPath(config.layout.post_path(rel)))
    catalog_file = po_path(config, post.rel, lang)
    key = (str(source), lang, slugger.name, include_fuzzy, _mtime(source), _mtime(catalog_file))
    if key not in _BUILT_PAGES:
        if len(_BUILT_PAGES) >= _KEPT:
            _BUILT_PAGES.clear()
        _BUILT_PAGES[key] = _build_page(config, post, catalog_file, lang, slugger, include_fuzzy)
    built, read = _BUILT_PAGES[key]
    depends.update(read)
    return built


def _build_page(
    config: Config, post: Post, catalog_file: Path, lang: str, slugger: Slugger, include_fuzzy: bool
) -> tuple[Page | None, dict[str, str]]:
    read: dict[str, str] = {str(post.source): "", str(catalog_file): ""}
    try:
        data = post.source.read_bytes()
        read[str(post.source)] = digest(data)
        text = decode_utf8(data, post.source)
        document = extract(text, front_matter_keys=config.front_matter_keys, dialect=config.dialect_for(post.rel))
        catalog = None
        if catalog_file.is_file():
            catalog_data = catalog_file.read_bytes()
            read[str(catalog_file)] = digest(catalog_data)
            catalog = parse_catalog(decode_utf8(catalog_data, catalog_file), catalog_file)
    except (OSError, InputError, FrontMatterError):
        return None, read
    translations, _ = usable_translations(config, catalog, "", lang, include_fuzzy, None)
    return page(document.text, render(document, translations).text, slugger), read


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
