"""Whether a file a run is about to replace still holds what the run read from it."""

from __future__ import annotations

from pathlib import Path

from l10n.store.identity import file_digest


def changed_since_read(target: str, read: str | None) -> bool:
    """True when ``target`` changed on disk since the run read it (``read``: its content hash then, "" when it
    did not exist): moving a new version over it would lose another writer's work. A target with no recorded
    reading (None) is never stale."""
    if read is None:
        return False
    return file_digest(Path(target)) != (read or None)
