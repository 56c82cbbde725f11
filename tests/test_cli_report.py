"""How problems are printed: text lines, JSON, and GitHub workflow annotations."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from l10n.problems import Problem
from l10n.report import (
    ProblemLog,
    default_format,
    format_github,
    format_text,
    render,
    report_pieces,
    sort_diagnostics,
)

ERROR = Problem(
    "link-mismatch", "error", "link destinations differ: 100% wrong\nsee", line=12, path="locales/en/a,b.po"
)
WARNING = Problem("identical-to-source", "warning", "translation is identical", path="content/en/x.md")


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
    Problem("z-check", "warning", "même texte", line=3, path="b.md"),
    Problem("orphan-output", "error", "no source", path="a.md"),
    Problem("z-check", "error", "même texte", line=3, path="b.md"),  # ties with the first: kept after it
    Problem("a-check", "warning", "line 0 sorts as no line", line=0, path="a.md"),
    Problem("x", "warning", "é after e", line=10, path="a-b/c.md"),
    Problem("x", "warning", "e before é", line=2, path="a-b/c.md"),
    Problem("x", "warning", "an undecodable file name", line=1, path="\udce9t\u00e9.md"),
    Problem("x", "warning", "astral plane sorts after the BMP", line=1, path="\U0001f600.md"),
    Problem("x", "warning", "last of the BMP", line=1, path="\uffff.md"),
]


def test_a_log_of_diagnostics_reads_back_in_report_order() -> None:
    log = ProblemLog()
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
