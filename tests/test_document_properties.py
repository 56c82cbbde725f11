"""Property tests: random documents built from block and inline constructs survive the round trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n.document import extract, render
from l10n.document.extract import body_text
from l10n.document.parse import block_signature, normalize, parse_tokens

WORDS = st.sampled_from(
    ["été", "Leçon", "naïve", "cafe\u0301", "IA", "RGPD", "85%", "l'IA", "«\u00a0ok\u00a0»", "a\u202fb", "x_y", "3.5"]
)
INLINE = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"*{w}*"),
    WORDS.map(lambda w: f"**{w}**"),
    WORDS.map(lambda w: f"~~{w}~~"),
    WORDS.map(lambda w: f"`{w}`"),
    WORDS.map(lambda w: f"[{w}](/fr/{len(w)}.html)"),
    WORDS.map(lambda w: f'[{w}](https://example.org/{len(w)} "titre")'),
    WORDS.map(lambda w: f"![{w}](img/{len(w)}.png)"),
    st.just("<https://example.org>"),
    st.just("<span>x</span>"),
    st.just("\\*"),
    st.just("&amp;"),
    st.just("[^1]"),
)


@st.composite
def lines_of_text(draw: st.DrawFn, max_lines: int = 3) -> list[str]:
    count = draw(st.integers(1, max_lines))
    lines = []
    for _ in range(count):
        words = draw(st.lists(INLINE, min_size=1, max_size=6))
        lines.append(" ".join(words))
    return lines


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    lines = draw(lines_of_text())
    breaks = [draw(st.sampled_from(["", "", "  ", "\\", " \t"])) for _ in lines[:-1]]
    return "".join(line + brk + "\n" for line, brk in zip(lines, [*breaks, ""], strict=True))


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["paragraph", "atx", "setext", "code", "fence", "html", "hr", "table", "footnote"]
    if depth < 2:
        kinds += ["list", "ordered", "quote"]
    kind = draw(st.sampled_from(kinds))
    if kind == "paragraph":
        return draw(paragraph())
    if kind == "atx":
        return "#" * draw(st.integers(1, 6)) + " " + " ".join(draw(st.lists(INLINE, min_size=1, max_size=4))) + "\n"
    if kind == "setext":
        return draw(paragraph()) + draw(st.sampled_from(["===", "---"])) + "\n"
    if kind == "code":
        return "    code = 1\n    autre()\n"
    if kind == "fence":
        return "```python\nprint('été')\n```\n"
    if kind == "html":
        return '<div class="note">\n<p>Bonjour</p>\n</div>\n'
    if kind == "hr":
        return "***\n"
    if kind == "table":
        header = " | ".join(draw(st.lists(WORDS, min_size=2, max_size=2)))
        row = " | ".join(draw(st.lists(INLINE, min_size=2, max_size=2)))
        return f"| {header} |\n|---|:--:|\n| {row} |\n"
    if kind == "footnote":
        return "[^1]: " + draw(paragraph())
    inner = draw(st.lists(block(depth + 1), min_size=1, max_size=2))
    if kind == "quote":
        text = "\n".join(inner)
        return "".join("> " + line if line.strip() else ">\n" for line in text.splitlines(keepends=True))
    marker = "- " if kind == "list" else "1. "
    items = []
    for item in inner:
        lines = item.splitlines(keepends=True)
        indented = [marker + lines[0]] + [(" " * len(marker) + line if line.strip() else line) for line in lines[1:]]
        items.append("".join(indented))
    return "".join(items)


@st.composite
def document(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=6))
    text = "\n".join(blocks)
    if draw(st.booleans()):
        title = draw(st.sampled_from(["L'IA : enjeux", "Titre simple", '"Cité"', "- tiret", "a # b"]))
        quoted = title.replace("'", "''")
        text = f"---\ntitle: '{quoted}'\ntags:\n  - IA\n  - santé\ndate: 2024-03-25\n---\n\n" + text
    newline = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    if newline == "\r\n":
        text = text.replace("\n", "\r\n")
    elif newline == "mixed":
        text = "".join(
            line[:-1] + ("\r\n" if index % 2 else "\n") if line.endswith("\n") else line
            for index, line in enumerate(text.splitlines(keepends=True))
        )
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    if draw(st.booleans()):
        text = text.replace("    code", "\tcode")
    return text


def _signature(text: str) -> list[tuple[object, ...]]:
    document = extract(text, front_matter_keys=("title", "tags[]"))
    front_matter = document.layout.front_matter
    return block_signature(parse_tokens(normalize(body_text(text, front_matter)).text))


PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(document())
def test_identity_renders_back_exactly(text: str) -> None:
    document = extract(text, front_matter_keys=("title", "tags[]"))
    identity = {segment.msgid: segment.msgid for segment in document.segments}
    assert render(document, identity).text == text
    assert render(document, identity, force=True).text == text


@PROPERTY_SETTINGS
@given(document(), st.data())
def test_any_translation_keeps_the_structure(text: str, data: st.DataObject) -> None:
    document = extract(text, front_matter_keys=("title", "tags[]"))
    translations = {
        segment.msgid: data.draw(st.text(min_size=0, max_size=40), label=segment.msgid)
        for segment in document.segments
    }
    rendered = render(document, translations)
    assert _signature(rendered.text) == _signature(text)
