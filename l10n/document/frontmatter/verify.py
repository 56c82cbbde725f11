"""The read-back check: a replacement must parse to the translation and leave every other value alone."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterator
from typing import Any

import frontmatter
import yaml

from .blocks import find_block
from .keys import Path, lookup
from .model import FrontMatterField

_YAML_HANDLER = frontmatter.YAMLHandler()
_JSON_HANDLER = frontmatter.JSONHandler()


def reads_back(field: FrontMatterField, candidate: str, expected: str, text: str) -> bool:
    """Whether substituting ``candidate`` gives ``expected`` at the field's path and leaves the rest alone.

    Another leaf may change only from the old value to the expected one: a YAML alias of the same node.
    """
    new_text = text[: field.start] + candidate + text[field.end :]
    old_block, new_block = find_block(text), find_block(new_text)
    if old_block is None or new_block is None or new_block.format != field.format:
        return False
    try:
        old_leaves = _loaded_leaves(field.format, text[old_block.content_start : old_block.content_end])
        new = _load(field.format, new_text[new_block.content_start : new_block.content_end])
        if lookup(new, field.path) != expected:
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


def top_level_keys(text: str) -> tuple[list[Any], int] | None:
    """The keys of ``text``'s front matter mapping and the offset where the block ends; None when there is no
    block or it does not parse to a mapping. A fast read (LibYAML through the handler) for verifying an output."""
    block = find_block(text)
    if block is None:
        return None
    try:
        data = _load(block.format, text[block.content_start : block.content_end])
    except (ValueError, TypeError, yaml.YAMLError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return list(data), block.end
