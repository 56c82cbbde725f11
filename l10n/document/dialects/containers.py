"""markdown-it containers (VitePress ``::: tip Titre`` ... ``:::``, Docusaurus ``:::note Title``).

mdit_py_plugins' ``container`` plugin (the port of markdown-it-container, which VitePress uses) reads the
block; a wrapper then keeps the container's *name* in the opening token's ``info`` (layout, compared by the
structure checks) and makes its *title* an entry of its own (``container title (tip)``).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from . import ENTRY, SPAN

RULE = "container_l10n"
_PARAMS = re.compile(r"[ \t]*([A-Za-z][\w-]*)(?:[ \t]+(.*?))?[ \t]*")


def _valid(params: str, _markup: str) -> bool:
    return _PARAMS.fullmatch(params) is not None


def containers_plugin(md: MarkdownIt) -> None:
    container_plugin(md, "l10n", validate=_valid)
    index = md.block.ruler.__find__(RULE)
    rule = md.block.ruler.__rules__[index]
    read = rule.fn

    def with_title(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        first = len(state.tokens)
        if not read(state, start_line, end_line, silent):
            return False
        if silent:
            return True
        opening = state.tokens[first]
        start = state.bMarks[start_line] + state.tShift[start_line] + len(opening.markup)
        params = _PARAMS.fullmatch(state.src, start, state.eMarks[start_line])
        assert params is not None  # the plugin validated it
        name = params.group(1)
        opening.info = name
        if params.group(2):
            title = Token("inline", "", 0)
            title.content = params.group(2)
            title.map = [start_line, start_line + 1]
            title.children = []
            title.meta[ENTRY] = f"container title ({name})"
            title.meta[SPAN] = (params.start(2), params.end(2))
            title.level = opening.level + 1
            state.tokens.insert(first + 1, title)
        return True

    md.block.ruler.at(RULE, with_title, {"alt": list(rule.alt)})
