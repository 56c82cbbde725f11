"""Segmentation and front matter cases as data: each case of ``data/extraction/*.md`` is a post and the
template (``.pot``) ``extract`` makes of it, which a reader checks at a glance.

A case is a title line, an optional ``options:`` line, then three lines holding only a dot that frame the
post and the expected template entries (the template's header, the same for every post, is left out)::

    A title saying what the case shows
    options: mdx directives keys=title,tags[]
    .
    the post
    .
    the template entries
    .

``options``: dialect flags (``mdx``, ``directives``, ``containers``, ``shortcodes``, ``liquid``) and
``keys=`` (the front matter keys to translate, comma-separated; default: the tool's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from l10n.catalog.io import render_catalog
from l10n.catalog.template import make_template
from l10n.document import extract
from l10n.document.dialect import Dialect
from l10n.document.extract import DEFAULT_FRONT_MATTER_KEYS

FIXTURES = sorted((Path(__file__).parent / "data" / "extraction").glob("*.md"))
_FLAGS = ("mdx", "directives", "containers", "shortcodes", "liquid")
STAMP = "2026-01-01 00:00+0000"


@dataclass(frozen=True)
class Case:
    file: Path
    line: int  # of the title
    title: str
    options: str
    post: str
    expected: str


def read_cases(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title, start, options = lines[index], index + 1, ""
        index += 1
        if lines[index].startswith("options:"):
            options = lines[index].removeprefix("options:").strip()
            index += 1
        parts: list[str] = []
        for _ in range(2):
            if lines[index] != ".":
                raise ValueError(f"{path}:{index + 1}: expected a line holding only '.'")
            end = lines.index(".", index + 1)
            parts.append("".join(line + "\n" for line in lines[index + 1 : end]))
            index = end
        if lines[index] != ".":
            raise ValueError(f"{path}:{index + 1}: expected a line holding only '.'")
        index += 1
        cases.append(Case(path, start, title, options, parts[0], parts[1]))
    return cases


def template_entries(case: Case) -> str:
    """The template ``extract`` makes of the case's post, without its header."""
    words = case.options.split()
    unknown = [word for word in words if word not in _FLAGS and not word.startswith("keys=")]
    if unknown:
        raise ValueError(f"{case.file}:{case.line}: unknown options {unknown}")
    dialect = Dialect(**{flag: True for flag in _FLAGS if flag in words})
    keys: tuple[str, ...] = DEFAULT_FRONT_MATTER_KEYS
    for word in words:
        if word.startswith("keys="):
            keys = tuple(word.removeprefix("keys=").split(","))
    document = extract(case.post, front_matter_keys=keys, dialect=dialect)
    text = render_catalog(make_template(document, "post.md", project="post.md", now=STAMP))
    _header, _blank, entries = text.partition("\n\n")
    return entries


CASES = [case for path in FIXTURES for case in read_cases(path)]


@pytest.mark.parametrize("case", CASES, ids=[f"{case.file.stem}:{case.line}" for case in CASES])
def test_the_template_of_each_post_is_the_expected_one(case: Case) -> None:
    assert template_entries(case) == case.expected, case.title


def test_the_fixture_files_hold_cases() -> None:
    assert len(CASES) >= 12
    assert {word for case in CASES for word in case.options.split()} >= {"mdx", "directives", "containers"}
