"""MDX's own syntax, read as micromark-extension-mdx-jsx, -mdx-expression and -mdxjs-esm read it.

Pure scanners over a string: a JSX tag (``<Name.member attr="x" {...spread} />``, ``</Name>``, fragments),
a ``{expression}`` (braces nest; JavaScript strings, template literals and comments are skipped, as acorn would),
and an ESM block (``import``/``export`` at the start of a line, up to a blank line). They return where the
construct ends and what it is made of, or raise :class:`MdxSyntaxError` where MDX would refuse to compile.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


class MdxSyntaxError(ValueError):
    """What MDX would reject (a compile error): ``offset`` is where in the scanned text."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Attribute:
    """One attribute of a tag: ``kind`` is ``boolean``, ``string`` (quoted literal), ``expression``
    (``name={...}``) or ``spread`` (``{...props}``); ``value_start``/``value_end`` delimit a string's value
    (inside its quotes) or an expression (braces included)."""

    name: str
    kind: str
    value: str
    value_start: int
    value_end: int
    quote: str = ""


@dataclass(frozen=True)
class Tag:
    """A JSX tag from ``start`` (its ``<``) to ``end`` (after its ``>``). ``name`` is ``""`` for a fragment."""

    start: int
    end: int
    name: str
    closing: bool
    self_closing: bool
    attributes: tuple[Attribute, ...]


_LINE_SPACE = " \t\n\r"


def _is_es_whitespace(char: str) -> bool:
    return char in _LINE_SPACE or char in "\v\f\u00a0\ufeff" or unicodedata.category(char) == "Zs"


def _is_id_start(char: str) -> bool:
    return char == "$" or char == "_" or char.isidentifier()


def _is_id_part(char: str) -> bool:
    # JSX names also take "-" (custom elements); ZWNJ and ZWJ are identifier parts in ECMAScript
    return char in "$-\u200c\u200d" or ("a" + char).isidentifier()


def _skip_whitespace(text: str, pos: int, end: int) -> int:
    while pos < end and _is_es_whitespace(text[pos]):
        pos += 1
    return pos


def _identifier(text: str, pos: int, end: int, what: str) -> int:
    if pos >= end:
        raise MdxSyntaxError(pos, f"unexpected end of file {what}, expected a name")
    if not _is_id_start(text[pos]):
        raise MdxSyntaxError(pos, f"unexpected character {text[pos]!r} {what}, expected a name")
    pos += 1
    while pos < end and _is_id_part(text[pos]):
        pos += 1
    return pos


def is_jsx_start(text: str, pos: int) -> bool:
    """Whether the ``<`` at ``pos`` starts JSX in MDX (followed by neither whitespace nor a line end: ``1 < 3``
    is text)."""
    return pos + 1 < len(text) and text[pos + 1] not in " \t\r\n"


