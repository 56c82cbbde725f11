"""Translation backends behind one protocol: ``translate(texts, source, target) -> list[str]``.

The engines are reached through deep-translator's real client classes.  deep-translator calls the
module-level ``requests.get``/``requests.post`` with no timeout and folds HTTP failures into exceptions that
lose the status code, so each of its client modules is given a transport (``_Transport``) in place of its
``requests`` name: the same requests API, through a per-thread ``Session`` with a timeout, which raises
``TransientError`` for what is worth retrying (timeouts, dropped connections, HTTP 429/456/5xx) before
deep-translator sees the response.

API keys come from the environment only; they never appear in a message (deep-translator puts some in URLs and
in its own error texts, so those are never shown).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from babel import Locale
from urllib3.exceptions import NameResolutionError, NewConnectionError

from l10n.translate import locales

DEFAULT_TIMEOUT = 30.0


class BackendError(Exception):
    """A request that failed for good (bad key, unsupported language, unusable answer)."""


class TransientError(BackendError):
    """A request worth retrying: timeout, dropped connection, rate limit (429, 456), server error (5xx)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnavailableError(BackendError):
    """The backend cannot be used at all: not reachable (connection refused, unknown host, TLS failure) or
    refusing our credentials (HTTP 401/403). Not retried; a few in a row stop the run."""


class Backend(Protocol):
    name: str
    max_chars: int  # the longest text one request may carry

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]: ...


_LOCAL = threading.local()  # per thread: the requests Session and the current timeout

Rewrite = Callable[[str, str, dict[str, Any]], tuple[str, str, dict[str, Any]]]
Check = Callable[[requests.Response], None]


def set_timeout(seconds: float) -> None:
    """The timeout of this thread's next requests."""
    _LOCAL.timeout = seconds


class _Transport:
    """Stands in for the ``requests`` module inside deep-translator's client modules."""

    def __init__(self, rewrite: Rewrite | None = None, check: Check | None = None) -> None:
        self._rewrite = rewrite
        self._check = check

    @staticmethod
    def _session() -> requests.Session:
        session = getattr(_LOCAL, "session", None)
        if session is None:
            session = _LOCAL.session = requests.Session()
        return session

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        if self._rewrite is not None:
            method, url, kwargs = self._rewrite(method, url, kwargs)
        timeout = getattr(_LOCAL, "timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("timeout", timeout)
        try:
            response = self._session().request(method, url, **kwargs)
        except requests.Timeout:
            raise TransientError(f"no answer within {timeout:g} s") from None
        except requests.ConnectionError as error:
            raise _connection_error(error, url) from None
        status = response.status_code
        if status in (429, 456) or status >= 500:
            raise TransientError(f"HTTP {status}", _retry_after(response))
        if status in (401, 403):
            raise UnavailableError(f"the API key was refused (HTTP {status})")
        if status >= 400:  # deep-translator would drop the server's explanation
            detail = _error_detail(response)
            raise BackendError(f"HTTP {status}{': ' + detail if detail else ''}")
        if self._check is not None:
            self._check(response)
        return response

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)


def _connection_error(error: requests.ConnectionError, url: str) -> BackendError:
    """A connection that was never made (refused, unknown host, TLS) is UnavailableError; one that dropped
    after it was made is worth retrying."""
    where = urlsplit(url)
    server = f"{where.hostname}:{where.port}" if where.port else str(where.hostname)
    if isinstance(error, requests.exceptions.SSLError):
        return UnavailableError(f"TLS failed with {server} (certificate or protocol)")
    reason = getattr(error.args[0], "reason", None) if error.args else None
    if isinstance(reason, NameResolutionError):
        return UnavailableError(f"cannot resolve the host {where.hostname} (no network, or a wrong URL)")
    if isinstance(reason, NewConnectionError):
        return UnavailableError(f"cannot connect to {server} (connection refused or unreachable)")
    return TransientError("connection failed")


