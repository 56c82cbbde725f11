"""markdown-it-py with span recording: which source offsets each block's lines occupy.

markdown-it keeps, for a block inside containers (blockquotes, list items, footnotes), only line numbers and the
content with the container prefixes removed. To write a translation back in place we need the offsets of each
line's text after its prefix, which only exist while the block rule runs. So the rules that produce inline
content (paragraph, heading, lheading, table) are wrapped: when they succeed, the offsets of every line they
consumed are stored on the inline tokens they pushed (``token.meta["lines"]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple, TypeVar, cast

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from .markdown import COMMONMARK, Dialect, new_parser
from .windows import Window, parse_windows

LINES_META = "lines"
WRAPPED_RULES = ("paragraph", "heading", "lheading", "table")

BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _recording(rule: BlockRule) -> BlockRule:
    def wrapped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        first_token = len(state.tokens)
        matched = rule(state, start_line, end_line, silent)
        if matched and not silent:
            lines = {
                line: (state.bMarks[line] + state.tShift[line], state.eMarks[line])
                for line in range(start_line, state.line)
            }
            for token in state.tokens[first_token:]:
                if token.type == "inline":
                    token.meta[LINES_META] = lines
        return matched

    return wrapped


def span_recording_plugin(md: MarkdownIt) -> None:
    """Wrap the block rules that produce inline content so their lines' source offsets are kept."""
    for name in WRAPPED_RULES:
        index = md.block.ruler.__find__(name)
        if index != -1:
            rule = md.block.ruler.__rules__[index]
            md.block.ruler.at(name, _recording(rule.fn), {"alt": list(rule.alt)})


@cache
def markdown_parser(dialect: Dialect = COMMONMARK, recording: bool = True) -> MarkdownIt:
    """The post parser of ``dialect``, with span recording unless told otherwise (the tokens are the same;
    recording builds an offset map for every line of every paragraph)."""
    md = new_parser(dialect)
    if recording:
        md.use(span_recording_plugin)
    return md


@dataclass(frozen=True)
class NormalizedText:
    """The text markdown-it sees (line endings folded to ``\\n``) and a map back to the source's offsets."""

    text: str
    offsets: tuple[int, ...] | None  # offsets[i] is the source offset of text[i]; None when identical

    def source_offset(self, index: int) -> int:
        return index if self.offsets is None else self.offsets[index]


def normalize(source: str) -> NormalizedText:
    """Fold CRLF and CR to LF as markdown-it does, remembering where every character came from."""
    if "\r" not in source:
        return NormalizedText(source, None)
    chars: list[str] = []
    offsets: list[int] = []
    index = 0
    length = len(source)
    while index < length:
        char = source[index]
        if char == "\r":
            chars.append("\n")
            offsets.append(index)
            index += 2 if index + 1 < length and source[index + 1] == "\n" else 1
            continue
        chars.append(char)
        offsets.append(index)
        index += 1
    offsets.append(length)
    return NormalizedText("".join(chars), tuple(offsets))


def parse_tokens(text: str, dialect: Dialect = COMMONMARK) -> list[Token]:
    """Block and inline tokens of ``text`` (already normalized) read in ``dialect``, with recorded line
    offsets."""
    return markdown_parser(dialect).parse(text, {})


def parse_structure(text: str, dialect: Dialect = COMMONMARK) -> list[Token]:
    """The same tokens as :func:`parse_tokens` without the recorded offsets: for comparing structures."""
    return markdown_parser(dialect, recording=False).parse(text, {})


def _move_recorded(token: Token, offset: int, line: int) -> None:
    lines = token.meta.get(LINES_META)
    if lines is not None:
        token.meta[LINES_META] = {key + line: (start + offset, end + offset) for key, (start, end) in lines.items()}


def token_windows(text: str, dialect: Dialect = COMMONMARK, *, recording: bool = True) -> Iterator[Window]:
    """The tokens of :func:`parse_tokens` (or, without ``recording``, :func:`parse_structure`), a window at a
    time for a huge text (:mod:`l10n.document.windows`), their lines and offsets the whole text's."""
    parser = markdown_parser(dialect, recording)
    return parse_windows(text, dialect, lambda part: parser.parse(part, {}), _move_recorded)


class BlockToken(NamedTuple):
    """What the checks of a built post read of a block-level token: small, and easy to store between runs."""

    type: str
    tag: str
    nesting: int
    markup: str
    info: str
    content: str
    map: tuple[int, int] | None


def block_tokens(tokens: list[Token]) -> tuple[BlockToken, ...]:
    """The block-level tokens (inline ones, which carry the text, left out)."""
    return tuple(
        _shared(
            BlockToken(
                token.type,
                token.tag,
                token.nesting,
                token.markup,
                token.info,
                token.content,
                (token.map[0], token.map[1]) if token.map else None,
            )
        )
        for token in tokens
        if token.type != "inline"
    )


_NOT_STRUCTURE = frozenset({"text", "softbreak", "hardbreak", "code_inline"})


def block_signature(tokens: list[Token]) -> list[tuple[object, ...]]:
    """What must not change when text is translated: the block tree and each inline's markup kinds.

    Inline content is reduced to the multiset of its markup token types (emphasis, links, images, raw HTML,
    footnote references), which a translation may move around but must not add or drop. Code spans are not
    among them: a reviewer may format a name as code or drop the formatting (see the checks' ``code-changed``),
    and a span of code is text to the page's structure.
    """
    signature: list[tuple[object, ...]] = []
    for token in tokens:
        if token.type == "inline":
            kinds = sorted(
                child.type
                for child in token.children or ()
                if child.type not in _NOT_STRUCTURE
            )
            signature.append(_shared(("inline", *kinds)))
        else:
            signature.append(_shared((token.type, token.tag, token.nesting, token.markup, token.info)))
    return signature


# Equal items of signatures and block tokens without a line map, one object each: a post of many paragraphs
# holds its structure in one pointer per token. Bounded: past the limit, new items are not shared.
_SHARED: dict[Any, Any] = {}
_SHARED_LIMIT = 50_000
_Item = TypeVar("_Item", bound=tuple[Any, ...])


def _shared(item: _Item) -> _Item:
    if isinstance(item, BlockToken) and item.map is not None:
        return item
    key = (type(item), item)  # a block token is never taken for an equal plain tuple
    found = _SHARED.get(key)
    if found is not None:
        return cast(_Item, found)
    if len(_SHARED) < _SHARED_LIMIT:
        _SHARED[key] = item
    return item
