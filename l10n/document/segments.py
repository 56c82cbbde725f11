"""The document model: a parsed source post and its ordered translatable segments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from l10n.problems import Problem

if TYPE_CHECKING:
    from .extract import Layout

from .dialect import COMMONMARK, Dialect

# The kind and the msgctxt of a code block's entry (with ``Dialect.code_blocks``): the context keeps a code
# block apart from prose with the same text, and tells every tool (and translator) that its translation is
# optional and is code.
CODE_KIND = "code block"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of source offsets holding one line's text of a segment."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit of a post.

    ``msgid`` is the text a translator sees (Markdown for body segments, the decoded value for front matter).
    ``kind`` names what it is for translators and catalogs: ``heading 2``, ``paragraph``, ``table cell``,
    ``image alt``, ``front matter: title``...  ``line`` is the 1-based source line where it starts.
    ``spans`` are the source ranges its text occupies, one per source line; write-back replaces only them.
    """

    index: int
    msgid: str
    kind: str
    line: int
    spans: tuple[Span, ...] = field(repr=False, default=())
    context: str | None = None


def _no_layout() -> Layout:
    """The layout of a document built by hand (not parsed): nothing beyond its segments."""
    from .extract import Layout  # extract builds documents from segments: a top-level import would be a cycle

    return Layout(front_matter=None, front_matter_keys=(), segments=(), signature=())


@dataclass(frozen=True)
class Document:
    """A parsed source post: its text, its front matter mapping, its segments in source order."""

    text: str
    segments: tuple[Segment, ...]
    front_matter: dict[str, Any] | None = None
    problems: tuple[Problem, ...] = ()  # what extraction or rendering could not do exactly, never guessed around
    dialect: Dialect = COMMONMARK  # the syntax the post is read in (its framework's Markdown)
    # Internal data kept by the parser for render (front matter scalar styles, block fingerprints).
    layout: Layout = field(default_factory=_no_layout, repr=False, compare=False)


@dataclass(frozen=True)
class Rendered:
    """The result of writing translations back: the text and what had to be rolled back."""

    text: str
    problems: tuple[Problem, ...] = ()  # what extraction or rendering could not do exactly, never guessed around
    translated: int = 0
    # The block tokens of ``text``'s body from the verifying parse (None when nothing was written), and where
    # the body starts: checks of the built post reuse them instead of parsing it again.
    blocks: tuple[Any, ...] | None = field(default=None, repr=False, compare=False)
    body_start: int = field(default=0, repr=False, compare=False)


class FrontMatterError(ValueError):
    """Malformed front matter: bad input, reported with its 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message
