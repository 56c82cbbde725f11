"""Throughput of the document core, next to markdown-it-py's bare parse of the same documents.

Run by hand: python benchmarks/document_bench.py [--count 2000]
Documents are the French corpus (../shared/data/corpus-fr, else tests/data/corpus-fr) cycled to --count.

``--dialects``: extract and render throughput (characters per second) of the corpus's MDX posts read as MDX
(with their site's directives and the default jsx_attributes/jsx_verbatim) next to its other posts read as
CommonMark, each set cycled to the same number of characters.
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

from l10n.dialect_choice import DEFAULT_JSX_ATTRIBUTES, DEFAULT_JSX_VERBATIM
from l10n.document import extract, render
from l10n.document.markdown import Dialect

MDX = Dialect(mdx=True, directives=True, jsx_attributes=DEFAULT_JSX_ATTRIBUTES, jsx_verbatim=DEFAULT_JSX_VERBATIM)

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


def _cycled_to(sources: list[str], characters: int) -> list[str]:
    out: list[str] = []
    total = 0
    for text in itertools.cycle(sources):
        if total >= characters:
            return out
        out.append(text)
        total += len(text)
    return out


def _throughput(texts: list[str], dialect: Dialect, rounds: int = 3) -> tuple[float, float]:
    """Best-of-``rounds`` characters per second of extract, and of render with every segment translated."""
    size = sum(len(text) for text in texts)
    best_extract = best_render = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        documents = [extract(text, front_matter_keys=KEYS, dialect=dialect) for text in texts]
        middle = time.perf_counter()
        for document in documents:
            render(document, {s.msgid: f"«{s.msgid}»" for s in document.segments})
        end = time.perf_counter()
        best_extract = max(best_extract, size / (middle - start))
        best_render = max(best_render, size / (end - middle))
    return best_extract, best_render


def compare_dialects(characters: int, corpus: Path | None) -> None:
    root = corpus or next(path for path in CORPORA if path.is_dir())
    files = sorted(path for path in root.rglob("*") if path.suffix in (".md", ".mdx"))
    mdx = [path.read_text(encoding="utf-8") for path in files if path.suffix == ".mdx"]
    commonmark = [path.read_text(encoding="utf-8") for path in files if path.suffix == ".md"]
    rows = []
    for label, sources, dialect in (("CommonMark (.md)", commonmark, Dialect()), ("MDX (.mdx)", mdx, MDX)):
        texts = _cycled_to(sources, characters)
        extract_rate, render_rate = _throughput(texts, dialect)
        rows.append((extract_rate, render_rate))
        print(f"{label:<18} {len(sources):4} posts  extract {extract_rate / 1e6:6.2f} M chars/s  "
              f"render {render_rate / 1e6:6.2f} M chars/s")
    (base_extract, base_render), (mdx_extract, mdx_render) = rows
    print(f"MDX / CommonMark: extract {mdx_extract / base_extract:.2f}, render {mdx_render / base_render:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--dialects", action="store_true", help="MDX next to CommonMark (characters per second)")
    parser.add_argument("--characters", type=int, default=3_000_000, help="per dialect, with --dialects")
    parser.add_argument("--corpus", type=Path, default=None, help="a folder of posts, with --dialects")
    arguments = parser.parse_args()
    if arguments.dialects:
        compare_dialects(arguments.characters, arguments.corpus)
        return
    count = arguments.count
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
