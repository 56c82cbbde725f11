"""l10n: layout-preserving localization of Markdown posts through gettext catalogs."""

__version__ = "0.1.0"
