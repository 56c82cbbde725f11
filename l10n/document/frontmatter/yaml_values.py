"""YAML front matter: parse it and locate each string scalar as written, with its style and context."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from l10n.document.segments import FrontMatterError

from .blocks import Block
from .keys import KeyPattern, Path, first_match
from .lines import first_meaningful_line, line_at, lines
from .model import FrontMatter, FrontMatterField, front_matter
from .validity import KEY_LINE as _KEY_LINE
from .validity import duplicate_yaml_key

STR_TAG = "tag:yaml.org,2002:str"
_STYLES = {None: "plain", "": "plain", "'": "single", '"': "double", "|": "literal", ">": "folded"}
_BLOCK_HEADER = re.compile(r"[|>](?:([1-9])([+-])?|([+-])([1-9])?)?")


def parse_yaml(text: str, block: Block, patterns: Sequence[KeyPattern]) -> FrontMatter | None:
    content = text[block.content_start : block.content_end]
    fast = _parse_with_libyaml(text, block, patterns, content)
    if fast is not None:
        return fast
    try:
        loader = _LocatingLoader(content)  # the reader rejects unprintable characters right away
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        if not _meant_as_mapping(content):
            return None
        if isinstance(error, yaml.reader.ReaderError):
            line = line_at(text, block.content_start + error.position)
            raise FrontMatterError(line, _error_message(error)) from None
        raise FrontMatterError(_error_line(error, block), _error_message(error)) from None
    if root is None:
        return front_matter(block, {}, [])
    if not isinstance(root, yaml.MappingNode):
        return None
    duplicate = duplicate_yaml_key(root)
    if duplicate is not None:
        key, first, again = duplicate
        first_line = block.first_line + first.line
        raise FrontMatterError(block.first_line + again.line, f"duplicate key {key!r} (first on line {first_line})")
    data = _construct(loader, root, block, text)
    fields = []
    for path, node in _scalars(root):
        pattern = first_match(patterns, path)
        if pattern is None or node.tag != STR_TAG or not node.value:
            continue
        token = loader.scalar_tokens.get(node.end_mark.index)
        if token is None:  # an empty scalar has no token (and no text to translate)
            continue
        fields.append(_field(text, block, pattern.written, path, node, token))
    return front_matter(block, data, fields)


def _parse_with_libyaml(text: str, block: Block, patterns: Sequence[KeyPattern], content: str) -> FrontMatter | None:
    """The same result as the locating loader, about five times sooner (measured on the corpus), for the
    common case; None when LibYAML is missing or cannot tell: an error (the pure-Python path words it), an
    empty or non-mapping block, or a selected value that is a block scalar or carries an anchor or tag (their
    extent needs the scanner's view).

    A LibYAML node's marks are character offsets and start at the scalar itself when it has no anchor or tag;
    the block indentation around a plain or quoted scalar is the column of its innermost block collection.
    """
    if _LIBYAML_LOADER is None or not printable(content):
        return None
    loader = _LIBYAML_LOADER(content)
    try:
        root = loader.get_single_node()
        if not isinstance(root, yaml.MappingNode) or duplicate_yaml_key(root) is not None:
            return None  # a duplicate key: the pure-Python path words the error
        data = loader.construct_document(root)
    except (yaml.YAMLError, ValueError, TypeError):
        return None
    finally:
        loader.dispose()
    fields = []
    for path, node, flow, indent in _scalars_in_context(root):
        pattern = first_match(patterns, path)
        if pattern is None or node.tag != STR_TAG or not node.value:
            continue
        if node.style in ("|", ">") or content[node.start_mark.index] in "&!":
            return None
        token = _ScalarToken(node.start_mark.index, node.end_mark.index, flow, indent)
        fields.append(_field(text, block, pattern.written, path, node, token))
    return front_matter(block, data, fields)


_LIBYAML_LOADER = getattr(yaml, "CSafeLoader", None)


def printable(content: str) -> bool:
    """Whether the YAML reader accepts every character of ``content``."""
    return yaml.reader.Reader.NON_PRINTABLE.search(content) is None


def block_header(header: str) -> tuple[int | None, str]:
    """(explicit indentation indicator, chomping indicator) of a block scalar header."""
    match = _BLOCK_HEADER.match(header)
    assert match is not None
    digit = match.group(1) or match.group(4)
    return (int(digit) if digit else None), (match.group(2) or match.group(3) or "")


def min_block_indent(parent_indent: int) -> int:
    return max(parent_indent + 1, 1)


@dataclass(frozen=True)
class _ScalarToken:
    start: int
    end: int
    flow: bool
    parent_indent: int


class _LocatingLoader(yaml.SafeLoader):
    """A SafeLoader that remembers where each scalar token starts (after any anchor or tag) and its context.

    ``yaml.compose`` marks a node from its anchor or tag; the scanner knows where the scalar itself starts,
    whether it is inside a flow collection, and the enclosing block indentation a block scalar depends on.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.scalar_tokens: dict[int, _ScalarToken] = {}  # by token end offset, as ScalarNode.end_mark

    def _remember(self, token: Any, parent_indent: int, flow: bool) -> Any:
        start, end = token.start_mark.index, token.end_mark.index
        self.scalar_tokens[end] = _ScalarToken(start, end, flow, parent_indent)
        return token

    def scan_plain(self) -> Any:
        indent, flow = self.indent, bool(self.flow_level)
        return self._remember(super().scan_plain(), indent, flow)

    def scan_flow_scalar(self, style: Any) -> Any:
        indent, flow = self.indent, bool(self.flow_level)
        return self._remember(super().scan_flow_scalar(style), indent, flow)

    def scan_block_scalar(self, style: Any) -> Any:
        indent, flow = self.indent, bool(self.flow_level)
        return self._remember(super().scan_block_scalar(style), indent, flow)


def _error_mark(error: yaml.YAMLError) -> Any:
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    # An unclosed quote or bracket is found out at the end of the block: point at where it opened.
    problem = getattr(error, "problem", None) or ""
    at_end = "end of stream" in problem or "<stream end>" in problem
    return (context_mark if at_end else None) or problem_mark or context_mark


def _error_line(error: yaml.YAMLError, block: Block) -> int:
    mark = _error_mark(error)
    if mark is not None:
        return block.first_line + mark.line
    return block.first_line


def _error_message(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        parts = [part for part in (error.context, error.problem) if part]
        mark = _error_mark(error)
        column = f" (column {mark.column + 1})" if mark is not None else ""
        return "invalid YAML front matter: " + ", ".join(parts) + column
    return "invalid YAML front matter: " + " ".join(str(error).split())


def _meant_as_mapping(content: str) -> bool:
    """Whether a YAML block that fails to parse was written as a mapping (else it is Markdown).

    Two ``key:`` lines at the margin decide (whatever precedes them: a stray line, a conflict marker); else
    the parser's first node event when it got that far; otherwise the first line must look like a ``key:``
    line.
    """
    if sum(1 for _, line, _ in lines(content, 0) if _KEY_LINE.match(line)) >= 2:
        return True
    try:
        for event in yaml.parse(content, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.MappingStartEvent):
                return True
            if isinstance(event, yaml.NodeEvent | yaml.SequenceStartEvent):
                return False
    except yaml.YAMLError:
        pass
    return re.match(r"\s*[^\s#-][^#]*?:(?:[ \t]|$)", first_meaningful_line(content)) is not None


def _construct(loader: _LocatingLoader, root: yaml.Node, block: Block, text: str) -> dict[str, Any]:
    try:
        return loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise FrontMatterError(_error_line(error, block), _error_message(error)) from None
    except (ValueError, TypeError) as error:
        # Well-formed YAML that cannot be built, like ``date: 2024-02-30``: name the value at fault.
        line = block.first_line
        for _, node in _scalars(root):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (ValueError, TypeError, yaml.YAMLError):
                line = line_at(text, block.content_start + node.start_mark.index)
                break
        raise FrontMatterError(line, f"invalid YAML front matter value: {error}") from None


def _scalars(root: yaml.Node) -> Iterator[tuple[Path, yaml.ScalarNode]]:
    """Every scalar value with its path, in source order; an alias of an earlier node is not repeated."""
    for path, node, _, _ in _scalars_in_context(root):
        yield path, node


def _scalars_in_context(root: yaml.Node) -> Iterator[tuple[Path, yaml.ScalarNode, bool, int]]:
    """Every scalar value with its path, whether it is inside a flow collection, and the column of its
    innermost block collection, in source order; an alias of an earlier node is not repeated."""
    seen: set[int] = set()

    def walk(node: yaml.Node, path: Path, flow: bool, indent: int) -> Iterator[tuple[Path, yaml.ScalarNode, bool, int]]:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield path, node, flow, indent
            return
        inner_flow = flow or bool(node.flow_style)
        inner_indent = indent if inner_flow else node.start_mark.column
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                yield from walk(item, (*path, index), inner_flow, inner_indent)
        elif isinstance(node, yaml.MappingNode):
            # Only keys read as strings are addressable; of duplicate keys only the last counts.
            named = [(key.value, value) for key, value in node.value if _is_string(key)]
            last_of_key = dict(named)
            for name, value in named:
                if last_of_key[name] is value:
                    yield from walk(value, (*path, name), inner_flow, inner_indent)

    yield from walk(root, (), False, -1)


def _is_string(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG


def _field(
    text: str, block: Block, key: str, path: Path, node: yaml.ScalarNode, token: _ScalarToken
) -> FrontMatterField:
    style = _STYLES[node.style]
    start = block.content_start + token.start
    end = block.content_start + token.end
    indent = node.start_mark.column
    if style in ("literal", "folded"):
        end, indent = _block_scalar_extent(text, start, end, token.parent_indent)
    return FrontMatterField(
        key=key,
        value=node.value,
        line=line_at(text, start),
        start=start,
        end=end,
        style=style,
        path=path,
        format="yaml",
        flow=token.flow,
        parent_indent=token.parent_indent,
        indent=indent,
    )


def _block_scalar_extent(text: str, start: int, token_end: int, parent_indent: int) -> tuple[int, int]:
    """End of a block scalar's replaceable span, and its content indentation (as PyYAML computes it).

    The scanner's token runs to the next less-indented line. With strip or clip chomping the span stops at
    the end of the last content line, so trailing blank lines stay layout; with keep chomping those lines are
    part of the value and of the span, up to the last line break, which stays.
    """
    scalar_lines = list(lines(text[:token_end], start))
    header = scalar_lines[0][1]
    explicit, chomping = block_header(header)
    body = scalar_lines[1:]
    if explicit is not None:
        indent = min_block_indent(parent_indent) + explicit - 1
    else:
        detected = 0
        for _, line, _ in body:
            spaces = len(line) - len(line.lstrip(" "))
            detected = max(detected, spaces)
            if spaces < len(line):
                break
        indent = max(min_block_indent(parent_indent), detected)
    if chomping == "+":
        last = body[-1] if body else scalar_lines[0]
        return last[0] + len(last[1]), indent
    content_lines = [(line_start, line) for line_start, line, _ in body if len(line) > indent]
    if not content_lines:
        return scalar_lines[0][0] + len(header), indent
    line_start, line = content_lines[-1]
    return line_start + len(line), indent
