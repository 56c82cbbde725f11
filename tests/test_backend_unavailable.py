"""A backend that cannot be used (issue 16): connection refused, unknown host, TLS failure, a refused key.

The run stops after a few such failures in a row, with one clear message and exit 2, and keeps what was drafted
before; it does not retry every segment (a closed port used to cost 5 tries with backoff per segment).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from mt_server import MTServer

from l10n.config import Config, load_config
from l10n.project import iter_posts
from l10n.run import operations
from l10n.translate.backends import TRANSPORT, Backend, TransientError, UnavailableError, make_backend
from l10n.translate.command import translate_project
from l10n.translate.orchestrator import UNAVAILABLE_IN_A_ROW, RetryPolicy


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def project(root: Path, url: str, paragraphs: list[str]) -> Config:
    (root / "content" / "fr").mkdir(parents=True)
    (root / "content" / "fr" / "post.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (root / "l10n.toml").write_text(
        f'source_lang = "fr"\ntarget_langs = ["en"]\nbackend = "libre"\n[backends.libre]\nurl = "{url}"\n',
        encoding="utf-8",
    )
    config = load_config(root)
    operations.extract_catalogs(config, iter_posts(config), ["en"]).commit()
    return config


class Counting:
    """A backend factory that counts the requests its backend is asked to make."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Backend:
        backend = make_backend(*args, **kwargs)
        real = backend.translate

        def counted(texts: Any, source: str, target: str) -> list[str]:
            self.calls += 1
            return real(texts, source, target)

        backend.translate = counted  # type: ignore[method-assign]
        return backend


def test_5000_segments_against_a_closed_port_stop_after_a_few_attempts(tmp_path: Path) -> None:
    paragraphs = [f"Paragraphe numéro {number} à traduire." for number in range(5000)]
    config = project(tmp_path, f"http://127.0.0.1:{closed_port()}/", paragraphs)
    counting = Counting()
    with pytest.raises(UnavailableError, match=r"cannot connect to 127\.0\.0\.1:\d+.*in a row failed"):
        # the default retry policy: a transient error would wait 1, 2, 4, 8 s per segment
        translate_project(config, jobs=4, backend_factory=counting, environ={})
    assert counting.calls <= UNAVAILABLE_IN_A_ROW + 4  # a few attempts, not 5,000 x 5
    catalog = polib.pofile(str(config.locales_dir / "en" / "post.po"))
    assert len(catalog) == 5000 and not any(entry.msgstr for entry in catalog)


@pytest.fixture
def server() -> Iterator[MTServer]:
    with MTServer() as running:
        yield running


def test_a_refused_key_stops_the_run_and_keeps_the_drafts_received(tmp_path: Path, server: MTServer) -> None:
    paragraphs = [f"Premier paragraphe {n} gardé." for n in range(3)]
    paragraphs += [f"Paragraphe numéro {n} refusé." for n in range(200)]
    config = project(tmp_path, server.url, paragraphs)
    server.script("gardé", ["ok"] * 3)
    server.default_faults = ["403"] * 1000
    with pytest.raises(UnavailableError, match=r"API key was refused \(HTTP 403\)"):
        translate_project(config, jobs=1, retry=RetryPolicy(attempts=5, base_delay=0.0), timeout=2.0, environ={})
    assert server.requests <= 3 + UNAVAILABLE_IN_A_ROW + 1
    catalog = polib.pofile(str(config.locales_dir / "en" / "post.po"))
    kept = [entry for entry in catalog if "gardé" in entry.msgid]
    assert [entry.msgstr for entry in kept] == [f"pREMIER PARAGRAPHE {n} GARDÉ." for n in range(3)]
    assert all(entry.fuzzy for entry in kept)
    assert not any(entry.msgstr for entry in catalog if "refusé" in entry.msgid)


def test_a_few_failures_between_successes_do_not_stop_the_run(tmp_path: Path, server: MTServer) -> None:
    paragraphs = [f"Paragraphe numéro {n} ici." for n in range(12)]
    config = project(tmp_path, server.url, paragraphs)
    for n in range(0, 12, 3):  # one refusal in three: never UNAVAILABLE_IN_A_ROW in a row
        server.script(f"numéro {n} ", ["401"])
    [report] = translate_project(config, jobs=1, retry=RetryPolicy(attempts=2, base_delay=0.0), environ={})
    assert report.sent == 8 and len(report.failures) == 4


def test_the_command_says_it_in_one_line_with_exit_2(tmp_path: Path, l10n: Callable[..., Any]) -> None:
    project(tmp_path, f"http://127.0.0.1:{closed_port()}/", [f"Paragraphe {n} à traduire." for n in range(300)])
    result = l10n("translate", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: libre: cannot connect to 127.0.0.1:"), result.stderr
    assert "Traceback" not in result.stderr


def _error_of(method: Callable[..., Any], url: str, **kwargs: Any) -> type[Exception]:
    try:
        method(url, timeout=2.0, **kwargs)
    except (UnavailableError, TransientError) as error:
        return type(error)
    raise AssertionError(f"{url}: no error")


def test_unknown_hosts_and_tls_failures_are_unavailable_but_a_dropped_connection_is_retried(
    monkeypatch: pytest.MonkeyPatch, server: MTServer
) -> None:
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    assert _error_of(TRANSPORT.get, f"https://127.0.0.1:{port}/languages") is UnavailableError  # TLS to plain HTTP
    assert _error_of(TRANSPORT.get, f"http://127.0.0.1:{closed_port()}/") is UnavailableError
    server.default_faults = ["reset"]
    assert _error_of(TRANSPORT.post, server.url + "translate", data={"q": "x"}) is TransientError

    def no_such_host(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    assert _error_of(TRANSPORT.get, "http://translate.invalid/") is UnavailableError
