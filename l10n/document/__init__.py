"""The Markdown model: a post's translatable segments out, translations back in, layout preserved.

``extract(text) -> Document`` and ``render(document, translations) -> Rendered`` are pure functions of text.

The names below are loaded when first used, so that importing a light module of the package (the dialect,
the front matter scanner) does not load the parser: the configuration and a run with nothing to do need
only those. ``extract`` and ``render`` name the functions, as they always did, not their modules.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from l10n.problems import Problem

    from .extract import extract
    from .render import render
    from .segments import Document, FrontMatterError, Rendered, Segment, Span

_HOMES = {
    "Problem": "l10n.problems",
    "extract": f"{__name__}.extract",
    "render": f"{__name__}.render",
    "Document": f"{__name__}.segments",
    "FrontMatterError": f"{__name__}.segments",
    "Rendered": f"{__name__}.segments",
    "Segment": f"{__name__}.segments",
    "Span": f"{__name__}.segments",
}

__all__ = ["Document", "FrontMatterError", "Problem", "Rendered", "Segment", "Span", "extract", "render"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """Keeps ``extract`` and ``render`` the functions when their modules are imported (the import system sets
    each submodule as an attribute of its package)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("extract", "render") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
