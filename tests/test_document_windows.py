"""A huge post is parsed a window at a time (issue 16, item 6: a 200,000-paragraph post in bounded memory):
the extraction and the render are exactly those of the whole parse, whatever blocks lie across the cuts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.document import extract, render
from l10n.document import windows as windows_module
from l10n.document.extract import extract_body
from l10n.document.frontmatter import parse_front_matter
from l10n.document.markdown import COMMONMARK, Dialect

BLOCKS = [
    "Un paragraphe simple avec du *texte* et un [lien](https://exemple.fr).\n",
    "Une ligne\ncontinuée paresseusement\n",
    "# Un titre\n",
    "Titre setext\n===\n",
    "- un\n- deux\n\n  suite de deux\n- trois\n",
    "1. premier\n2. second\n",
    "> une citation\nparesseuse\n",
    "```\ncode\n\nAvec une ligne qui commence par une lettre\n```\n",
    "```\nune barrière jamais fermée\n",
    "<!-- commentaire\n\nSur plusieurs lignes\n-->\n",
    "<script>\n\nQuelque chose\n</script>\n",
    "| a | b |\n|---|---|\n| c | d |\n",
    "    code indenté\n",
    "<div>\nbloc html\n</div>\n",
    "Texte avec `code` et **gras** et ![image](a.png).\n",
    "***\n",
]


def _post(picks: list[int]) -> str:
    body = "\n".join(BLOCKS[pick].replace("texte", f"texte {number}") for number, pick in enumerate(picks))
    return f"---\ntitle: Bonjour\n---\n{body}"


def _windows_used(monkeypatch: pytest.MonkeyPatch, size: int) -> list[int]:
    """Make windows of ``size`` characters; the list fills with the end of each window made."""
    monkeypatch.setattr(windows_module, "WINDOW_CHARS", size)
    ends: list[int] = []
    original = windows_module._next_window

    def recording(*arguments: object) -> tuple[int, list[object]]:
        end, tokens = original(*arguments)  # type: ignore[arg-type]
        ends.append(end)
        return end, tokens

    monkeypatch.setattr(windows_module, "_next_window", recording)
    return ends


@settings(max_examples=30, deadline=None)
@given(picks=st.lists(st.integers(0, len(BLOCKS) - 1), min_size=20, max_size=120))
def test_a_post_read_in_windows_is_read_as_a_whole(picks: list[int]) -> None:
    text = _post(picks)
    front_matter = parse_front_matter(text, ("title",))
    document = extract(text, front_matter_keys=("title",))
    translations = {segment.msgid: segment.msgid.upper() for segment in document.segments}
    broken = dict(translations)
    broken[document.segments[-1].msgid] = "Texte\n\n```\nouvert"  # a translation render must roll back
    with pytest.MonkeyPatch.context() as monkeypatch:
        whole = extract_body(text, front_matter)
        whole_renders = [render(document, translations), render(document, broken)]
        ends = _windows_used(monkeypatch, 120)
        windowed = extract_body(text, front_matter)
        windowed_renders = [render(document, translations), render(document, broken)]
    assert windowed == whole
    for one, other in zip(windowed_renders, whole_renders, strict=True):
        assert (one.text, one.problems, one.translated) == (other.text, other.problems, other.translated)
        assert one.blocks == other.blocks
    assert ends, "no window was made"


def test_a_long_post_is_cut_and_a_normal_one_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraphs = "\n".join(f"Le paragraphe {number} parle de la mer.\n" for number in range(3000))
    ends = _windows_used(monkeypatch, 2000)
    extract(paragraphs)
    assert len(ends) > 10 and ends[-1] == len(paragraphs)
    ends.clear()
    monkeypatch.setattr(windows_module, "WINDOW_CHARS", 200_000)
    extract(paragraphs)
    assert not ends  # under the size, the post is parsed whole


def test_definitions_and_block_dialects_keep_the_whole_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """A link may use a definition found further down; a component or a directive may span blank lines."""
    monkeypatch.setattr(windows_module, "WINDOW_CHARS", 100)
    paragraphs = "\n".join(f"Le paragraphe {number} cite [la source][s].\n" for number in range(50))
    assert windows_module.windowed(paragraphs, COMMONMARK)
    assert not windows_module.windowed(paragraphs + "\n[s]: https://exemple.fr\n", COMMONMARK)
    assert not windows_module.windowed(paragraphs + "\n[^1]: Une note.\n", COMMONMARK)
    assert not windows_module.windowed(paragraphs, Dialect(mdx=True))
    assert not windows_module.windowed(paragraphs, Dialect(directives=True))
