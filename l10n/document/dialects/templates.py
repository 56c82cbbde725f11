"""Shortcodes and template tags, which a site's generator expands before (or instead of) Markdown.

* Hugo shortcodes ``{{< name params >}}`` and ``{{% name params %}}`` (closing ``{{< /name >}}``);
* Liquid, Jinja and Twig tags ``{% tag %}``, expressions ``{{ expression }}`` and comments ``{# ... #}``; the
  bodies of ``{% raw %}``, ``{% verbatim %}`` and ``{% comment %}`` are part of their tag.

Each is atomic: it reaches neither translators nor engines, and must come back unchanged.
"""

from __future__ import annotations

import re

_SHORTCODE_DELIMITERS = (("{{<", ">}}"), ("{{%", "%}}"))
_LIQUID_DELIMITERS = (("{%", "%}"), ("{{", "}}"), ("{#", "#}"))
# tags whose body is not Markdown: kept whole, with their closing tag (Jekyll's highlight holds code)
_BODY_TAG = re.compile(r"\{%-?\s*(raw|verbatim|comment|highlight)\b[^%]*%\}")
# paired shortcodes whose inner text is code, not Markdown (Hugo's built-in highlight)
_VERBATIM_SHORTCODE = re.compile(r"\{\{([<%])-?\s*(highlight)\b")


def _closing(src: str, pos: int, end: int, closer: str) -> int:
    """The end of ``closer`` after ``pos``, skipping double-quoted strings; -1 when there is none."""
    quoted = False
    while pos < end:
        char = src[pos]
        if char == '"':
            quoted = not quoted
        elif not quoted and src.startswith(closer, pos) and pos + len(closer) <= end:
            return pos + len(closer)
        pos += 1
    return -1


def scan_template(src: str, pos: int, end: int, *, shortcodes: bool, liquid: bool) -> int:
    """The end of the shortcode or template tag starting at ``pos``, or -1."""
    if pos >= end or src[pos] != "{":
        return -1
    delimiters = (_SHORTCODE_DELIMITERS if shortcodes else ()) + (_LIQUID_DELIMITERS if liquid else ())
    for opener, closer in delimiters:
        if src.startswith(opener, pos):
            found = _closing(src, pos + len(opener), end, closer)
            if found == -1:
                continue
            body = _BODY_TAG.fullmatch(src, pos, found) if liquid and opener == "{%" else None
            if body is not None:
                closing = re.compile(r"\{%-?\s*end" + body.group(1) + r"\s*-?%\}").search(src, found, end)
                return closing.end() if closing else -1
            verbatim = _VERBATIM_SHORTCODE.match(src, pos, found) if shortcodes else None
            if verbatim is not None:
                inner, outer = re.escape(verbatim.group(1)), re.escape(">" if verbatim.group(1) == "<" else "%")
                closing = re.compile(
                    rf"\{{\{{{inner}-?\s*/{verbatim.group(2)}\s*-?{outer}\}}\}}"
                ).search(src, found, end)
                return closing.end() if closing else found
            return found
    return -1


_SHORTCODE_NAME = re.compile(r"\{\{[<%]-?\s*(/?[\w./-]+)")
_NAMED_PARAMETER = re.compile(r"""([A-Za-z_][\w-]*)[ \t]*=[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|`([^`]*)`)""")


def shortcode_parameters(src: str, start: int, end: int) -> tuple[str, list[tuple[str, int, int]]]:
    """The name of the Hugo shortcode ``src[start:end]`` and its quoted named parameters: (name, start, end)
    of each value (inside the quotes)."""
    name = _SHORTCODE_NAME.match(src, start, end)
    if name is None:
        return "", []
    found = []
    for parameter in _NAMED_PARAMETER.finditer(src, name.end(), end):
        group = 2 if parameter.group(2) is not None else 3
        found.append((parameter.group(1), parameter.start(group), parameter.end(group)))
    return name.group(1), found
