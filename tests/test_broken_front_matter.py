"""Broken source front matter is bad input (issue 16): exit 2 with the file and line, nothing written.

Before, a conflict-marked, unclosed or key-repeating block was taken as body text: the title became a
``heading 1`` entry, its translation went obsolete and the output kept the conflict markers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_l10n, snapshot, write

from l10n.document import extract

BROKEN = {
    "conflict markers": (
        "---\n<<<<<<< HEAD\ntitle: Le potager\n=======\ntitle: Le potager en hiver\n>>>>>>> autre\n---\n\nTexte.\n",
        "content/fr/zz.md:2: git conflict marker '<<<<<<<' in front matter",
    ),
    "conflict markers after a key": (
        "---\ntitle: Le potager\n<<<<<<< HEAD\ndescription: a\n=======\ndescription: b\n>>>>>>> x\n---\n\nTexte.\n",
        "content/fr/zz.md:3: git conflict marker",
    ),
    "unclosed block": (
        "---\ntitle: Le potager\ndate: 2024-01-01\n\n# Le potager\n\nTexte.\n",
        "content/fr/zz.md:1: YAML front matter opened here is never closed",
    ),
    "unclosed TOML block": ('+++\ntitle = "Le potager"\n\nTexte.\n', "content/fr/zz.md:1: TOML front matter"),
    "duplicate keys": (
        "---\ntitle: Le potager\ndescription: d\ntitle: Le potager en hiver\n---\n\nTexte.\n",
        "content/fr/zz.md:4: duplicate key 'title' (first on line 2)",
    ),
    "duplicate nested keys": (
        "---\nseo:\n  title: a\n  title: b\n---\n\nTexte.\n",
        "content/fr/zz.md:4: duplicate key 'title'",
    ),
    "duplicate JSON keys": (
        '{\n"title": "a",\n"title": "b"\n}\n\nTexte.\n',
        "content/fr/zz.md:3: duplicate key 'title'",
    ),
    "key lines after a stray line": (
        "---\nLe potager\ntitle: a\ndate: 2024-01-01\n---\n\nTexte.\n",
        "content/fr/zz.md:3: invalid YAML front matter",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_front_matter_exits_2_with_file_and_line_and_writes_nothing(project: Path, case: str) -> None:
    text, expected = BROKEN[case]
    assert run_l10n("sync", cwd=project).returncode == 0
    write(project / "content/fr/zz.md", text)
    before = snapshot(project)
    result = run_l10n("sync", cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert {k: v for k, v in snapshot(project).items() if not k.startswith(".l10n-cache/")} == {
        k: v for k, v in before.items() if not k.startswith(".l10n-cache/")
    }


@pytest.mark.parametrize(
    "text",
    [
        "---\nFoo\n---\nBar\n---\nBaz\n",  # CommonMark example 96
        "---\n---\n",  # CommonMark example 98: empty front matter
        "+++\n",  # CommonMark example 44
        "---\n\nUn paragraphe après une ligne horizontale.\n",
        "---\nRemarque : une phrase après une ligne horizontale.\n\nSuite.\n",
        "---\nNote: a capitalised word and a colon, then prose.\n",
        "---\ntitle: a\nbase: &b\n  x: 1\nautre:\n  <<: *b\n---\n\nTexte.\n",  # a merge key is not a duplicate
        "# Titre\n\n<<<<<<< HEAD\nun\n=======\ndeux\n>>>>>>> x\n",  # markers in the body are the body's business
    ],
)
def test_what_is_clearly_not_broken_front_matter_still_reads(text: str) -> None:
    assert extract(text).text == text
