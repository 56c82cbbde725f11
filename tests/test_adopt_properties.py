"""Adoption from scratch, as properties: a post translated (every word doubled, markup kept), written out, then
adopted into an empty catalog gives back every entry, reviewed; with blocks removed, split or swapped on the
translated side, what is filled as reviewed is always the right translation (the rest is fuzzy or empty).

Alignment uses structure and anchors, never meaning, so the posts generated here are ones whose blocks
structure can tell apart: headings and list items carry a number, paragraphs either a code span or a link of
their own, or none and a length of their own (a few words, a line, several lines' worth). Two blocks of the
same kind and shape swapped are indistinguishable without reading them; that is what a translator reviews.
"""

from __future__ import annotations

from collections import Counter

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pseudo import double_words

from l10n.adopt.fill import candidates, fill_catalog
from l10n.catalog.merge import merge
from l10n.catalog.template import make_template
from l10n.checks import check_translation
from l10n.document import extract, render

WORDS = ["alpha", "bravo", "delta", "echo", "golf", "hotel", "india", "kilo", "lima", "mike", "oscar", "papa"]
SIZES = (2, 7, 24, 80)  # words of the paragraphs without anchors: each post uses each size once at most


def _words(draw: st.DrawFn, count: int) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=count, max_size=count)))


@st.composite
def posts(draw: st.DrawFn) -> list[str]:
    """A post's blocks (joined by blank lines); the first is its front matter."""
    blocks = [f"---\ntitle: {_words(draw, 3)}\n---"]
    sizes = list(draw(st.permutations(SIZES)))
    for number in range(draw(st.integers(min_value=2, max_value=9))):
        kind = draw(st.sampled_from(["heading", "paragraph", "anchored", "list"]))
        if kind == "paragraph" and not sizes:
            kind = "anchored"
        if kind == "heading":
            blocks.append(f"{'#' * draw(st.integers(1, 3))} {_words(draw, 2)} {number + 1}")
        elif kind == "list":
            items = draw(st.integers(1, 3))
            blocks.append("\n".join(f"- {_words(draw, 3)} {number + 1}.{item}" for item in range(items)))
        elif kind == "anchored":
            anchor = draw(st.sampled_from([f"`code{number}`", f"[see](/page/{number})"]))
            blocks.append(f"{_words(draw, draw(st.integers(2, 30)))} {anchor}")
        else:
            blocks.append(_words(draw, sizes.pop()))
    return blocks


def translate(source: str) -> tuple[dict[str, str], str]:
    """The pseudo-translation of every segment, and the translated post a build writes from it."""
    document = extract(source)
    truth = {segment.msgid: double_words(segment.msgid) for segment in document.segments}
    return truth, render(document, truth).text


def adopt_from_scratch(source: str, translated: str) -> polib.POFile:
    document = extract(source)
    catalog = merge(None, make_template(document, "content/fr/a.md", project="a.md"), "en")

    def usable(msgid: str, msgstr: str, code: bool) -> bool:
        findings = check_translation(msgid, msgstr, source_lang="fr", target_lang="en", code=code, reviewed=True)
        return not any(finding.is_error for finding in findings)

    found = candidates(document, extract(translated))
    fill_catalog(catalog, document, found, target_name="content/en/a.md", usable=usable)
    return catalog


def reviewed(catalog: polib.POFile) -> dict[str, str]:
    return {entry.msgid: entry.msgstr for entry in catalog if entry.msgstr and not entry.fuzzy}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts())
