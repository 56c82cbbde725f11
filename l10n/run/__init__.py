"""Runs over the project's posts: :mod:`~l10n.run.operations` (the commands' operations), the incremental
run (:mod:`~l10n.run.incremental`), one post's work (:mod:`~l10n.run.post`), the plan of what a run writes
(:mod:`~l10n.run.plan`) and the translation memory's databases during a run (:mod:`~l10n.run.memories`)."""
