"""Translation memory: reviewed translations reused exactly, close ones offered as fuzzy drafts."""

from __future__ import annotations

import polib
from reference_memory import TranslationMemory

from l10n.memory.rules import fill_from_memory


def catalog(*entries: tuple[str, str, bool] | tuple[str, str, bool, bool]) -> polib.POFile:
    po = polib.POFile()
    for msgid, msgstr, fuzzy, *obsolete in entries:
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr, obsolete=bool(obsolete and obsolete[0]))
        if fuzzy:
            entry.flags.append("fuzzy")
        po.append(entry)
    return po


def test_exact_uses_reviewed_translations_only() -> None:
    memory = TranslationMemory.from_catalogs(
        [
            catalog(
                ("Bonjour.", "Hello.", False), ("Au revoir.", "Bye (machine).", True), ("Vide.", "", False)
            ),
            catalog(("Ancien texte.", "Old text.", False, True)),
        ]
    )
    assert memory.exact("Bonjour.") == "Hello."
    assert memory.exact("Au revoir.") is None
    assert memory.exact("Vide.") is None
    assert memory.exact("Ancien texte.") == "Old text."  # obsolete entries are a person's work too


def test_most_frequent_translation_wins_then_first_seen() -> None:
    memory = TranslationMemory(
        [("Conclusion", "Conclusion"), ("Conclusion", "In conclusion"), ("Conclusion", "In conclusion")]
    )
    assert memory.exact("Conclusion") == "In conclusion"
    assert TranslationMemory([("Oui", "Yes"), ("Oui", "Yeah")]).exact("Oui") == "Yes"


def test_fuzzy_returns_translation_score_and_source() -> None:
    memory = TranslationMemory([("Le chat dort sur le canapé.", "The cat sleeps on the sofa.")])
    match = memory.fuzzy("Le chat dort sur le canapé rouge.", cutoff=70)
    assert match is not None
    assert match.msgstr == "The cat sleeps on the sofa."
    assert match.source_msgid == "Le chat dort sur le canapé."
    assert 70 <= match.score < 100
    assert memory.fuzzy("Un texte sans aucun rapport.", cutoff=70) is None


def test_fill_only_touches_empty_entries() -> None:
    memory = TranslationMemory(
        [("Bonjour.", "Hello."), ("Le chat dort sur le canapé.", "The cat sleeps on the sofa.")]
    )
    po = catalog(
        ("Bonjour.", "", False),
        ("Le chat dort sur le canapé bleu.", "", False),
        ("Sans rapport aucun avec la mémoire.", "", False),
    )
    po.append(polib.POEntry(msgid="Bonjour!", msgstr="Hi there!"))
    result = fill_from_memory(po, memory)
    assert (result.exact, result.fuzzy) == (1, 1)
    hello, cat, unrelated, human = po
    assert (hello.msgstr, hello.fuzzy) == ("Hello.", False)
    assert (cat.msgstr, cat.fuzzy, cat.previous_msgid) == (
        "The cat sleeps on the sofa.",
        True,
        "Le chat dort sur le canapé.",
    )
    assert unrelated.msgstr == ""
    assert human.msgstr == "Hi there!"
    assert not fill_from_memory(po, memory).changed
