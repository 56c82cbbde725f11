"""Checks of MDX translations and built MDX posts: what MDX itself would refuse, and components kept.

A translation of an ``.mdx`` post must compile: an unescaped ``<`` followed by anything but whitespace starts
a JSX tag in MDX, and ``{`` an expression, so ``<!--``, ``a<3``, ``<b `` or an unclosed ``{`` that the source
did not have break the site's build (``mdx-syntax``). In a built post, the components (names and every
attribute that is not translated), their nesting and the expressions must be the source's
(``structure-mismatch``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from l10n.document.dialects.mdx_syntax import MdxSyntaxError, is_jsx_start, scan_expression, scan_tag
from l10n.document.markdown import Dialect
from l10n.document.parse import normalize, parse_structure
from l10n.links import rewritable_hrefs_neutral

TagKey = Callable[[str], str]  # a tag as a translation must keep it

_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def mdx_syntax_errors(text: str) -> list[tuple[int, str]]:
    """(offset, message) of each place where MDX would refuse ``text`` (one segment or a post's body):
    a malformed JSX tag or expression. Code spans and fenced code are skipped; backslash escapes too."""
    errors: list[tuple[int, str]] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length and text[index + 1] in _ESCAPABLE:
            index += 2
            continue
        if char == "`":
            index = _after_code(text, index)
            continue
        try:
            if char == "<" and is_jsx_start(text, index):
                index = scan_tag(text, index).end
                continue
            if char == "{":
                index = scan_expression(text, index)
                continue
        except MdxSyntaxError as error:
            errors.append((error.offset, f"{error.message} (at {text[index : index + 12]!r})"))
        index += 1
    return errors


def _after_code(text: str, index: int) -> int:
    """After the code span or fence whose backticks start at ``index`` (after the run when it is unclosed)."""
    run_end = index
    while run_end < len(text) and text[run_end] == "`":
        run_end += 1
    fence = text[index:run_end]
    close = text.find(fence, run_end)
    while close != -1 and close + len(fence) < len(text) and text[close + len(fence)] == "`":
        close = text.find(fence, close + len(fence) + 1)
    return run_end if close == -1 else close + len(fence)


def added_syntax_errors(source: str, translation: str) -> list[tuple[int, str]]:
    """The MDX syntax errors of ``translation`` beyond those ``source`` already has (by message)."""
    known = Counter(message.split(" (at ", 1)[0] for _, message in mdx_syntax_errors(source))
    added = []
    for offset, message in mdx_syntax_errors(translation):
        kind = message.split(" (at ", 1)[0]
        if known[kind]:
            known[kind] -= 1
            continue
        added.append((offset, message))
    return added


def mdx_outline(body: str, dialect: Dialect, tag_key: TagKey | None = None) -> Iterator[tuple[int, str]]:
    """(line, syntax) of every ESM block, JSX flow line and, per paragraph, JSX tag and expression in text, as
    the structure check compares them: a tag in text as ``tag_key`` keeps it (its translated attributes
    elided), else as written."""
    for token in parse_structure(normalize(body).text, dialect):
        line = token.map[0] + 1 if token.map else 0
        if token.type in ("mdx_esm", "mdx_flow"):
            yield line, rewritable_hrefs_neutral(token.info)
        elif token.type == "inline":
            atoms = sorted(
                _atom(" ".join(child.content.split()), tag_key)
                for child in token.children or ()
                if child.type in ("mdx_jsx_text", "mdx_expression_text")
            )
            if atoms:
                yield line, " ".join(atoms)



def _atom(syntax: str, tag_key: TagKey | None) -> str:
    if tag_key is not None and syntax.startswith("<"):
        return tag_key(syntax)
    return rewritable_hrefs_neutral(syntax)


def outline_difference(
    source: str, output: str, dialect: Dialect, tag_key: TagKey | None = None
) -> tuple[int | None, str] | None:
    """The first difference between the outlines of two bodies: (line in the output, description);
    ``tag_key``: what of a tag in text must stay (see :func:`mdx_outline`)."""
    expected, found = list(mdx_outline(source, dialect, tag_key)), list(mdx_outline(output, dialect, tag_key))
    for index in range(max(len(expected), len(found))):
        want = expected[index] if index < len(expected) else None
        got = found[index] if index < len(found) else None
        if want is None or got is None or want[1] != got[1]:
            line = got[0] if got else None
            return line, f"{_short(got[1]) if got else 'nothing'}, expected {_short(want[1]) if want else 'nothing'}"
    return None


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."
