"""The layout patch format (``l10n.layout_patch``): what ``diff`` finds, ``apply`` gives back exactly, through
the file format and back; hunks still apply where the build moved, and are reported when their lines changed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.fileio import InputError
from l10n.layout_patch import apply, diff, format_patch, parse_patch

LINES = ["# Title\n", "Text.\n", "Text. \n", "\n", "  \n", "- item\r\n", "  - nested\n", "<Card title='x'>\n"]


@st.composite
def pages(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(LINES), max_size=10))
    return "".join(lines) + draw(st.sampled_from(["", "last line without newline", "\\ No newline"]))


@settings(max_examples=300)
@given(pages(), pages())
def test_a_patch_turns_the_build_into_the_page_through_its_file(built: str, page: str) -> None:
    hunks = diff(built, page)
    assert apply(built, hunks) == (page, [])
    text = format_patch(hunks, "# a header\n")
    assert parse_patch(text, "a.patch") == hunks
    assert apply(built, parse_patch(text, "a.patch"))[0] == page


def test_hunks_follow_their_lines_when_the_build_moves_and_are_reported_when_they_changed() -> None:
    built = "# Title\n\nFirst paragraph.\n\n<Card title=\"Start\">\n\nLast line.\n"
    page = "# Title\n\nFirst paragraph. \n\n<Card title=\"Début\">\n\nLast line.\n"
    hunks = diff(built, page)
    assert len(hunks) == 2
    moved = "# Title\n\nA new paragraph.\n\n" + built.split("\n\n", 1)[1]
    assert apply(moved, hunks) == ("# Title\n\nA new paragraph.\n\n" + page.split("\n\n", 1)[1], [])
    changed = built.replace('title="Start"', 'title="Begin"')
    text, stale = apply(changed, hunks)
    assert text == changed.replace("First paragraph.\n", "First paragraph. \n")
    assert [hunk.start for hunk in stale] == [4]


def test_the_file_is_a_unified_diff() -> None:
    text = format_patch(diff("a\nb\nc\n", "a\nB\nc\nd"), "# header\n")
    assert text == "# header\n@@ -2,1 +2,1 @@\n-b\n+B\n@@ -3,1 +3,2 @@\n-c\n+c\n+d\n\\ No newline at end of file\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("@@ -1,1 +1,1 @@\n-a\n", 2),  # a line missing
        ("@@ -1 +1 @@\n-a\n+b\nnot a hunk line\n", 4),
        ("# header\n@@ nonsense @@\n", 2),
    ],
)
def test_a_malformed_patch_is_bad_input_with_its_line(text: str, line: int) -> None:
    with pytest.raises(InputError) as raised:
        parse_patch(text, "locales/fr/a.patch")
    assert raised.value.line == line
