"""Front matter: find it, locate the configured string values in it, and substitute translations in place.

Front matter is never re-dumped. Each translatable value is a located token of the source (a YAML scalar, a
TOML string, a JSON string) with its style; a translation replaces exactly that token, re-quoted in the same
style when the translation allows it, so key order, comments, dates and every other byte stay as they were.

Delimiters (a UTF-8 BOM may come first; lines may end in LF, CRLF or CR):
- YAML: a first line ``---``, closed by a ``---`` or ``...`` line;
- TOML: a first line ``+++``, closed by a ``+++`` line;
- JSON: a first line ``{``, closed by a ``}`` line (python-frontmatter's JSON handler convention).
Trailing spaces and tabs on delimiter lines are allowed, as Jekyll and Hugo allow them.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import frontmatter
import yaml
from yaml.resolver import Resolver

from l10n.document.segments import FrontMatterError

__all__ = ["FrontMatter", "FrontMatterField", "parse_front_matter", "render_value"]

Path = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_BREAKS = "\r\n\x85\u2028\u2029"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass(frozen=True)
class FrontMatterField:
    """One translatable string value of the front matter, located in the whole text.

    ``key`` is the configured key path that matched (``title``, ``seo.title``, ``tags[]``) and ``path`` the
    concrete path to the value (``("tags", 2)``). ``start``/``end`` delimit the value's token as written,
    quotes and block scalar header included. ``style`` is ``plain``, ``single``, ``double``, ``literal`` or
    ``folded`` for YAML; ``basic``, ``literal``, ``ml-basic`` or ``ml-literal`` for TOML; ``json`` for JSON.
    """

    key: str
    value: str
    line: int
    start: int
    end: int
    style: str
    path: Path = ()
    format: str = "yaml"
    # YAML only: whether the scalar sits inside a flow collection ([...] or {...}), the indentation of the
    # enclosing block collection as the YAML scanner saw it, and the content indentation of a block scalar.
    flow: bool = False
    parent_indent: int = -1
    indent: int = 0


@dataclass(frozen=True)
class FrontMatter:
    """The front matter of a text: its format, where it ends, its data and its translatable fields."""

    format: str
    end: int
    data: dict[str, Any]
    fields: tuple[FrontMatterField, ...]
    # Offsets of the raw front matter between the delimiter lines (for JSON: the whole object).
    content_start: int = 0
    content_end: int = 0


# ---------------------------------------------------------------------------------------------------------
# Public API


def parse_front_matter(text: str, keys: Sequence[str]) -> FrontMatter | None:
    """Return the front matter of ``text`` with the values of ``keys`` located, or None if it has none.

    A delimited block that does not hold a mapping (``---\\nFoo\\n---`` is a setext heading between thematic
    breaks) is Markdown: None. A block meant as front matter that does not parse raises FrontMatterError with
    the 1-based line in ``text``.
    """
    block = _find_block(text)
    if block is None:
        return None
    patterns = [_KeyPattern.parse(key) for key in keys]
    if block.format == "yaml":
        return _parse_yaml(text, block, patterns)
    if block.format == "toml":
        return _parse_toml(text, block, patterns)
    return _parse_json(text, block, patterns)


def render_value(field: FrontMatterField, translation: str, text: str) -> str:
    """Return the replacement for ``text[field.start:field.end]`` that reads back as ``translation``.

    The field's style is kept when the translation can be written in it, otherwise the closest safe style is
    used (double quotes for YAML, a basic string for TOML). A block scalar keeps its header and indentation;
    its trailing line breaks follow its chomping indicator, whatever the translation ends with. The result is
    checked by parsing the substituted front matter; the untranslated value gives back the source bytes.
    """
    if translation == field.value:
        return text[field.start : field.end]
    if field.format == "yaml":
        candidates = _yaml_candidates(field, translation, text)
    elif field.format == "toml":
        candidates = [(candidate, translation) for candidate in _toml_candidates(field, translation, text)]
    else:
        candidates = [(json.dumps(translation, ensure_ascii=False), translation)]
    for candidate, expected in candidates:
        if _reads_back(field, candidate, expected, text):
            return candidate
    raise ValueError(f"line {field.line}: cannot write a translation of {field.key!r} as {field.format}")


# ---------------------------------------------------------------------------------------------------------
# Delimiters


@dataclass(frozen=True)
class _Block:
    format: str
    content_start: int
    content_end: int
    end: int
    first_line: int  # 1-based line of the first content line


def _lines(text: str, pos: int) -> Iterator[tuple[int, str, int]]:
    """Yield (start, line without its break, end after its break) from ``pos`` on."""
    while pos < len(text):
        match = _LINE.match(text, pos)
        assert match is not None
        raw = match.group()
        yield pos, raw.rstrip("\r\n"), match.end()
        pos = match.end()


def _line_at(text: str, offset: int) -> int:
    """1-based line of ``offset``; CRLF, LF and a lone CR each end a line (as in YAML and CommonMark)."""
    crlf = text.count("\r\n", 0, offset)
    return 1 + text.count("\n", 0, offset) + text.count("\r", 0, offset) - crlf


_OPENERS = {"---": "yaml", "+++": "toml", "{": "json"}
_CLOSERS = {"yaml": ("---", "..."), "toml": ("+++",), "json": ("}",)}


def _find_block(text: str) -> _Block | None:
    begin = 1 if text.startswith("\ufeff") else 0
    lines = _lines(text, begin)
    first = next(lines, None)
    if first is None:
        return None
    kind = _OPENERS.get(first[1].rstrip(" \t"))
    if kind is None:
        return None
    for start, line, end in lines:
        if line.rstrip(" \t") in _CLOSERS[kind]:
            if kind == "json":
                return _Block(kind, begin, start + 1, end, 1)
            return _Block(kind, first[2], start, end, 2)
    return None


def _first_meaningful_line(content: str) -> str:
    for _, line, _ in _lines(content, 0):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


# ---------------------------------------------------------------------------------------------------------
# Key patterns


@dataclass(frozen=True)
class _KeyPattern:
    """A configured key path: ``title``, ``seo.title``, ``tags[]``, ``authors[].name``."""

    written: str
    parts: tuple[tuple[str, bool], ...]  # (name, is a list)

    @classmethod
    def parse(cls, written: str) -> _KeyPattern:
        parts = []
        for part in written.split("."):
            name = part.removesuffix("[]")
            if not name:
                raise ValueError(f"invalid front matter key path: {written!r}")
            parts.append((name, name != part))
        return cls(written, tuple(parts))

    def matches(self, path: Path) -> bool:
        position = 0
        for name, is_list in self.parts:
            if position >= len(path) or path[position] != name:
                return False
            position += 1
            if is_list:
                if position < len(path) and isinstance(path[position], int):
                    position += 1
                elif position != len(path):  # a lone string where a list is expected counts as one item
                    return False
        return position == len(path)


def _first_match(patterns: Sequence[_KeyPattern], path: Path) -> _KeyPattern | None:
    return next((pattern for pattern in patterns if pattern.matches(path)), None)


def _lookup(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


# ---------------------------------------------------------------------------------------------------------
# YAML


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


_YAML_STYLES = {None: "plain", "": "plain", "'": "single", '"': "double", "|": "literal", ">": "folded"}


def _yaml_error_mark(error: yaml.YAMLError) -> Any:
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    # An unclosed quote or bracket is found out at the end of the block: point at where it opened.
    problem = getattr(error, "problem", None) or ""
    at_end = "end of stream" in problem or "<stream end>" in problem
    return (context_mark if at_end else None) or problem_mark or context_mark


def _yaml_error_line(error: yaml.YAMLError, block: _Block) -> int:
    mark = _yaml_error_mark(error)
    if mark is not None:
        return block.first_line + mark.line
    return block.first_line


def _yaml_error_message(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        parts = [part for part in (error.context, error.problem) if part]
        mark = _yaml_error_mark(error)
        column = f" (column {mark.column + 1})" if mark is not None else ""
        return "invalid YAML front matter: " + ", ".join(parts) + column
    return "invalid YAML front matter: " + " ".join(str(error).split())


def _meant_as_mapping(content: str) -> bool:
    """Whether a YAML block that fails to parse was written as a mapping (else it is Markdown).

    The parser's first node event decides when it got that far; otherwise the first line must look like a
    ``key:`` line.
    """
    try:
        for event in yaml.parse(content, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.MappingStartEvent):
                return True
            if isinstance(event, yaml.NodeEvent | yaml.SequenceStartEvent):
                return False
    except yaml.YAMLError:
        pass
    return re.match(r"\s*[^\s#-][^#]*?:(?:[ \t]|$)", _first_meaningful_line(content)) is not None


def _parse_yaml(text: str, block: _Block, patterns: Sequence[_KeyPattern]) -> FrontMatter | None:
    content = text[block.content_start : block.content_end]
    try:
        loader = _LocatingLoader(content)  # the reader rejects unprintable characters right away
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        if not _meant_as_mapping(content):
            return None
        if isinstance(error, yaml.reader.ReaderError):
            line = _line_at(text, block.content_start + error.position)
            raise FrontMatterError(line, _yaml_error_message(error)) from None
        raise FrontMatterError(_yaml_error_line(error, block), _yaml_error_message(error)) from None
    if root is None:
        return _front_matter(block, {}, [])
    if not isinstance(root, yaml.MappingNode):
        return None
    data = _construct(loader, root, block, text)
    fields = []
    for path, node in _yaml_scalars(root):
        pattern = _first_match(patterns, path)
        if pattern is None or node.tag != _STR_TAG or not node.value:
            continue
        token = loader.scalar_tokens.get(node.end_mark.index)
        if token is None:  # an empty scalar has no token (and no text to translate)
            continue
        fields.append(_yaml_field(text, block, pattern.written, path, node, token))
    return _front_matter(block, data, fields)


def _printable(content: str) -> bool:
    return yaml.reader.Reader.NON_PRINTABLE.search(content) is None


def _construct(loader: _LocatingLoader, root: yaml.Node, block: _Block, text: str) -> dict[str, Any]:
    try:
        return loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise FrontMatterError(_yaml_error_line(error, block), _yaml_error_message(error)) from None
    except (ValueError, TypeError) as error:
        # Well-formed YAML that cannot be built, like ``date: 2024-02-30``: name the value at fault.
        line = block.first_line
        for _, node in _yaml_scalars(root):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (ValueError, TypeError, yaml.YAMLError):
                line = _line_at(text, block.content_start + node.start_mark.index)
                break
        raise FrontMatterError(line, f"invalid YAML front matter value: {error}") from None


def _yaml_scalars(root: yaml.Node) -> Iterator[tuple[Path, yaml.ScalarNode]]:
    """Every scalar value with its path, in source order; an alias of an earlier node is not repeated."""
    seen: set[int] = set()

    def walk(node: yaml.Node, path: Path) -> Iterator[tuple[Path, yaml.ScalarNode]]:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield path, node
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                yield from walk(item, (*path, index))
        elif isinstance(node, yaml.MappingNode):
            # Only keys read as strings are addressable; of duplicate keys only the last counts.
            named = [(key.value, value) for key, value in node.value if _is_string(key)]
            last_of_key = dict(named)
            for name, value in named:
                if last_of_key[name] is value:
                    yield from walk(value, (*path, name))

    yield from walk(root, ())


def _is_string(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG


def _yaml_field(
    text: str, block: _Block, key: str, path: Path, node: yaml.ScalarNode, token: _ScalarToken
) -> FrontMatterField:
    style = _YAML_STYLES[node.style]
    start = block.content_start + token.start
    end = block.content_start + token.end
    indent = node.start_mark.column
    if style in ("literal", "folded"):
        end, indent = _block_scalar_extent(text, start, end, token.parent_indent)
    return FrontMatterField(
        key=key,
        value=node.value,
        line=_line_at(text, start),
        start=start,
        end=end,
        style=style,
        path=path,
        format="yaml",
        flow=token.flow,
        parent_indent=token.parent_indent,
        indent=indent,
    )


_BLOCK_HEADER = re.compile(r"[|>](?:([1-9])([+-])?|([+-])([1-9])?)?")


def _block_header(header: str) -> tuple[int | None, str]:
    """(explicit indentation indicator, chomping indicator) of a block scalar header."""
    match = _BLOCK_HEADER.match(header)
    assert match is not None
    digit = match.group(1) or match.group(4)
    return (int(digit) if digit else None), (match.group(2) or match.group(3) or "")


def _min_block_indent(parent_indent: int) -> int:
    return max(parent_indent + 1, 1)


def _block_scalar_extent(text: str, start: int, token_end: int, parent_indent: int) -> tuple[int, int]:
    """End of a block scalar's replaceable span, and its content indentation (as PyYAML computes it).

    The scanner's token runs to the next less-indented line. With strip or clip chomping the span stops at
    the end of the last content line, so trailing blank lines stay layout; with keep chomping those lines are
    part of the value and of the span, up to the last line break, which stays.
    """
    lines = list(_lines(text[:token_end], start))
    header = lines[0][1]
    explicit, chomping = _block_header(header)
    body = lines[1:]
    if explicit is not None:
        indent = _min_block_indent(parent_indent) + explicit - 1
    else:
        detected = 0
        for _, line, _ in body:
            spaces = len(line) - len(line.lstrip(" "))
            detected = max(detected, spaces)
            if spaces < len(line):
                break
        indent = max(_min_block_indent(parent_indent), detected)
    if chomping == "+":
        last = body[-1] if body else lines[0]
        return last[0] + len(last[1]), indent
    content_lines = [(line_start, line) for line_start, line, _ in body if len(line) > indent]
    if not content_lines:
        return lines[0][0] + len(header), indent
    line_start, line = content_lines[-1]
    return line_start + len(line), indent


def _header(field: FrontMatterField, text: str) -> str:
    """The first line of a block scalar: its indicators and any comment."""
    match = _LINE.match(text, field.start, field.end)
    assert match is not None
    return match.group().rstrip("\r\n")


def _chomped(translation: str, chomping: str) -> str:
    content = translation.rstrip("\n")
    if chomping == "-":
        return content
    if chomping == "+":
        return content + "\n" * max(1, len(translation) - len(content))
    return content + "\n"


# YAML writers

_RESOLVER = Resolver()
_PLAIN_FIRST_FORBIDDEN = "-?:,[]{}#&*!|>'\"%@`\\"
_FLOW_FORBIDDEN = ",?[]{}:"
# Scalars some YAML reader (1.1 or 1.2, PyYAML, js-yaml, go-yaml) reads as something other than a string.
_OTHER_TYPES = re.compile(
    r"""
      [-+]?[0-9._:]*[0-9][0-9._:]*(?:[eE][-+]?[0-9]+)?   # integers, floats, sexagesimals, versions
    | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    | 0[xob][0-9a-fA-F_]+
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?         # dates and timestamps
    | ~ | null | Null | NULL | y | Y | n | N
    | (?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)
    | = | <<
    """,
    re.VERBOSE,
)
_DOUBLE_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _single_line_printable(value: str) -> bool:
    return not any(ch in _BREAKS or ch == "\ufeff" for ch in value) and _printable(value)


def _plain_safe(value: str, flow: bool) -> bool:
    """Whether ``value`` reads back as the same string when written as a one-line plain scalar."""
    if not value or value != value.strip(" ") or "\t" in value or not _single_line_printable(value):
        return False
    if value[0] in _PLAIN_FIRST_FORBIDDEN or value.startswith("..."):
        return False
    if ": " in value or value.endswith(":") or " #" in value:
        return False
    if flow and any(ch in _FLOW_FORBIDDEN for ch in value):
        return False
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
        return False
    return _OTHER_TYPES.fullmatch(value) is None


def _code_escape(code: int) -> str:
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _double_quoted(value: str) -> str:
    out = []
    for ch in value:
        escaped = _DOUBLE_ESCAPES.get(ch)
        if escaped is None and (ch == "\ufeff" or not _printable(ch)):
            escaped = _code_escape(ord(ch))
        out.append(ch if escaped is None else escaped)
    return '"' + "".join(out) + '"'


def _yaml_candidates(field: FrontMatterField, translation: str, text: str) -> list[tuple[str, str]]:
    """(replacement, value it reads back as) to try, best first: the field's own style when possible.

    A block scalar's trailing line breaks are its chomping indicator's, not the translation's; double quotes,
    the last resort, hold any text exactly.
    """
    candidates = []
    if field.style == "plain" and _plain_safe(translation, field.flow):
        candidates.append((translation, translation))
    elif field.style == "single" and _single_line_printable(translation):
        candidates.append(("'" + translation.replace("'", "''") + "'", translation))
    elif field.style in ("literal", "folded"):
        block = _block_scalar(field, translation, text)
        if block is not None:
            chomping = _block_header(_header(field, text))[1]
            candidates.append((block, _chomped(translation, chomping)))
    candidates.append((_double_quoted(translation), translation))
    return candidates


def _line_break_after(text: str, pos: int) -> str:
    match = re.compile(r"\r\n|\r|\n").search(text, pos)
    return match.group() if match else "\n"


def _block_scalar(field: FrontMatterField, translation: str, text: str) -> str | None:
    """The translation as a block scalar with the field's header and indentation, if it can be one."""
    header = _header(field, text)
    explicit, chomping = _block_header(header)
    content = translation.rstrip("\n")
    if not content or any(ch in "\r\x85\u2028\u2029\ufeff" for ch in content) or not _printable(content):
        return None
    segments = content.split("\n")
    lines = segments if field.style == "literal" else _folded_lines(segments, _folded_width(field, text))
    if chomping == "+":
        lines += [""] * (max(1, len(translation) - len(content)) - 1)
    first = next(line for line in lines if line)
    if first.startswith(" ") and explicit is None:
        # A leading space would be read as indentation: state the indentation in the header.
        digit = field.indent - _min_block_indent(field.parent_indent) + 1
        if not 1 <= digit <= 9:
            return None
        header = header[0] + str(digit) + header[1:]
    eol = _line_break_after(text, field.start)
    margin = " " * field.indent
    return header + "".join(eol + (margin + line if line else "") for line in lines)


