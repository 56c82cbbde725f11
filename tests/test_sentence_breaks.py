"""A source that writes one sentence per line (semantic line breaks) gets its translations written the same
way: each line break of a translated paragraph falls at the end of a sentence of the translation, when it has
as many; otherwise the lines follow the source's proportions."""

from __future__ import annotations

from l10n.document import extract, render

SOURCE = """\
# Risks

This feature uses the experimental API and changes the default behavior to prerender links on the client.
You may wish to review the risks before enabling it.
"""


def rendered(translation: str, source: str = SOURCE) -> str:
    document = extract(source)
    (paragraph,) = [segment for segment in document.segments if segment.kind == "paragraph"]
    return render(document, {paragraph.msgid: translation}).text


def test_a_translation_breaks_where_its_sentences_end() -> None:
    # the translation's first sentence is much shorter than the source's: proportions would cut elsewhere
    translation = (
        "Cette fonctionnalité utilise l'API expérimentale. Avant de l'activer, vous souhaiterez peut-être "
        "examiner les risques du prérendu des liens sur le client, décrits en détail dans la documentation."
    )
    assert rendered(translation).endswith(
        "\n\nCette fonctionnalité utilise l'API expérimentale.\nAvant de l'activer, vous souhaiterez peut-être "
        "examiner les risques du prérendu des liens sur le client, décrits en détail dans la documentation.\n"
    )


def test_without_sentence_ends_the_lines_follow_the_source_proportions() -> None:
    translation = "un " * 40 + "fin"
    lines = rendered(translation).split("\n")[2:4]
    assert all(line.strip() for line in lines)
    assert abs(len(lines[0]) - 2 * len(lines[1])) < 40  # the source's first line is about twice its second


def test_a_source_wrapped_mid_sentence_keeps_the_proportional_breaks() -> None:
    source = "# Intro\n\nThis feature uses the experimental API and\nchanges the default. It prerenders links.\n"
    translation = "Cette fonctionnalité utilise l'API. Elle modifie le comportement par défaut et fait le prérendu."
    lines = rendered(translation, source).split("\n")[2:4]
    assert lines[0] != "Cette fonctionnalité utilise l'API."
