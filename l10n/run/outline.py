"""A huge post is not held as a document while its catalogs are read and merged (its document and catalogs
together would be most of a run's memory): only its :class:`Outline` is, what the first half of a build needs,
and the document is parsed again from the same text for the build. A normal post is parsed once."""

from __future__ import annotations

from dataclasses import dataclass

from l10n.config import Config
from l10n.document import Document, FrontMatterError
from l10n.document.extract import assemble, extract_body
from l10n.document.frontmatter import FrontMatter, parse_front_matter
from l10n.document.markdown import Dialect
from l10n.document.windows import WINDOW_CHARS
from l10n.fileio import InputError
from l10n.localize import counted_msgids
from l10n.memory.rules import MemoryPair
from l10n.project import Post

# A post longer than this (in characters) is parsed again for its build rather than held: the size from which
# its body is parsed a window at a time.
REPARSE_CHARS = WINDOW_CHARS


@dataclass(frozen=True)
class Outline:
    """What the first half of a build needs of a document: its text (for the reference labels it defines, and
    to parse it again), its dialect, and the msgids whose words completion counts."""

    text: str
    dialect: Dialect
    counted: frozenset[str]

    @classmethod
    def of(cls, document: Document) -> Outline:
        return cls(document.text, document.dialect, counted_msgids(document))


def is_huge(document: Document) -> bool:
    return len(document.text) > REPARSE_CHARS


def front_matter_of(post: Post, text: str, keys: tuple[str, ...]) -> FrontMatter | None:
    """The post's front matter; broken front matter is bad input."""
    try:
        return parse_front_matter(text, keys)
    except FrontMatterError as error:
        raise InputError(post.source, error.line, error.message) from None


def parse_again(config: Config, post: Post, outline: Outline) -> Document:
    """The document of the post ``outline`` was made of, parsed anew from its text."""
    keys = tuple(config.front_matter_keys)
    text = outline.text
    front_matter = front_matter_of(post, text, keys)
    dialect = config.dialect_for(post.rel)
    return assemble(text, keys, front_matter, extract_body(text, front_matter, dialect), dialect=dialect)


def with_msgids_of(document: Document, pairs: list[MemoryPair]) -> list[MemoryPair]:
    """``pairs`` with the document's msgid strings where equal: the catalog's copies are not held beside the
    document's while rendering."""
    own = {segment.msgid: segment.msgid for segment in document.segments}
    return [(own.get(pair[0], pair[0]), *pair[1:]) for pair in pairs]