def _normal_line(line: str) -> bool:
    """A folded-scalar line that folds into its neighbours (not empty, not more indented)."""
    return line[:1] not in ("", " ", "\t")


def _folded_lines(segments: list[str], width: int | None) -> list[str]:
    """Lines of a folded scalar whose value is the segments joined with line breaks.

    Between two normal lines n line breaks take n blank lines (one break alone would fold into a space);
    next to a more-indented line the break itself is kept, so n breaks take n - 1 blank lines.
    """
    lines: list[str] = []
    leading = 0
    while segments[leading] == "":
        lines.append("")
        leading += 1
    previous: str | None = None
    breaks = 0
    for segment in segments[leading:]:
        if segment == "":
            breaks += 1
            continue
        if previous is not None:
            breaks += 1
            lines.extend([""] * (breaks if _normal_line(previous) and _normal_line(segment) else breaks - 1))
        lines.extend(_wrap(segment, width) if _normal_line(segment) else [segment])
        previous, breaks = segment, 0
    return lines


def _folded_width(field: FrontMatterField, text: str) -> int | None:
    """The width the source folded its text at, if it wrapped it over several lines."""
    body = list(_lines(text[: field.end], field.start))[1:]
    widths = [len(line) - field.indent for _, line, _ in body if len(line) > field.indent]
    return max(widths) if len(widths) > 1 else None


