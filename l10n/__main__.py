"""``python -m l10n``: the same command as the ``l10n`` script."""

from l10n.cli import main

main()
