"""Every command that writes a catalog keeps a translator's line wrapping: after another tool rewrapped the
catalogs (``msgcat --width=50``, ``msgcat --no-wrap``), ``translate``, a review save and ``sync`` rewrite only
the entries they change; every other entry keeps its bytes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import ENGLISH, translate_catalog

from l10n.config import Config, load_config
from l10n.project import iter_posts
from l10n.review.catalogs import Change, EntryKey, ReviewProject, entry_version
from l10n.run import operations
from l10n.translate.command import translate_project

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext msgcat not installed")

HALF = dict(list(ENGLISH.items())[::2])  # a translator's work half done: translate has entries to fill


def _catalogs(config: Config) -> list[Path]:
    return sorted(config.locales_dir.rglob("*.po")) + sorted(config.templates_dir.rglob("*.pot"))


def _entry_blocks(text: str) -> dict[str, str]:
    """Each entry's text as written, by msgctxt and msgid (the header left out)."""
    blocks: dict[str, str] = {}
    for block in text.rstrip("\n").split("\n\n")[1:]:
        entry = polib.pofile('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + block)[0]
        blocks[f"{entry.msgctxt}\x04{entry.msgid}"] = block
    return blocks


def _states(text: str) -> dict[str, tuple[object, ...]]:
    catalog = polib.pofile(text)
    return {
        f"{entry.msgctxt}\x04{entry.msgid}": (entry.msgstr, tuple(entry.flags), entry.tcomment, entry.previous_msgid)
        for entry in [*catalog, *catalog.obsolete_entries()]
    }


def _assert_only_changed_entries_rewritten(config: Config, before: dict[Path, str], what: str) -> int:
    """Every entry whose content did not change has the same text as before; returns the changed count."""
    changed = 0
    for path, text in _texts(config).items():
        old_blocks, old_states, new_states = _entry_blocks(before[path]), _states(before[path]), _states(text)
        for key, block in _entry_blocks(text).items():
            if old_states.get(key) != new_states[key]:
                changed += 1
                continue
            assert block == old_blocks[key], f"{what} rewrote an entry it did not change in {path.name}:\n{block}"
    return changed


def _texts(config: Config) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in _catalogs(config)}


@pytest.mark.parametrize("wrapping", [["--width=50"], ["--no-wrap"]])
def test_commands_rewrite_only_the_entries_they_change(project: Path, wrapping: list[str]) -> None:
    config = load_config(project)
    langs = list(config.target_langs)
    operations.extract_catalogs(config, iter_posts(config), langs, jobs=1).commit()
    for catalog in sorted((config.locales_dir / "en").rglob("*.po")):
        translate_catalog(catalog, HALF)
    for path in _catalogs(config):
        subprocess.run(["msgcat", *wrapping, "-o", str(path), str(path)], check=True)
    rewrapped = _texts(config)

    reports = translate_project(config, backend_name="pseudo", jobs=1, environ={})
    assert sum(report.sent for report in reports) > 0
    assert _assert_only_changed_entries_rewritten(config, rewrapped, "translate") > 0

    drafted = _texts(config)
    review = ReviewProject(config, langs)
    post = "soupe.md"
    catalog_path = config.locales_dir / "de" / "soupe.po"
    entry = next(entry for entry in polib.pofile(str(catalog_path)) if entry.msgstr)
    version, _ = review.entry(post, "de", EntryKey(entry.msgid, entry.msgctxt))
    saved = review.save(
        post,
        "de",
        EntryKey(entry.msgid, entry.msgctxt),
        Change("Eine Gemüsesuppe", approve=True),
        version=version,
        seen_entry=entry_version(entry),
    )
    assert saved.version != version
    assert _assert_only_changed_entries_rewritten(config, drafted, "a review save") == 1

    reviewed = _texts(config)
    plan = operations.sync(config, iter_posts(config), langs, operations.options_from(config, 0, True), jobs=1)
    assert not plan.has_errors
    plan.commit()
    assert _assert_only_changed_entries_rewritten(config, reviewed, "sync") == 0
