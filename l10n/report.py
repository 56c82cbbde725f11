"""Problems found by a command, and how they are printed: text, JSON, or GitHub annotations."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Format = Literal["text", "json", "github"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem at a place: ``path`` relative to the project root, 1-based ``line`` when known."""

    path: str
    line: int | None
    check: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def default_format(requested: Format | None) -> Format:
    """The format asked for, else GitHub annotations inside GitHub Actions, else text."""
    if requested is not None:
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_text(diagnostic: Diagnostic) -> str:
    marker = "" if diagnostic.is_error else "warning: "
    return f"{diagnostic.where}: {marker}[{diagnostic.check}] {_one_line(diagnostic.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostic: Diagnostic) -> str:
    """A workflow command GitHub shows as an annotation on the file and line."""
    properties = f"file={_escape_property(diagnostic.path)}"
    if diagnostic.line:
        properties += f",line={diagnostic.line}"
    properties += f",title={_escape_property(diagnostic.check)}"
    return f"::{diagnostic.severity} {properties}::{_escape_data(_one_line(diagnostic.message))}"


def render(diagnostics: Sequence[Diagnostic], output_format: Format) -> str:
    """All diagnostics in the given format (JSON: one array), with a final newline unless empty."""
    if output_format == "json":
        return json.dumps([asdict(item) for item in diagnostics], ensure_ascii=False, indent=2) + "\n"
    formatter = format_github if output_format == "github" else format_text
    lines = [formatter(item) for item in diagnostics]
    return "".join(line + "\n" for line in lines)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda item: (item.path, item.line or 0, item.check, item.message))