def _wrap(segment: str, width: int | None) -> list[str]:
    """Break a normal line at single spaces (each folds back into one space) near ``width``."""
    if width is None or len(segment) <= width:
        return [segment]
    breaks = [
        index
        for index in range(1, len(segment) - 1)
        if segment[index] == " " and segment[index - 1] not in " \t" and segment[index + 1] not in " \t"
    ]
    lines = []
    start = 0
    while True:
        fitting = [index for index in breaks if start < index <= start + width]
        later = [index for index in breaks if index > start]
        if len(segment) - start <= width or not later:
            lines.append(segment[start:])
            return lines
        cut = fitting[-1] if fitting else later[0]
        lines.append(segment[start:cut])
        start = cut + 1


# ---------------------------------------------------------------------------------------------------------
# Checking a replacement


_YAML_HANDLER = frontmatter.YAMLHandler()
_JSON_HANDLER = frontmatter.JSONHandler()


def _load(front_matter_format: str, content: str) -> Any:
    # python-frontmatter's handlers read the data (its YAML handler uses LibYAML's fast loader when present);
    # its TOML handler needs the unmaintained `toml` package, so TOML goes through the standard tomllib.
    if front_matter_format == "yaml":
        return _YAML_HANDLER.load(content)
    if front_matter_format == "toml":
        return tomllib.loads(content)
    return _JSON_HANDLER.load(content)


