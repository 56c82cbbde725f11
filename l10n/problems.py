"""The one severity scale of everything the tool reports (document problems, check findings, diagnostics)."""

from __future__ import annotations

from typing import Literal

# An error fails the command (exit 1) and keeps a translation out of the build; a warning is only reported.
Severity = Literal["error", "warning"]
