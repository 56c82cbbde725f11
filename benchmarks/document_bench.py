"""Throughput of the document core, next to markdown-it-py's bare parse of the same documents.

Run by hand: python benchmarks/document_bench.py [--count 2000]
Documents are the French corpus (../shared/data/corpus-fr, else tests/data/corpus-fr) cycled to --count.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from l10n.document import extract, render
from l10n.document.markdown import Dialect

REPO = Path(__file__).resolve().parents[1]
CORPORA = (REPO.parent / "shared" / "data" / "corpus-fr", REPO / "tests" / "data" / "corpus-fr")
KEYS = ("title", "description", "tags[]")


def load_documents(count: int) -> list[tuple[str, Dialect]]:
    root = next(path for path in CORPORA if path.is_dir())
    files = sorted(path for path in root.rglob("*") if path.suffix in (".md", ".mdx"))
    sources = [(path.read_text(encoding="utf-8"), Dialect(mdx=path.suffix == ".mdx")) for path in files]
    return list(itertools.islice(itertools.cycle(sources), count))


def timed(label: str, count: int, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    print(f"{label:<40} {count / elapsed:8.0f} documents/s  ({elapsed:.2f} s)")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    count = parser.parse_args().count
    documents = load_documents(count)
    size = sum(len(text) for text, _ in documents)
    print(f"{count} documents, {size / 1e6:.1f} million characters")

    bare = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin).use(tasklists_plugin)
    timed("markdown-it-py parse (bare)", count, lambda: [bare.parse(text) for text, _ in documents])

    parsed = []
    timed("extract", count, lambda: parsed.extend(extract(t, front_matter_keys=KEYS, dialect=d) for t, d in documents))

    identity = [{s.msgid: s.msgid for s in doc.segments} for doc in parsed]
    timed("render, untranslated (source bytes)", count, lambda: [render(doc, {}) for doc in parsed])
    timed(
        "render, full write-back (forced identity)",
        count,
        lambda: [render(doc, tr, force=True) for doc, tr in zip(parsed, identity, strict=True)],
    )
    pseudo = [{s.msgid: f"«{s.msgid}»" for s in doc.segments} for doc in parsed]
    timed(
        "render, every segment translated",
        count,
        lambda: [render(doc, tr) for doc, tr in zip(parsed, pseudo, strict=True)],
    )


if __name__ == "__main__":
    main()
