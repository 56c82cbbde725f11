"""Which localized posts l10n wrote, and what it wrote: a committed record, so a fresh clone knows it too.

One file per target language, ``locales/<lang>/outputs.lock``: a line per post, its path under the source
directory and the content hash of the output l10n last wrote (or found identical to what it would build).
A build overwrites an existing output only when the output's bytes still have the recorded hash: a page
written by a person, or edited by one after a build, is left as it is (``l10n adopt`` brings it in, ``--force``
overwrites it). The file changes only when an output does, so a run that changes nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from pathlib import Path

from l10n.fileio import InputError, read_text_if_any

LOCK_NAME = "outputs.lock"
_HEADER = (
    "# Localized posts written by l10n: path under the source directory, then the content hash (BLAKE2b-128)\n"
    "# of what l10n wrote. A post whose output no longer has this hash was edited by hand and is not\n"
    "# overwritten (run l10n adopt, or build with --force). Written by l10n; commit it with the outputs.\n"
)
NOT_OURS_CHECK = "not-written-by-l10n"
NOT_OURS_MESSAGE = "not written by l10n (or edited since): run l10n adopt, or --force"


def lock_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / LOCK_NAME


def parse_lock(text: str, path: Path) -> dict[str, str]:
    """rel -> output hash; a malformed line is bad input (file and line)."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        rel, tab, hashed = line.rpartition("\t")
        if not tab or not rel or len(hashed) != 32 or any(char not in "0123456789abcdef" for char in hashed):
            raise InputError(path, number, "expected '<post path><TAB><32 hex digits>'")
        entries[rel] = hashed
    return entries


def read_lock(path: Path) -> dict[str, str]:
    text = read_text_if_any(path)
    return {} if text is None else parse_lock(text, path)


def render_lock(entries: Mapping[str, str]) -> str:
    return _HEADER + "".join(f"{rel}\t{entries[rel]}\n" for rel in sorted(entries, key=lambda rel: rel.split("/")))


class Verdict(Enum):
    SAME = "same"  # the output already is what the build makes (l10n's, whatever the record says)
    WRITE = "write"  # no output yet, or the recorded one, or forced: write it
    NOT_OURS = "not ours"  # a page l10n did not write, or one edited since: leave it


def verdict(current: str | None, built: str, recorded: str | None, *, force: bool) -> Verdict:
    """What a build does with an output whose bytes hash to ``current`` (None: no file), given the hash of
    what it built and the hash the lock records for the post."""
    if current == built:
        return Verdict.SAME
    if current is None or force or current == recorded:
        return Verdict.WRITE
    return Verdict.NOT_OURS


def state_token(output: str | None, recorded: str | None) -> str | None:
    """What the run cache compares for an output: its hash and whether the lock records that hash, so a
    changed lock (a git pull, ``l10n adopt``) makes the post's record stale."""
    if output is None:
        return None
    return output + ("+" if output == recorded else "-")
