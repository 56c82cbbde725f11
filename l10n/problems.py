"""The one problem type of everything the tool reports, and its one severity scale.

A :class:`Problem` is made where it is found (a document that cannot be written exactly, a check on a
translation, a stale catalog, a link to a missing anchor) with what is known there, and located later
(:meth:`Problem.at`) by the code that knows which file it came from; ``report.py`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

# An error fails the command (exit 1) and keeps a translation out of the build; a warning is only reported.
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem: a stable ``check`` id, its severity and a one-line message that is safe to print; where it
    is when known: the 1-based ``line`` and the ``path`` (as shown: relative to the project root)."""

    # where first: the fields in the order of the JSON report (``path``, ``line``, ``check``...)
    path: str = field(default="", kw_only=True)
    line: int | None = field(default=None, kw_only=True)
    check: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def at(self, path: str, *, prefix: str = "") -> Problem:
        """This problem in the file ``path``, its message after ``prefix``."""
        return replace(self, path=path, message=prefix + self.message)
