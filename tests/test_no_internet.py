"""The suite's own guard: no in-process connection leaves the machine."""

from __future__ import annotations

import socket

import pytest


def test_a_connection_off_loopback_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(OSError, match="stub it"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_loopback_connections_still_work() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