def scan_tag(text: str, pos: int, end: int | None = None) -> Tag:
    """The JSX tag whose ``<`` is at ``pos`` (call :func:`is_jsx_start` first). Raises MdxSyntaxError."""
    end = len(text) if end is None else end
    start = pos
    pos = _skip_whitespace(text, pos + 1, end)
    closing = pos < end and text[pos] == "/"
    if closing:
        pos = _skip_whitespace(text, pos + 1, end)
    if pos < end and text[pos] == ">":
        return Tag(start, pos + 1, "", closing, False, ())
    name_start = pos
    pos = _identifier(text, pos, end, "before name")
    if pos < end and text[pos] not in "./:>{" and not _is_es_whitespace(text[pos]):
        raise MdxSyntaxError(pos, f"unexpected character {text[pos]!r} in name")
    after = _skip_whitespace(text, pos, end)
    if after < end and text[after] in ".:":
        separator = text[after]
        while after < end and text[after] == separator:
            pos = _identifier(text, _skip_whitespace(text, after + 1, end), end, "in member name")
            after = _skip_whitespace(text, pos, end)
            if separator == ":":
                break
    name = "".join(text[name_start:pos].split())
    pos = after
    attributes: list[Attribute] = []
    while True:
        if pos >= end:
            raise MdxSyntaxError(pos, "unexpected end of file in tag, expected `>`")
        char = text[pos]
        if char == ">":
            return Tag(start, pos + 1, name, closing, False, tuple(attributes))
        if char == "/":
            pos = _skip_whitespace(text, pos + 1, end)
            if pos >= end or text[pos] != ">":
                raise MdxSyntaxError(pos, "expected `>` after the `/` of a self-closing tag")
            if closing:
                raise MdxSyntaxError(pos, "a closing tag cannot be self-closing")
            return Tag(start, pos + 1, name, closing, True, tuple(attributes))
        if closing:
            raise MdxSyntaxError(pos, "a closing tag cannot have attributes")
        if char == "{":
            close = scan_expression(text, pos, end)
            attributes.append(Attribute("", "spread", text[pos:close], pos, close))
            pos = _skip_whitespace(text, close, end)
            continue
        attribute_start = pos
        pos = _identifier(text, pos, end, "before attribute name")
        after = _skip_whitespace(text, pos, end)
        if after < end and text[after] == ":":
            pos = _identifier(text, _skip_whitespace(text, after + 1, end), end, "in attribute name")
            after = _skip_whitespace(text, pos, end)
        attribute = "".join(text[attribute_start:pos].split())
        if after < end and text[after] == "=":
            pos = _skip_whitespace(text, after + 1, end)
            if pos >= end:
                raise MdxSyntaxError(pos, "unexpected end of file, expected an attribute value")
            quote = text[pos]
            if quote in "\"'":
                close = text.find(quote, pos + 1, end)
                if close == -1:
                    raise MdxSyntaxError(pos, "unclosed attribute value")
                attributes.append(Attribute(attribute, "string", text[pos + 1 : close], pos + 1, close, quote))
                pos = close + 1
            elif quote == "{":
                close = scan_expression(text, pos, end)
                attributes.append(Attribute(attribute, "expression", text[pos:close], pos, close))
                pos = close
            else:
                raise MdxSyntaxError(pos, f"unexpected character {quote!r} before attribute value")
            if pos < end and not (_is_es_whitespace(text[pos]) or text[pos] in "/>{"):
                raise MdxSyntaxError(pos, f"unexpected character {text[pos]!r} after attribute value")
        else:
            if pos < end and not (_is_es_whitespace(text[pos]) or text[pos] in "/>{="):
                raise MdxSyntaxError(pos, f"unexpected character {text[pos]!r} after attribute name")
            attributes.append(Attribute(attribute, "boolean", "", pos, pos))
            pos = after
            continue
        pos = _skip_whitespace(text, pos, end)


def scan_expression(text: str, pos: int, end: int | None = None) -> int:
    """Where the ``{expression}`` opened at ``pos`` ends (after its ``}``). Raises MdxSyntaxError if unclosed."""
    end = len(text) if end is None else end
    depth = 0
    index = pos
    while index < end:
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        elif char in "\"'`":
            index = _skip_string(text, index, end)
            continue
        elif char == "/" and index + 1 < end and text[index + 1] in "*/":
            index = _skip_comment(text, index, end)
            continue
        index += 1
    raise MdxSyntaxError(pos, "unexpected end of file in expression, expected a corresponding closing brace `}`")


def _skip_string(text: str, pos: int, end: int) -> int:
    quote = text[pos]
    index = pos + 1
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == quote:
            return index + 1
        if quote == "`" and text.startswith("${", index):
            index = scan_expression(text, index + 1, end)
            continue
        if char == "\n" and quote != "`":
            break
        index += 1
    raise MdxSyntaxError(pos, "unclosed string in expression")


def _skip_comment(text: str, pos: int, end: int) -> int:
    if text[pos + 1] == "/":
        newline = text.find("\n", pos, end)
        return end if newline == -1 else newline
    close = text.find("*/", pos + 2, end)
    if close == -1:
        raise MdxSyntaxError(pos, "unclosed comment in expression")
    return close + 2


def starts_esm(text: str, pos: int) -> bool:
    """Whether the line at ``pos`` opens an ESM block: ``import`` or ``export`` and a space, at column 1."""
    return text.startswith(("import ", "export "), pos)


def esm_end(text: str, pos: int) -> int:
    """The end of the ESM block starting at ``pos``: the end of the line before the next blank line."""
    index = pos
    while True:
        newline = text.find("\n", index)
        if newline == -1:
            return len(text)
        following = text.find("\n", newline + 1)
        next_line = text[newline + 1 : len(text) if following == -1 else following]
        if not next_line.strip(" \t\r"):
            return newline
        index = newline + 1
