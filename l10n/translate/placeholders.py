"""Inline Markdown as placeholders for machine translation, and back.

A segment's msgid is Markdown.  Before it goes to a translation engine, every inline construct that an engine
could damage is replaced by an XML-like tag the engines are known to carry through:

* paired ``<gN>...</gN>`` around text that must be translated but whose markup must survive: emphasis, strong,
  strikethrough, the text of inline and full reference links, image alt text;
* atomic ``<xN/>`` for what must come back byte for byte: code spans, raw HTML, autolinks, bare URLs and
  e-mail addresses,
  footnote references, shortcut reference links (their text is their label), hard breaks, and glossary terms
  (which decode to the glossary's required translation).

Constructs are located with markdown-it-py's own inline rules (wrapped to record the source offsets they
consume), so what counts as a link or an emphasis is exactly what the renderer will see.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from l10n.hosts import added_links, links

from ..document.inline import ATOMIC_META
from ..document.markdown import COMMONMARK, Dialect, new_parser

PAIRED_KINDS = frozenset({"em", "strong", "s", "link", "image", "directive"})

_ENV_KEY = "l10n_placeholder_recorder"
_TAG = re.compile(r"<\s*(/?)\s*([gx])\s*(\d+)\s*(/?)\s*>", re.IGNORECASE)
# Bare URLs, e-mail addresses and mailto:/xmpp:/tel: targets: a GFM renderer links them, so they go out atomic.
_BARE_URL = re.compile(
    r"\b(?:https?://|www\.|(?:mailto|xmpp|tel):)[^\s<>\[\]()]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
_URL_TRAILING_PUNCTUATION = ".,;:!?'\"»"
# From where a linkifier starts a bare domain (``example.com/path``) to where its link ends.
_BARE_DOMAIN_LINK = re.compile(r"[\w.\u3002\uff0e\uff61%-]+(?:/[^\s<>\[\]()]*)?")
_LABEL = re.compile(r"\[([^\[\]]+)\]")


class PlaceholderError(ValueError):
    """A draft whose placeholders cannot be decoded (missing, duplicated, unknown or badly nested)."""


class EncodeError(ValueError):
    """A msgid whose inline constructs could not be located exactly; it is not sent."""


@dataclass(frozen=True)
class Placeholder:
    """One protected construct: ``opening`` (and ``closing`` if paired) are the Markdown it stands for."""

    id: int
    kind: str
    opening: str
    closing: str | None = None

    @property
    def paired(self) -> bool:
        return self.closing is not None


@dataclass(frozen=True)
class Encoded:
    """A msgid as sent to an engine: ``text`` with tags, and what each tag stands for."""

    source: str
    text: str
    placeholders: tuple[Placeholder, ...]
    # Leading and trailing whitespace of the source: not sent (engines strip it), put back on decoding.
    lead: str = ""
    trail: str = ""

    @property
    def needs_translation(self) -> bool:
        """Whether any letter is left outside the tags (a msgid of only code or links is kept as is)."""
        return any(character.isalpha() for character in _TAG.sub("", self.text))


@dataclass
class _Recorder:
    """Collects, per token, the source range that the inline rule which produced it consumed."""

    src: str
    ranges: dict[int, tuple[int, int]]
    inner_end: dict[int, int]

    def record(self, name: str, state: StateInline, start: int, tokens: list[Token], pending: int) -> None:
        end = state.pos
        if pending and tokens and tokens[0].type == "text":
            tokens = tokens[1:]  # the flushed pending text that preceded this construct
        if name in ("emphasis", "strikethrough"):
            position = start
            for token in tokens:
                self.ranges[id(token)] = (position, position + len(token.content))
                position += len(token.content)
            return
        if not tokens:
            return
        self.ranges[id(tokens[0])] = (start, end)
        if name == "link":
            saved = state.pos
            self.inner_end[id(tokens[0])] = parseLinkLabel(state, start, True)
            state.pos = saved


def _recording(name: str, rule: Callable[..., bool]) -> Callable[[StateInline, bool], bool]:
    def recorded(state: StateInline, silent: bool) -> bool:
        recorder: _Recorder | None = state.env.get(_ENV_KEY)
        if silent or recorder is None or state.src != recorder.src:
            return rule(state, silent)
        start, count, pending = state.pos, len(state.tokens), len(state.pending)
        matched = rule(state, silent)
        if matched:
            recorder.record(name, state, start, state.tokens[count:], pending)
        return matched

    return recorded


def _footnote_ref_always(rule: Callable[..., bool]) -> Callable[[StateInline, bool], bool]:
    # A msgid is parsed alone, without the post's footnote definitions: every [^label] is a reference.
    def always(state: StateInline, silent: bool) -> bool:
        return rule(state, silent, always_match=True)

    return always


@cache
def _parser(dialect: Dialect) -> MarkdownIt:
    md = new_parser(dialect, task_lists=False)
    md.disable("text_join")
    for rule in md.inline.ruler.__rules__:
        if rule.name == "text":  # it only moves plain text into the pending buffer: nothing to record
            continue
        function = _footnote_ref_always(rule.fn) if rule.name == "footnote_ref" else rule.fn
        md.inline.ruler.at(rule.name, _recording(rule.name, function))
    return md


class _AnyLabel(dict[str, Any]):
    """References when the post's definitions are unknown: every label resolves, so no link text is lost."""

    def get(self, key: str, default: Any = None) -> Any:
        return None if key.startswith("^") else {"href": "", "title": ""}  # [^x] is a footnote

    def __contains__(self, key: object) -> bool:
        return True


