"""The project glossary: terms a translation must render in a fixed way (or keep as they are).

Format (``locales/glossary.tsv``), tab-separated UTF-8::

    # comments and blank lines are ignored
    fr	en	de
    RGPD	GDPR	DSGVO
    IBM Watson	IBM Watson	IBM Watson

The first non-comment row names the languages (locale codes) of the columns. Each following row is one term
in each language; an empty cell means "no rule for this language". A term written the same in two columns is
a name to keep untranslated. A term containing an uppercase letter matches case-sensitively (``RGPD``,
``Mayo Clinic``); an all-lowercase term matches regardless of case (``apprentissage automatique`` also
matches at the start of a sentence). Terms match on word boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from l10n.fileio import InputError, read_text


def _language_key(code: str) -> str:
    return code.strip().replace("-", "_").lower()


@dataclass(frozen=True)
class Glossary:
    """Rows of equivalent terms, keyed by language code."""

    languages: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default=())

    @classmethod
    def load(cls, path: Path | str) -> Glossary:
        """Read a glossary file; a missing file is an empty glossary. Malformed rows raise ``InputError``."""
        path = Path(path)
        if not path.exists():
            return cls()
        return cls.parse(read_text(path), path)

    @classmethod
    def parse(cls, text: str, path: Path | str = "<glossary>") -> Glossary:
        languages: tuple[str, ...] = ()
        rows: list[tuple[str, ...]] = []
        for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            cells = tuple(cell.strip() for cell in raw.split("\t"))
            if not languages:
                if len(cells) < 2 or not all(
                    re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]+)*", c) for c in cells
                ):
                    raise InputError(path, number, "the first row must name the languages, e.g. 'fr<TAB>en'")
                languages = tuple(_language_key(cell) for cell in cells)
                continue
            if len(cells) > len(languages):
                raise InputError(path, number, f"{len(cells)} columns, but the header names {len(languages)}")
            rows.append(cells + ("",) * (len(languages) - len(cells)))
        return cls(languages, tuple(rows))

    def _column(self, lang: str) -> int | None:
        key = _language_key(lang)
        for candidates in (key, key.split("_")[0]):
            if candidates in self.languages:
                return self.languages.index(candidates)
        return None

    def terms(self, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
        """``(source term, target term)`` pairs, longest source term first (so it wins over its parts)."""
        source, target = self._column(source_lang), self._column(target_lang)
        if source is None or target is None:
            return []
        pairs = {(row[source], row[target]) for row in self.rows if row[source] and row[target]}
        return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))

    def __len__(self) -> int:
        return len(self.rows)


def term_pattern(term: str) -> re.Pattern[str]:
    """Where ``term`` occurs as whole words (case-insensitive when the term is all lowercase)."""
    words = r"\s+".join(re.escape(word) for word in term.split())
    flags = 0 if any(character.isupper() for character in term) else re.IGNORECASE
    return re.compile(rf"(?<!\w){words}(?!\w)", flags)


def count_term(term: str, text: str) -> int:
    return len(term_pattern(term).findall(text))
