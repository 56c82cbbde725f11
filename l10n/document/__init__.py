"""The Markdown model: a post's translatable segments out, translations back in, layout preserved.

``extract(text) -> Document`` and ``render(document, translations) -> Rendered`` are pure functions of text.
"""

from l10n.problems import Problem

from .extract import extract
from .render import render
from .segments import Document, FrontMatterError, Rendered, Segment, Span

__all__ = ["Document", "FrontMatterError", "Problem", "Rendered", "Segment", "Span", "extract", "render"]