def _references(text: str, labels: Iterable[str] | None) -> dict[str, Any]:
    if labels is None:
        return _AnyLabel()
    wanted = {normalizeReference(label) for label in labels}
    found = {normalizeReference(match) for match in _LABEL.findall(text)}
    return {label: {"href": "", "title": ""} for label in wanted & found}


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    role: str  # "atomic", "open" or "close"
    kind: str
    token: int  # index of the token in the stream, to pair opens and closes


def _marks(text: str, reference_labels: Iterable[str] | None, dialect: Dialect) -> list[_Mark]:
    recorder = _Recorder(src=text, ranges={}, inner_end={})
    env: dict[str, Any] = {_ENV_KEY: recorder, "references": _references(text, reference_labels)}
    blocks = _parser(dialect).parseInline(text, env)
    tokens = blocks[0].children or [] if blocks else []
    marks: list[_Mark] = []
    skip_until_close = False
    for index, token in enumerate(tokens):
        if skip_until_close:
            skip_until_close = token.type != "link_close"
            continue
        if token.type in ("text", "text_special", "link_close", "directive_text_close"):
            continue
        where = recorder.ranges.get(id(token))
        if where is None:
            raise EncodeError(f"cannot locate inline {token.type!r}")
        found = _mark_for(text, token, index, where, recorder)
        marks.extend(found)
        skip_until_close = token.type == "link_open" and found[0].role == "atomic"
    return marks


def _mark_for(
    text: str, token: Token, index: int, where: tuple[int, int], recorder: _Recorder
) -> list[_Mark]:
    kind = token.type
    start, end = where
    if token.meta and token.meta.get(ATOMIC_META):
        return [_Mark(start, end, "atomic", "syntax", index)]
    if kind == "directive_text_open":  # :name[label]{attributes}: the label is translated
        label_start, label_end = token.meta["label"]
        return [
            _Mark(start, label_start, "open", "directive", index),
            _Mark(label_end, end, "close", "directive", index),
        ]
    if kind in ("code_inline", "html_inline", "footnote_ref", "footnote_inline", "softbreak", "hardbreak"):
        names = {"code_inline": "code", "html_inline": "html", "softbreak": "break", "hardbreak": "break"}
        return [_Mark(start, end, "atomic", names.get(kind, "footnote"), index)]
    if kind == "link_open":
        if token.markup == "autolink":
            return [_Mark(start, end, "atomic", "autolink", index)]
        label_end = recorder.inner_end[id(token)]
        closing = text[label_end:end]
        if closing in ("]", "][]") or label_end <= start + 1:
            return [_Mark(start, end, "atomic", "reflink", index)]
        return [_Mark(start, start + 1, "open", "link", index), _Mark(label_end, end, "close", "link", index)]
    if kind == "image":
        alt_end = start + 2 + len(token.content)
        closing = text[alt_end:end]
        if not token.content or closing in ("]", "][]") or text[start + 2 : alt_end] != token.content:
            return [_Mark(start, end, "atomic", "image", index)]
        return [_Mark(start, start + 2, "open", "image", index), _Mark(alt_end, end, "close", "image", index)]
    name = {"em_open": "em", "em_close": "em", "strong_open": "strong", "strong_close": "strong"}.get(kind)
    name = name or {"s_open": "s", "s_close": "s"}.get(kind)
    if name is None:
        raise EncodeError(f"unexpected inline {kind!r}")
    if kind == "strong_open":
        start, end = end - 2, end  # markdown-it keeps the inner delimiter and empties the outer one
    elif kind == "strong_close":
        end = start + 2
    role = "open" if kind.endswith("_open") else "close"
    return [_Mark(start, end, role, name, index)]


