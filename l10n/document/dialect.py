"""What a post's framework adds to Markdown, as plain data: the configuration reads it without the parser
(:mod:`l10n.document.markdown` turns it into markdown-it plugins)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """What a post's framework adds to CommonMark + GFM (tables, strikethrough, task lists, footnotes).

    Hashable: parsers are built once per dialect and purpose.
    """

    mdx: bool = False  # ESM, JSX flow and text elements, {expressions} (Astro, Docusaurus, Next.js .mdx)
    directives: bool = False  # remark-directive: :::name[label]{attrs}, ::leaf, :text (Starlight asides)
    containers: bool = False  # markdown-it containers: ::: tip Title (VitePress, Docusaurus admonitions)
    shortcodes: bool = False  # Hugo {{< name >}} and {{% name %}}
    liquid: bool = False  # Liquid / Jinja / Twig: {% tag %}, {{ expression }} (Jekyll, Eleventy, Grav)
    protect: tuple[str, ...] = ()  # a site's locked patterns (regular expressions)
    jsx_attributes: tuple[str, ...] = ()  # JSX string attributes that carry prose, translated as entries
    jsx_verbatim: tuple[str, ...] = ()  # components whose content is not prose (layout)
    shortcode_attributes: tuple[str, ...] = ()  # Hugo shortcode parameters that carry prose, translated as entries
    code_blocks: bool = False  # fenced and indented code blocks are entries too, whose translation is optional


COMMONMARK = Dialect()
