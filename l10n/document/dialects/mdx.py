"""MDX (Astro, Docusaurus, Next.js ``.mdx``) as a markdown-it plugin, following micromark-extension-mdxjs.

* MDX turns off what JSX and expressions replace: raw HTML (block and inline), autolinks and indented code;
* ESM (``import``/``export`` at column 1, up to a blank line; never interrupting a paragraph): ``mdx_esm``;
* a line made only of JSX tags and ``{expressions}`` (a tag may span lines) is flow, whatever comes before or
  after it (no blank line needed): ``mdx_flow``, whose ``info`` holds the tags' names and every attribute a
  translation must keep. The Markdown between an opening and a closing tag is parsed as usual, so the
  paragraphs of an ``<Aside>`` and the list of a ``<Steps>`` are entries;
* a component named in ``Dialect.jsx_verbatim`` (``<FileTree>``, ``<Code>``), from its opening line to its
  closing tag, is one ``mdx_flow`` token: layout, never an entry;
* a string attribute named in ``Dialect.jsx_attributes`` (``title="..."``) of a flow tag is an entry of its
  own (``jsx title (Aside)``), left out of the ``info``;
* inside a paragraph, a JSX tag or an ``{expression}`` is an atomic inline token (``mdx_jsx_text``,
  ``mdx_expression_text``): a translation keeps it whole, and the machine translation sees ``<xN/>``.

Anything MDX itself would refuse (see :mod:`.mdx_syntax`) is left as text here; the checks of translations
report it (:func:`mdx_problems`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.ruler import RuleOptionsType
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from . import ATOMIC, ENTRY, MODE, SPAN, render_source
from .mdx_syntax import MdxSyntaxError, Tag, esm_end, is_jsx_start, scan_expression, scan_tag, starts_esm

BlockRule = Callable[[StateBlock, int, int, bool], bool]
_FLOW_ALT: RuleOptionsType = {"alt": ["paragraph", "reference", "blockquote", "list"]}
MDX_DISABLED = ("html_block", "html_inline", "autolink", "code")


def mdx_plugin(md: MarkdownIt, jsx_attributes: Sequence[str] = (), jsx_verbatim: Sequence[str] = ()) -> None:
    md.disable(list(MDX_DISABLED), ignoreInvalid=True)
    md.block.ruler.before("fence", "mdx_esm", _esm)
    md.block.ruler.before("fence", "mdx_flow", _flow_rule(tuple(jsx_attributes), frozenset(jsx_verbatim)), _FLOW_ALT)
    md.inline.ruler.before("link", "mdx_text", _text)
    for name in ("mdx_esm", "mdx_flow", "mdx_jsx_text", "mdx_expression_text"):
        md.add_render_rule(name, render_source)
    _indentation_is_not_code(md)


# -- indentation ----------------------------------------------------------------------------------------------


def _indentation_is_not_code(md: MarkdownIt) -> None:
    """Without indented code, a block starts at any indentation (``    - item`` in a component is a list) and
    any block can interrupt a paragraph however indented its line: every block rule is made to accept what
    CommonMark's 4-column limit would leave to indented code. Apply last, so every rule is covered."""
    for rule in md.block.ruler.__rules__:
        if rule.name == "paragraph":
            md.block.ruler.at(rule.name, _paragraph_any_indent(rule.fn), {"alt": list(rule.alt)})
        elif rule.name != "code":
            md.block.ruler.at(rule.name, _any_indent(rule.fn), {"alt": list(rule.alt)})


def _any_indent(rule: BlockRule) -> BlockRule:
    def wrapped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if state.sCount[start_line] - state.blkIndent < 4:
            return rule(state, start_line, end_line, silent)
        saved = state.blkIndent
        state.blkIndent = state.sCount[start_line]
        try:
            return rule(state, start_line, end_line, silent)
        finally:
            state.blkIndent = saved

    return wrapped


def _paragraph_any_indent(rule: BlockRule) -> BlockRule:
    # markdown-it's paragraph takes a line indented 4 columns more than the block as a lazy continuation
    # without asking the other rules: such lines are shown at the block's indentation while it runs.
    def wrapped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        changed: list[tuple[int, int]] = []
        line = start_line + 1
        while line < state.lineMax and not state.isEmpty(line):
            if state.sCount[line] - state.blkIndent > 3:
                changed.append((line, state.sCount[line]))
                state.sCount[line] = state.blkIndent
            line += 1
        try:
            return rule(state, start_line, end_line, silent)
        finally:
            for line, count in changed:
                state.sCount[line] = count

    return wrapped


# -- ESM ------------------------------------------------------------------------------------------------------


