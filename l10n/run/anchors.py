"""A built post's link fragments made to follow the translated headings (l10n.anchor_links), for one post and
language of a run: its own headings, and the headings of the posts it links to by relative file path or by
site route.

A route names a post when, the link rules' ``source_prefix`` removed (a route outside it is not a source
page), it is the post's path without extension, or its folder for an ``index``, ``_index`` or ``README`` post
(``/guide/installation/`` is ``guide/installation.md`` or ``guide/installation/index.md``), either under the
source folder (the post's name) or from the site root (``/docs/intro`` is ``docs/intro.md``).
"""

from __future__ import annotations

import json
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
from l10n.store.identity import digest, file_digest, text_digest

# Pages other posts link into, built once per worker process while their files are unchanged, with what they
# were built from (see _build_page).
_BUILT_PAGES: dict[tuple[str, str, str, bool, int, int], tuple[Page | None, str]] = {}
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
    nowhere, at its line in the built post; and the other posts' pages it used (their source path -> what
    they were built from, for :func:`page_changed`). No fragment changes with ``anchors = "off"``."""
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


def _post_files(config: Config, source: Path, lang: str) -> tuple[Post, Path] | None:
    """The post whose source is at ``source`` and its catalog in ``lang``; None when it is not a source."""
    try:
        rel = source.relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return None
    if not config.layout.is_source(rel):
        return None
    post = Post(source, PurePosixPath(config.layout.post_path(rel)))
    return post, po_path(config, post.rel, lang)


def _built_page(
    config: Config, source: Path, lang: str, slugger: Slugger, include_fuzzy: bool, depends: dict[str, str]
) -> Page | None:
    """The anchors of the post at ``source`` as built in ``lang`` from its catalog (None: not a post, or one
    that does not read: its own processing reports why). What it was built from goes into ``depends``
    (see :func:`page_changed`)."""
    files = _post_files(config, source, lang)
    if files is None:
        return None
    post, catalog_file = files
    key = (str(source), lang, slugger.name, include_fuzzy, _mtime(source), _mtime(catalog_file))
    if key not in _BUILT_PAGES:
        if len(_BUILT_PAGES) >= _KEPT:
            _BUILT_PAGES.clear()
        _BUILT_PAGES[key] = _build_page(config, post, catalog_file, lang, slugger, include_fuzzy)
    built, state = _BUILT_PAGES[key]
    depends[str(source)] = state
    return built


def page_changed(config: Config, source: str, recorded: str, lang: str, include_fuzzy: bool) -> bool:
    """Whether the page of the post at ``source``, as a linking post's build used it (``recorded``: the
    content hashes of its source and catalog, and of its anchors), would be built differently now. Its files
    are hashed; only when one changed is the page built again and its anchors compared."""
    if config.anchors == "off":
        return False
    files = _post_files(config, Path(source), lang)
    parts = recorded.split(" ")
    if files is None or len(parts) != 3:
        return True
    post, catalog_file = files
    if (file_digest(post.source) or "", file_digest(catalog_file) or "") == (parts[0], parts[1]):
        return False
    now: dict[str, str] = {}
    _built_page(config, post.source, lang, SLUGGERS[config.anchors], include_fuzzy, now)
    return now.get(source, "").split(" ")[-1] != parts[2]


def _build_page(
    config: Config, post: Post, catalog_file: Path, lang: str, slugger: Slugger, include_fuzzy: bool
) -> tuple[Page | None, str]:
    """The page, and what it was built from: "<source hash> <catalog hash> <anchors hash>" ("" for absent)."""
    source_hash = catalog_hash = ""
    try:
        data = post.source.read_bytes()
        source_hash = digest(data)
        text = decode_utf8(data, post.source)
        document = extract(text, front_matter_keys=config.front_matter_keys, dialect=config.dialect_for(post.rel))
        catalog = None
        if catalog_file.is_file():
            catalog_data = catalog_file.read_bytes()
            catalog_hash = digest(catalog_data)
            catalog = parse_catalog(decode_utf8(catalog_data, catalog_file), catalog_file)
    except (OSError, InputError, FrontMatterError):
        return None, f"{source_hash} {catalog_hash} "
    translations, _ = usable_translations(config, catalog, "", lang, include_fuzzy, None)
    built = page(document.text, render(document, translations).text, slugger)
    anchors = text_digest(json.dumps([sorted(built.mapping.items()), sorted(built.ids)], ensure_ascii=False))
    return built, f"{source_hash} {catalog_hash} {anchors}"


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
