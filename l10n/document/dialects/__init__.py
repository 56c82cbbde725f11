"""The syntax sites add to CommonMark, one markdown-it plugin per module (applied by ``markdown.dialect_plugins``).

Conventions shared by every plugin:

* atomic inline syntax (a text directive without label, a shortcode, a template tag, a locked pattern) is an
  inline token whose ``meta["l10n_atomic"]`` is true and whose ``content`` is its raw source: the inline
  fingerprint keeps it and the machine-translation encoder sends it as ``<xN/>``;
* block-level syntax tokens carry their name and non-prose attributes in ``info``, so the structure signature
  sees a changed name;
* a label or title that is its own entry is an ``inline`` token whose ``meta["l10n_entry"]`` names its kind and
  whose ``meta["l10n_span"]`` is its ``(start, end)`` offsets in the parsed text (``meta["l10n_mode"]``
  ``title`` when it sits between quotes, which a translation's quotes must not close).
"""

from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

ATOMIC = "l10n_atomic"
ENTRY = "l10n_entry"
SPAN = "l10n_span"
MODE = "l10n_mode"


def render_source(self: object, tokens: Sequence[Token], index: int, options: object, env: object) -> str:
    """HTML of a syntax token for the review page: its source, escaped (what the site's generator expands)."""
    token = tokens[index]
    text = escapeHtml(token.content)
    return f"<pre><code>{text}</code></pre>\n" if token.block else f"<code>{text}</code>"
