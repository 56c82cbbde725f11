"""benchmarks/mt_quality.py runs offline with the pseudo backend and prints its table (over ../shared/data)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from corpus import shared_data_or_skip

REPO = Path(__file__).resolve().parent.parent


def test_mt_quality_with_the_pseudo_backend_prints_its_table() -> None:
    pytest.importorskip("sacrebleu")
    data = shared_data_or_skip() / "adopt" / "astro"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "mt_quality.py"), "--backend", "pseudo", "--pages", "2",
         "--data", str(data)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    rows = dict(
        (cells[1].strip(), cells[2].strip())
        for line in result.stdout.splitlines()
        if (cells := line.split("|")) and len(cells) == 4
    )
    assert rows["backend"] == "pseudo" and rows["pages (aligned with their French)"] == "2"
    assert int(rows["segment pairs"]) > 0
    assert rows["passed verification"].endswith("%)")
    assert 0.0 <= float(rows["chrF, drafted pairs"]) <= 100.0


def test_mt_quality_says_what_is_missing_without_the_data(tmp_path: Path) -> None:
    pytest.importorskip("sacrebleu")
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "mt_quality.py"), "--data", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert result.returncode == 2 and "no en/ folder" in result.stderr
