"""A site in a dialect, end to end: what translators get, and hostile translations refused with a check id,
file and line, never in a built post."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import run_l10n, translate_catalog, write

CONFIG = """\
source_lang = "fr"
target_langs = ["en"]
source_dir = "content/fr"
output_dir = "content/{lang}"
min_completion = 0
directives = true
shortcodes = true
liquid = true
protect = ['\\[/?(center|columns)\\]', '%[A-Z_]+%']
"""

POST = """\
---
title: Les apartés
---

:::tip[Raccourci clavier]
Appuyez sur :kbd[Ctrl]{.key} à 12:30 sur %SITE_NAME%.
:::

{% include alerte.html %}

Voir {{< ref "autre.md" >}} et [NDLR : il parle de Rome].

[center]
Texte centré.
[/center]
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write(root / "l10n.toml", CONFIG)
    write(root / "content/fr/apartes.md", POST)
    result = run_l10n("extract", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_translators_see_labels_and_text_never_fences_names_or_tags(site: Path) -> None:
    catalog = polib.pofile(str(site / "locales/templates/apartes.pot"))
    assert [(entry.comment, entry.msgid) for entry in catalog] == [
        ("front matter: title", "Les apartés"),
        ("type: directive label (tip)", "Raccourci clavier"),
        ("type: paragraph", "Appuyez sur :kbd[Ctrl]{.key} à 12:30 sur %SITE_NAME%."),
        ("type: paragraph", 'Voir {{< ref "autre.md" >}} et [NDLR : il parle de Rome].'),
        ("type: paragraph", "Texte centré."),
    ]


def test_correct_translations_are_built_and_hostile_ones_refused_with_file_and_line(site: Path) -> None:
    translate_catalog(
        site / "locales/en/apartes.po",
        {
            "Les apartés": "Asides",
            "Raccourci clavier": "Keyboard shortcut",
            "Appuyez sur :kbd[Ctrl]{.key} à 12:30 sur %SITE_NAME%.": "Press :kbd[Ctrl]{.key} at 12:30 on %SITE_NOM%.",
            'Voir {{< ref "autre.md" >}} et [NDLR : il parle de Rome].': (
                'See {{< ref "evil.md" >}} and [Editor\'s note: he means Rome].'
            ),
            "Texte centré.": "Centred text. {% include evil.html %}",
        },
    )
    result = run_l10n("build", cwd=site)
    output = (site / "content/en/apartes.md").read_text(encoding="utf-8")
    assert ":::tip[Keyboard shortcut]\n" in output
    for hostile in ("%SITE_NOM%", "evil.md", "evil.html"):
        assert hostile not in output
    report = result.stdout + result.stderr
    catalog = polib.pofile(str(site / "locales/en/apartes.po"))
    for msgid in ("Appuyez sur", "Voir {{<", "Texte centré."):
        entry = next(entry for entry in catalog if entry.msgid.startswith(msgid))
        assert f"locales/en/apartes.po:{entry.linenum}: [" in report, report
    assert "[syntax-mismatch]" in report


def test_a_hugo_sites_figure_captions_are_entries_written_back_between_their_quotes(tmp_path: Path) -> None:
    root = tmp_path / "hugo"
    write(
        root / "l10n.toml",
        'source_lang = "fr"\ntarget_langs = ["en"]\nsource_dir = "content/fr"\noutput_dir = "content/{lang}"\n'
        'min_completion = 0\nshortcodes = true\nshortcode_attributes = ["caption"]\n',
    )
    write(root / "content/fr/pont.md", '{{< figure src="pont.jpg" caption="Le pont" >}}\n\nUn texte.\n')
    assert run_l10n("extract", cwd=root).returncode == 0
    catalog = polib.pofile(str(root / "locales/templates/pont.pot"))
    assert [(entry.comment, entry.msgid) for entry in catalog] == [
        ("type: shortcode caption (figure)", "Le pont"),
        ("type: paragraph", "Un texte."),
    ]
    translate_catalog(root / "locales/en/pont.po", {"Le pont": 'The "old" bridge', "Un texte.": "A text."})
    result = run_l10n("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "content/en/pont.md").read_text(encoding="utf-8") == (
        '{{< figure src="pont.jpg" caption="The \\"old\\" bridge" >}}\n\nA text.\n'
    )
