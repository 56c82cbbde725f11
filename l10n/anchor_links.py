"""Fragments of a built post's links kept pointing at the translated headings (see l10n.anchors).

Same-page links (``#ressources``) follow the post's own headings; relative links to another post's file
(``../autre.md#ressources``) and absolute site routes (``/fr/guide/#ressources``) follow the headings of the
post they lead to, which the caller finds. A fragment that matches no anchor of its page after the rewrite is
reported (``anchor-missing``, a warning naming the line).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from l10n.anchors import Slugger, anchor_map, page_ids
from l10n.links import destinations

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_POST_FILE = re.compile(r"\.(?:mdx?|markdown)$")
# A cheap test before parsing: a destination (inline, reference definition, href) that is a same-page fragment,
# a relative link to a post file with a fragment, or an absolute route with a fragment; external links are not
# this module's.
_TARGET = r"""(?:#|[^\s)>"'/:#][^\s)>"':#]*\.(?:mdx?|markdown)#|/[^/\s)>"':#][^\s)>"':#]*#|/#)"""
_LINK_WITH_FRAGMENT = re.compile(rf"""\]\(\s*<?{_TARGET}|\]:\s*<?{_TARGET}|href\s*=\s*["']?{_TARGET}""")


@dataclass(frozen=True)
class Page:
    """What a link into a page needs: its source anchors mapped to the built ones, and every id it has."""

    mapping: dict[str, str]
    ids: frozenset[str]


@dataclass(frozen=True)
class AnchorFinding:
    line: int
    message: str


def page(source: str, output: str, slugger: Slugger) -> Page:
    return Page(anchor_map(source, output, slugger), frozenset(page_ids(output, slugger)))


def is_post_link(path: str) -> bool:
    """A relative link to a Markdown file (another post): ``autre.md``, ``../blog/x.mdx``."""
    return bool(path) and not _SCHEME.match(path) and not path.startswith("/") and bool(_POST_FILE.search(path))


def is_route(path: str) -> bool:
    """An absolute path on the site (``/fr/guide/``), not a protocol-relative URL (``//host``)."""
    return path.startswith("/") and not path.startswith("//")


def localize_anchors(
    output: str,
    source: str,
    slugger: Slugger,
    other: Callable[[str], Page | None],
) -> tuple[str, list[AnchorFinding]]:
    """``output`` with its link fragments rewritten to the translated headings' anchors, and the fragments
    that point nowhere. ``other(path)`` is the page a relative post link or an absolute route leads to (None:
    unknown, left alone)."""
    if not _LINK_WITH_FRAGMENT.search(output):
        return output, []
    own: Page | None = None
    pieces: list[str] = []
    findings: list[AnchorFinding] = []
    previous = 0
    for start, end in destinations(output):
        raw = output[start:end]
        bracketed = raw.startswith("<") and raw.endswith(">")
        destination = raw[1:-1] if bracketed else raw
        path, hash_mark, fragment = destination.partition("#")
        if not hash_mark or not fragment or start < previous:
            continue
        if not path and own is None:
            own = page(source, output, slugger)
        linked = path.split("?", 1)[0]
        target = own if not path else (other(path) if is_post_link(linked) or is_route(linked) else None)
        if target is None:
            continue
        wanted = unquote(fragment)
        rewritten = target.mapping.get(wanted, wanted)
        if rewritten not in target.ids:
            where = path if path else "this page"
            findings.append(AnchorFinding(output.count("\n", 0, start) + 1, f"#{wanted}: no such anchor in {where}"))
        if rewritten != wanted:
            new = f"{path}#{rewritten}"
            pieces += [output[previous:start], f"<{new}>" if bracketed else new]
            previous = end
    pieces.append(output[previous:])
    return "".join(pieces), findings
