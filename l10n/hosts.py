"""The links a text would produce on a website, with their hosts normalized as a browser would see them.

A translation is untrusted: it may add a link in a disguise that a plain comparison misses but a renderer or a
URL parser resolves. What counts here as a link:

* a host after ``//`` (with any scheme, or none): userinfo (``good.com@``) and port dropped, percent-decoding
  (``evil%2Ecom``), IDNA/UTS-46 mapping (full-width ``．``, ideographic ``。`` and half-width ``｡`` dots are
  dots, case folds), and numeric IPv4 in any spelling (``2130706433``, ``0x7f.1``, ``0177.0.0.1``) written
  as the dotted quad;
* a bare domain: ``www.name.tld`` (a GFM extended autolink) and ``name.tld/...``, ``name.tld`` with a common
  top-level domain or a disguised dot (``evil。com``), which linkifiers turn into links;
* an e-mail address (a GFM autolink) and ``mailto:``/``xmpp:`` addresses, keyed ``mailto:user@host``;
* any other scheme (``tel:``, ``sms:``, ``ftp:``...) in a link position or known to be linkable, keyed by the
  scheme and its target.

:func:`links` returns them as :class:`Link` values whose ``key`` is what two texts must share to be the same
link; the checks (``l10n.checks``) and the machine-translation verifier (``l10n.translate.placeholders``) both
compare a translation's keys with its source's.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

import idna

_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

# Characters that URL parsers (UTS-46) read as a label separator, and the percent-encoded dot.
_DOT = r"(?:[.\u3002\uff0e\uff61]|%2[eE])"
_LABEL = r"[\w-]+"
_DOMAIN = rf"{_LABEL}(?:{_DOT}{_LABEL})+"

# Each pattern starts with a literal or a word character, so that a scan over a whole post stays linear: the
# scheme before ``//`` or ``:`` and the user before ``@`` are looked for backwards from there.
# ``//authority``; the authority stops where a browser's would (``\`` is ``/``).
_AUTHORITY = re.compile(r"//([^/\s?#<>()\"'`\[\]\\|]+)")
_SCHEME_BEFORE = re.compile(r"(?<![\w+.-])([a-z][a-z0-9+.-]{0,31}):\Z", re.IGNORECASE)
# A dotted word: a domain candidate (``www.`` names and bare ``name.tld``) when it has a dot.
_DOTTED_WORD = re.compile(rf"{_LABEL}(?:{_DOT}{_LABEL})*")
_HAS_DOT = re.compile(_DOT)
_DOT_CHARACTER = re.compile(r"[.\u3002\uff0e\uff61]|%(?=2[eE])")
_WWW = re.compile(rf"www{_DOT}", re.IGNORECASE)
_AT_DOMAIN = re.compile(rf"@({_DOMAIN})")
_USER_BEFORE = re.compile(r"(?<![\w.+%-])[\w.+%-]+\Z")
# A colon followed by something that is not a space (``Note: x`` is prose).
_COLON = re.compile(r":(?=[^\s:])")
# Where any scheme makes a link: a Markdown destination ``](``, an autolink ``<``, an attribute value (after
# ``=``, quoted or not, or in a JSX expression ``={"``), a reference definition ``]:``. A quoted string
# elsewhere (``"my-app:event"`` in code) is no link.
_LINK_POSITION = re.compile(r"(?:\]\(|<|=\s*\{?\s*[\"'`]?|\]:)\s*\Z")
_OPAQUE_TARGET = re.compile(r"[^\s<>()\[\]\"'`]*")
_AUTOLINK_REST = re.compile(r"[^\s<>]*>")

# Schemes a renderer or a reader's device turns into a link wherever they appear.
LINKABLE_SCHEMES = frozenset(
    {
        "http", "https", "ftp", "ftps", "sftp", "ssh", "git", "file", "mailto", "xmpp", "tel", "sms", "mms",
        "callto", "skype", "facetime", "facetime-audio", "irc", "ircs", "news", "nntp", "magnet", "webcal",
        "ws", "wss", "geo", "intent", "market", "itms", "itms-apps", "bitcoin", "sip", "sips", "matrix",
    }
)  # fmt: skip
# Top-level domains common enough that a bare ``name.tld`` is taken for a link by linkifiers.
COMMON_TLDS = frozenset(
    {
        "com", "net", "org", "info", "biz", "io", "co", "ai", "app", "dev", "xyz", "top", "site", "online",
        "shop", "store", "me", "ly", "gg", "tv", "cc", "ws", "to", "ru", "cn", "su", "tk", "ml", "ga", "cf",
        "click", "link", "live", "zip", "mov", "fr", "de", "uk", "eu", "us",
    }
)  # fmt: skip
# Schemes whose target is an address ``user@host``.
_ADDRESS_SCHEMES = frozenset({"mailto", "xmpp", "sip", "sips"})

LinkKind = Literal["host", "link"]


@dataclass(frozen=True)
class Link:
    """One link of a text: a ``host`` (compared by host) or another ``link`` (compared by ``key``)."""

    kind: LinkKind
    key: str
    offset: int


@functools.lru_cache(maxsize=4096)
def normalize_host(raw: str) -> str:
    """The host a URL parser finds in an authority: ``User@EVIL%2Ecom:80`` -> ``evil.com``."""
    host = raw
    for _ in range(2):  # a double encoding is decoded by some servers and proxies
        decoded = unquote(host)
        if decoded == host:
            break
        host = decoded
    host = host.rsplit("@", 1)[-1]
    if host.startswith("["):  # an IPv6 literal keeps its colons
        return host.split("]", 1)[0].lower() + "]"
    host = host.split(":", 1)[0]
    host = _to_ascii(host.strip())
    return _ipv4(host) or host


def _to_ascii(host: str) -> str:
    """IDNA (UTS-46) form: dots unified, case folded, non-ASCII labels as punycode; best effort if invalid."""
    try:
        return idna.encode(host.rstrip(".\u3002\uff0e\uff61"), uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        pass
    try:
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
    except (idna.IDNAError, UnicodeError, ValueError):
        mapped = host
    labels = []
    for label in mapped.lower().rstrip(".").split("."):
        try:
            labels.append(idna.encode(label, uts46=True).decode("ascii") if label else label)
        except (idna.IDNAError, UnicodeError, ValueError):
            labels.append(label)
    return ".".join(labels)


def _ipv4_part(text: str) -> int | None:
    try:
        if text[:2].lower() == "0x":
            return int(text[2:] or "0", 16)
        if len(text) > 1 and text.startswith("0"):
            return int(text[1:], 8)
        return int(text, 10) if text.isascii() and text.isdigit() else None
    except ValueError:
        return None


def _ipv4(host: str) -> str | None:
    """The dotted quad of a numeric host as the WHATWG URL parser reads it (``2130706433`` -> ``127.0.0.1``),
    or None when ``host`` is a name."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not parts or len(parts) > 4 or any(not part for part in parts):
        return None
    numbers = [_ipv4_part(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    if any(value > 255 for value in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    address = values[-1]
    for index, value in enumerate(values[:-1]):
        address += value * 256 ** (3 - index)
    return ".".join(str((address >> shift) & 255) for shift in (24, 16, 8, 0))


def _bare_domain_is_link(domain: str, following: str) -> bool:
    """Whether a bare ``name.tld`` would become a link: a path after it, a disguised dot, or a common TLD."""
    if following.startswith("/"):
        return True
    if re.search(r"[\u3002\uff0e\uff61%]", domain):
        return True
    tld = re.split(_DOT, domain)[-1].lower()
    return tld in COMMON_TLDS


def _scheme_link(text: str, scheme: str, start: int, after: int) -> Link | None:
    """The link a ``scheme:`` at ``start`` (its target at ``after``) makes, or None."""
    scheme = scheme.lower()
    if scheme not in LINKABLE_SCHEMES:
        position = _LINK_POSITION.search(text[max(0, start - 8) : start])
        if position is None or (position.group(0).strip() == "<" and not _AUTOLINK_REST.match(text, after)):
            return None  # not where a link is made; ``<`` makes one only as an autolink ``<scheme:...>``
    if text.startswith("//", after):  # its host is compared on its own; the scheme must be one the source has
        return None if scheme in ("http", "https") else Link("link", f"{scheme}:", start)
    target = unquote(_OPAQUE_TARGET.match(text, after).group(0))  # type: ignore[union-attr]
    if scheme in _ADDRESS_SCHEMES and "@" in target:
        user, _, host = target.split("?", 1)[0].rpartition("@")
        return Link("link", f"{scheme}:{user.lower()}@{normalize_host(host)}", start)
    if scheme in ("tel", "sms", "mms", "callto", "facetime", "facetime-audio"):
        return Link("link", f"tel:{re.sub(r'[^0-9+*#a-z]', '', target.lower())}", start)
    return Link("link", f"{scheme}:{target}", start)


def _is_label_character(character: str) -> bool:
    return bool(character) and (character.isalnum() or character in "_-")


def _scheme_before(text: str, end: int) -> re.Match[str] | None:
    """The ``scheme:`` that ends at ``end`` (just after its colon), if any."""
    return _SCHEME_BEFORE.search(text, max(0, end - 34), end)


def links(text: str) -> list[Link]:
    """Every link ``text`` would produce (in a Markdown renderer with GFM autolinks, or an HTML attribute).

    ``text`` should already have Markdown escapes and HTML character references resolved (as a browser sees
    a URL); percent-encoding is resolved here.
    """
    found: list[Link] = []
    taken: list[tuple[int, int]] = []

    def add(link: Link, start: int, end: int) -> None:
        found.append(link)
        taken.append((start, end))

    def free(start: int, end: int) -> bool:
        return all(end <= taken_start or start >= taken_end for taken_start, taken_end in taken)

    if "//" in text:
        for match in _AUTHORITY.finditer(text):
            host = normalize_host(match.group(1))
            scheme = _scheme_before(text, match.start())
            start = scheme.start() if scheme else match.start()
            if host and (scheme or "." in host or host == "localhost"):
                add(Link("host", host, start), start, match.end())
    if "@" in text:
        for match in _AT_DOMAIN.finditer(text):
            user = _USER_BEFORE.search(text, max(0, match.start() - 64), match.start())
            if user is None or not free(user.start(), match.end()):
                continue
            key = f"mailto:{unquote(user.group(0)).lower()}@{normalize_host(match.group(1))}"
            add(Link("link", key, user.start()), user.start(), match.end())
    if ":" in text:
        for match in _COLON.finditer(text):
            scheme = _scheme_before(text, match.start() + 1)
            if scheme is None or len(scheme.group(1)) < 2:  # ``C:\`` is a drive
                continue
            link = _scheme_link(text, scheme.group(1), scheme.start(), match.end())
            if link is None:
                continue
            if link.key.startswith(("mailto:", "xmpp:")) and any(
                existing.key == link.key and existing.offset > scheme.start() for existing in found
            ):
                continue  # mailto:address: the address itself is already counted
            found.append(link)
    scanned = 0
    for dot in _DOT_CHARACTER.finditer(text):
        position = dot.start()
        if position < scanned or not _is_label_character(text[position - 1 : position]):
            continue
        following = dot.end() + (2 if dot.group(0) == "%" else 0)
        if not _is_label_character(text[following : following + 1]):
            continue  # most dots end a sentence
        start = position
        while start > 0 and _is_label_character(text[start - 1]):
            start -= 1
        word = _DOTTED_WORD.match(text, start)
        if word is None:
            continue
        scanned = word.end()
        domain = word.group(0)
        if not _HAS_DOT.search(domain) or not free(word.start(), word.end()):
            continue
        before = text[word.start() - 1 : word.start()]
        after = text[word.end() : word.end() + 1]
        if _WWW.match(domain):
            if before and before in "@.-":
                continue
        elif (before and before in "@./%:-") or after == "@" or not _bare_domain_is_link(domain, after):
            continue
        add(Link("host", normalize_host(domain), word.start()), word.start(), word.end())
    return sorted(found, key=lambda link: link.offset)


def as_browser_sees(text: str) -> str:
    """What a browser would see in a URL: Markdown escapes and HTML character references resolved."""
    return html.unescape(_MARKDOWN_ESCAPE.sub(r"\1", text) if "\\" in text else text)


def added_links(source: str, translation: str) -> list[Link]:
    """The links of ``translation`` (Markdown) that ``source`` does not have, hosts compared as normalized."""
    allowed = Counter(link.key for link in links(as_browser_sees(source)))
    return [link for link in links(as_browser_sees(translation)) if not allowed[link.key]]
