"""How the problems a command found are printed: text, JSON, or GitHub annotations."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Literal

from l10n.problems import Problem
from l10n.store.spool import sortable
from l10n.store.sqlite import scratch_database

Format = Literal["text", "json", "github"]


def default_format(requested: Format | None) -> Format:
    """The format asked for, else GitHub annotations inside GitHub Actions, else text."""
    if requested is not None:
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_text(diagnostic: Problem) -> str:
    marker = "" if diagnostic.is_error else "warning: "
    return f"{diagnostic.where}: {marker}[{diagnostic.check}] {_one_line(diagnostic.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostic: Problem) -> str:
    """A workflow command GitHub shows as an annotation on the file and line."""
    properties = f"file={_escape_property(diagnostic.path)}"
    if diagnostic.line:
        properties += f",line={diagnostic.line}"
    properties += f",title={_escape_property(diagnostic.check)}"
    return f"::{diagnostic.severity} {properties}::{_escape_data(_one_line(diagnostic.message))}"


def render(diagnostics: Iterable[Problem], output_format: Format) -> str:
    """All diagnostics in the given format (JSON: one array), with a final newline unless empty."""
    return "".join(report_pieces(diagnostics, output_format))


def report_pieces(diagnostics: Iterable[Problem], output_format: Format) -> Iterator[str]:
    """What :func:`render` returns, piece by piece: a report of any length, written as it is read."""
    if output_format == "json":
        yield from _json_array(diagnostics)
        return
    formatter = format_github if output_format == "github" else format_text
    for item in diagnostics:
        yield formatter(item) + "\n"


def _json_array(diagnostics: Iterable[Problem]) -> Iterator[str]:
    """The text of ``json.dumps(list, ensure_ascii=False, indent=2)``, one element at a time."""
    opening = "[\n  "
    for item in diagnostics:
        yield opening + json.dumps(asdict(item), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        opening = ",\n  "
    yield "[]\n" if opening == "[\n  " else "\n]\n"


def _sort_key(item: Problem) -> tuple[str, int, str, str]:
    return (item.path, item.line or 0, item.check, item.message)


def sort_diagnostics(diagnostics: Iterable[Problem]) -> list[Problem]:
    return sorted(diagnostics, key=_sort_key)


class ProblemLog:
    """A run's diagnostics, kept on disk as they come and read back in :func:`sort_diagnostics`'s order, so a
    run's memory does not grow with the problems it finds."""

    def __init__(self) -> None:
        # sort columns hold UTF-8 bytes: SQLite compares them as Python compares the strings
        self._database = scratch_database(
            "CREATE TABLE diagnostics (seq INTEGER PRIMARY KEY, path BLOB, line INTEGER, sort_line INTEGER,"
            " check_ BLOB, message BLOB, severity TEXT)"
        )
        self.count = 0
        self.errors = 0

    def add(self, items: Iterable[Problem]) -> None:
        for item in items:
            path, line, check, message = _sort_key(item)
            self._database.execute(
                "INSERT INTO diagnostics (path, line, sort_line, check_, message, severity) VALUES (?, ?, ?, ?, ?, ?)",
                (sortable(path), item.line, line, sortable(check), sortable(message), item.severity),
            )
            self.count += 1
            self.errors += item.is_error

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Problem]:
        """In report order: path, line, check, message, then the order they were added (a stable sort)."""
        rows = self._database.execute(
            "SELECT path, line, check_, severity, message FROM diagnostics"
            " ORDER BY path, sort_line, check_, message, seq"
        )
        for path, line, check, severity, message in rows:
            yield Problem(_text(check), severity, _text(message), line=line, path=_text(path))


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")