def _error_detail(response: requests.Response) -> str:
    """The error message of a JSON error answer, if any (short)."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    error = data.get("error") or data.get("message") or data.get("responseDetails")
    if isinstance(error, dict):
        error = error.get("message")
    return str(error)[:200] if error else ""


def _mymemory_check(response: requests.Response) -> None:
    """MyMemory answers HTTP 200 even when it refuses, with the refusal as the "translation"."""
    try:
        data = response.json()
    except ValueError:
        return  # deep-translator's own parsing reports it
    if not isinstance(data, dict) or str(data.get("responseStatus", "200")) == "200":
        return
    if data.get("quotaFinished") or str(data.get("responseStatus")) == "429":
        raise BackendError("the daily quota is used up (set an email in the backend settings for more)")
    raise BackendError(f"refused (status {data.get('responseStatus')}): {_error_detail(response)}")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _deepl_rewrite(method: str, url: str, kwargs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """deep-translator 1.11 calls DeepL with GET and the key in the query string, which DeepL no longer
    accepts (since 2025: POST, key in an ``Authorization`` header); it also kept the key out of URLs."""
    params = dict(kwargs.pop("params", None) or {})
    key = params.pop("auth_key", None)
    headers = dict(kwargs.pop("headers", None) or {})
    if key:
        headers["Authorization"] = f"DeepL-Auth-Key {key}"
    return "POST", url, {**kwargs, "headers": headers, "data": params}


TRANSPORTS = {"deepl": _Transport(rewrite=_deepl_rewrite), "mymemory": _Transport(check=_mymemory_check)}
TRANSPORT = _Transport()
_installed: set[str] = set()
_install_lock = threading.Lock()


def _client_module(name: str) -> ModuleType:
    """Import deep-translator's client module ``name`` with our transport in place of ``requests``."""
    import importlib

    module = importlib.import_module(f"deep_translator.{name}")
    with _install_lock:
        if name not in _installed:
            module.requests = TRANSPORTS.get(name, TRANSPORT)  # type: ignore[attr-defined]
            _installed.add(name)
    return module


