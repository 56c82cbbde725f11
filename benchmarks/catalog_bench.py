"""Reading and writing a site's catalogs: l10n's reader and formatter against polib's (run by hand; issue 6).

    PYTHONPATH=. python benchmarks/catalog_bench.py /tmp/l10n-bench2/1000/pristine --repeat 5

Reads every ``.po``/``.pot`` under ``<site>/locales`` into memory, then times, over all of them (median of
``--repeat`` rounds, CPU time of this process):

- read, before: ``check_po_syntax`` then ``polib.pofile`` (what ``parse_catalog`` did for every catalog);
- read, now: ``parse_catalog`` (one pass for the common form of PO, the way before for the rest);
- write, before: polib's text (``str()`` of the header, ``POEntry.__unicode__`` of each entry);
- write, now: ``render_catalog``.

It checks on the way that both ways give the same objects and the same text, and prints one Markdown row per
figure, with the load average before the runs (the machine may be shared).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import polib

from l10n.catalog.io import check_po_syntax, parse_catalog, render_catalog
from l10n.catalog.template import WRAP_WIDTH


def read_before(text: str, path: Path) -> polib.POFile:
    check_po_syntax(text, path)
    catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    catalog.encoding = "utf-8"
    return catalog


def write_before(catalog: polib.POFile) -> str:
    head = polib.POFile(wrapwidth=WRAP_WIDTH)
    head.header = catalog.header
    head.metadata = catalog.metadata
    head.metadata_is_fuzzy = catalog.metadata_is_fuzzy
    entries = [entry for entry in catalog if entry.msgid and not entry.obsolete] + catalog.obsolete_entries()
    parts = [str(head).rstrip("\n")] + [entry.__unicode__(WRAP_WIDTH).rstrip("\n") for entry in entries]
    return "\n\n".join(parts) + "\n"


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    rounds = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        work()
        rounds.append(time.process_time() - start)
    return statistics.median(rounds)


def snapshot(catalog: polib.POFile) -> tuple[object, ...]:
    return vars(catalog), [vars(entry) for entry in catalog]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a site with catalogs in locales/ (from generate_site.py)")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    texts = [
        (path, path.read_text(encoding="utf-8").removeprefix("\ufeff"))
        for path in sorted((arguments.site / "locales").rglob("*.po*"))
    ]
    hidden_chars = sum(1 for _, text in texts if "\u2028" in text or "\x85" in text)
    for path, text in texts:
        if "\u2028" not in text and "\x85" not in text:
            assert snapshot(parse_catalog(text, path)) == snapshot(read_before(text, path)), path

    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{len(texts)} catalogs, {sum(len(text) for _, text in texts) / 1e6:.1f} MB ({hidden_chars} with U+2028 "
          f"or U+0085, read the way before by both); load average before: {load}")
    print("| step | before (polib) | now | speed-up |")
    print("|---|---|---|---|")
    # Each catalog read is dropped at once, as a run does: no heap of catalogs for the garbage collector to walk.
    report("read", lambda: [read_before(text, path) and None for path, text in texts],
           lambda: [parse_catalog(text, path) and None for path, text in texts], arguments.repeat)
    catalogs = [parse_catalog(text, path) for path, text in texts]
    for catalog in catalogs:
        assert render_catalog(catalog) == write_before(catalog), "the texts differ"
    report("write", lambda: [write_before(catalog) and None for catalog in catalogs],
           lambda: [render_catalog(catalog) and None for catalog in catalogs], arguments.repeat)


def report(name: str, before: Callable[[], object], now: Callable[[], object], repeat: int) -> None:
    old, new = median_seconds(before, repeat), median_seconds(now, repeat)
    print(f"| {name} | {old:.2f} s | {new:.2f} s | {old / new:.1f}x |")


if __name__ == "__main__":
    main()
