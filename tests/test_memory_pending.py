"""The memory offers fuzzy entries' translations (issue 16, item 7): a translation still waiting for review in
one catalog fills the same text elsewhere, always as fuzzy, never as reviewed, and never from a machine draft."""

from __future__ import annotations

from pathlib import Path

import polib
from conftest import run_l10n, write

CONFIG = """\
source_lang = "fr"
target_langs = ["en"]
min_completion = 0
"""
SHARED = "Le phare se dresse au bout de la jetée, blanc et rouge sous le ciel gris."
PENDING = "The lighthouse stands at the end of the pier, white and red under the grey sky."
MACHINE_SHARED = "Les mouettes tournent au-dessus du port quand les bateaux rentrent le soir."


def _entry(root: Path, name: str, msgid: str) -> polib.POEntry:
    return next(entry for entry in polib.pofile(str(root / "locales/en" / name)) if entry.msgid == msgid)


def _site(tmp_path: Path) -> Path:
    """Post a has a translator's fuzzy translation of SHARED and a machine draft of MACHINE_SHARED; post b,
    added later, has both texts too."""
    root = tmp_path / "site"
    write(root / "l10n.toml", CONFIG)
    write(root / "content/fr/a.md", f"# Le port\n\n{SHARED}\n\n{MACHINE_SHARED}\n")
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    path = root / "locales/en/a.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid == SHARED:
            entry.msgstr = PENDING
            entry.flags.append("fuzzy")
        elif entry.msgid == MACHINE_SHARED:
            entry.msgstr = "The seagulls turn (machine)."
            entry.flags.append("fuzzy")
            entry.tcomment = "machine translation: pseudo"
    catalog.save(str(path))
    write(root / "content/fr/b.md", f"# La jetée\n\n{SHARED}\n\n{MACHINE_SHARED}\n")
    return root


def test_a_fuzzy_translation_fills_the_same_text_elsewhere_as_fuzzy(tmp_path: Path) -> None:
    root = _site(tmp_path)
    result = run_l10n("sync", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    filled = _entry(root, "b.po", SHARED)
    assert (filled.msgstr, filled.fuzzy, filled.previous_msgid) == (PENDING, True, None)
    assert not _entry(root, "b.po", MACHINE_SHARED).msgstr  # a machine draft is not a person's pending work
    # fuzzy: not in the built post (include_fuzzy is off), and still fuzzy in the catalog it came from
    assert PENDING not in (root / "content/en/b.md").read_text(encoding="utf-8")
    assert _entry(root, "a.po", SHARED).fuzzy


def test_a_reviewed_translation_wins_over_a_pending_one(tmp_path: Path) -> None:
    root = _site(tmp_path)
    write(root / "content/fr/c.md", f"# La digue\n\n{SHARED}\n")
    write(
        root / "locales/en/c.po",
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
        f'msgid "{SHARED}"\nmsgstr "The reviewed lighthouse."\n',
    )
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    filled = _entry(root, "b.po", SHARED)
    assert (filled.msgstr, filled.fuzzy) == ("The reviewed lighthouse.", False)


def test_a_text_made_fuzzy_by_an_edit_is_offered_to_a_post_found_up_to_date(tmp_path: Path) -> None:
    """A run's merge can give a fuzzy translation to a text the memory did not know (the source edited under a
    pending translation): the next run offers it to a post the run before found up to date."""
    root = tmp_path / "site"
    write(root / "l10n.toml", CONFIG)
    old = SHARED.replace("blanc et rouge", "rouge et blanc")
    write(root / "content/fr/a.md", f"# Le port\n\n{old}\n")
    write(root / "content/fr/b.md", f"# La jetée\n\n{SHARED}\n")
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    path = root / "locales/en/a.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid == old:
            entry.msgstr = PENDING
            entry.flags.append("fuzzy")
    catalog.save(str(path))
    assert run_l10n("sync", cwd=root).returncode in (0, 1)  # the memory learns a.po; b has nothing to take
    assert not _entry(root, "b.po", SHARED).msgstr
    write(root / "content/fr/a.md", f"# Le port\n\n{SHARED}\n")  # a's text is now b's, fuzzy after the merge
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    merged = _entry(root, "a.po", SHARED)
    assert (merged.msgstr, merged.fuzzy) == (PENDING, True)
    assert run_l10n("sync", cwd=root).returncode in (0, 1)
    filled = _entry(root, "b.po", SHARED)
    assert (filled.msgstr, filled.fuzzy) == (PENDING, True)
