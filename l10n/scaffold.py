"""``l10n init``: guess where a site keeps its posts and write a commented ``l10n.toml``."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from l10n.config import CONFIG_FILE, parse_locale
from l10n.dialect_choice import initial_dialect_settings
from l10n.fileio import InputError, atomic_write_text

SKIPPED = {"node_modules", "venv", ".venv", "dist", "build", "public", "_site", "locales", "__pycache__"}
MAX_DEPTH = 6
_LOCALE_NAME = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Guess:
    source_dir: str
    source_lang: str
    target_langs: tuple[str, ...]
    posts: int


def _is_locale(name: str) -> bool:
    if not _LOCALE_NAME.match(name):
        return False
    try:
        parse_locale(name)
    except (ValueError, LookupError):
        return False
    return True


def _count_posts(directory: Path) -> int:
    return sum(1 for path in directory.rglob("*") if path.suffix in (".md", ".mdx") and path.is_file())


def guess_layout(root: Path) -> Guess | None:
    """The directory named after a locale holding the most Markdown posts (French first), and its siblings
    named after other locales as targets."""
    candidates: list[tuple[Path, int]] = []
    for directory, subdirectories, _ in os.walk(root):
        depth = len(Path(directory).relative_to(root).parts)
        subdirectories[:] = sorted(
            name for name in subdirectories if not name.startswith(".") and name not in SKIPPED and depth < MAX_DEPTH
        )
        for name in subdirectories:
            path = Path(directory) / name
            if _is_locale(name):
                count = _count_posts(path)
                if count:
                    candidates.append((path, count))
    if not candidates:
        return None
    source, count = max(candidates, key=lambda item: (item[0].name == "fr", item[1], -len(item[0].parts)))
    targets = tuple(sorted(path.name for path, _ in candidates if path.parent == source.parent and path != source))
    return Guess(source.relative_to(root).as_posix(), source.name, targets or ("en",), count)


TEMPLATE = """\
# l10n configuration: {found}
# Every key is optional; the values shown are what l10n uses.

source_lang = "{source_lang}"
target_langs = [{targets}]
# Where the source posts are, and where localized posts go ({{lang}} is the target locale).
source_dir = "{source_dir}"
output_dir = "{output_dir}"
# Templates (.pot) go to <locales_dir>/templates/, catalogs (.po) to <locales_dir>/<lang>/.
locales_dir = "locales"
# Front matter values to translate; dotted paths reach nested keys ("seo.title"), [] every list item.
front_matter_keys = ["title", "description"]
# Percent of words translated (and reviewed) below which a post is not written.
min_completion = 80
# Whether unreviewed (fuzzy, machine) translations go into the output.
include_fuzzy = false
# Default machine-translation backend for `l10n translate`.
backend = "google"
# Extra PO files whose reviewed translations feed the translation memory.
# compendia = ["locales/compendium.po"]
# glossary = "locales/glossary.tsv"
"""


def write_initial_config(root: Path, *, source_dir: str | None = None, force: bool = False) -> tuple[Path, str]:
    """Write ``l10n.toml`` at ``root``; returns its path and a sentence saying what was found."""
    path = root / CONFIG_FILE
    if path.exists() and not force:
        raise InputError(path, None, "already exists (use --force to overwrite)")
    if source_dir is not None:
        name = Path(source_dir).name
        guess = Guess(source_dir.strip("/"), name if _is_locale(name) else "fr", ("en",), 0)
        if not (root / guess.source_dir).is_dir():
            raise InputError(root / guess.source_dir, None, "--source-dir: no such directory")
        found = f"source posts in {guess.source_dir}"
    else:
        guess = guess_layout(root) or Guess("content/fr", "fr", ("en",), 0)
        found = (
            f"found {guess.posts} posts in {guess.source_dir}" if guess.posts else "no posts found; assuming content/fr"
        )
    parts = guess.source_dir.split("/")
    parts[-1] = "{lang}"
    text = TEMPLATE.format(
        found=found,
        source_lang=guess.source_lang,
        targets=", ".join(f'"{code}"' for code in guess.target_langs),
        source_dir=guess.source_dir,
        output_dir="/".join(parts),
    )
    text += initial_dialect_settings(root)
    atomic_write_text(path, text)
    return path, found
