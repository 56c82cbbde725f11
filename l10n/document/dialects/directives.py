"""remark-directive syntax (Astro Starlight asides, Docusaurus admonitions) as a markdown-it plugin.

* container ``:::name[label]{attributes}`` ... ``:::`` (three or more colons; an inner container uses fewer
  colons than the one around it, the first fence at least as long closes it): ``directive_container_open``,
  the label's entry, the content as Markdown, ``directive_container_close``;
* leaf ``::name[label]{attributes}`` alone on its line: ``directive_leaf_open``, the label's entry,
  ``directive_leaf_close``;
* text ``:name[label]{attributes}`` inside a paragraph: atomic ``directive_text`` without a label, else
  ``directive_text_open``, the label's inline tokens (translated with the paragraph), ``directive_text_close``.

Names and attributes are layout: they go in the tokens' ``info`` (block) or stay out of the translatable text
(inline). The rules follow micromark-extension-directive: a name starts with a letter or digit; a text directive
does not follow a colon; a name followed by a colon (``:heart:``) is not a directive; block directives can
interrupt a paragraph.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.ruler import RuleOptionsType
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from . import ATOMIC, ENTRY, SPAN, render_source
from .directive_syntax import scan_directive_tail, scan_name

_BLOCK_ALT: RuleOptionsType = {"alt": ["paragraph", "reference", "blockquote", "list"]}


def directives_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "directive_container", _container, _BLOCK_ALT)
    md.block.ruler.before("fence", "directive_leaf", _leaf, _BLOCK_ALT)
    md.inline.ruler.before("link", "directive_text", _text)
    md.add_render_rule("directive_text", render_source)


def _is_code_block(state: StateBlock, line: int) -> bool:
    return state.sCount[line] - state.blkIndent >= 4


def _colons(src: str, pos: int, end: int) -> int:
    count = 0
    while pos + count < end and src[pos + count] == ":":
        count += 1
    return count


def _only_spaces(src: str, pos: int, end: int) -> bool:
    return not src[pos:end].strip(" \t")


def _head(state: StateBlock, line: int, colons: int) -> tuple[str, str, tuple[int, int] | None] | None:
    """Name, attributes source and label range of a block directive's line opening with ``colons`` colons."""
    start = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    src = state.src
    name_start = start + colons
    name_end = scan_name(src, name_start, end)
    if name_end == -1:
        return None
    tail_end, label = scan_directive_tail(src, name_end, end, multiline=False)
    if not _only_spaces(src, tail_end, end):
        return None
    attributes_start = label[1] + 1 if label else name_end
    return src[name_start:name_end], src[attributes_start:tail_end], label


def _push_label(state: StateBlock, label: tuple[int, int] | None, line: int, name: str) -> None:
    if label is None or label[0] == label[1]:
        return
    token = state.push("inline", "", 0)
    token.content = state.src[label[0] : label[1]]
    token.map = [line, line + 1]
    token.children = []
    token.meta[ENTRY] = f"directive label ({name})"
    token.meta[SPAN] = label


def _leaf(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if _is_code_block(state, start_line):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    end = state.eMarks[start_line]
    if _colons(state.src, start, end) != 2:
        return False
    head = _head(state, start_line, 2)
    if head is None:
        return False
    if silent:
        return True
    name, attributes, label = head
    token = state.push("directive_leaf_open", "div", 1)
    token.markup, token.info, token.map = "::", name + attributes, [start_line, start_line + 1]
    _push_label(state, label, start_line, name)
    token = state.push("directive_leaf_close", "div", -1)
    token.markup = "::"
    state.line = start_line + 1
    return True


def _container(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if _is_code_block(state, start_line):
        return False
    src = state.src
    start = state.bMarks[start_line] + state.tShift[start_line]
    end = state.eMarks[start_line]
    size = _colons(src, start, end)
    if size < 3:
        return False
    head = _head(state, start_line, size)
    if head is None:
        return False
    if silent:
        return True
    next_line, closed = _closing_line(state, start_line, end_line, size)
    name, attributes, label = head
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "directive"
    state.lineMax = next_line  # lazy continuation lines never pass the closing fence
    token = state.push("directive_container_open", "div", 1)
    token.markup, token.info, token.map, token.block = ":" * size, name + attributes, [start_line, next_line], True
    _push_label(state, label, start_line, name)
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("directive_container_close", "div", -1)
    token.markup, token.block = ":" * size, True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = next_line + (1 if closed else 0)
    return True


def _closing_line(state: StateBlock, start_line: int, end_line: int, size: int) -> tuple[int, bool]:
    """The line of the fence closing a container of ``size`` colons, and whether there is one."""
    src = state.src
    line = start_line + 1
    while line < end_line:
        start = state.bMarks[line] + state.tShift[line]
        end = state.eMarks[line]
        if start < end and state.sCount[line] < state.blkIndent:
            break  # a less indented line ends the list item or quote the container is in
        colons = _colons(src, start, end)
        if not _is_code_block(state, line) and colons >= size and _only_spaces(src, start + colons, end):
            return line, True
        line += 1
    return line, False


def _text(state: StateInline, silent: bool) -> bool:
    src, pos, end = state.src, state.pos, state.posMax
    if src[pos] != ":" or (pos > 0 and src[pos - 1] == ":" and not _escaped(src, pos - 1)):
        return False
    name_end = scan_name(src, pos + 1, end)
    if name_end == -1 or (name_end < end and src[name_end] == ":"):
        return False
    tail_end, label = scan_directive_tail(src, name_end, end, multiline=True)
    if silent:
        state.pos = tail_end
        return True
    name = src[pos + 1 : name_end]
    if label is None:
        token = state.push("directive_text", "span", 0)
        token.content = src[pos:tail_end]
        token.info = name + src[name_end:tail_end]
        token.meta[ATOMIC] = True
        state.pos = tail_end
        return True
    token = state.push("directive_text_open", "span", 1)
    token.info = name + src[label[1] + 1 : tail_end]
    token.content = src[pos:tail_end]
    token.meta["label"] = label
    old_max = state.posMax
    state.pos, state.posMax = label[0], label[1]
    state.md.inline.tokenize(state)
    state.posMax = old_max
    token = state.push("directive_text_close", "span", -1)
    state.pos = tail_end
    return True


def _escaped(src: str, pos: int) -> bool:
    """Whether the character at ``pos`` is backslash-escaped."""
    count = 0
    while pos - count - 1 >= 0 and src[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1
