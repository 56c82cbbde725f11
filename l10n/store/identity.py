"""What the run cache keys on: content digests, the tool's fingerprint, and the identity every database of
``.l10n-cache/`` must carry to be trusted."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import sys
from functools import cache
from pathlib import Path

# The format of the cache's databases: a new one makes every database of an older format untrusted.
FORMAT = 2
# Libraries whose behaviour shapes catalogs and outputs: a new version of any of them invalidates the cache.
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "polib", "PyYAML", "python-frontmatter", "babel", "rapidfuzz")
_PACKAGE = Path(__file__).resolve().parent.parent


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digester() -> hashlib.blake2b:
    """:func:`digest` a piece at a time: ``update`` it with the data's pieces in order, then ``hexdigest()``."""
    return hashlib.blake2b(digest_size=16)


def text_digest(text: str) -> str:
    return digest(text.encode("utf-8"))


UNREADABLE = "unreadable:"  # how the digest of a file that could not be read starts (it matches nothing)


def file_digest(path: Path) -> str | None:
    """The content hash of a file; None when it does not exist; a never-matching value when unreadable."""
    try:
        return digest(Path(path).read_bytes())
    except FileNotFoundError:
        return None
    except OSError:
        return UNREADABLE + secrets.token_hex(8)


@cache
def tool_fingerprint() -> str:
    """The tool's identity: its version and source files, the parsing libraries' versions, Python's."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"format {FORMAT}\n{sys.version}\n".encode())
    versions = _versions_by_directory_name(_LIBRARIES)
    for name in _LIBRARIES:
        hasher.update(f"{name} {versions.get(name) or _version_by_metadata(name)}\n".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        hasher.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _versions_by_directory_name(names: tuple[str, ...]) -> dict[str, str]:
    """The installed versions of ``names`` read from the names of their ``.dist-info`` directories, the
    first found on ``sys.path`` (as :mod:`importlib.metadata` finds them), without importing that module:
    every command pays for its import, and its lookups, at start. A name not found here is left out."""
    wanted = {_normalized(name): name for name in names}
    found: dict[str, str] = {}
    for directory in sys.path:
        with contextlib.suppress(OSError), os.scandir(directory or ".") as listing:
            for entry in listing:
                if not entry.name.endswith(".dist-info"):
                    continue
                distribution, _, version = entry.name.removesuffix(".dist-info").partition("-")
                name = wanted.get(_normalized(distribution))
                if name is not None and version and name not in found:
                    found[name] = version
        if len(found) == len(wanted):
            break
    return found


def _version_by_metadata(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def context_digest(*parts: object) -> str:
    return text_digest(json.dumps([str(part) for part in parts]))


def cache_identity() -> dict[str, str]:
    """What the ``meta`` table of each of the cache's databases must hold for it to be trusted."""
    return {"format": str(FORMAT), "tool": tool_fingerprint()}
