"""A catalog read as a stream of entries, for the passes that only look at each entry once (the build's).

A parsed catalog (``polib.POFile``) holds every entry as a Python object with its lists and dictionaries, several
times the file's size. ``build`` only asks each entry whether it is usable and takes its msgstr, so it keeps the
catalog's text and reads its entries one at a time, each pass anew (:func:`l10n.catalog.po.read.stream_po`): the
same entry objects parsing gives, never all held at once. A text outside the common form of PO is parsed the
general way (:func:`l10n.catalog.io.parse_catalog`) and the pass starts again on that, errors included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polib

from l10n.catalog.io import parse_catalog
from l10n.catalog.po.read import UncommonForm, stream_po

T = TypeVar("T")


@dataclass(frozen=True)
class CatalogText:
    """A catalog file's text, as read (strict UTF-8), not parsed."""

    text: str
    path: Path

    def scan(self, function: Callable[[Iterable[polib.POEntry]], T]) -> T:
        """``function`` of the catalog's entries (``for entry in catalog`` of the parsed catalog: live and
        obsolete ones in file order, the header left out). ``function`` must do nothing but return its result:
        it may be called a second time, on the parsed catalog, when the text turns out not to be common PO."""
        try:
            return function(stream_po(self.text))
        except UncommonForm:
            return function(parse_catalog(self.text, self.path))


def scan(catalog: polib.POFile | CatalogText | None, function: Callable[[Iterable[polib.POEntry]], T]) -> T:
    """``function`` of the entries of a parsed catalog, of a catalog's text read as a stream, or of none."""
    if catalog is None:
        return function(())
    if isinstance(catalog, CatalogText):
        return catalog.scan(function)
    return function(catalog)