def test_a_translated_post_adopted_from_scratch_gives_back_every_entry_reviewed(blocks: list[str]) -> None:
    source = "\n\n".join(blocks) + "\n"
    truth, translated = translate(source)
    catalog = adopt_from_scratch(source, translated)
    assert reviewed(catalog) == truth
    assert all("adopted from" not in entry.tcomment for entry in catalog)
    # and the build gives the translated post back byte for byte
    assert render(extract(source), reviewed(catalog)).text == translated


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts(), st.sampled_from(["remove", "split", "swap"]), st.integers(min_value=1), st.data())
def test_after_removed_split_or_swapped_blocks_nothing_wrong_is_reviewed(
    blocks: list[str], change: str, where: int, data: st.DataObject
) -> None:
    source = "\n\n".join(blocks) + "\n"
    truth, translated = translate(source)
    parts = translated.rstrip("\n").split("\n\n")
    index = 1 + where % (len(parts) - 1)  # never the front matter
    if change == "remove":
        del parts[index]
    elif change == "swap" and index + 1 < len(parts):
        parts[index], parts[index + 1] = parts[index + 1], parts[index]
    elif change == "split":
        words = parts[index].split(" ")
        if len(words) > 2 and not parts[index].startswith(("#", "-")):
            cut = data.draw(st.integers(min_value=1, max_value=len(words) - 2))
            if not any(mark in " ".join(words[: cut + 1]) for mark in "`[]()"):
                parts[index : index + 1] = [" ".join(words[:cut]), " ".join(words[cut:])]
    catalog = adopt_from_scratch(source, "\n\n".join(parts) + "\n")
    for msgid, msgstr in reviewed(catalog).items():
        assert msgstr == truth[msgid], f"reviewed but wrong after {change}: {msgid!r} -> {msgstr!r}"
    for entry in catalog:
        if entry.fuzzy:
            assert entry.tcomment.startswith("adopted from content/en/a.md:")


def test_a_localized_link_prefix_and_translated_heading_ids_still_anchor() -> None:
    from l10n.links import LinkRules, rewrite_links

    rules = LinkRules.from_config({"source_prefix": "/en", "prefix": "/{lang}"})
    source = "# Install\n\nSee [the guide](/en/guide/#install), then run `npm i` 2 times.\n\nA closing note.\n"
    translated = "# Installer\n\nVoir [le guide](/fr/guide/#installer), puis lancer `npm i` 2 fois.\n\nUne note.\n"
    found = candidates(
        extract(source),
        extract(translated),
        rewrite=lambda destination: rules.rewrite(destination, "fr"),
        localize=lambda text: rewrite_links(text, rules, "fr"),
    )
    texts = {index: (candidate.text, candidate.certain, candidate.reproduced) for index, candidate in found.items()}
    assert texts == {
        0: ("Installer", True, True),
        # the source's page in the catalog (the build localizes it again), the translator's heading id kept
        1: ("Voir [le guide](/en/guide/#installer), puis lancer `npm i` 2 fois.", True, True),
        2: ("Une note.", True, True),
    }


def test_a_translated_heading_id_is_the_same_link_for_the_checks() -> None:
    def errors(msgid: str, msgstr: str) -> list[str]:
        findings = check_translation(msgid, msgstr, source_lang="en", target_lang="fr")
        return [finding.check for finding in findings if finding.is_error]

    source = "See [install](/en/guide/#install)."
    assert errors(source, "Voir [installer](/fr/guide/#installer).") == []
    assert errors(source, "Voir [installer](/fr/other/#installer).") == ["link-mismatch"]
    assert errors("See [above](#install).", "Voir [plus haut](#installer).") == []
    assert errors("See [above](#install).", "Voir [plus haut](/ailleurs).") == ["link-mismatch"]


