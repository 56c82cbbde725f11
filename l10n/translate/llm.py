"""The ``llm`` backend: any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp's server, LM
Studio) through the official ``openai`` client, an optional extra (``pip install 'l10n[llm]'``).

Settings (``[backends.llm]``): ``model`` (required), ``base_url`` (default: OpenAI's), ``api_key_env``
(default ``OPENAI_API_KEY``; a server at another ``base_url`` may need none), ``temperature``, ``instructions``
(the site's style guide), ``max_segments`` per request, ``timeout``, ``response_format`` (``json_schema``,
``json_object`` or ``none``) and ``input_price`` / ``output_price`` per million tokens (for estimates).

This module makes requests: one conversation in, the reply's text out, with retries (429 with its
Retry-After, 5xx, dropped connections, timeouts) and the structured-output fallbacks. What to ask and how to
read the reply is :mod:`l10n.translate.llm_protocol`; the per-post batches are :mod:`l10n.translate.llm_run`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from l10n.translate import llm_protocol
from l10n.translate.backends import DEFAULT_TIMEOUT, BackendError, TransientError
from l10n.translate.orchestrator import RetryPolicy

if TYPE_CHECKING:
    import openai

NAME = "llm"
DEFAULT_MAX_SEGMENTS = 40
MAX_REQUEST_CHARS = 12_000  # of segment text per request, so that a reply stays well under output limits
RESPONSE_FORMATS = ("json_schema", "json_object", "none")
_KNOWN = {
    "model", "base_url", "api_key_env", "temperature", "instructions", "max_segments", "max_request_chars",
    "timeout", "response_format", "input_price", "output_price",
}


class RefusedError(BackendError):
    """The endpoint refuses every request (bad key, unknown model): the run stops."""


class UnreachableError(BackendError):
    """No connection to the endpoint after every try (a local server not started, a wrong ``base_url``)."""


@dataclass(frozen=True)
class Settings:
    model: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    temperature: float | None = 0.0
    instructions: str = ""
    max_segments: int = DEFAULT_MAX_SEGMENTS
    max_request_chars: int = MAX_REQUEST_CHARS
    response_format: str = "json_schema"
    input_price: float | None = None  # per million tokens
    output_price: float | None = None

    @property
    def endpoint(self) -> str:
        return (self.base_url or "https://api.openai.com/v1").rstrip("/")

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        if self.input_price is None and self.output_price is None:
            return None
        return (input_tokens * (self.input_price or 0.0) + output_tokens * (self.output_price or 0.0)) / 1e6


def settings_from(options: Mapping[str, Any]) -> Settings:
    """Validated settings from ``[backends.llm]`` (``timeout`` is taken by the caller); BackendError if bad."""
    unknown = sorted(set(options) - _KNOWN)
    if unknown:
        raise BackendError(f"backends.llm: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KNOWN))})")
    model = options.get("model")
    if not isinstance(model, str) or not model.strip():
        raise BackendError('backends.llm: set "model", e.g. model = "gpt-4o-mini" or "llama3.1"')

    def text(key: str, default: str) -> str:
        value = options.get(key, default)
        if not isinstance(value, str):
            raise BackendError(f"backends.llm.{key}: expected a string, got {value!r}")
        return value

    def number(key: str, default: float | None, low: float, high: float) -> float | None:
        value = options.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise BackendError(f"backends.llm.{key}: expected a number from {low:g} to {high:g}, got {value!r}")
        return float(value)

    response_format = text("response_format", "json_schema")
    if response_format not in RESPONSE_FORMATS:
        raise BackendError(f"backends.llm.response_format: one of {', '.join(RESPONSE_FORMATS)}")
    base_url = options.get("base_url")
    if base_url is not None and (not isinstance(base_url, str) or not base_url.startswith(("http://", "https://"))):
        raise BackendError(f"backends.llm.base_url: expected an http(s) URL, got {base_url!r}")
    return Settings(
        model=model.strip(),
        base_url=base_url,
        api_key_env=text("api_key_env", "OPENAI_API_KEY"),
        temperature=number("temperature", 0.0, 0.0, 2.0),
        instructions=text("instructions", ""),
        max_segments=int(number("max_segments", DEFAULT_MAX_SEGMENTS, 1, 10_000) or DEFAULT_MAX_SEGMENTS),
        max_request_chars=int(number("max_request_chars", MAX_REQUEST_CHARS, 100, 10**7) or MAX_REQUEST_CHARS),
        response_format=response_format,
        input_price=number("input_price", None, 0.0, 1e6),
        output_price=number("output_price", None, 0.0, 1e6),
    )


@dataclass(frozen=True)
class Completion:
    """A reply: its text, why it ended (``stop``, ``length``...) and the tokens billed."""

    content: str
    finish_reason: str
    input_tokens: int = 0
    output_tokens: int = 0


class LLMBackend:
    """Requests to one chat endpoint and model. Thread-safe (the ``openai`` client is)."""

    whole_posts = True  # the translate command sends it a post's segments per request, with their context
    max_chars = 100_000

    def __init__(
        self,
        settings: Settings,
        api_key: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        try:
            import openai
        except ImportError:
            raise BackendError("the llm backend needs the openai client: pip install 'l10n[llm]'") from None
        self.settings = settings
        self.name = f"{NAME} {settings.model}"
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self._openai = openai
        # Made in the background (loading the system's certificates takes a while), while the command reads
        # and encodes the posts; the first request waits for it.
        self._client_made: Future[openai.OpenAI] = Future()
        threading.Thread(
            target=self._make_client, args=(api_key, timeout), name="l10n-llm-client", daemon=True
        ).start()
        self._secret = api_key
        self._format = settings.response_format
        self._lock = threading.Lock()

    def _make_client(self, api_key: str, timeout: float) -> None:
        try:
            client = self._openai.OpenAI(
                api_key=api_key,
                base_url=self.settings.endpoint,
                timeout=timeout,
                max_retries=0,  # we retry
                http_client=_plain_http_client(self._openai, self.settings.endpoint),
            )
        except BaseException as error:  # raised again by the first request
            self._client_made.set_exception(error)
        else:
            self._client_made.set_result(client)

    @property
    def _client(self) -> openai.OpenAI:
        return self._client_made.result()

    def complete(
        self, messages: Sequence[dict[str, str]], retry: RetryPolicy | None = None
    ) -> tuple[Completion, int]:
        """The reply to ``messages`` and the number of requests it took; BackendError when it never came."""
        policy = retry or self.retry
        for attempt in range(1, policy.attempts + 1):
            try:
                return self._request(messages), attempt
            except TransientError as error:
                if attempt == policy.attempts:
                    kind = UnreachableError if str(error) == _NO_CONNECTION else BackendError
                    raise kind(f"{self.name}: {error} (after {attempt} tries)") from None
                self.sleep(policy.delay(attempt, error.retry_after))
        raise BackendError("no attempt made")

    def _request(self, messages: Sequence[dict[str, str]]) -> Completion:
        openai = self._openai
        while True:
            response_format = self._format
            options: dict[str, Any] = {}
            if self.settings.temperature is not None:
                options["temperature"] = self.settings.temperature
            if response_format == "json_schema":
                options["response_format"] = {"type": "json_schema", "json_schema": llm_protocol.RESPONSE_SCHEMA}
            elif response_format == "json_object":
                options["response_format"] = {"type": "json_object"}
            try:
                response = self._client.chat.completions.create(
                    model=self.settings.model, messages=list(messages), **options  # type: ignore[arg-type]
                )
            except openai.BadRequestError as error:
                if response_format != "none" and "response_format" in str(error).lower() + _body(error):
                    self._fall_back(response_format)  # the endpoint has no structured output: parse strictly
                    continue
                message = f"{self.name}: refused the request (HTTP 400): {_detail(error)}"
                raise BackendError(self._scrub(message)) from None
            except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
                raise RefusedError(f"{self.name}: the API key was refused (HTTP {error.status_code})") from None
            except openai.NotFoundError as error:
                raise RefusedError(self._scrub(f"{self.name}: not found (HTTP 404): {_detail(error)}")) from None
            except openai.RateLimitError as error:
                raise TransientError("HTTP 429", _retry_after(error.response)) from None
            except openai.APITimeoutError:
                raise TransientError("no answer within the timeout") from None
            except openai.APIConnectionError as error:
                raise TransientError(_NO_CONNECTION if _could_not_connect(error) else "connection failed") from None
            except openai.APIStatusError as error:
                if error.status_code >= 500:
                    raise TransientError(f"HTTP {error.status_code}", _retry_after(error.response)) from None
                raise BackendError(self._scrub(f"{self.name}: HTTP {error.status_code}: {_detail(error)}")) from None
            except openai.APIError as error:  # a body that is not a chat completion
                raise TransientError(f"malformed answer ({type(error).__name__})") from None
            return _completion(response)

    def _fall_back(self, failed: str) -> None:
        with self._lock:
            if self._format == failed:
                self._format = RESPONSE_FORMATS[RESPONSE_FORMATS.index(failed) + 1]

    def _scrub(self, message: str) -> str:
        return message.replace(self._secret, "***") if self._secret else message

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The common protocol (single segments, e.g. in ``l10n review``): one request, no post context."""
        segments = [llm_protocol.Segment(number, text) for number, text in enumerate(texts, start=1)]
        messages = llm_protocol.messages_for(llm_protocol.PostContext(""), segments, source, target,
                                             self.settings.instructions)
        completion, _ = self.complete(messages)
        reply = llm_protocol.parse_reply(completion.content, [segment.id for segment in segments])
        if completion.finish_reason == "length" or not reply.sound:
            problem = "reply truncated" if completion.finish_reason == "length" else reply.problems[0]
            raise BackendError(f"{self.name}: unusable reply ({problem})")
        return [reply.translations[segment.id] for segment in segments]


