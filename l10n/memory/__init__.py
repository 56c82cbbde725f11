"""The translation memory: reviewed translations of a locale's catalogs (and compendia), offered to fill
empty entries. :mod:`~l10n.memory.rules` says what it learns and answers and how an entry is filled,
:mod:`~l10n.memory.fuzzy` how a close text is found, :mod:`~l10n.memory.database` keeps it on disk."""
