"""Where the real test data is: the full sets in ../shared/data when present, the kept sample otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LOCAL_DATA = REPO / "tests" / "data"
SHARED_DATA = REPO.parent / "shared" / "data"
FRONT_MATTER_KEYS = ("title", "description", "tags[]")


def shared_data_or_skip() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} not found: the tests over the full real data sets did not run")
    return SHARED_DATA


def commonmark_examples(data: Path) -> list[dict]:
    return json.loads((data / "commonmark" / "spec-0.31.2-examples.json").read_text(encoding="utf-8"))


def corpus_files(data: Path) -> list[Path]:
    root = data / "corpus-fr"
    return sorted(path for path in root.rglob("*") if path.suffix in (".md", ".mdx"))


def read_source(path: Path) -> str:
    # newline="" keeps CRLF as it is: layout is what these tests are about
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()
