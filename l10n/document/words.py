"""Whether a segment has anything to translate: a word outside code, URLs, HTML and atomic syntax."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markdown_it.token import Token

_BARE_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


def has_words(children: Iterable[Token]) -> bool:
    """Whether the inline tokens of a segment show a reader a letter that is not part of a URL (link text and
    image alt text count; code spans, raw HTML, autolinks, atomic syntax do not)."""
    in_autolink = False
    for token in children:
        if token.type == "link_open":
            in_autolink = token.markup == "autolink"
        elif token.type == "link_close":
            in_autolink = False
        elif in_autolink:
            continue
        elif token.type in ("text", "image") and any(char.isalpha() for char in _BARE_URL.sub("", token.content)):
            return True
    return False
