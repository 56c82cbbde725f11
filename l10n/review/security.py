"""What keeps a local review server local: a per-session token, Host/Origin checks, strict headers.

A page on any other site the reviewer visits can send requests to 127.0.0.1; DNS rebinding can even make
them look same-origin. So every request must name our host (``Host``), come from our origin when it says
(``Origin``, ``Sec-Fetch-Site``) and carry the session cookie, which only the URL printed by ``l10n review``
sets; every request that changes something must also send the token in a header, which a cross-site form
cannot do and a cross-site script cannot read.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import URL, Headers
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_HEADER = "x-l10n-token"
SAFE_METHODS = ("GET", "HEAD")
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-resource-policy": "same-origin",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


class Guard:
    """ASGI middleware: refuses what does not come from the reviewer's own page, adds security headers."""

    def __init__(self, app: ASGIApp, *, token: str, host: str, port: int, aliases: Iterable[str] = ()) -> None:
        self.app = app
        self.token = token
        names = {host, "localhost", *aliases}
        self.hosts = {f"{name}:{port}" for name in names}
        self.origins = {f"http://{name}" for name in self.hosts}
        self.cookie = f"l10n_review_{port}"  # cookies are shared across ports: one name per server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if isinstance(refusal, Response):
            await refusal(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        if headers.get("host") not in self.hosts:
            return _refuse(400, "unexpected Host header: open the URL printed by l10n review")
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return _refuse(403, "cross-site request refused")
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return _refuse(403, "cross-site request refused")
        method = scope["method"]
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if method in SAFE_METHODS and _same((query.get("token") or [None])[0], self.token):
            # The printed URL: trade the token for a cookie, and drop it from the address bar and history.
            clean = URL(scope=scope).remove_query_params("token")
            target = clean.path + (f"?{clean.query}" if clean.query else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
            return response
        if not _same(cookie_parser(headers.get("cookie", "")).get(self.cookie), self.token):
            return _refuse(403, "no session: open the URL printed by l10n review (it carries the session token)")
        if method not in SAFE_METHODS:
            if not _same(headers.get(TOKEN_HEADER), self.token):
                return _refuse(403, "missing or wrong session token")
            if headers.get("content-type", "").split(";")[0].strip() != "application/json":
                return _refuse(415, "expected application/json")
        return None


def _refuse(status: int, message: str) -> Response:
    response = PlainTextResponse(message + "\n", status_code=status)
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response
