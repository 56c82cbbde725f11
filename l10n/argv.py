"""Global options accepted after the command too: ``l10n build -q`` is ``l10n -q build``.

Click (under typer) reads the group's options only before the command name; users type them anywhere.
Only the global options are moved (``-q``/``--quiet``, ``-v``/``-vv``/``--verbose``, ``--debug``, ``--root DIR``),
and nothing after a ``--``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FLAG = re.compile(r"-q|--quiet|-v+|--verbose|--debug|--root=.*")


def _command_index(args: Sequence[str]) -> int | None:
    """Where the command name is: the first argument that is neither an option nor ``--root``'s value."""
    index = 0
    while index < len(args):
        argument = args[index]
        if argument == "--":
            return None
        if argument == "--root":
            index += 2
        elif argument.startswith("-"):
            index += 1
        else:
            return index
    return None


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """``args`` with the global options that follow the command moved before it."""
    command = _command_index(args)
    if command is None:
        return list(args)
    moved: list[str] = []
    kept: list[str] = []
    rest = args[command + 1 :]
    index = 0
    while index < len(rest):
        argument = rest[index]
        if argument == "--":
            kept.extend(rest[index:])
            break
        if _FLAG.fullmatch(argument):
            moved.append(argument)
        elif argument == "--root" and index + 1 < len(rest):
            moved.extend(rest[index : index + 2])
            index += 1
        else:
            kept.append(argument)
        index += 1
    return [*args[:command], *moved, args[command], *kept]
