"""Serving the review app: bind 127.0.0.1 (only), print the URL with its session token, run uvicorn."""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from pathlib import Path

import uvicorn

from l10n.config import Config
from l10n.fileio import InputError
from l10n.review.app import Settings, create_app
from l10n.review.security import new_token

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise InputError(Path("--port"), None, f"cannot listen on {HOST}:{port}: {error.strerror or error}") from None
    sock.listen(64)
    return sock


def run(
    config: Config,
    *,
    langs: Sequence[str],
    port: int = 0,
    backend: str | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted."""
    sock = bind(port)
    actual = sock.getsockname()[1]
    token = new_token()
    app = create_app(Settings(config, langs, token, actual, backend_name=backend, host=HOST))
    announce(f"l10n review: open http://{HOST}:{actual}/?token={token}")
    announce("(serving on 127.0.0.1 only; press Ctrl+C to stop)")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
