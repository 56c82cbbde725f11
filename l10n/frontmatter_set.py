"""Set keys in a built post's front matter without re-dumping it.

Configured under ``[tool.l10n.front_matter]`` (``[front_matter]`` in ``l10n.toml``)::

    [tool.l10n.front_matter]
    set = { lang = "{lang}", translated = true }

Each key is added to, or overrides a scalar of, the top-level mapping of the output's front matter; ``{lang}``
in a string value is the target locale. Nothing else changes: an existing scalar is replaced in place, a new
key is one line appended before the closing ``---`` (``+++`` for TOML), in the file's own line endings. A post
without front matter gets a YAML block holding only these keys. By default (no ``set``) nothing is touched,
since strict content schemas reject unknown keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from l10n.document.frontmatter import parse_front_matter
from l10n.document.segments import FrontMatterError

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def validate_front_matter_set(table: Mapping[str, Any] | None) -> dict[str, str | int | float | bool]:
    """The ``front_matter`` config table's ``set`` mapping, checked; raises ``ValueError`` naming the key."""
    table = dict(table or {})
    for key in table:
        if key != "set":
            raise ValueError(f"front_matter.{key}: unknown key (expected: set)")
    values = table.get("set", {})
    if not isinstance(values, Mapping):
        raise ValueError('front_matter.set: must be a table, e.g. { lang = "{lang}" }')
    checked: dict[str, str | int | float | bool] = {}
    for key, value in values.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError(f"front_matter.set.{key}: keys must be plain identifiers")
        if not isinstance(value, str | int | float | bool):
            raise ValueError(f"front_matter.set.{key}: values must be strings, numbers or booleans")
        checked[key] = value
    return checked


def _expand(value: str | int | float | bool, lang: str) -> str | int | float | bool:
    return value.replace("{lang}", lang) if isinstance(value, str) else value


def _yaml_scalar(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return repr(value)
    plain_is_safe = (
        value
        and value == value.strip()
        and not re.search(r"[:#\n\r\t]|^[-?,\[\]{}&*!|>'\"%@`]", value)
        and yaml.safe_load(value) == value
    )
    return value if plain_is_safe else json.dumps(value, ensure_ascii=False)


def _toml_value(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def set_front_matter(text: str, values: Mapping[str, str | int | float | bool], lang: str) -> str:
    """``text`` with ``values`` set in its front matter (see the module docstring)."""
    if not values:
        return text
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    try:
        front_matter = parse_front_matter(text, ())
    except FrontMatterError as error:
        raise ValueError(f"front matter: cannot set keys, line {error.line}: {error.message}") from None
    if front_matter is None:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        lines = [f"{key}: {_yaml_scalar(_expand(value, lang))}" for key, value in values.items()]
        block = newline.join(["---", *lines, "---"]) + newline
        return bom + block + text[len(bom) :]
    start, end = front_matter.content_start, front_matter.content_end
    body = text[start:end]
    if front_matter.format == "yaml":
        body = _set_yaml(body, values, lang, newline)
    elif front_matter.format == "toml":
        body = _set_toml(body, values, lang, newline)
    else:
        body = _set_json(body, front_matter.data, values, lang, newline)
    return text[:start] + body + text[end:]


def _set_json(
    body: str, data: Mapping[str, Any], values: Mapping[str, str | int | float | bool], lang: str, newline: str
) -> str:
    present = [key for key in values if key in data]
    if present:
        raise ValueError(f"front_matter.set.{present[0]}: replacing a value of JSON front matter is not supported")
    members = [
        f"  {json.dumps(key)}: {json.dumps(_expand(value, lang), ensure_ascii=False)}" for key, value in values.items()
    ]
    opening = body.index("{") + 1
    separator = "," if data else ""
    return body[:opening] + newline + ("," + newline).join(members) + separator + body[opening:]


def _set_yaml(body: str, values: Mapping[str, str | int | float | bool], lang: str, newline: str) -> str:
    try:
        root = yaml.compose(body, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise ValueError(f"front matter: cannot set keys in invalid YAML ({error})") from None
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise ValueError("front matter: cannot set keys, the YAML front matter is not a mapping")
    if root is not None and root.flow_style:
        raise ValueError("front matter: cannot set keys in a flow-style ({...}) YAML mapping")
    replacements: list[tuple[int, int, str]] = []
    appended: list[str] = []
    pairs = root.value if root is not None else []
    for key, value in values.items():
        rendered = _yaml_scalar(_expand(value, lang))
        node = next((v for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        if node is None:
            appended.append(f"{key}: {rendered}{newline}")
        elif not isinstance(node, yaml.ScalarNode):
            raise ValueError(f"front_matter.set.{key}: the post's {key!r} is a list or mapping, not a scalar")
        elif node.style in ("|", ">"):
            # A block scalar's span ends after its last line break; keep one.
            replacements.append((node.start_mark.index, node.end_mark.index, rendered + newline))
        elif node.start_mark.index == node.end_mark.index:  # `key:` with no value
            replacements.append((node.start_mark.index, node.end_mark.index, " " + rendered))
        else:
            replacements.append((node.start_mark.index, node.end_mark.index, rendered))
    for start, end, replacement in sorted(replacements, reverse=True):
        body = body[:start] + replacement + body[end:]
    if appended and body and not body.endswith("\n"):
        body += newline
    return body + "".join(appended)


_TOML_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _set_toml(body: str, values: Mapping[str, str | int | float | bool], lang: str, newline: str) -> str:
    table = _TOML_TABLE.search(body)
    top_end = table.start() if table else len(body)
    top, rest = body[:top_end], body[top_end:]
    appended = []
    for key, value in values.items():
        rendered = _toml_value(_expand(value, lang))
        pattern = re.compile(
            rf"^([ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\")[ \t]*=[ \t]*)"
            r"(\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|[^#\s][^#\n]*?)([ \t]*(?:#.*)?)$",
            re.M,
        )
        match = pattern.search(top)
        if match and not match.group(2).startswith(('"""', "'''", "[", "{")):
            top = top[: match.start(2)] + rendered + top[match.end(2) :]
        elif match:
            raise ValueError(f"front_matter.set.{key}: the post's {key!r} is not a one-line TOML value")
        else:
            appended.append(f"{key} = {rendered}{newline}")
    if appended and top and not top.endswith("\n"):
        top += newline
    return top + "".join(appended) + rest
