"""What a translation keeps of its source whatever the language: the anchors the aligner pairs segments by.

Code spans, link and image destinations, bare URLs, numbers (not digits inside a word), HTML and component
tag names: a translator leaves them as they are (a site's localized link prefix aside, which
:class:`LinkMapper` undoes). Their words are never compared: alignment is by structure and by these
anchors, never by meaning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from l10n.links import destinations

_CODE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>()\[\]\"'`]+", re.I)
_TAG = re.compile(r"</?([A-Za-z][\w.:-]*)")
# digits glued to letters (``3rd``, ``v7.2``, ``i18n``, ``404s``) are part of a word, which a translation may
# change: a number starts after no letter or digit (nor after one and a separator) and ends before none
_NUMBER = re.compile(r"(?<![^\W_])(?<![^\W_][.,])\d+(?:[.,\u00a0\u202f ]\d+)*(?![^\W_])")
_DIGITS = re.compile(r"\D")

Rewrite = Callable[[str], str]  # a source link destination as the target locale's pages write it


def _identity(destination: str) -> str:
    return destination


def link_destinations(text: str) -> list[str]:
    """The destinations of the links and images of a Markdown segment, in order."""
    try:
        spans = destinations(text)
    except Exception:  # a fragment markdown-it cannot place is no anchor; never a failure of adoption
        return []
    found = []
    for start, end in spans:
        raw = text[start:end]
        found.append(raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw)
    return found


def anchors(text: str, *, rewrite: Rewrite = _identity) -> Counter[str]:
    """The anchors of a segment's Markdown text, as a multiset. ``rewrite`` maps the source side's link
    destinations to the target locale's (apply it to the source's segments only)."""
    found: Counter[str] = Counter()
    rest = text
    for match in _CODE.finditer(text):
        found["code:" + match.group(2).strip()] += 1
    rest = _CODE.sub(" ", rest)
    for destination in link_destinations(text):
        found["link:" + _page(rewrite(destination))] += 1
        rest = rest.replace(destination, " ")
    for match in _URL.finditer(rest):
        found["url:" + _page(rewrite(match.group(0)))] += 1
    rest = _URL.sub(" ", rest)
    for match in _TAG.finditer(rest):
        found["tag:" + match.group(1)] += 1
    for match in _NUMBER.finditer(rest):
        found["number:" + _DIGITS.sub("", match.group(0))] += 1
    return found


def _page(destination: str) -> str:
    """A destination without its fragment: a translation links to the same page, but to its heading ids,
    which are made from the translated headings (``#install`` becomes ``#installer``)."""
    return destination.split("#", 1)[0]


class LinkMapper:
    """Turns a target segment's localized link destinations back into the source's, so the catalog holds
    what the source has and the build localizes it again (``/fr/x`` in the page, ``/en/x`` in the msgstr)."""

    def __init__(self, rewrite: Rewrite) -> None:
        self.rewrite = rewrite

    def delocalize(self, target_text: str, source_text: str) -> str:
        """``target_text`` with each destination that is the localized form of one of ``source_text``'s
        replaced by that source destination (the translator's fragment kept); any other is left as it is."""
        back: dict[str, str] = {}  # localized page -> the source's page
        for destination in link_destinations(source_text):
            page, localized = _page(destination), _page(self.rewrite(destination))
            if localized != page:
                back.setdefault(localized, page)
        if not back:
            return target_text
        try:
            spans = destinations(target_text)
        except Exception:
            return target_text
        pieces, previous = [], 0
        for start, end in spans:
            raw = target_text[start:end]
            bracketed = raw.startswith("<") and raw.endswith(">")
            destination = raw[1:-1] if bracketed else raw
            page, hash_mark, fragment = destination.partition("#")
            original = back.get(page)
            if original is None or start < previous:
                continue
            original += hash_mark + fragment
            pieces += [target_text[previous:start], f"<{original}>" if bracketed else original]
            previous = end
        pieces.append(target_text[previous:])
        return "".join(pieces)
