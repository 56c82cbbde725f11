"""How problems are printed: text lines, JSON, and GitHub workflow annotations."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from l10n.report import (
    Diagnostic,
    DiagnosticLog,
    default_format,
    format_github,
    format_text,
    render,
    report_pieces,
    sort_diagnostics,
)

ERROR = Diagnostic("locales/en/a,b.po", 12, "link-mismatch", "error", "link destinations differ: 100% wrong\nsee")
WARNING = Diagnostic("content/en/x.md", None, "identical-to-source", "warning", "translation is identical")


def test_text_is_one_line_per_problem() -> None:
    assert format_text(ERROR) == "locales/en/a,b.po:12: [link-mismatch] link destinations differ: 100% wrong see"
    assert format_text(WARNING) == "content/en/x.md: warning: [identical-to-source] translation is identical"


def test_github_annotations_escape_what_the_runner_would_misread() -> None:
    assert format_github(ERROR) == (
        "::error file=locales/en/a%2Cb.po,line=12,title=link-mismatch::link destinations differ: 100%25 wrong see"
    )
    assert format_github(WARNING).startswith("::warning file=content/en/x.md,title=identical-to-source::")


def test_json_is_one_array() -> None:
    data = json.loads(render([ERROR, WARNING], "json"))
    assert data[0] == {
        "path": "locales/en/a,b.po",
        "line": 12,
        "check": "link-mismatch",
        "severity": "error",
        "message": ERROR.message,
    }
    assert render([], "text") == ""


def test_github_format_by_default_inside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert default_format(None) == "github"
    assert default_format("text") == "text"
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert default_format(None) == "text"


TRICKY = [
    Diagnostic("b.md", 3, "z-check", "warning", "même texte"),
    Diagnostic("a.md", None, "orphan-output", "error", "no source"),
    Diagnostic("b.md", 3, "z-check", "error", "même texte"),  # ties with the first: kept after it
    Diagnostic("a.md", 0, "a-check", "warning", "line 0 sorts as no line"),
    Diagnostic("a-b/c.md", 10, "x", "warning", "é after e"),
    Diagnostic("a-b/c.md", 2, "x", "warning", "e before é"),
    Diagnostic("\udce9t\u00e9.md", 1, "x", "warning", "an undecodable file name"),
    Diagnostic("\U0001f600.md", 1, "x", "warning", "astral plane sorts after the BMP"),
    Diagnostic("\uffff.md", 1, "x", "warning", "last of the BMP"),
]


def test_a_log_of_diagnostics_reads_back_in_report_order() -> None:
    log = DiagnosticLog()
    log.add(TRICKY[:4])
    log.add(TRICKY[4:])
    assert list(log) == sort_diagnostics(TRICKY)
    assert (len(log), log.errors) == (len(TRICKY), 2)


def test_a_report_written_piece_by_piece_is_the_whole_report() -> None:
    for count in range(4):
        items = TRICKY[:count]
        pieces = "".join(report_pieces(items, "json"))
        assert pieces == json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=2) + "\n"
        assert json.loads(pieces) == [asdict(item) for item in items]
    assert render(TRICKY, "text") == "".join(format_text(item) + "\n" for item in TRICKY)
