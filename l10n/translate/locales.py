"""Locale codes (as written in the configuration, parsed by babel) to each engine's own language codes."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from deep_translator.constants import (
    DEEPL_LANGUAGE_TO_CODE,
    GOOGLE_LANGUAGES_TO_CODES,
    LIBRE_LANGUAGES_TO_CODES,
    MY_MEMORY_LANGUAGES_TO_CODES,
)


class UnsupportedLocale(ValueError):
    """A locale that a backend cannot translate from or to."""


def parse_locale(code: str) -> Locale:
    """Parse ``en``, ``en_US``, ``en-US``, ``pt_BR``, ``zh_Hans``... with babel."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise UnsupportedLocale(f"unknown locale {code!r}: {error}") from None


def _chinese_script(locale: Locale) -> str:
    """``Hans`` or ``Hant``: explicit script first, else the region's usual one."""
    if locale.script:
        return locale.script
    return "Hant" if locale.territory in ("TW", "HK", "MO") else "Hans"


def google_code(locale: Locale) -> str:
    codes = set(GOOGLE_LANGUAGES_TO_CODES.values())
    if locale.language == "zh":
        return "zh-CN" if _chinese_script(locale) == "Hans" else "zh-TW"
    language = {"he": "iw", "jv": "jw"}.get(locale.language, locale.language)
    return _known(language, codes, "google", locale)


def deepl_code(locale: Locale) -> str:
    return _known(locale.language, set(DEEPL_LANGUAGE_TO_CODE.values()), "deepl", locale)


def libre_code(locale: Locale) -> str:
    return _known(locale.language, set(LIBRE_LANGUAGES_TO_CODES.values()), "libre", locale)


def mymemory_code(locale: Locale) -> str:
    codes = set(MY_MEMORY_LANGUAGES_TO_CODES.values())
    if locale.language == "zh":
        return "zh-CN" if _chinese_script(locale) == "Hans" else "zh-TW"
    candidates = []
    if locale.territory:
        candidates.append(f"{locale.language}-{locale.territory}")
    # A bare language: the code MyMemory lists under that language's plain name ("english" -> en-GB).
    named = MY_MEMORY_LANGUAGES_TO_CODES.get((Locale(locale.language).english_name or "").lower())
    if named:
        candidates.append(named)
    candidates.append(f"{locale.language}-{locale.language.upper()}")
    candidates.extend(sorted(code for code in codes if code.split("-")[0] == locale.language))
    for candidate in candidates:
        if candidate in codes:
            return candidate
    raise UnsupportedLocale(f"mymemory cannot translate {locale}")


def microsoft_code(locale: Locale) -> str:
    # Microsoft's list is fetched at run time; its codes are lower case BCP 47 with a few scripts/regions.
    if locale.language == "zh":
        return "zh-hans" if _chinese_script(locale) == "Hans" else "zh-hant"
    if locale.language == "pt" and locale.territory == "PT":
        return "pt-pt"
    if locale.language == "fr" and locale.territory == "CA":
        return "fr-ca"
    return locale.language


def pseudo_code(locale: Locale) -> str:
    return str(locale)


def _known(language: str, codes: set[str], backend: str, locale: Locale) -> str:
    if language in codes:
        return language
    raise UnsupportedLocale(f"{backend} cannot translate {locale}")
