"""Runs over the project's posts: :mod:`~l10n.run.operations` (the commands' operations),
:mod:`~l10n.run.status`, the incremental run (:mod:`~l10n.run.incremental`), one post's work
(:mod:`~l10n.run.post`, imported only when a post needs work), the plan of what a run writes
(:mod:`~l10n.run.plan`), the translation memory's databases during a run (:mod:`~l10n.run.memories`) and
the link fragments that follow translated headings (:mod:`~l10n.run.anchors`)."""
