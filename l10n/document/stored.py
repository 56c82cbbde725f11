"""A body's extraction as JSON and back, to keep it between runs (see :mod:`l10n.store.parsed`).

Only plain values are stored (never pickles: a cache directory may come from elsewhere, CI caches for one), and
reading checks every value's type, so a damaged or forged entry raises ``ValueError`` instead of producing a
document that would write garbage.
"""

from __future__ import annotations

from typing import Any

from l10n.problems import Problem, Severity

from .extract import Body, SegmentLayout
from .parse import BlockToken
from .segments import Segment, Span

_BODY_MODES = frozenset({"lines", "heading", "cell", "alt", "title", "label", "jsx", "code"})


def body_to_json(body: Body) -> dict[str, Any]:
    return {
        "segments": [
            [
                segment.msgid,
                segment.kind,
                segment.line,
                [[span.start, span.end] for span in segment.spans],
                segment.context,
            ]
            for segment in body.segments
        ],
        "layouts": [[layout.mode, list(layout.hard_breaks), layout.inline_token] for layout in body.layouts],
        "problems": [[problem.line, problem.check, problem.message, problem.severity] for problem in body.problems],
        "signature": [list(item) for item in body.signature],
        "blocks": [[*token[:6], list(token.map) if token.map else None] for token in body.blocks],
    }


def body_from_json(data: Any) -> Body:
    """The body stored by :func:`body_to_json`; ``ValueError`` when ``data`` is not of its shape."""
    try:
        return _body(data)
    except (KeyError, TypeError, IndexError) as error:
        raise ValueError(f"not a stored body: {error}") from None


def _body(data: dict[str, Any]) -> Body:
    segments = tuple(
        Segment(
            index,
            _str(msgid),
            _str(kind),
            _int(line),
            tuple(Span(_int(start), _int(end)) for start, end in spans),
            None if context is None else _str(context),
        )
        for index, (msgid, kind, line, spans, context) in enumerate(data["segments"])
    )
    layouts = tuple(_layout(mode, hard_breaks, inline_token) for mode, hard_breaks, inline_token in data["layouts"])
    if len(layouts) != len(segments) or any(not segment.spans for segment in segments):
        raise ValueError("segments and layouts do not match")
    problems = tuple(
        Problem(_str(code), _severity(severity), _str(message), line=_int(line))
        for line, code, message, severity in data["problems"]
    )
    signature = tuple(map(tuple, data["signature"]))
    if not all(type(value) in _PLAIN for item in signature for value in item):
        raise ValueError("bad structure signature")
    blocks = tuple(
        BlockToken(kind, tag, nesting, markup, info, content, None if where is None else (where[0], where[1]))
        for kind, tag, nesting, markup, info, content, where in data["blocks"]
    )
    if not all(map(_is_plain_block, blocks)):
        raise ValueError("bad block token")
    return Body(segments, layouts, problems, signature, blocks)


_PLAIN = (str, int)


def _is_plain_block(token: BlockToken) -> bool:
    kind, tag, nesting, markup, info, content, where = token
    return (
        type(kind) is type(tag) is type(markup) is type(info) is type(content) is str
        and type(nesting) is int
        and (where is None or type(where[0]) is type(where[1]) is int)
    )


def _layout(mode: Any, hard_breaks: Any, inline_token: Any) -> SegmentLayout:
    if mode not in _BODY_MODES or not all(isinstance(flag, bool) for flag in hard_breaks):
        raise ValueError("bad segment layout")
    return SegmentLayout(mode, tuple(hard_breaks), None if inline_token is None else _int(inline_token))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _severity(value: Any) -> Severity:
    if value == "error":
        return "error"
    if value == "warning":
        return "warning"
    raise ValueError("expected a severity")


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value
