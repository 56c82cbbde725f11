"""The block-level framework syntax a text holds: directive and container fences, lines of shortcodes,
template tags or locked patterns. A translation must not add any (its lines could open a block the source
does not have)."""

from __future__ import annotations

import re

from .markdown import Dialect
from .parse import parse_structure

_SYNTAX_BLOCKS = frozenset(
    {"directive_container_open", "directive_leaf_open", "container_l10n_open", "l10n_atomic_block"}
)
# a line that could start one (a cheap test before parsing)
_CANDIDATE_LINE = re.compile(r"(?:^|\n)[ \t]*[:{]")


def block_syntax(text: str, dialect: Dialect) -> list[str]:
    """The framework blocks of ``text`` read as a post in ``dialect`` (fence and name, or source), sorted."""
    if not (dialect.directives or dialect.containers or dialect.shortcodes or dialect.liquid or dialect.protect):
        return []
    if not dialect.protect and not _CANDIDATE_LINE.search(text):
        return []
    return sorted(
        f"{token.markup}{token.info}" for token in parse_structure(text, dialect) if token.type in _SYNTAX_BLOCKS
    )
