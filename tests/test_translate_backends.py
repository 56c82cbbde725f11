"""The backends run deep-translator's real client code; the network is stubbed at the transport (responses)."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from l10n.translate.backends import BackendError, PseudoBackend, TransientError, make_backend
from l10n.translate.locales import (
    UnsupportedLocale,
    deepl_code,
    google_code,
    libre_code,
    microsoft_code,
    mymemory_code,
    parse_locale,
)
from l10n.translate.orchestrator import Orchestrator, RetryPolicy

GOOGLE = "https://translate.google.com/m"
DEEPL_FREE = "https://api-free.deepl.com/v2/translate"
MYMEMORY = "http://api.mymemory.translated.net/get"
MICROSOFT = "https://api.cognitive.microsofttranslator.com/translate"
NO_WAIT = RetryPolicy(attempts=3, base_delay=0.0, max_delay=0.0)


def _query(request: object) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(request.url).query).items()}  # type: ignore[attr-defined]


def _google_page(text: str) -> str:
    return f'<html><body><div class="t0">{html.escape(text)}</div></body></html>'


@responses.activate
def test_google_gets_the_placeholders_and_the_mapped_language_codes() -> None:
    def reply(request: object) -> tuple[int, dict[str, str], str]:
        query = _query(request)
        assert (query["sl"], query["tl"]) == ("fr", "zh-TW")
        assert query["q"] == "Le <g1>chat</g1> dort."
        return 200, {"Content-Type": "text/html; charset=UTF-8"}, _google_page("猫<g1>在</g1>睡觉。")

    responses.add_callback(responses.GET, GOOGLE, callback=reply)
    backend = make_backend("google", environ={})
    assert backend.translate(["Le <g1>chat</g1> dort."], "fr", "zh_Hant") == ["猫<g1>在</g1>睡觉。"]


@responses.activate
def test_a_rate_limited_google_request_is_retried_until_it_succeeds() -> None:
    responses.add(responses.GET, GOOGLE, status=429)
    responses.add(responses.GET, GOOGLE, status=503)
    responses.add(responses.GET, GOOGLE, body=_google_page("Hello"))
    orchestrator = Orchestrator(make_backend("google", environ={}), "fr", "en", jobs=1, retry=NO_WAIT)
    outcomes = orchestrator.run(["Bonjour"])
    assert outcomes["Bonjour"].translation == "Hello"
    assert outcomes["Bonjour"].requests == 3


@responses.activate
def test_deepl_uses_the_key_from_the_environment_and_never_shows_it() -> None:
    key = "secret-key-123:fx"

    def reply(request: object) -> tuple[int, dict[str, str], str]:
        # DeepL wants POST and the key in a header (deep-translator 1.11 still sends GET ?auth_key=...).
        assert request.headers["Authorization"] == f"DeepL-Auth-Key {key}"  # type: ignore[attr-defined]
        assert key not in request.url  # type: ignore[attr-defined]
        form = {k: v[0] for k, v in parse_qs(request.body).items()}  # type: ignore[attr-defined]
        assert form["target_lang"] == "en" and form["source_lang"] == "fr"
        return 200, {}, json.dumps({"translations": [{"text": f"EN {form['text']}"}]})

    responses.add_callback(responses.POST, DEEPL_FREE, callback=reply)
    backend = make_backend("deepl", environ={"DEEPL_API_KEY": key})
    assert backend.translate(["Bonjour"], "fr", "en_US") == ["EN Bonjour"]

    responses.replace(responses.POST, DEEPL_FREE, status=403)
    with pytest.raises(BackendError) as refused:
        backend.translate(["Salut"], "fr", "en")
    assert key not in str(refused.value) and "refused" in str(refused.value)


def test_a_backend_that_needs_a_key_says_which_variable_is_missing() -> None:
    with pytest.raises(BackendError, match="DEEPL_API_KEY"):
        make_backend("deepl", environ={})
    with pytest.raises(BackendError, match="MICROSOFT_TRANSLATOR_KEY"):
        make_backend("microsoft", environ={})
    with pytest.raises(BackendError, match="unknown backend"):
        make_backend("babelfish", environ={})


@responses.activate
def test_mymemory_texts_over_499_characters_are_split_at_sentence_ends() -> None:
    sent: list[str] = []

    def reply(request: object) -> tuple[int, dict[str, str], str]:
        query = _query(request)
        assert query["langpair"] == "fr-FR|pt-BR"
        sent.append(query["q"])
        return 200, {}, json.dumps({"responseData": {"translatedText": query["q"].upper()}, "matches": []})

    responses.add_callback(responses.GET, MYMEMORY, callback=reply)
    sentences = [f"Phrase numéro {number} avec quelques mots pour la remplir un peu." for number in range(20)]
    text = " ".join(sentences)
    assert len(text) > 1000
    orchestrator = Orchestrator(make_backend("mymemory", environ={}), "fr", "pt_BR", jobs=2, retry=NO_WAIT)
    outcome = orchestrator.run([text])[text]
    assert outcome.translation == text.upper()
    assert len(sent) >= 3 and all(len(piece) <= 499 for piece in sent)
    assert all(piece.endswith(".") for piece in sent)  # cut between sentences, not inside one


@responses.activate
def test_mymemory_refusals_sent_as_http_200_are_errors_not_translations() -> None:
    warning = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY."
    body = {"responseData": {"translatedText": warning}, "quotaFinished": True, "responseStatus": 429}
    responses.add(responses.GET, MYMEMORY, json=body)
    with pytest.raises(BackendError, match="quota") as error:
        make_backend("mymemory", environ={}).translate(["Bonjour"], "fr", "en")
    assert not isinstance(error.value, TransientError)  # a daily quota: retrying soon is pointless


@responses.activate
def test_a_refused_request_says_what_the_server_said() -> None:
    responses.add(responses.GET, GOOGLE, status=400, json={"error": "unsupported language pair"})
    with pytest.raises(BackendError, match="google: HTTP 400: unsupported language pair"):
        make_backend("google", environ={}).translate(["Bonjour"], "fr", "en")


@responses.activate
def test_microsoft_runs_through_the_real_client() -> None:
    languages = {"translation": {"fr": {"name": "French"}, "en": {"name": "English"}, "de": {"name": "German"}}}
    responses.add(responses.GET, re.compile(r"https://api\.cognitive\.microsofttranslator\.com/languages.*"),
                  json=languages)

    def reply(request: object) -> tuple[int, dict[str, str], str]:
        assert request.headers["Ocp-Apim-Subscription-Key"] == "ms-key"  # type: ignore[attr-defined]
        body = json.loads(request.body)  # type: ignore[attr-defined]
        return 200, {}, json.dumps([{"translations": [{"text": body[0]["text"] + " (de)", "to": "de"}]}])

    responses.add_callback(responses.POST, re.compile(re.escape(MICROSOFT) + ".*"), callback=reply)
    backend = make_backend("microsoft", environ={"MICROSOFT_TRANSLATOR_KEY": "ms-key"})
    assert backend.translate(["Bonjour"], "fr", "de") == ["Bonjour (de)"]


@responses.activate
def test_a_dropped_connection_and_a_server_error_are_transient_a_bad_request_is_not() -> None:
    import requests

    backend = make_backend("google", environ={})
    responses.add(responses.GET, GOOGLE, body=requests.ConnectionError("reset"))
    with pytest.raises(TransientError):
        backend.translate(["a"], "fr", "en")
    responses.replace(responses.GET, GOOGLE, status=500)
    with pytest.raises(TransientError):
        backend.translate(["a"], "fr", "en")
    responses.replace(responses.GET, GOOGLE, status=400)
    with pytest.raises(BackendError) as error:
        backend.translate(["a"], "fr", "en")
    assert not isinstance(error.value, TransientError)


@pytest.mark.parametrize(
    ("code", "google", "deepl", "libre", "mymemory", "microsoft"),
    [
        ("en", "en", "en", "en", "en-GB", "en"),
        ("en_US", "en", "en", "en", "en-US", "en"),
        ("pt-BR", "pt", "pt", "pt", "pt-BR", "pt"),
        ("zh_Hans", "zh-CN", "zh", "zh", "zh-CN", "zh-hans"),
        ("zh_TW", "zh-TW", "zh", "zh", "zh-TW", "zh-hant"),
        ("de", "de", "de", "de", "de-DE", "de"),
    ],
)
def test_locale_codes_map_to_each_backend(
    code: str, google: str, deepl: str, libre: str, mymemory: str, microsoft: str
) -> None:
    locale = parse_locale(code)
    assert (google_code(locale), deepl_code(locale), libre_code(locale)) == (google, deepl, libre)
    assert (mymemory_code(locale), microsoft_code(locale)) == (mymemory, microsoft)


def test_a_locale_a_backend_cannot_handle_is_an_error_not_a_guess() -> None:
    with pytest.raises(UnsupportedLocale):
        deepl_code(parse_locale("br"))
    with pytest.raises(UnsupportedLocale):
        parse_locale("xx_not_a_locale")


def test_pseudo_localization_keeps_tags_and_is_about_a_third_longer() -> None:
    text = "Le <g1>chat</g1> dort sur le canapé <x2/> depuis ce matin, comme toujours."
    [pseudo] = PseudoBackend().translate([text], "fr", "de")
    assert pseudo.startswith("⟦") and pseudo.endswith("⟧")
    assert "<g1>" in pseudo and "</g1>" in pseudo and "<x2/>" in pseudo
    assert "chat" not in pseudo  # accented
    visible = re.sub(r"<[^>]*>", "", text)
    assert 1.25 * len(visible) <= len(re.sub(r"<[^>]*>", "", pseudo)) <= 1.35 * len(visible)