def encode(
    text: str,
    *,
    terms: Sequence[tuple[str, str]] = (),
    reference_labels: Iterable[str] | None = None,
    dialect: Dialect = COMMONMARK,
) -> Encoded:
    """Replace inline markup (and glossary ``terms``: source term -> required translation) by tags.

    ``reference_labels`` are the post's link reference definitions; ``None`` means unknown, and then every
    bracketed label is protected as a possible reference (safe: a label is never translated). ``dialect``
    is the syntax of the msgid's post: its atomic inline syntax (JSX elements, shortcodes...) becomes tags.
    """
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(lead) + len(core) :]
    text = core
    placed = sorted(_marks(text, reference_labels, dialect), key=lambda mark: (mark.start, mark.role != "close"))

    pieces: list[str] = []
    placeholders: list[Placeholder] = []
    open_stack: list[tuple[int, _Mark]] = []
    cursor = 0
    for mark in placed:
        if mark.start < cursor:
            raise EncodeError("overlapping inline constructs")
        pieces.append(_protect_text(text[cursor : mark.start], terms, placeholders))
        cursor = mark.end
        payload = text[mark.start : mark.end]
        if mark.role == "atomic":
            placeholders.append(Placeholder(len(placeholders) + 1, mark.kind, payload))
            pieces.append(f"<x{len(placeholders)}/>")
        elif mark.role == "open":
            placeholders.append(Placeholder(len(placeholders) + 1, mark.kind, payload, ""))
            open_stack.append((len(placeholders), mark))
            pieces.append(f"<g{len(placeholders)}>")
        else:
            if not open_stack or open_stack[-1][1].kind != mark.kind:
                raise EncodeError("unbalanced inline constructs")
            number, _ = open_stack.pop()
            opening = placeholders[number - 1]
            placeholders[number - 1] = Placeholder(number, opening.kind, opening.opening, payload)
            pieces.append(f"</g{number}>")
    if open_stack:
        raise EncodeError("unbalanced inline constructs")
    pieces.append(_protect_text(text[cursor:], terms, placeholders))
    return Encoded(lead + text + trail, "".join(pieces), tuple(placeholders), lead, trail)


def _protect_text(chunk: str, terms: Sequence[tuple[str, str]], placeholders: list[Placeholder]) -> str:
    """Protect bare URLs and glossary terms inside a run of plain text."""
    if not chunk:
        return chunk
    spans: list[tuple[int, int, str, str]] = []
    for match in _BARE_URL.finditer(chunk):
        url = match.group(0).rstrip(_URL_TRAILING_PUNCTUATION)
        spans.append((match.start(), match.start() + len(url), "url", url))
    # Bare domains a linkifier turns into links (``name.tld``, ``name.tld/path``): an engine must not change them.
    if "." in chunk:
        for link in links(chunk):
            if link.kind != "host" or any(start <= link.offset < end for start, end, _, _ in spans):
                continue
            domain = _BARE_DOMAIN_LINK.match(chunk, link.offset)
            if domain is not None:
                url = domain.group(0).rstrip(_URL_TRAILING_PUNCTUATION)
                spans.append((link.offset, link.offset + len(url), "url", url))
    for source_term, target_term in sorted(terms, key=lambda term: -len(term[0])):
        if not source_term:
            continue
        # As the glossary defines it: an all-lowercase term matches in any case, others exactly.
        flags = re.IGNORECASE if source_term == source_term.lower() else 0
        for match in re.finditer(rf"(?<!\w){re.escape(source_term)}(?!\w)", chunk, flags):
            if all(match.end() <= start or match.start() >= end for start, end, _, _ in spans):
                spans.append((match.start(), match.end(), "term", target_term))
    spans.sort()
    out: list[str] = []
    cursor = 0
    for start, end, kind, payload in spans:
        out.append(chunk[cursor:start])
        placeholders.append(Placeholder(len(placeholders) + 1, kind, payload))
        out.append(f"<x{len(placeholders)}/>")
        cursor = end
    out.append(chunk[cursor:])
    return "".join(out)


def _normalize_tags(draft: str, emphasis_ids: set[int]) -> str:
    """Undo what engines do to tags: case, inner spaces, and spaces moved inside emphasis (where CommonMark
    would no longer see a delimiter)."""

    def canonical(match: re.Match[str]) -> str:
        closing, letter, number, _ = match.groups()
        letter = letter.lower()
        if letter == "x":
            return f"<x{int(number)}/>"
        return f"</g{int(number)}>" if closing else f"<g{int(number)}>"

    draft = re.sub(r"<\s*x\s*(\d+)\s*>\s*<\s*/\s*x\s*\1\s*>", r"<x\1/>", draft, flags=re.IGNORECASE)
    draft = _TAG.sub(canonical, draft)

    def move_out_of_opening(match: re.Match[str]) -> str:
        number, space = match.groups()
        return match.group(0) if int(number) not in emphasis_ids else f"{space}<g{number}>"

    def move_out_of_closing(match: re.Match[str]) -> str:
        space, number = match.groups()
        return match.group(0) if int(number) not in emphasis_ids else f"</g{number}>{space}"

    draft = re.sub(r"<g(\d+)>(\s+)", move_out_of_opening, draft)
    return re.sub(r"(\s+)</g(\d+)>", move_out_of_closing, draft)


