"""A LibreTranslate-compatible HTTP server on 127.0.0.1 for tests and the benchmark, with fault injection.

``POST /translate`` takes ``q``, ``source``, ``target`` (query string, form or JSON, as LibreTranslate
does) and answers ``{"translatedText": ...}``.  The "translation" swaps the case of every letter outside
tags, so a test can predict it and it differs from the source.

Faults are scripted per text: ``server.script(substring, ["429", "ok"])`` makes the requests whose ``q``
contains ``substring`` meet those faults in turn (then ``ok``); ``server.default_faults`` applies to every
other request.
Faults: ``ok``, ``timeout`` (answer after ``hang`` seconds), ``401``/``403`` (key refused), ``429`` (with
Retry-After: 0), ``456``, ``500``,
``reset`` (connection closed without an answer), ``malformed`` (not JSON), ``drop`` (loses a placeholder),
``mangle`` (closing tags turned into opening ones), ``url`` (a URL the source did not have, in place of an
atomic placeholder or added at the end), ``braces`` (template syntax added), ``append:<text>`` (``<text>``
added at the end: a disguised link, a control character...).

The server counts requests per text and the most requests in flight at once.  Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlparse

_TAG = re.compile(r"(<[^<>]*>)")
_ATOMIC = re.compile(r"<x\d+/>")


def fake_translation(text: str) -> str:
    """The server's "translation": swap the case of letters outside tags."""
    parts = _TAG.split(text)
    return "".join(part if index % 2 else part.swapcase() for index, part in enumerate(parts))


class MTServer:
    """Use as ``with MTServer(delay=0.1) as server:``; ``server.url`` is LibreTranslator's ``custom_url``."""

    def __init__(self, delay: float = 0.0, hang: float = 2.0) -> None:
        self.delay = delay
        self.hang = min(hang, 10.0)
        self.default_faults: list[str] = []
        self.requests = 0
        self.per_text: Counter[str] = Counter()
        self.max_in_flight = 0
        self._in_flight = 0
        self._scripts: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.request_queue_size = 64
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def script(self, substring: str, faults: list[str]) -> None:
        """Requests whose text contains ``substring`` meet ``faults`` in order, then succeed."""
        with self._lock:
            self._scripts.append((substring, list(faults)))

    def __enter__(self) -> MTServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_fault(self, text: str) -> str:
        with self._lock:
            for substring, faults in self._scripts:
                if substring in text:
                    return faults.pop(0) if faults else "ok"
            return self.default_faults.pop(0) if self.default_faults else "ok"

    def _enter(self, text: str) -> None:
        with self._lock:
            self.requests += 1
            self.per_text[text] += 1
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out separately: no 40 ms stalls

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                if urlparse(self.path).path.rstrip("/") == "/languages":
                    languages = [{"code": code, "name": code} for code in ("en", "fr", "de", "es")]
                    self._send(200, json.dumps(languages))
                else:
                    self._send(404, json.dumps({"error": "not found"}))

            def do_POST(self) -> None:
                if urlparse(self.path).path.rstrip("/") != "/translate":
                    self._send(404, json.dumps({"error": "not found"}))
                    return
                params = self._params()
                text = params.get("q", "")
                server._enter(text)
                try:
                    self._answer(text, server._next_fault(text))
                finally:
                    server._leave()

            def _params(self) -> dict[str, str]:
                params = {key: values[0] for key, values in parse_qs(urlparse(self.path).query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if body and "json" in (self.headers.get("Content-Type") or ""):
                    params.update({key: str(value) for key, value in json.loads(body).items()})
                elif body:
                    params.update({k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()})
                return params

            def _answer(self, text: str, fault: str) -> None:
                if server.delay:
                    server._stop.wait(server.delay)
                if fault == "timeout":
                    server._stop.wait(server.hang)
                if fault == "reset":
                    # SO_LINGER 0: close sends a TCP reset instead of an orderly end.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault in ("401", "403"):  # the key refused
                    self._send(int(fault), json.dumps({"error": "Invalid API key"}))
                    return
                if fault in ("429", "456", "500"):
                    self._send(int(fault), json.dumps({"error": fault}), {"Retry-After": "0"})
                    return
                if fault == "malformed":
                    self._send(200, '{"translatedText": "unterminated')
                    return
                translated = fake_translation(text)
                if fault == "drop":
                    translated = _TAG.sub("", translated, count=1)
                elif fault == "mangle":
                    translated = translated.replace("</g", "<g")
                elif fault == "url":  # a URL the source did not have: instead of a tag, or added
                    url = "https://traduit.example/page"
                    replaced = _ATOMIC.sub(url, translated, count=1)
                    translated = replaced if replaced != translated else f"{translated} {url}"
                elif fault.startswith("append:"):  # anything a hostile engine adds (a link, a control)
                    translated = f"{translated} {fault.removeprefix('append:')}"
                elif fault == "braces":  # template syntax the source did not have (runs at site build)
                    translated = f"{translated} {{{{ site.secret }}}}"
                self._send(200, json.dumps({"translatedText": translated}))

            def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (timeout)
                    self.wfile.write(data)

        return Handler