def _esm(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    start = state.bMarks[start_line] + state.tShift[start_line]
    # (markdown-it's parentType is not reliable here: lheading leaves "paragraph" behind when it fails)
    if state.tShift[start_line] != 0 or state.blkIndent != 0:
        return False
    if start > 0 and state.src[start - 1] != "\n":
        return False  # inside a container (a quote's or a list's line)
    if not starts_esm(state.src, start):
        return False
    if silent:
        return True
    stop = esm_end(state.src, start)
    line = start_line
    while line + 1 < end_line and state.bMarks[line + 1] <= stop:
        line += 1
    token = state.push("mdx_esm", "", 0)
    token.block = True
    token.content = state.src[start:stop]
    token.info = " ".join(token.content.split())
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


# -- flow -----------------------------------------------------------------------------------------------------


def _scan_flow_line(src: str, pos: int) -> tuple[list[Tag | tuple[int, int]], int] | None:
    """The tags and expressions filling a line from ``pos`` (a tag may span lines), and where they end; None
    when the line holds anything else."""
    items: list[Tag | tuple[int, int]] = []
    length = len(src)
    while True:
        char = src[pos] if pos < length else ""
        try:
            if char == "<" and is_jsx_start(src, pos):
                tag = scan_tag(src, pos)
                items.append(tag)
                pos = tag.end
            elif char == "{":
                end = scan_expression(src, pos)
                items.append((pos, end))
                pos = end
            else:
                return None
        except MdxSyntaxError:
            return None
        while pos < length and src[pos] in " \t":
            pos += 1
        if pos >= length or src[pos] == "\n":
            return items, pos


def _line_of(state: StateBlock, start_line: int, end_line: int, offset: int) -> int:
    line = start_line
    while line + 1 < end_line and state.bMarks[line + 1] <= offset:
        line += 1
    return line


def _describe_tag(tag: Tag, src: str, translated: frozenset[str]) -> str:
    parts = [f"<{'/' if tag.closing else ''}{tag.name}"]
    for attribute in tag.attributes:
        if attribute.kind == "string" and attribute.name in translated:
            parts.append(f"{attribute.name}=…")
        elif attribute.kind == "boolean":
            parts.append(attribute.name)
        elif attribute.kind == "spread":
            parts.append(" ".join(attribute.value.split()))
        else:
            value = " ".join(attribute.value.split())
            parts.append(f"{attribute.name}={attribute.quote}{value}{attribute.quote}")
    return " ".join(parts) + ("/>" if tag.self_closing else ">")


def _flow_rule(jsx_attributes: tuple[str, ...], jsx_verbatim: frozenset[str]) -> BlockRule:
    def rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        src = state.src
        start = state.bMarks[start_line] + state.tShift[start_line]
        if start >= len(src) or src[start] not in "<{":
            return False
        scanned = _scan_flow_line(src, start)
        if scanned is None:
            return False
        items, stop = scanned
        if silent:
            return True
        last_line = _line_of(state, start_line, end_line, stop)
        verbatim = _verbatim_end(state, items, last_line, end_line, jsx_verbatim)
        if verbatim is not None:
            last_line, stop = verbatim
        token = state.push("mdx_flow", "", 0)
        token.block = True
        token.content = src[start:stop]
        token.map = [start_line, last_line + 1]
        entries: list[tuple[Tag, int]] = []
        described: list[str] = []
        for item in items:
            if isinstance(item, Tag):
                prose = frozenset(jsx_attributes) if verbatim is None else frozenset()
                described.append(_describe_tag(item, src, prose))
                entries += [(item, index) for index, attribute in enumerate(item.attributes)
                            if attribute.kind == "string" and attribute.name in prose]
            else:
                described.append(" ".join(src[item[0] : item[1]].split()))
        if verbatim is not None:
            described.append(src[items[-1].end if isinstance(items[-1], Tag) else stop : stop])
        token.info = " ".join(described)
        for tag, index in entries:
            attribute = tag.attributes[index]
            if not any(char.isalpha() for char in attribute.value):
                continue
            entry = state.push("inline", "", 0)
            entry.content = attribute.value
            line = _line_of(state, start_line, end_line, attribute.value_start)
            entry.map = [line, line + 1]
            entry.children = []
            entry.meta.update(
                {ENTRY: f"jsx {attribute.name} ({tag.name})", SPAN: (attribute.value_start, attribute.value_end),
                 MODE: "jsx"}
            )
        state.line = last_line + 1
        return True

    return rule


def _verbatim_end(
    state: StateBlock, items: list[Tag | tuple[int, int]], line: int, end_line: int, names: frozenset[str]
) -> tuple[int, int] | None:
    """For a line that only opens a verbatim component, the line and offset where its closing tag ends."""
    if len(items) != 1 or not isinstance(items[0], Tag):
        return None
    opening = items[0]
    if opening.closing or opening.self_closing or opening.name not in names:
        return None
    src = state.src
    depth = 1
    next_line = line + 1
    while next_line < end_line:
        start = state.bMarks[next_line] + state.tShift[next_line]
        scanned = _scan_flow_line(src, start) if start < len(src) and src[start] in "<{" else None
        if scanned is not None:
            for item in scanned[0]:
                if isinstance(item, Tag) and item.name == opening.name and not item.self_closing:
                    depth += -1 if item.closing else 1
            if depth == 0:
                return _line_of(state, next_line, end_line, scanned[1]), scanned[1]
            next_line = _line_of(state, next_line, end_line, scanned[1])
        next_line += 1
    return None


# -- text -----------------------------------------------------------------------------------------------------


def _text(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    char = src[pos]
    try:
        if char == "<" and is_jsx_start(src, pos):
            end = scan_tag(src, pos, state.posMax).end
            kind = "mdx_jsx_text"
        elif char == "{":
            end = scan_expression(src, pos, state.posMax)
            kind = "mdx_expression_text"
        else:
            return False
    except MdxSyntaxError:
        return False
    if not silent:
        token = state.push(kind, "", 0)
        token.content = src[pos:end]
        token.meta[ATOMIC] = True
    state.pos = end
    return True
