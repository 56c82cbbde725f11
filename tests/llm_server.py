"""An OpenAI-compatible chat server on 127.0.0.1 for the llm backend's tests and benchmark, with faults.

``POST /v1/chat/completions`` reads the JSON at the end of the last user message (its ``segments``, each with
an ``id`` and a ``text``) and answers ``{"translations": [{"id", "text"}...]}`` as the assistant's content.
The "translation" swaps the case of every letter outside tags (:func:`mt_server.fake_translation`).

Faults are scripted per request: ``server.script(substring, ["429", "ok"])`` makes the requests whose last
user message contains ``substring`` meet those faults in turn (then ``ok``); ``server.default_faults`` applies
to every other request; ``server.reject_schema`` refuses structured output (HTTP 400).
Faults on the whole reply: ``missing`` (last item left out), ``extra`` (an id not
asked for), ``duplicate`` (first item twice), ``reorder`` (items reversed), ``truncate`` (cut in the middle,
``finish_reason: length``; only for batches of more than one segment: ``truncate1`` cuts any), ``fence``
(in a Markdown code fence), ``preamble`` (a sentence before the JSON), ``429`` (with ``Retry-After:
server.retry_after``), ``500``, ``401``, ``hang`` (answers after ``hang`` seconds), ``reset`` (connection closed).
Faults on the segment whose text contains the substring: ``drop`` (its first tag removed), ``repeat`` (its
first ``<xN/>`` twice), ``move`` (its first pair's closing tag put before the opening one), ``url``, ``html``,
``component`` (each added at its end).

The server records every request's messages, the moment it arrived, and which ones it answered in full.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from mt_server import fake_translation

_PAIR = re.compile(r"<g(\d+)>(.*?)</g\1>", re.DOTALL)
_ATOMIC = re.compile(r"<x\d+/>")
_TAG = re.compile(r"</?[gx]\d+/?>")


def segments_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The segments asked for in the last user message."""
    content = [m for m in messages if m.get("role") == "user"][-1]["content"]
    start = content.index("{") if content.lstrip().startswith("{") else content.index("\n{") + 1
    data = json.loads(content[start:])
    return list(data["segments"])


def request_digest(messages: list[dict[str, Any]]) -> str:
    return json.dumps(messages, sort_keys=True, ensure_ascii=False)


class LLMServer:
    """Use as ``with LLMServer() as server:``; ``server.base_url`` is the client's ``base_url``."""

    def __init__(self, delay: float = 0.0, hang: float = 2.0) -> None:
        self.delay = delay
        self.hang = min(hang, 10.0)
        self.retry_after = "0"
        self.reject_schema = False  # answer 400 to a json_schema response_format, as servers without it do
        self.default_faults: list[str] = []
        self.bodies: list[dict[str, Any]] = []
        self.arrivals: list[float] = []
        self.last_answer = 0.0
        self.answered: Counter[str] = Counter()  # request digest -> full answers given
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
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def requests(self) -> int:
        return len(self.bodies)

    def script(self, substring: str, faults: list[str]) -> None:
        with self._lock:
            self._scripts.append((substring, list(faults)))

    def __enter__(self) -> LLMServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_fault(self, text: str) -> tuple[str, str]:
        with self._lock:
            for substring, faults in self._scripts:
                if substring in text and faults:
                    return faults.pop(0), substring
            return (self.default_faults.pop(0) if self.default_faults else "ok"), ""

    def _enter(self, body: dict[str, Any]) -> None:
        with self._lock:
            self.bodies.append(body)
            self.arrivals.append(time.monotonic())
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": "not found"}})
                    return
                server._enter(body)
                if server.reject_schema and (body.get("response_format") or {}).get("type") == "json_schema":
                    server._leave()
                    self._send(400, {"error": {"message": "response_format json_schema is not supported"}})
                    return
                try:
                    last_user = [m for m in body["messages"] if m.get("role") == "user"][-1]["content"]
                    fault, substring = server._next_fault(last_user)
                    self._answer(body, fault, substring)
                finally:
                    server._leave()

            def _answer(self, body: dict[str, Any], fault: str, substring: str) -> None:
                if server.delay:
                    server._stop.wait(server.delay)
                if fault == "hang":
                    server._stop.wait(server.hang)
                if fault == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault in ("401", "429", "500"):
                    headers = {"Retry-After": server.retry_after} if fault == "429" else {}
                    self._send(int(fault), {"error": {"message": f"fault {fault}"}}, headers)
                    return
                items = [{"id": s["id"], "text": fake_translation(s["text"])} for s in segments_of(body["messages"])]
                for item in items:
                    if substring and substring.swapcase() in item["text"]:
                        item["text"] = _segment_fault(item["text"], fault)
                content, finish = _reply(items, fault)
                answer = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", ""),
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
                    ],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
                }
                if self._send(200, answer):
                    with server._lock:
                        server.answered[request_digest(body["messages"])] += 1
                        server.last_answer = time.monotonic()

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> bool:
                data = json.dumps(payload).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()
                except OSError:  # the client gave up (timeout)
                    with contextlib.suppress(OSError):
                        self.connection.close()
                    return False
                return True

        return Handler


def _segment_fault(text: str, fault: str) -> str:
    if fault == "drop":
        return _TAG.sub("", text, count=1)
    if fault == "repeat":
        match = _ATOMIC.search(text)
        return text + " " + match.group(0) if match else text
    if fault == "move":
        return _PAIR.sub(lambda m: f"</g{m.group(1)}>{m.group(2)}<g{m.group(1)}>", text, count=1)
    if fault == "url":
        return text + " https://traduit.example/page"
    if fault == "html":
        return text + ' <img src="x" onerror="alert(1)">'
    if fault == "component":
        return text + " <Banner />"
    return text


def _reply(items: list[dict[str, Any]], fault: str) -> tuple[str, str]:
    if fault == "missing":
        items = items[:-1]
    elif fault == "extra":
        items = [*items, {"id": 9999, "text": "nothing"}]
    elif fault == "duplicate":
        items = [items[0], *items]
    elif fault == "reorder":
        items = list(reversed(items))
    content = json.dumps({"translations": items}, ensure_ascii=False)
    if (fault == "truncate" and len(items) > 1) or fault == "truncate1":
        return content[: len(content) // 2], "length"
    if fault == "fence":
        return f"```json\n{content}\n```", "stop"
    if fault == "preamble":
        return f"Here is the translation:\n{content}", "stop"
    return content, "stop"
