"""A built post's link fragments made to follow the translated headings (l10n.anchor_links), for one post and
language of a run: its own headings, and the headings of the posts it links to by relative file path."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from l10n.anchor_links import Page, localize_anchors, page
from l10n.anchors import SLUGGERS, Slugger
from l10n.catalog.io import parse_catalog
from l10n.config import Config
from l10n.document import FrontMatterError, extract, render
from l10n.fileio import InputError, decode_utf8
from l10n.localize import usable_translations
from l10n.problems import Problem
from l10n.project import Post, display, output_path, po_path

# Pages other posts link into, built once per worker process while their files are unchanged.
_BUILT_PAGES: dict[tuple[str, str, str, bool, int, int], Page] = {}
_KEPT = 256


def follow_headings(
    config: Config, post: Post, source: str, output: str, lang: str, include_fuzzy: bool
) -> tuple[str, list[Problem]]:
    """``output`` with its fragments rewritten, and an ``anchor-missing`` warning per fragment left pointing
    nowhere. Nothing happens with ``anchors = "off"``."""
    if config.anchors == "off":
        return output, []
    slugger = SLUGGERS[config.anchors]

    def other(path: str) -> Page | None:
        linked = (post.source.parent / unquote(path.split("?", 1)[0])).resolve()
        return _built_page(config, linked, lang, slugger, include_fuzzy)

    text, findings = localize_anchors(output, source, slugger, other)
    shown = display(config, output_path(config, post.rel, lang))
    return text, [finding.at(shown) for finding in findings]


def _built_page(config: Config, source: Path, lang: str, slugger: Slugger, include_fuzzy: bool) -> Page | None:
    """The anchors of the post at ``source`` as built in ``lang`` from its catalog (None: not a post, or one
    that does not read: its own processing reports why)."""
    try:
        rel = source.relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return None
    if not config.layout.is_source(rel) or not source.is_file():
        return None
    post = Post(source, PurePosixPath(config.layout.post_path(rel)))
    catalog_file = po_path(config, post.rel, lang)
    key = (str(source), lang, slugger.name, include_fuzzy, _mtime(source), _mtime(catalog_file))
    if key not in _BUILT_PAGES:
        try:
            text = decode_utf8(source.read_bytes(), source)
            document = extract(text, front_matter_keys=config.front_matter_keys, dialect=config.dialect_for(post.rel))
            catalog = None
            if catalog_file.is_file():
                catalog = parse_catalog(decode_utf8(catalog_file.read_bytes(), catalog_file), catalog_file)
        except (OSError, InputError, FrontMatterError):
            return None
        translations, _ = usable_translations(config, catalog, "", lang, include_fuzzy, None)
        if len(_BUILT_PAGES) >= _KEPT:
            _BUILT_PAGES.clear()
        _BUILT_PAGES[key] = page(document.text, render(document, translations).text, slugger)
    return _BUILT_PAGES[key]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
