"""How problems are printed: text lines, JSON, and GitHub workflow annotations."""

from __future__ import annotations

import json

import pytest

from l10n.report import Diagnostic, default_format, format_github, format_text, render

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