@dataclass
class DeepTranslatorBackend:
    """One deep-translator engine; clients are made per thread (they keep request state between calls)."""

    name: str
    max_chars: int
    make_client: Callable[[str, str], Any]
    code: Callable[[Locale], str]
    timeout: float = DEFAULT_TIMEOUT
    secrets: tuple[str, ...] = ()
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        source_code = self._code(source)
        target_code = self._code(target)
        set_timeout(self.timeout)
        client = self._client(source_code, target_code)
        return [self._translate_one(client, text) for text in texts]

    def _code(self, locale_code: str) -> str:
        try:
            return self.code(locales.parse_locale(locale_code))
        except locales.UnsupportedLocale as error:
            raise BackendError(str(error)) from None

    def _client(self, source: str, target: str) -> Any:
        clients: dict[tuple[str, str], Any] = self._local.__dict__.setdefault("clients", {})
        if (source, target) not in clients:
            clients[(source, target)] = self._call(lambda: self.make_client(source, target))
        return clients[(source, target)]

    def _translate_one(self, client: Any, text: str) -> str:
        if not text.strip():
            return text
        result = self._call(lambda: client.translate(text))
        if not isinstance(result, str) or (text.strip() and not result.strip()):
            raise BackendError(f"{self.name} returned no translation")
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        return lead + result.strip() + trail  # some clients strip the text they send

    def _call(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except TransientError:
            raise
        except BackendError as error:
            raise type(error)(self._scrub(f"{self.name}: {error}")) from None
        except requests.JSONDecodeError:
            raise TransientError("malformed answer (not JSON)") from None
        except Exception as error:  # deep-translator's errors carry no status and may quote the key
            from deep_translator import exceptions

            refused = isinstance(error, exceptions.AuthorizationException)
            raise (UnavailableError if refused else BackendError)(self._describe(error)) from None

    def _describe(self, error: Exception) -> str:
        from deep_translator import exceptions

        if isinstance(error, exceptions.AuthorizationException):
            message = "the API key was refused"
        elif isinstance(error, exceptions.ApiKeyException):
            message = "no API key in the environment"
        elif isinstance(error, exceptions.ServerException | exceptions.RequestError):
            message = f"request failed ({type(error).__name__})"
        elif isinstance(error, exceptions.LanguageNotSupportedException):
            message = "language not supported"
        else:
            message = f"{type(error).__name__}: {error}"
        return self._scrub(f"{self.name}: {message}")

    def _scrub(self, message: str) -> str:
        for secret in self.secrets:
            message = message.replace(secret, "***")
        return message


_PSEUDO_LETTERS = str.maketrans(
    "aAcCeEiInNoOuUyYsSzZgGkKlLrRtTdDhHjJwW",
    "àÅçÇéÉîÎñÑöÖûÜýÝšŠžŽĝĜķĶļĻŕŔţŢđĐĥĤĵĴŵŴ",
)
_TAG_OR_TEXT = re.compile(r"(<[^<>]*>)")


@dataclass
class PseudoBackend:
    """Offline pseudo-localization: accented letters, about 30% longer, bracketed; tags left as they are.

    For testing layouts and CI without a network.  The brackets are not ``[`` ``]`` (Markdown link syntax).
    """

    name: str = "pseudo"
    max_chars: int = 100_000
    expansion: float = 0.3

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [self._pseudo(text) for text in texts]

    def _pseudo(self, text: str) -> str:
        if not text.strip():
            return text
        parts = _TAG_OR_TEXT.split(text)
        body = "".join(
            part if index % 2 else part.translate(_PSEUDO_LETTERS) for index, part in enumerate(parts)
        )
        visible = sum(len(part) for part in parts[::2])
        extra = max(0, round(visible * self.expansion) - 3)  # the brackets and a space count too
        padding = " ".join("·" * 5 for _ in range(extra // 6)) + (" " if extra // 6 and extra % 6 else "")
        padding += "·" * max(0, extra % 6 - 1)
        padding = padding.strip()
        lead = body[: len(body) - len(body.lstrip())]
        trail = body[len(body.rstrip()) :]
        core = body.strip()
        return f"{lead}⟦{core}{' ' + padding if padding else ''}⟧{trail}"


@dataclass(frozen=True)
class BackendSpec:
    """How to build one backend: its size limit, key variable and client factory."""

    max_chars: int
    key_variable: str | None
    code: Callable[[Locale], str]
    factory: Callable[[str, str, str | None, Mapping[str, Any]], Any]


def _google(source: str, target: str, key: str | None, options: Mapping[str, Any]) -> Any:
    return _client_module("google").GoogleTranslator(source=source, target=target)


def _deepl(source: str, target: str, key: str | None, options: Mapping[str, Any]) -> Any:
    free = bool(options.get("free", bool(key and key.endswith(":fx"))))
    module = _client_module("deepl")
    return module.DeeplTranslator(source=source, target=target, api_key=key, use_free_api=free)


def _libre(source: str, target: str, key: str | None, options: Mapping[str, Any]) -> Any:
    url = str(options.get("url") or "https://libretranslate.com/")
    client = _client_module("libre").LibreTranslator(
        source=source, target=target, api_key=key or "unused", custom_url=url.rstrip("/") + "/"
    )
    if not key:
        client.api_key = None  # a self-hosted server needs none; deep-translator insists on one at init
    return client


def _mymemory(source: str, target: str, key: str | None, options: Mapping[str, Any]) -> Any:
    extra = {"email": options["email"]} if options.get("email") else {}
    return _client_module("mymemory").MyMemoryTranslator(source=source, target=target, **extra)


def _microsoft(source: str, target: str, key: str | None, options: Mapping[str, Any]) -> Any:
    region = options.get("region") or os.environ.get("MICROSOFT_TRANSLATOR_REGION")
    return _client_module("microsoft").MicrosoftTranslator(
        source=source, target=target, api_key=key, region=region
    )


SPECS: dict[str, BackendSpec] = {
    "google": BackendSpec(4999, None, locales.google_code, _google),
    "deepl": BackendSpec(4999, "DEEPL_API_KEY", locales.deepl_code, _deepl),
    "libre": BackendSpec(4999, "LIBRETRANSLATE_API_KEY", locales.libre_code, _libre),
    "mymemory": BackendSpec(499, None, locales.mymemory_code, _mymemory),
    "microsoft": BackendSpec(4999, "MICROSOFT_TRANSLATOR_KEY", locales.microsoft_code, _microsoft),
}
BACKEND_NAMES = (*SPECS, "llm", "pseudo")


def key_variable(name: str) -> str | None:
    """The environment variable holding ``name``'s API key, if it needs one."""
    spec = SPECS.get(name)
    return spec.key_variable if spec else None


def make_backend(
    name: str,
    options: Mapping[str, Any] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] | None = None,
) -> Backend:
    """Build the backend called ``name``; keys come from ``environ`` (default: the process environment)."""
    if name == "pseudo":
        return PseudoBackend()
    if name == "llm":  # an optional extra: imported only when asked for
        from l10n.translate.llm import make_llm_backend

        return make_llm_backend(options or {}, timeout=timeout, environ=environ)
    spec = SPECS.get(name)
    if spec is None:
        raise BackendError(f"unknown backend {name!r} (choose from {', '.join(BACKEND_NAMES)})")
    environ = os.environ if environ is None else environ
    key = environ.get(spec.key_variable) if spec.key_variable else None
    if spec.key_variable and not key and name != "libre":
        raise BackendError(f"{name} needs an API key in the environment variable {spec.key_variable}")
    settings = dict(options or {})

    def make_client(source: str, target: str) -> Any:
        return spec.factory(source, target, key, settings)

    return DeepTranslatorBackend(
        name=name,
        max_chars=spec.max_chars,
        make_client=make_client,
        code=spec.code,
        timeout=timeout,
        secrets=(key,) if key else (),
    )