_NO_CONNECTION = "cannot connect"


def _plain_http_client(openai: Any, endpoint: str) -> Any:
    """For an ``http://`` endpoint reached without a proxy (a local server: Ollama, vLLM, llama.cpp, LM
    Studio), the client's usual HTTP client but with a TLS context that trusts no certificate: loading the
    system's certificates takes tens of milliseconds of CPU at each start, and no TLS is spoken to such an
    endpoint. Should it redirect to ``https://``, verification fails and the request with it (never an
    unverified connection). None (the client's default) for every other endpoint, or when a proxy setting
    in the environment may apply (a proxy reached over TLS needs the certificates)."""
    import ssl
    import urllib.request

    if not endpoint.lower().startswith("http://"):
        return None
    proxies = urllib.request.getproxies()
    if any(proxies.get(scheme) for scheme in ("http", "https", "all")):
        return None

    class Client(openai.DefaultHttpxClient):  # type: ignore[misc]
        def __del__(self) -> None:  # its connections closed with it, as the client's own does
            with contextlib.suppress(Exception):
                self.close()

    return Client(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))


def _could_not_connect(error: BaseException) -> bool:
    """Whether the connection was never made (refused, unknown host), as opposed to dropped on the way."""
    cause = error.__cause__ or error.__context__
    return type(cause).__name__ in ("ConnectError", "ConnectTimeout")


def _completion(response: Any) -> Completion:
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise TransientError("malformed answer (no choices)")
    choice = choices[0]
    content = getattr(choice.message, "content", None) if getattr(choice, "message", None) else None
    usage = getattr(response, "usage", None)
    return Completion(
        content=content if isinstance(content, str) else "",
        finish_reason=str(getattr(choice, "finish_reason", "") or ""),
        input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
    )


def _retry_after(response: Any) -> float | None:
    value = response.headers.get("retry-after", "") if response is not None else ""
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _body(error: Any) -> str:
    return str(getattr(error, "body", "") or "").lower()


def _detail(error: Any) -> str:
    body = getattr(error, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    return str(message or getattr(error, "message", "") or "")[:200]


def make_llm_backend(
    options: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
) -> LLMBackend:
    settings = settings_from(options)
    environ = os.environ if environ is None else environ
    key = environ.get(settings.api_key_env, "")
    if not key:
        if settings.base_url is None:
            raise BackendError(f"llm needs an API key in the environment variable {settings.api_key_env}")
        key = "none"  # a local server (Ollama, vLLM, llama.cpp) takes any key; the client insists on one
    return LLMBackend(settings, key, timeout=timeout, retry=retry)
