"""``l10n adopt``: bring a site's existing translations into its catalogs (alignment by structure and
anchors), and mark as l10n's the translated posts a build then reproduces byte for byte."""
