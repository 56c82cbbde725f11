"""Everything in ``.l10n-cache/``, an optimization only (deleting it costs time, never correctness):
:mod:`~l10n.store.sqlite` (the databases' plumbing), :mod:`~l10n.store.identity` (digests, the tool's
fingerprint), :mod:`~l10n.store.records` (what earlier runs verified), :mod:`~l10n.store.parsed` (parsed
sources), :mod:`~l10n.store.stamps` (files' digests by their size, times and inode) and
:mod:`~l10n.store.spool` (a run's results kept on disk until its end)."""
