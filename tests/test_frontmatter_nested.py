"""Key paths through lists of tables at any depth (Hugo ``[[item]]``, Hugo Blox ``sections[].content.title``,
FAQ lists): each item its own entry, its index in the ``#.`` comment, and the front matter byte-identical
except the translated values, in YAML, TOML and JSON."""

from __future__ import annotations

import pytest

from l10n.document import extract, render

KEYS = ("title", "sections[].content.title", "item[].title", "faq[].q", "faq[].a", "tags[]")

YAML = """\
---
title: Accueil
sections:
  - block: hero   # a comment kept as is
    content:
      title: "Bienvenue"
      text: not configured
  - block: features
    content:
      title: 'Nos services'
item:
  - title: Premier
    weight: 1
  - {title: Second, weight: 2}
faq:
  - q: Pourquoi ?
    a: >-
      Parce que
      c'est ainsi.
tags: [un, deux]
---

Texte.
"""

TOML = """\
+++
title = "Accueil"
tags = ["un", "deux"]

[[sections]]
block = "hero"  # a comment kept as is
[sections.content]
title = "Bienvenue"
text = "not configured"

[[sections]]
block = "features"
content = { title = 'Nos services' }

[[item]]
title = "Premier"
weight = 1

[[item]]
title = \"\"\"Second\"\"\"
weight = 2

[[faq]]
q = "Pourquoi ?"
a = "Parce que c'est ainsi."
+++

Texte.
"""

JSON = """\
{
  "title": "Accueil",
  "sections": [
    {"block": "hero", "content": {"title": "Bienvenue", "text": "not configured"}},
    {"block": "features", "content": {"title": "Nos services"}}
  ],
  "item": [{"title": "Premier", "weight": 1}, {"title": "Second", "weight": 2}],
  "faq": [{"q": "Pourquoi ?", "a": "Parce que c'est ainsi."}],
  "tags": ["un", "deux"]
}

Texte.
"""

ENGLISH = {
    "Accueil": "Home",
    "Bienvenue": "Welcome",
    "Nos services": "Our services",
    "Premier": "First",
    "Second": "Second one",
    "Pourquoi ?": "Why?",
    "Parce que c'est ainsi.": "Because it's so.",
    "un": "one",
}

EXPECTED_KINDS = {
    "Accueil": "front matter: title",
    "Bienvenue": "front matter: sections[0].content.title",
    "Nos services": "front matter: sections[1].content.title",
    "Premier": "front matter: item[0].title",
    "Second": "front matter: item[1].title",
    "Pourquoi ?": "front matter: faq[0].q",
    "Parce que c'est ainsi.": "front matter: faq[0].a",
    "un": "front matter: tags[]",
}


@pytest.mark.parametrize("text", [YAML, TOML, JSON], ids=["yaml", "toml", "json"])
def test_each_list_item_is_an_entry_with_its_index(text: str) -> None:
    document = extract(text, front_matter_keys=KEYS)
    kinds = {segment.msgid: segment.kind for segment in document.segments if segment.kind.startswith("front")}
    assert {msgid: kinds[msgid] for msgid in EXPECTED_KINDS} == EXPECTED_KINDS
    assert "not configured" not in kinds


def skeleton(text: str) -> tuple[str, list[str]]:
    """The front matter with every translatable value cut out, and those values in order."""
    document = extract(text, front_matter_keys=KEYS)
    fields = sorted(
        (segment for segment in document.segments if segment.kind.startswith("front matter")),
        key=lambda segment: segment.spans[0].start,
    )
    pieces, values, previous = [], [], 0
    for segment in fields:
        span = segment.spans[0]
        pieces.append(text[previous : span.start])
        values.append(segment.msgid)
        previous = span.end
    pieces.append(text[previous:])
    return "\x00".join(pieces), values


@pytest.mark.parametrize("text", [YAML, TOML, JSON], ids=["yaml", "toml", "json"])
def test_only_the_translated_values_change(text: str) -> None:
    output = render(extract(text, front_matter_keys=KEYS), ENGLISH).text
    source_layout, source_values = skeleton(text)
    output_layout, output_values = skeleton(output)
    assert output_layout == source_layout  # every byte around the values: keys, comments, order, numbers
    assert output_values == [ENGLISH.get(value, value) for value in source_values]


def test_a_configured_nested_key_path_is_accepted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from l10n.config import config_from_table

    config = config_from_table(tmp_path, {"front_matter_keys": list(KEYS)})
    assert config.front_matter_keys == KEYS
