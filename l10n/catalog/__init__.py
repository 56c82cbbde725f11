"""Gettext catalogs: :mod:`~l10n.catalog.entries` (what an entry is: the one home of the entry rules),
:mod:`~l10n.catalog.template` (``.pot`` from a document), :mod:`~l10n.catalog.merge` (msgmerge-style
updates), :mod:`~l10n.catalog.stats`, :mod:`~l10n.catalog.io` (parse, and the one writer every command
uses) and :mod:`~l10n.catalog.po` (the fast PO reader and formatter underneath)."""
