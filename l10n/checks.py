"""Quality and safety checks on a translation (a ``msgid``/``msgstr`` pair) and on a built post.

A translation, from a person, a vendor or a machine, is untrusted input that ends up on a website. Each
problem is a :class:`l10n.problems.Problem` with a stable id, a severity and a one-line message that is safe to print.

Longer than 500 lines because the table below is the contract: every check of a translation and of a built post
is here, next to the others it must agree with (what one check lets through, another must not report twice).

Errors (the entry is not used by ``build``):

=========================  ===================================================================================
``link-mismatch``          link destinations (or autolinks) differ from the source's
``image-mismatch``         image sources differ
``code-mismatch``          (a draft: a fuzzy entry) inline code differs (translated, dropped or added)
``footnote-mismatch``      footnote references differ
``emphasis-mismatch``      number of emphasis, strong or strikethrough spans differs
``html-mismatch``          raw inline HTML of the source is missing or altered
``syntax-mismatch``        the dialect's atomic syntax (JSX elements, shortcodes, template tags, locked patterns,
                           text directives' names and attributes) differs, or lines would open a directive,
                           container or template block the source does not have
``html-added``             raw HTML the source does not have
``script-injected``        a ``<script>`` (or ``<iframe>``, ``<object>``, ``<embed>``...) tag
``event-handler-injected`` an HTML event-handler attribute (``onerror=``, ``onclick=``...)
``unsafe-url``             a ``javascript:``, ``vbscript:`` or ``data:`` URL
``link-host-added``        a URL to a host the source does not link to (hosts normalized: percent-decoding,
                           IDNA dots, numeric IPv4, userinfo; bare ``www.`` and ``name.tld/`` domains count)
``link-added``             an e-mail address, ``mailto:``/``xmpp:``/``tel:`` target or URL scheme the source
                           does not have
``control-character``      a control character (NUL, ESC...) or a bidi override/isolate (U+202A-U+202E,
                           U+2066-U+2069) the source does not have
``placeholder-damage``     machine-translation placeholders (``<g1>``, ``</g2>``, ``<x3/>``) left in the text
``template-injected``      braces the source does not have: MDX ``{expressions}``, Liquid/Jinja ``{{ }}``,
                           ``{% %}`` and Hugo ``{{< >}}`` shortcodes run code when the site is built
``mdx-syntax``             (MDX posts) what MDX would not compile: ``<!--``, ``a<3``, an unclosed tag or ``{``
``glossary-term``          a glossary term of the source not rendered as the glossary says
``structure-mismatch``     (built post) the output does not parse to the source's block structure
=========================  ===================================================================================

A code block's entry (``code_blocks = true``) is code, not Markdown: only the injection checks apply to it
(``script-injected`` to ``template-injected``, ``control-character``), and ``code-changed`` below.

Warnings (reported, the entry is still used):

=========================  ===================================================================================
``number-mismatch``        numbers differ (locale formatting such as ``1 000``/``1,000``, ``3,5``/``3.5``
                           is accepted)
``whitespace-mismatch``    leading or trailing whitespace differs
``end-punctuation``        the final punctuation mark differs
``identical-to-source``    the translation is the source text, and the source is longer than three words
``french-typography``      French spacing before ``: ; ! ?`` or « » quotes in a non-French translation
``invisible-character``    a zero-width character or directional mark the source does not have
``code-changed``           (a code block's entry) the code differs outside its comments and string literals;
                           (a reviewed entry) its inline code differs. Code renders as inert text, the
                           injection checks above still apply to it, and a person may localize an example
                           (``<username>`` -> ``<nom-utilisateur>``); a draft may not
=========================  ===================================================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markdown_it.common.utils import normalizeReference

from l10n.code_tokens import first_code_change
from l10n.document.extract import blank_head, body_text
from l10n.document.inline import (
    Fingerprint,
    fingerprint_and_prose,
    mask_front_matter,
    reference_labels,
)
from l10n.document.markdown import COMMONMARK, Dialect
from l10n.document.parse import BlockToken, block_tokens, normalize, token_windows
from l10n.document.syntax_blocks import block_syntax
from l10n.glossary import Glossary, count_term
from l10n.hosts import as_browser_sees, links
from l10n.invisible import Occurrence, added_controls, added_invisibles, added_occurrences
from l10n.link_rules import rewritten_in_builds
from l10n.links import rewritable_hrefs_neutral
from l10n.mdx_checks import added_syntax_errors, outline_difference
from l10n.problems import Problem, Severity

if TYPE_CHECKING:

    from l10n.document import Document, Rendered

ERROR_CHECKS = (
    "link-mismatch",
    "image-mismatch",
    "code-mismatch",
    "footnote-mismatch",
    "emphasis-mismatch",
    "html-mismatch",
    "html-added",
    "script-injected",
    "event-handler-injected",
    "unsafe-url",
    "link-host-added",
    "link-added",
    "control-character",
    "placeholder-damage",
    "template-injected",
    "mdx-syntax",
    "glossary-term",
    "structure-mismatch",
)
WARNING_CHECKS = (
    "number-mismatch",
    "whitespace-mismatch",
    "end-punctuation",
    "identical-to-source",
    "french-typography",
    "invisible-character",
    "code-changed",
)


# --- printing -------------------------------------------------------------------------------------------

EXCERPT_LIMIT = 60


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """``text`` quoted for a one-line message: control and format characters escaped, long text truncated."""
    shown = "".join(
        character
        if not unicodedata.category(character).startswith(("C", "Z")) or character == " "
        else f"\\u{ord(character):04x}"
        if ord(character) > 0xFF
        else f"\\x{ord(character):02x}"
        for character in text
    )
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"


def _listing(items: Iterable[str]) -> str:
    listed = [excerpt(item, 40) for item in items]
    return ", ".join(listed[:3]) + (f" (+{len(listed) - 3} more)" if len(listed) > 3 else "") or "none"


def _difference(source: Iterable[str], translation: Iterable[str]) -> str:
    missing = list((Counter(source) - Counter(translation)).elements())
    added = list((Counter(translation) - Counter(source)).elements())
    parts = []
    if missing:
        parts.append(f"missing {_listing(missing)}")
    if added:
        parts.append(f"added {_listing(added)}")
    return "; ".join(parts)


# --- patterns that matter for safety ----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"<\s*/?\s*[gx]\s*\d+\s*/?\s*>|&lt;\s*/?\s*[gx]\s*\d+\s*/?\s*&gt;", re.IGNORECASE)
DANGEROUS_TAG = re.compile(
    r"<\s*(script|iframe|frame|frameset|object|embed|applet|style|base|meta|link|form|svg|math)\b",
    re.IGNORECASE,
)
EVENT_HANDLER = re.compile(r"<[A-Za-z][^<>]*?[\s/\"']on[a-z]+\s*=", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|<!--.*?-->", re.DOTALL)
_SCHEME_NOISE = "[\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f]*"
UNSAFE_URL = re.compile(
    r"(?:[(<=\"'`]|\]:)\s*("
    + "|".join(_SCHEME_NOISE.join(scheme) for scheme in ("javascript", "vbscript", "data"))
    + rf"){_SCHEME_NOISE}:",
    re.IGNORECASE,
)
_decoded = as_browser_sees


_HOST_LABEL = re.compile(r"^((?:[a-z][a-z0-9+.-]*:)?//)?([a-z]{2,3})(?=\.[^/]*\.)", re.IGNORECASE)


def language_neutral(url: str, languages: tuple[str, ...]) -> str:
    """``url`` with a leading host label that is the source or target language made generic, and its path
    segments that are (with a region or script or not: ``en-US``, ``fr_fr``) left out.

    So that a translator's localized link (``fr.wikipedia.org`` -> ``en.wikipedia.org``, ``/fr/guide`` ->
    ``/en/guide``, ``/en-US/docs/x`` -> ``/fr/docs/x``, ``/guide/`` -> ``/fr/guide/`` on a site whose default
    language has no prefix) is the same link: same site, the reader's language.
    """
    if not languages:
        return url
    codes = {_language(code) for code in languages}
    host = _HOST_LABEL.match(url)
    if host and host.group(2).lower() in codes:
        url = f"{host.group(1) or ''}{{lang}}{url[host.end() :]}"
    neutral = "/".join(segment for segment in url.split("/") if not _is_language_tag(segment, codes))
    return neutral or "/" if url.startswith("/") else neutral


# A path segment that names a locale: a language, perhaps with a region or a script (``en-US``, ``fr_fr``,
# ``zh-Hant``), as documentation sites put in their paths (MDN, GitHub docs, AWS docs...)
_LOCALE_SEGMENT = re.compile(r"([a-z]{2,3})(?:[-_](?:[a-z]{2}|[a-z]{4}|\d{3}))?", re.IGNORECASE)


def _is_language_tag(segment: str, codes: set[str]) -> bool:
    match = _LOCALE_SEGMENT.fullmatch(segment)
    return match is not None and match.group(1).lower() in codes


def _same_page(url: str, languages: tuple[str, ...]) -> str:
    """What two links must share to be the same link: the language-neutral page, not the fragment (a
    translated page's heading ids are made from its translated headings: ``#install`` -> ``#installer``;
    a link to a heading of the same page is ``""``)."""
    return language_neutral(url.split("#", 1)[0], languages)


def _links(text: str) -> tuple[list[Occurrence], list[Occurrence]]:
    """The hosts ``text`` links to, and its other links: e-mail addresses, ``mailto:``/``xmpp:``/``tel:``
    targets, schemes (see :mod:`l10n.hosts`)."""
    found = links(_decoded(text))
    return [(link.key, link.offset) for link in found if link.kind == "host"], [
        (link.key, link.offset) for link in found if link.kind == "link"
    ]


def _unsafe_urls(text: str) -> list[Occurrence]:
    return [
        (re.sub(r"[^a-z]", "", match.group(1).lower()) + ":", match.start(1))
        for match in UNSAFE_URL.finditer(_decoded(text))
    ]


def _dangerous_tags(text: str) -> list[Occurrence]:
    return [(f"<{match.group(1).lower()}>", match.start()) for match in DANGEROUS_TAG.finditer(text)]


def _event_handlers(text: str) -> list[Occurrence]:
    found = []
    for match in EVENT_HANDLER.finditer(text):
        handler = re.search(r"on[a-z]+\s*=\Z", match.group(0), re.IGNORECASE)
        name = re.sub(r"\s", "", handler.group(0).lower()) if handler else "on…="
        found.append((name, match.end() - len(handler.group(0) if handler else "")))
    return found


def _placeholders(text: str) -> list[Occurrence]:
    return [(re.sub(r"\s+", "", match.group(0)), match.start()) for match in PLACEHOLDER.finditer(text)]


# The lookahead lets the engine skip every other character at once (the second branch may start empty)
_BRACES = re.compile(r"(?=[{}%>])(?:\{+[%<#{]?|[%>}]?\}+)")


def _braces(text: str) -> list[Occurrence]:
    if "{" not in text and "}" not in text:  # most text: no need to try the pattern at every position
        return []
    return [(match.group(0), match.start()) for match in _BRACES.finditer(text)]


def _added(source: list[str], translation: list[str]) -> list[str]:
    return list((Counter(translation) - Counter(source)).elements())


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def safety_findings(
    source: str, translation: str, *, with_lines: bool = False, languages: tuple[str, ...] = ()
) -> list[Problem]:
    """Injections: what ``translation`` has that ``source`` does not (works on segments and whole posts).

    ``with_lines``: give each finding the line of ``translation`` where its first occurrence is.
    ``languages``: the source and target languages, whose codes may be swapped in a host (see
    :func:`language_neutral`).
    """
    source_host_list, source_link_list = _links(source)
    source_hosts = {language_neutral(host, languages) for host, _offset in source_host_list}
    source_links = {key for key, _offset in source_link_list}
    translation_hosts, translation_links = _links(translation)

    def added(occurrences: Callable[[str], list[Occurrence]]) -> list[Occurrence]:
        return added_occurrences(occurrences(source), occurrences(translation))

    checks = [
        ("script-injected", "injected {} tag", added(_dangerous_tags)),
        ("event-handler-injected", "injected event-handler attribute {}", added(_event_handlers)),
        ("unsafe-url", "injected {} URL", added(_unsafe_urls)),
        (
            "link-host-added",
            "links to a host the source does not: {}",
            [
                (host, offset)
                for host, offset in translation_hosts
                if language_neutral(host, languages) not in source_hosts
            ],
        ),
        (
            "link-added",
            "a link the source does not have: {}",
            [(key, offset) for key, offset in translation_links if key not in source_links],
        ),
        ("placeholder-damage", "machine-translation placeholder left: {}", added(_placeholders)),
        ("template-injected", "template or MDX expression syntax the source does not have: {}", added(_braces)),
    ]
    findings = []
    for check, template, occurrences in checks:
        if not occurrences:
            continue
        distinct = list(dict.fromkeys(what for what, _offset in occurrences))
        line = _line(translation, occurrences[0][1]) if with_lines else None
        findings.append(Problem(check, "error", template.format(_listing(distinct)), line=line))
    return findings


def layout_patch_findings(built: str, patched: str, *, source_lang: str, target_lang: str) -> list[Problem]:
    """What a page's layout patch would add to a built post that no layout may: the injections a translation
    may not make either (tags, handlers, hosts, links, template syntax, control characters); errors, at
    their lines in the patched post."""
    languages = (_language(source_lang), _language(target_lang))
    findings = safety_findings(built, patched, with_lines=True, languages=languages)
    return [finding for finding in findings + invisible_findings(built, patched, with_lines=True) if finding.is_error]


def invisible_findings(source: str, translation: str, *, with_lines: bool = False) -> list[Problem]:
    """Control, bidi and zero-width characters ``translation`` adds (see :mod:`l10n.invisible`)."""
    findings = []
    kinds: tuple[tuple[str, Severity, list[Occurrence]], ...] = (
        ("control-character", "error", added_controls(source, translation)),
        ("invisible-character", "warning", added_invisibles(source, translation)),
    )
    for check, severity, occurrences in kinds:
        if occurrences:
            distinct = list(dict.fromkeys(name for name, _offset in occurrences))
            line = _line(translation, occurrences[0][1]) if with_lines else None
            what = "control character" if severity == "error" else "invisible character"
            message = f"{what} the source does not have: {', '.join(distinct[:5])}"
            findings.append(Problem(check, severity, message, line=line))
    return findings


# --- the translation of one entry ------------------------------------------------------------------------


TRANSLATABLE_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "aria-description", "placeholder", "label"})


def _syntax_key(item: str, translatable: frozenset[str], languages: tuple[str, ...]) -> str:
    """A piece of the dialect's atomic syntax as a translation must keep it: a tag (a JSX element) as
    :func:`html_key` keeps it (its text attributes translated, an ``href`` to the same page); other syntax
    (a shortcode, a template tag) as written."""
    return html_key(item, translatable=translatable, languages=languages) if item.startswith("<") else item


def _fingerprint_findings(
    source: Fingerprint,
    translation: Fingerprint,
    languages: tuple[str, ...] = (),
    translatable: frozenset[str] = TRANSLATABLE_ATTRIBUTES,
    reviewed: bool = False,
) -> list[Problem]:
    findings = []
    source_links = [*source.link_destinations, *source.autolinks]
    translation_links = [*translation.link_destinations, *translation.autolinks]
    if sorted(_same_page(url, languages) for url in source_links) != sorted(
        _same_page(url, languages) for url in translation_links
    ):
        findings.append(
            Problem(
                "link-mismatch",
                "error",
                f"link destinations differ: {_difference(source_links, translation_links)}",
            )
        )
    if source.image_sources != translation.image_sources:
        findings.append(
            Problem(
                "image-mismatch",
                "error",
                f"image sources differ: {_difference(source.image_sources, translation.image_sources)}",
            )
        )
    if sorted(_syntax_key(item, translatable, languages) for item in source.syntax) != sorted(
        _syntax_key(item, translatable, languages) for item in translation.syntax
    ):
        findings.append(
            Problem(
                "syntax-mismatch",
                "error",
                f"framework syntax differs: {_difference(source.syntax, translation.syntax)}",
            )
        )
    if source.code != translation.code:
        difference = _difference(source.code, translation.code)
        if reviewed:  # a person localized an example (``<username>`` -> ``<nom-utilisateur>``) and said so
            findings.append(Problem("code-changed", "warning", f"inline code changed by its reviewer: {difference}"))
        else:
            findings.append(Problem("code-mismatch", "error", f"inline code differs: {difference}"))
    if source.footnotes != translation.footnotes:
        sources = [f"[^{label}]" for label in source.footnotes]
        translations = [f"[^{label}]" for label in translation.footnotes]
        findings.append(
            Problem(
                "footnote-mismatch",
                "error",
                f"footnote references differ: {_difference(sources, translations)}",
            )
        )
    spans = (("emphasis", "emphasis"), ("strong", "strong"), ("strikethrough", "strikethrough"))
    differing = [
        f"{name} {getattr(source, field)} -> {getattr(translation, field)}"
        for field, name in spans
        if getattr(source, field) != getattr(translation, field)
    ]
    if differing:
        findings.append(Problem("emphasis-mismatch", "error", "emphasis spans differ: " + ", ".join(differing)))
    source_html = [html_key(tag, languages=languages) for tag in source.html if not PLACEHOLDER.fullmatch(tag)]
    translation_html = [
        html_key(tag, languages=languages) for tag in translation.html if not PLACEHOLDER.fullmatch(tag)
    ]
    if added := _added(source_html, translation_html):
        findings.append(Problem("html-added", "error", f"raw HTML the source does not have: {_listing(added)}"))
    if missing := _added(translation_html, source_html):
        findings.append(Problem("html-mismatch", "error", f"raw HTML of the source missing: {_listing(missing)}"))
    return findings


_TAG_PARTS = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(.*?)(/?)>\Z", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")


def html_key(
    tag: str,
    *,
    internal_links_may_change: bool = False,
    translatable: frozenset[str] = TRANSLATABLE_ATTRIBUTES,
    languages: tuple[str, ...] | None = None,
) -> str:
    """A raw HTML tag as a translation must keep it: text attributes (``translatable``) may change.

    ``internal_links_may_change``: an ``href`` to an internal path (``/...``) or a same-page ``#fragment`` may
    differ too, as link rules and heading anchors rewrite them in built posts; the host and scheme of other
    links are checked on their own. With ``languages`` (an entry's check), an ``href`` must only name the
    same page, as a Markdown link must (:func:`_same_page`).
    """
    parts = _TAG_PARTS.match(tag.strip())
    if not parts:
        return " ".join(tag.split())
    closing, name, attributes, self_closing = parts.groups()
    kept = []
    for attribute in _ATTRIBUTE.finditer(attributes):
        attribute_name, value = attribute.group(1).lower(), attribute.group(2)
        if value is not None and attribute_name in translatable:
            value = "…"
        elif value is not None and internal_links_may_change and attribute_name == "href":
            value = "/…" if rewritten_in_builds(value.strip("\"'")) else value
        elif value is not None and languages is not None and attribute_name == "href":
            value = _same_page(value.strip("\"'"), languages)
        kept.append(attribute_name if value is None else f"{attribute_name}={value}")
    return f"<{closing}{name.lower()}{''.join(' ' + item for item in kept)}{self_closing}>"


NUMBER = re.compile(r"(?<![\d])(?:\d{1,3}(?:[ \u00a0\u202f,.'’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])")


def numbers(text: str) -> list[str]:
    """The numbers of ``text`` as digit strings, so that locale formatting does not count as a change."""
    return sorted(re.sub(r"\D", "", match.group(0)) for match in NUMBER.finditer(text))


_CLOSING = "\"'*_~`"


def end_punctuation(text: str) -> str:
    """The final punctuation mark a reader sees (``...`` and ``…`` are the same), or ``""``.

    Closing quotes and brackets, emphasis markers and spaces after it do not count.
    """
    end = len(text)
    while end and (
        text[end - 1] in _CLOSING or text[end - 1].isspace() or unicodedata.category(text[end - 1]) in ("Pe", "Pf")
    ):
        end -= 1
    trimmed = text[:end]
    if trimmed.endswith(("...", "…")):
        return "…"
    return trimmed[-1] if trimmed and trimmed[-1] in ".!?:;" else ""


FRENCH_SPACING = re.compile(r"\S[ \u00a0\u202f]+[:;!?](?=\s|$)|[«»]")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def _code_as_words(text: str) -> str:
    """``text`` with each code span as one word: a colon right after `` `npm` `` is not French spacing."""
    return _CODE_SPAN.sub("code", text) if "`" in text else text


def _leading(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trailing(text: str) -> str:
    return text[len(text.rstrip()) :]


def _glossary_findings(source_text: str, translation_text: str, terms: list[tuple[str, str]]) -> list[Problem]:
    findings = []
    for source_term, target_term in terms:
        if count_term(source_term, source_text) and not count_term(target_term, translation_text):
            verb = "keep" if source_term == target_term else "translate"
            how = f"{excerpt(source_term)}" if verb == "keep" else f"{excerpt(source_term)} as {excerpt(target_term)}"
            findings.append(Problem("glossary-term", "error", f"glossary says {verb} {how}"))
    return findings


@dataclass(frozen=True)
class SourceFacts:
    """What :func:`check_translation` reads from a source segment, worked out once for all its drafts (a
    machine translation run checks each draft, and a redone draft again, against the same source)."""

    msgid: str
    dialect: Dialect
    labels: frozenset[str]
    fingerprint: Fingerprint
    prose: str
    blocks: tuple[str, ...]


def source_facts(msgid: str, *, dialect: Dialect = COMMONMARK, references: Iterable[str] | None = None) -> SourceFacts:
    """The source side of :func:`check_translation` (``references`` as there)."""
    labels = frozenset(reference_labels(msgid) if references is None else map(normalizeReference, references))
    fingerprint, text = fingerprint_and_prose(msgid, labels=labels, dialect=dialect)
    return SourceFacts(msgid, dialect, labels, fingerprint, text, tuple(block_syntax(msgid, dialect)))


def check_translation(
    msgid: str,
    msgstr: str,
    *,
    source_lang: str,
    target_lang: str,
    glossary: Glossary | None = None,
    dialect: Dialect = COMMONMARK,
    references: Iterable[str] | None = None,
    code: bool = False,
    source: SourceFacts | None = None,
    reviewed: bool = False,
) -> list[Problem]:
    """Every finding on one translation of a segment of a post in ``dialect``; an empty ``msgstr``
    (untranslated) has none. ``code``: the entry is a code block's (see :func:`code_findings`).
    ``reviewed``: a person approved the translation (not fuzzy), so inline code it changes is theirs to
    change (a localized example), a warning; in a draft it is an error.

    ``references`` are the labels the post defines (``defined_labels``): ``[text]`` whose label is not
    among them is text, which a translation may change; unknown (None), every bracketed label of the source
    counts as a link. ``source``: :func:`source_facts` of ``msgid`` with the same ``dialect`` and
    ``references``, when the caller has it (else it is worked out here).
    """
    if not msgstr:
        return []
    if code:
        return code_findings(msgid, msgstr, languages=(_language(source_lang), _language(target_lang)))
    if source is None or source.msgid != msgid or source.dialect != dialect:
        source = source_facts(msgid, dialect=dialect, references=references)
    labels = source.labels
    languages = (_language(source_lang), _language(target_lang))
    source_fingerprint, source_text = source.fingerprint, source.prose
    translation_fingerprint, translation_text = fingerprint_and_prose(msgstr, labels=labels, dialect=dialect)
    translatable = TRANSLATABLE_ATTRIBUTES | {name.lower() for name in dialect.jsx_attributes}
    findings = _fingerprint_findings(source_fingerprint, translation_fingerprint, languages, translatable, reviewed)
    source_blocks, translation_blocks = list(source.blocks), block_syntax(msgstr, dialect)
    if source_blocks != translation_blocks:
        difference = _difference(source_blocks, translation_blocks)
        findings.append(Problem("syntax-mismatch", "error", f"framework blocks differ: {difference}"))
    if dialect.mdx:
        findings += [
            Problem("mdx-syntax", "error", f"MDX would not compile this: {message}")
            for _offset, message in added_syntax_errors(msgid, msgstr)
        ]
    findings += safety_findings(msgid, msgstr, languages=languages)
    findings += invisible_findings(msgid, msgstr)
    if glossary is not None:
        findings += _glossary_findings(source_text, translation_text, glossary.terms(source_lang, target_lang))

    if numbers(source_text) != numbers(translation_text):
        findings.append(
            Problem(
                "number-mismatch",
                "warning",
                f"numbers differ: {_difference(numbers(source_text), numbers(translation_text))}",
            )
        )
    if bool(_leading(msgid)) != bool(_leading(msgstr)) or bool(_trailing(msgid)) != bool(_trailing(msgstr)):
        findings.append(Problem("whitespace-mismatch", "warning", "leading or trailing whitespace differs"))
    source_end, translation_end = end_punctuation(source_text), end_punctuation(translation_text)
    if source_end != translation_end:
        findings.append(
            Problem(
                "end-punctuation",
                "warning",
                f"ends with {excerpt(translation_end or 'no punctuation')}, "
                f"the source with {excerpt(source_end or 'no punctuation')}",
            )
        )
    if msgstr == msgid and _needs_translation(source_text) and _language(source_lang) != _language(target_lang):
        findings.append(Problem("identical-to-source", "warning", "translation is identical to the source"))
    if _language(target_lang) != "fr" and (spacing := FRENCH_SPACING.findall(_code_as_words(msgstr))):
        findings.append(
            Problem(
                "french-typography",
                "warning",
                f"French typography in a {target_lang} translation: "
                + _listing(mark.lstrip()[-2:] for mark in spacing),
            )
        )
    return findings


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _needs_translation(text: str) -> bool:
    """More than three words, not all of them capitalised (a run of proper names reads the same)."""
    words = _WORD.findall(text)
    return len(words) > 3 and not all(word[0].isupper() for word in words)


def _language(code: str) -> str:
    return re.split(r"[_-]", code.lower(), maxsplit=1)[0]


def code_findings(msgid: str, msgstr: str, *, languages: tuple[str, ...] = ()) -> list[Problem]:
    """A code block's translation: it is shown as code, not read as Markdown, so only what it injects is an
    error (hosts, links, tags, control and invisible characters); a change to the code outside its comments
    and strings (:mod:`l10n.code_tokens`) is a warning, for a reviewer to look at."""
    findings = safety_findings(msgid, msgstr, languages=languages) + invisible_findings(msgid, msgstr)
    changed = first_code_change(msgid, msgstr)
    if changed is not None:
        findings.append(
            Problem("code-changed", "warning", f"code changed outside comments and strings: {excerpt(changed)}")
        )
    return findings


# --- a built post -----------------------------------------------------------------------------------------

_VERBATIM_BLOCKS = ("fence", "code_block", "html_block")


def _output_blocks(document: Document, output_text: str, rendered: Rendered | None) -> tuple[str, Sequence[BlockToken]]:
    """The built post with its front matter blanked, and its body's block tokens: those of render's verifying
    parse when the post is exactly what render returned, else from a parse of its own."""
    if rendered is not None and rendered.blocks is not None and rendered.text == output_text:
        return blank_head(output_text, rendered.body_start), rendered.blocks
    # front matter kept by render stays front matter; a post without it may gain one (front_matter.set)
    masked = mask_front_matter(output_text, expected=document.layout.front_matter is not None)
    windows = token_windows(normalize(masked).text, document.dialect, recording=False)
    return masked, [block for window in windows for block in block_tokens(window.tokens)]


def _block_signature(token: BlockToken, code_entries: bool = False) -> tuple[object, ...]:
    """What must be equal in the source and the built post; a code block's content only when code blocks are
    not entries (a translated one is checked as its entry)."""
    content = token.content if token.type in _VERBATIM_BLOCKS else None
    if code_entries and token.type in ("fence", "code_block"):
        content = None
    if token.type == "html_block":
        content = rewritable_hrefs_neutral(token.content)
    return (token.type, token.tag, token.nesting, token.markup, token.info.strip(), content)


def _tags_outside(text: str, lines: frozenset[int]) -> list[re.Match[str]]:
    """The HTML tags of ``text`` that do not start on one of ``lines`` (0-based)."""
    found = list(HTML_TAG.finditer(text))
    if not lines:
        return found
    kept, line, cursor = [], 0, 0
    for match in found:
        line += text.count("\n", cursor, match.start())
        cursor = match.start()
        if line not in lines:
            kept.append(match)
    return kept


def _code_lines(blocks: Sequence[BlockToken]) -> frozenset[int]:
    """The 0-based lines of the code blocks among ``blocks``."""
    return frozenset(
        line
        for token in blocks
        if token.type in ("fence", "code_block") and token.map is not None
        for line in range(token.map[0], token.map[1])
    )


def _describe(token: BlockToken) -> str:
    name = token.type.removesuffix("_open").removesuffix("_close").replace("_", " ")
    if token.type == "heading_open":
        name = f"heading {token.tag[1:]}"
    return name


def _mdx_rendered_findings(source: str, output: str, dialect: Dialect, *, structure_found: bool) -> list[Problem]:
    """A built MDX post: what MDX would not compile, and components or expressions that differ."""
    findings = [
        Problem("mdx-syntax", "error", f"MDX would not compile this: {message}", line=_line(output, offset))
        for offset, message in added_syntax_errors(source, output)
    ]
    difference = None if structure_found else outline_difference(source, output, dialect)
    if difference is not None:
        line, message = difference
        findings.append(
            Problem("structure-mismatch", "error", f"components or expressions differ: {message}", line=line)
        )
    return findings


def check_rendered(
    document: Document,
    output_text: str,
    *,
    source_lang: str = "",
    target_lang: str = "",
    rendered: Rendered | None = None,
) -> list[Problem]:
    """Findings on a built post: its block structure against the source's, and injected content.

    Front matter is left out of the comparison: its translated values are checked as entries, and keys the
    configuration sets (``front_matter.set``) are trusted. With the languages given, a link localized to the
    target language (see :func:`language_neutral`) is not a new host. ``rendered``, the result ``output_text``
    was built from, spares a parse of the output when the two are the same text.
    """
    findings: list[Problem] = []
    layout = document.layout
    source_text, source_blocks = body_text(document.text, layout.front_matter), layout.blocks
    output, output_blocks = _output_blocks(document, output_text, rendered)
    for index in range(max(len(source_blocks), len(output_blocks))):
        source_token = source_blocks[index] if index < len(source_blocks) else None
        output_token = output_blocks[index] if index < len(output_blocks) else None
        code_entries = document.dialect.code_blocks
        if (
            source_token
            and output_token
            and _block_signature(source_token, code_entries) == _block_signature(output_token, code_entries)
        ):
            continue
        mapped = [token for token in (output_token, source_token) if token is not None and token.map]
        line = mapped[0].map[0] + 1 if mapped and mapped[0].map else None
        expected = _describe(source_token) if source_token else "end of post"
        found = _describe(output_token) if output_token else "end of post"
        if expected == found:
            found += " with different markup or content"
        message = f"output does not parse like the source: {found}, expected {expected}"
        findings.append(Problem("structure-mismatch", "error", message, line=line))
        break

    if document.dialect.mdx:
        findings += _mdx_rendered_findings(source_text, output, document.dialect, structure_found=bool(findings))
    languages = tuple(_language(code) for code in (source_lang, target_lang) if code)
    findings += safety_findings(source_text, output, with_lines=True, languages=languages)
    findings += invisible_findings(document.text, output_text, with_lines=True)
    # In MDX, the dialect's translated component attributes (``description``...) are text too; tags inside
    # code blocks are code, and with code_blocks a code block's translation is checked as its entry.
    translatable = TRANSLATABLE_ATTRIBUTES | {name.lower() for name in document.dialect.jsx_attributes}
    source_code = _code_lines(source_blocks) if document.dialect.code_blocks else frozenset()
    output_code = _code_lines(output_blocks) if document.dialect.code_blocks else frozenset()

    def key(tag: str) -> str:
        return html_key(tag, internal_links_may_change=True, translatable=translatable)

    source_tags = [key(match.group(0)) for match in _tags_outside(source_text, source_code)]
    output_tags = [(match.start(), key(match.group(0))) for match in _tags_outside(output, output_code)]
    if added := _added(source_tags, [key for _start, key in output_tags]):
        first = min(start for start, key in output_tags if key in added)
        findings.append(
            Problem(
                "html-added",
                "error",
                f"raw HTML the source does not have: {_listing(added)}",
                line=_line(output, first),
            )
        )
    return findings