def decode(encoded: Encoded, draft: str) -> str:
    """Put the Markdown back in place of the tags of a translated ``draft``; raise PlaceholderError if any
    tag is missing, repeated, unknown or badly nested."""
    by_id = {placeholder.id: placeholder for placeholder in encoded.placeholders}
    draft = draft.strip()
    draft = _normalize_tags(draft, {p.id for p in encoded.placeholders if p.kind in ("em", "strong", "s")})
    seen: Counter[tuple[str, int]] = Counter()
    stack: list[int] = []
    out: list[str] = []
    cursor = 0
    for match in _TAG.finditer(draft):
        closing, letter, number_text, _ = match.groups()
        number = int(number_text)
        placeholder = by_id.get(number)
        role = "atomic" if letter == "x" else ("close" if closing else "open")
        if placeholder is None or placeholder.paired == (role == "atomic"):
            raise PlaceholderError(f"unknown placeholder {match.group(0)}")
        seen[(role, number)] += 1
        if seen[(role, number)] > 1:
            raise PlaceholderError(f"placeholder {match.group(0)} repeated")
        out.append(draft[cursor : match.start()])
        cursor = match.end()
        if role == "open":
            stack.append(number)
            out.append(placeholder.opening)
        elif role == "close":
            if not stack or stack[-1] != number:
                raise PlaceholderError(f"placeholder {match.group(0)} badly nested")
            stack.pop()
            out.append(placeholder.closing or "")
        else:
            out.append(placeholder.opening)
    out.append(draft[cursor:])
    missing = [p for p in encoded.placeholders if not seen[("atomic" if not p.paired else "open", p.id)]]
    if missing:
        tags = ", ".join(f"<x{p.id}/>" if not p.paired else f"<g{p.id}>" for p in missing)
        raise PlaceholderError(f"placeholder {tags} missing")
    if stack:
        raise PlaceholderError(f"placeholder <g{stack[-1]}> not closed")
    return encoded.lead + "".join(out).strip() + encoded.trail


def markup_signature(
    text: str, reference_labels: Iterable[str] | None = None, dialect: Dialect = COMMONMARK
) -> Counter[tuple[str, str, str | None]]:
    """What a translation must keep: the multiset of protected constructs (glossary terms aside)."""
    return encoded_signature(encode(text, reference_labels=reference_labels, dialect=dialect))


def encoded_signature(encoded: Encoded) -> Counter[tuple[str, str, str | None]]:
    """:func:`markup_signature` of an encoded text, without parsing it again: its placeholders but the
    glossary terms' (which stand in plain text, outside every construct)."""
    # A break's payload may carry the next line's indentation, which Markdown ignores.
    return Counter(
        (p.kind, p.opening.strip(" \t") if p.kind == "break" else p.opening, p.closing)
        for p in encoded.placeholders
        if p.kind != "term"
    )


def verify(
    source: str,
    translation: str,
    reference_labels: Iterable[str] | None = None,
    dialect: Dialect = COMMONMARK,
    *,
    expected: Counter[tuple[str, str, str | None]] | None = None,
) -> list[str]:
    """Problems with ``translation`` as a rendering of ``source``'s markup (empty when sound); ``expected``:
    the source's :func:`markup_signature` when the caller has it (:func:`encoded_signature`)."""
    try:
        if expected is None:
            expected = markup_signature(source, reference_labels, dialect)
        found = markup_signature(translation, reference_labels, dialect)
    except EncodeError as error:
        return [f"markup cannot be read back: {error}"]
    problems = []
    for item in sorted((expected - found).keys(), key=str):
        problems.append(f"lost {item[0]} {_describe(item)}")
    for item in sorted((found - expected).keys(), key=str):
        problems.append(f"added {item[0]} {_describe(item)}")
    # Links outside the protected constructs: disguised hosts (evil。com), e-mail addresses, new schemes.
    for link in added_links(source, translation):
        check = "link-host-added" if link.kind == "host" else "link-added"
        problems.append(f"[{check}] added link {link.key}")
    return problems


def _describe(item: tuple[str, str, str | None]) -> str:
    kind, opening, closing = item
    return f"{opening}…{closing}" if closing is not None else repr(opening) if kind == "break" else opening
