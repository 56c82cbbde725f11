"""The ways to write a translation over a YAML scalar, best first: its own style when possible."""

from __future__ import annotations

import re

import yaml
from yaml.resolver import Resolver

from .model import FrontMatterField
from .yaml_block import block_scalar
from .yaml_values import STR_TAG, printable

_RESOLVER = Resolver()
_BREAKS = "\r\n\x85\u2028\u2029"
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


def yaml_candidates(field: FrontMatterField, translation: str, text: str) -> list[tuple[str, str]]:
    """(replacement, value it reads back as) to try; double quotes, the last resort, hold any text exactly."""
    candidates = []
    if field.style == "plain" and _plain_safe(translation, field.flow):
        candidates.append((translation, translation))
    elif field.style == "single" and _single_line_printable(translation):
        candidates.append(("'" + translation.replace("'", "''") + "'", translation))
    elif field.style in ("literal", "folded"):
        block = block_scalar(field, translation, text)
        if block is not None:
            candidates.append(block)
    candidates.append((_double_quoted(translation), translation))
    return candidates


def _single_line_printable(value: str) -> bool:
    return not any(ch in _BREAKS or ch == "\ufeff" for ch in value) and printable(value)


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
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != STR_TAG:
        return False
    return _OTHER_TYPES.fullmatch(value) is None


def _double_quoted(value: str) -> str:
    out = []
    for ch in value:
        escaped = _DOUBLE_ESCAPES.get(ch)
        if escaped is None and (ch == "\ufeff" or not printable(ch)):
            escaped = _code_escape(ord(ch))
        out.append(ch if escaped is None else escaped)
    return '"' + "".join(out) + '"'


def _code_escape(code: int) -> str:
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
