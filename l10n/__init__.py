"""l10n: layout-preserving localization of Markdown posts through gettext catalogs.

The pure core reads and writes text: :mod:`l10n.document` (Markdown to segments and back),
:mod:`l10n.catalog` (gettext catalogs), :mod:`l10n.checks`, :mod:`l10n.problems` (the one problem type).
Around it: :mod:`l10n.run` (the commands' runs over posts), :mod:`l10n.store` (the cache in ``.l10n-cache/``),
:mod:`l10n.memory` (the translation memory), :mod:`l10n.translate`, :mod:`l10n.review`, :mod:`l10n.adopt`,
and :mod:`l10n.cli` at the edge. The README's "Layout" section maps every module.
"""

__version__ = "0.1.0"