def test_a_translation_that_keeps_its_source_lines_pairs_by_line_around_a_difference() -> None:
    """A heading whose level the translator changed has no counterpart by kind (headings pair by level), which
    leaves the paragraph beside it without certainty from the stretch; but the translation keeps the source's
    lines, so the paragraph and the heading at the same places, same anchors and plausible lengths, are their
    counterparts."""
    source = (
        "---\ntitle: alpha bravo\n---\n\nalpha bravo `c1` delta\n\n## hotel india\n\n"
        "kilo lima mike oscar\n\n`c2` papa\n"
    )
    truth, translated = translate(source)
    translated = translated.replace("## hotel", "### hotel")
    catalog = adopt_from_scratch(source, translated)
    assert reviewed(catalog)["kilo lima mike oscar"] == truth["kilo lima mike oscar"]
    assert reviewed(catalog)["hotel india"] == truth["hotel india"]  # on the same line: its level is layout
    # a paragraph added after it: the lines up to the next certain pair no longer match one for one, a guess
    moved = translated.replace("oscar oscar\n", "oscar oscar\n\nzulu zulu\n")
    guessed = reviewed(adopt_from_scratch(source, moved))
    assert "kilo lima mike oscar" not in guessed and "hotel india" not in guessed


def test_a_paragraph_whose_lines_break_elsewhere_is_reproduced() -> None:
    """Where a paragraph's lines break is layout (a renderer joins them with a space): a translator who
    rewrapped it keeps the paragraph reviewed, and the page's layout patch keeps the breaks."""
    source = "# alpha 1\n\nkilo lima mike\noscar papa golf\n\n`c2` echo\n"
    truth, translated = translate(source)
    rewrapped = translated.replace("mike mike\noscar oscar", "mike mike oscar oscar\n")
    assert rewrapped != translated and rewrapped.count("\n") == translated.count("\n")
    catalog = adopt_from_scratch(source, rewrapped)
    assert reviewed(catalog)["kilo lima mike oscar papa golf"] == truth["kilo lima mike oscar papa golf"]
    # a line break that is not soft (a hard break: a backslash) is not layout
    hard = source.replace("mike\n", "mike\\\n")
    truth, translated = translate(hard)
    moved = translated.replace("mike\\\noscar oscar", "mike oscar\\\noscar")
    assert moved != translated
    assert not reviewed(adopt_from_scratch(hard, moved)).get("kilo lima mike\\\noscar papa golf")


@pytest.mark.parametrize(
    ("source_text", "translated_text", "certain"),
    [
        ("It makes four files: `/a.json` and `/b.json`.", "Il fait 4 fichiers : `/a.json` et `/b.json`.", True),
        ("Use @astrojs/node here.", "Utilisez `@astrojs/node` ici.", True),
        ("Go to `/old-page/` from `/new-page/`.", "Allez à `/ancienne-page/` depuis `/nouvelle-page/`.", True),
        ("Press `s + enter` now.", "Appuyez sur `s + Entrée` maintenant.", True),
        # a code span that became another word, and a different number: nothing says they are the same
        ("Run `build` now.", "Lancez `deploy` maintenant.", False),
        ("It makes 4 files.", "Il fait 5 fichiers.", False),
        ("See [the guide](/guide/) now.", "Voir [le guide](/autre/) maintenant.", False),
    ],
)
def test_a_line_locked_pair_accepts_anchors_a_translation_changes(
    source_text: str, translated_text: str, certain: bool
) -> None:
    """Between certain pairs at the same lines, a paragraph's anchors may differ as translations make them
    differ (a number written out, a name formatted as code, a localized example of the same shape), not by a
    bare word or number swapped for another."""
    source = f"# alpha 1\n\n{source_text}\n\n## bravo 2\n"
    translated = f"# alpha alpha 1\n\n{translated_text}\n\n## bravo bravo 2\n"
    catalog = adopt_from_scratch(source, translated)
    assert (source_text in reviewed(catalog)) == certain
    if certain:
        assert reviewed(catalog)[source_text] == translated_text


def test_numbers_glued_to_words_are_not_anchors() -> None:
    from l10n.adopt.anchors import anchors

    assert anchors("Astro v6.4 answers 404s") == anchors("Astro version 6.4 answers with 404 errors") - Counter(
        {"number:64": 1, "number:404": 1}
    )
    assert anchors("on 1 000 pages, 3,5 s") == Counter({"number:1000": 1, "number:35": 1})