@functools.lru_cache(maxsize=32)
def _loaded_leaves(front_matter_format: str, content: str) -> list[tuple[Path, str]]:
    """The source's leaves, parsed once for all the fields of a document."""
    return list(_leaves(_load(front_matter_format, content)))


def _leaves(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    else:
        yield path, repr(data)


def _reads_back(field: FrontMatterField, candidate: str, expected: str, text: str) -> bool:
    """Whether substituting ``candidate`` gives ``expected`` at the field's path and leaves the rest alone.

    Another leaf may change only from the old value to the expected one: a YAML alias of the same node.
    """
    new_text = text[: field.start] + candidate + text[field.end :]
    old_block, new_block = _find_block(text), _find_block(new_text)
    if old_block is None or new_block is None or new_block.format != field.format:
        return False
    try:
        old_leaves = _loaded_leaves(field.format, text[old_block.content_start : old_block.content_end])
        new = _load(field.format, new_text[new_block.content_start : new_block.content_end])
        if _lookup(new, field.path) != expected:
            return False
    except (ValueError, LookupError, TypeError, yaml.YAMLError):
        return False
    new_leaves = list(_leaves(new))
    if len(old_leaves) != len(new_leaves):
        return False
    for (old_path, old_value), (new_path, new_value) in zip(old_leaves, new_leaves, strict=True):
        if old_path != new_path:
            return False
        if old_value != new_value and (old_value != repr(field.value) or new_value != repr(expected)):
            return False
    return True


def _front_matter(block: _Block, data: dict[str, Any], fields: list[FrontMatterField]) -> FrontMatter:
    return FrontMatter(
        format=block.format,
        end=block.end,
        data=data,
        fields=tuple(sorted(fields, key=lambda field: field.start)),
        content_start=block.content_start,
        content_end=block.content_end,
    )


# ---------------------------------------------------------------------------------------------------------
# TOML


_TOML_KEY_LINE = re.compile(r"\s*(?:\[|[A-Za-z0-9_\-\"'.]+\s*=)")
_TOML_LOCATION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")
_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_OTHER_VALUE = re.compile(r"[^,\]}#\r\n]+")
_TOML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _parse_toml(text: str, block: _Block, patterns: Sequence[_KeyPattern]) -> FrontMatter | None:
    content = text[block.content_start : block.content_end]
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        if _TOML_KEY_LINE.match(_first_meaningful_line(content)) is None:
            return None
        message = str(error)
        location = _TOML_LOCATION.search(message)
        line = _line_at(text, block.content_end)
        if location is not None:
            message = message[: location.start()]
            if location.group(1):
                line = block.first_line + int(location.group(1)) - 1
        raise FrontMatterError(line, f"invalid TOML front matter: {message}") from None
    scanner = _TomlScanner(content)
    # On syntax this scanner does not know, what it located so far is sound and the rest stays as it is.
    with contextlib.suppress(ValueError, IndexError):
        scanner.strings()
    fields = []
    for path, start, end, style in scanner.found:
        pattern = _first_match(patterns, path)
        if pattern is None:
            continue
        value = tomllib.loads("v = " + content[start:end])["v"]
        try:
            located = _lookup(data, path) == value
        except (LookupError, TypeError):
            located = False
        if not located or not value:  # never guess: a scanner miss leaves the value untranslated
            continue
        offset = block.content_start + start
        fields.append(
            FrontMatterField(
                key=pattern.written,
                value=value,
                line=_line_at(text, offset),
                start=offset,
                end=block.content_start + end,
                style=style,
                path=path,
                format="toml",
            )
        )
    return _front_matter(block, data, fields)


class _TomlScanner:
    """Finds every string value of a TOML document (already validated by tomllib) with its path."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.found: list[tuple[Path, int, int, str]] = []

    def strings(self) -> list[tuple[Path, int, int, str]]:
        table: Path = ()
        array_tables: dict[Path, int] = {}
        while True:
            self._skip(newlines=True)
            if self.pos >= len(self.source):
                return self.found
            if self.source.startswith("[[", self.pos):
                self.pos += 2
                table = self._table(self._key(), array_tables, is_array=True)
                self.pos = self.source.index("]]", self.pos) + 2
            elif self.source[self.pos] == "[":
                self.pos += 1
                table = self._table(self._key(), array_tables, is_array=False)
                self.pos = self.source.index("]", self.pos) + 1
            else:
                names = self._key()
                self._expect("=")
                self._value((*table, *names))

    @staticmethod
    def _table(names: tuple[str, ...], array_tables: dict[Path, int], is_array: bool) -> Path:
        path: Path = ()
        for index, name in enumerate(names):
            path = (*path, name)
            if is_array and index == len(names) - 1:
                array_tables[path] = array_tables.get(path, 0) + 1
            if path in array_tables:
                path = (*path, array_tables[path] - 1)
        return path

    def _skip(self, newlines: bool = False) -> None:
        source = self.source
        while self.pos < len(source):
            ch = source[self.pos]
            if ch in " \t" or (newlines and ch in "\r\n"):
                self.pos += 1
            elif ch == "#":
                while self.pos < len(source) and source[self.pos] not in "\r\n":
                    self.pos += 1
            else:
                return

    def _expect(self, token: str) -> None:
        self._skip()
        if not self.source.startswith(token, self.pos):
            raise ValueError(f"expected {token!r} at {self.pos}")
        self.pos += len(token)

    def _key(self) -> tuple[str, ...]:
        names = []
        while True:
            self._skip()
            if self.source[self.pos] in "\"'":
                end = self._string_end(self.pos)
                names.append(next(iter(tomllib.loads(self.source[self.pos : end] + " = 0"))))
                self.pos = end
            else:
                match = _TOML_BARE_KEY.match(self.source, self.pos)
                if match is None:
                    raise ValueError(f"expected a key at {self.pos}")
                names.append(match.group())
                self.pos = match.end()
            self._skip()
            if not self.source.startswith(".", self.pos):
                return tuple(names)
            self.pos += 1

    def _string_end(self, start: int) -> int:
        source = self.source
        quote = source[start]
        if source.startswith(quote * 3, start):
            pos = start + 3
            while not source.startswith(quote * 3, pos):
                pos += 2 if quote == '"' and source[pos] == "\\" else 1
            run = 3
            while run < 5 and source.startswith(quote, pos + run):
                run += 1
            return pos + run
        pos = start + 1
        while source[pos] != quote:
            pos += 2 if quote == '"' and source[pos] == "\\" else 1
        return pos + 1

    def _value(self, path: Path) -> None:
        self._skip()
        source, start = self.source, self.pos
        ch = source[start]
        if ch in "\"'":
            self.pos = self._string_end(start)
            multiline = source.startswith(ch * 3, start)
            style = ("ml-" if multiline else "") + ("basic" if ch == '"' else "literal")
            self.found.append((path, start, self.pos, style))
        elif ch in "[{":
            self.pos += 1
            closing = "]" if ch == "[" else "}"
            index = 0
            while True:
                self._skip(newlines=True)
                if source[self.pos] == closing:
                    self.pos += 1
                    return
                if ch == "[":
                    self._value((*path, index))
                    index += 1
                else:
                    names = self._key()
                    self._expect("=")
                    self._value((*path, *names))
                self._skip(newlines=True)
                if source[self.pos] == ",":
                    self.pos += 1
        else:
            match = _TOML_OTHER_VALUE.match(source, start)
            self.pos = match.end() if match else start + 1


def _toml_escaped(value: str, line_break: str | None) -> str:
    out = []
    for ch in value:
        if ch == "\n" and line_break is not None:
            out.append(line_break)
        elif ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _toml_literal_safe(value: str, multiline: bool) -> bool:
    allowed = "\t\n" if multiline else "\t"
    if any((ord(ch) < 0x20 and ch not in allowed) or ch == "\x7f" for ch in value):
        return False
    return ("'''" not in value and not value.endswith("'")) if multiline else "'" not in value


def _toml_candidates(field: FrontMatterField, translation: str, text: str) -> list[str]:
    candidates = []
    if field.style.startswith("ml-"):
        line_break = _line_break_after(text, field.start)
        # A line break right after the opening delimiter is not part of the value: keep the source's, and
        # add one when the translation itself starts with a line break.
        after = text[field.start + 3 : field.start + 3 + len(line_break)]
        lead = after if after in ("\n", "\r\n") else line_break if translation.startswith("\n") else ""
        if field.style == "ml-literal" and _toml_literal_safe(translation, multiline=True):
            body = translation.replace("\n", line_break)
            candidates.append("'''" + lead + body + "'''")
        candidates.append('"""' + lead + _toml_escaped(translation, line_break) + '"""')
    elif field.style == "literal" and _toml_literal_safe(translation, multiline=False):
        candidates.append("'" + translation + "'")
    candidates.append('"' + _toml_escaped(translation, None) + '"')
    return candidates


# ---------------------------------------------------------------------------------------------------------
# JSON

_JSON_SPACE = re.compile(r"[ \t\r\n]*")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_OTHER_VALUE = re.compile(r"[^,\]}\s]+")


def _parse_json(text: str, block: _Block, patterns: Sequence[_KeyPattern]) -> FrontMatter | None:
    content = text[block.content_start : block.content_end]
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        if not content[1:].lstrip().startswith(('"', "}")):
            return None
        line = block.first_line + error.lineno - 1
        raise FrontMatterError(line, f"invalid JSON front matter: {error.msg}") from None
    if not isinstance(data, dict):
        return None
    fields = []
    for path, start, end in _json_strings(content):
        pattern = _first_match(patterns, path)
        if pattern is None:
            continue
        value = json.loads(content[start:end])
        try:
            located = _lookup(data, path) == value
        except (LookupError, TypeError):
            located = False
        if not located or not value:
            continue
        offset = block.content_start + start
        fields.append(
            FrontMatterField(
                key=pattern.written,
                value=value,
                line=_line_at(text, offset),
                start=offset,
                end=block.content_start + end,
                style="json",
                path=path,
                format="json",
            )
        )
    return _front_matter(block, data, fields)


def _json_strings(source: str) -> list[tuple[Path, int, int]]:
    """Every string value of a (valid) JSON document with its path and offsets."""
    found: list[tuple[Path, int, int]] = []

    def space(pos: int) -> int:
        match = _JSON_SPACE.match(source, pos)
        assert match is not None
        return match.end()

    def value(pos: int, path: Path) -> int:
        pos = space(pos)
        ch = source[pos]
        if ch == '"':
            match = _JSON_STRING.match(source, pos)
            assert match is not None
            found.append((path, pos, match.end()))
            return match.end()
        if ch in "[{":
            closing = "]" if ch == "[" else "}"
            index = 0
            pos = space(pos + 1)
            while source[pos] != closing:
                if ch == "[":
                    pos = value(pos, (*path, index))
                    index += 1
                else:
                    key = _JSON_STRING.match(source, pos)
                    assert key is not None
                    pos = space(key.end()) + 1  # the colon
                    pos = value(pos, (*path, json.loads(key.group())))
                pos = space(pos)
                if source[pos] == ",":
                    pos = space(pos + 1)
            return pos + 1
        match = _JSON_OTHER_VALUE.match(source, pos)
        assert match is not None
        return match.end()

    value(0, ())
    return found
