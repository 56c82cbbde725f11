"""Why a page adopted by ``l10n adopt`` does not come back byte for byte: the first line where a build differs
from the human translation, classified by what the source has there.

Run ``adopt_bench.py`` first (it leaves the adopted site under ``--work``/site), then:

    python benchmarks/adopt_classify.py --site /tmp/adopt-bench/site --target fr [--show 3]

Only pairs whose translation has as many lines as the source are looked at (there, line N of the build and
line N of the human page are the same line of the source). Each failing page gets one reason: the block the
first differing line lies in (``fence``, ``html_block``, a JSX element...), front matter (with its key), or
a segment (with its kind and whether its entry is reviewed, fuzzy or empty).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from l10n.catalog.io import read_catalog
from l10n.config import load_config
from l10n.document import Document, render
from l10n.document.inline import defined_labels
from l10n.localize import localize_output, usable_translations
from l10n.project import iter_posts, output_path, po_path, read_document
from l10n.run.anchors import follow_headings


def built_text(config, post, document: Document, lang: str) -> tuple[str, dict[str, str], object]:  # type: ignore[no-untyped-def]
    """What ``build --min-completion 0`` would write (reviewed entries only, checks aside), in memory."""
    catalog = read_catalog(po_path(config, post.rel, lang))
    translations, _ = usable_translations(
        config, catalog, "", lang, False, None, document.dialect, defined_labels(document.text)
    )
    text, _, _ = follow_headings(
        config,
        post,
        document.text,
        render(document, translations).text,
        lang,
        False,
        lambda text: localize_output(text, config=config, lang=lang, post=post),
    )
    return text, translations, catalog


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def reason(document: Document, catalog, line: int) -> str:  # type: ignore[no-untyped-def]
    """What the source has at 0-based ``line``."""
    text = document.text
    for segment in document.segments:
        for span in segment.spans:
            if line_of(text, span.start) <= line <= line_of(text, span.end):
                entry = catalog.find(segment.msgid) if catalog is not None else None
                state = "empty" if entry is None or not entry.msgstr else "fuzzy" if entry.fuzzy else "reviewed"
                return f"segment {segment.kind.split(':')[0]} ({state})"
    layout = document.layout
    if layout.front_matter is not None and line < line_of(text, layout.front_matter.end):
        for raw in text.splitlines()[line : line + 1]:
            return "front matter key " + raw.split(":", 1)[0].strip()
        return "front matter"
    inner = None
    body_line = line
    for block in layout.blocks:
        if block.map is None or block.nesting == -1:
            continue
        start, end = block.map
        if start <= body_line < end and (inner is None or end - start <= inner.map[1] - inner.map[0]):
            inner = block
    if inner is None:
        return "outside any block (blank line or layout)"
    name = inner.type.removesuffix("_open")
    if inner.tag and inner.type.startswith(("jsx", "mdx")):
        name += f" <{inner.tag}>"
    return f"block {name}"


def layout_differences(document: Document, built: str, human: str) -> set[str]:
    """What differs between the build and the human page outside every entry's text: layout a catalog cannot
    hold (a page with any is out of reach of adoption, whatever it aligns)."""
    source = document.text
    starts = [0, *(index + 1 for index, char in enumerate(source) if char == "\n")]
    spans: dict[int, list[tuple[int, int]]] = {}
    for segment in document.segments:
        for span in segment.spans:
            line = line_of(source, span.start)
            spans.setdefault(line, []).append((span.start - starts[line], span.end - starts[line]))
    found = set()
    built_lines = built.split("\n")
    for number, (original, wanted) in enumerate(zip(source.split("\n"), human.split("\n"), strict=False)):
        if original == wanted:
            continue
        here = spans.get(number)
        if not here:
            if built_lines[number] != wanted:
                if not original.strip() and not wanted.strip():
                    found.add("whitespace of a blank line")
                elif original.lstrip().startswith(("```", "~~~")):
                    found.add("a code fence's line (info string, indentation)")
                else:
                    found.add("a line without an entry")
            continue
        before, after = original[: min(start for start, _ in here)], original[max(end for _, end in here) :]
        if not wanted.startswith(before):
            found.add("indentation or prefix of a line")
        elif not wanted.endswith(after) or len(wanted) < len(before) + len(after):
            found.add("trailing whitespace" if not after.strip() else "end of a line after its text")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--target", default="fr")
    parser.add_argument("--show", type=int, default=0, help="print the first differing lines of N pages per reason")
    args = parser.parse_args()
    config = load_config(args.site)
    reasons: Counter[str] = Counter()
    layouts: Counter[str] = Counter()  # differences outside entries, by kind (pages)
    within = 0  # pages whose differences all lie in entries' text
    combinations: Counter[str] = Counter()  # every reason of a page's differing lines
    examples: dict[str, list[str]] = {}
    same = reproduced = 0
    for post in iter_posts(config):
        target = output_path(config, post.rel, args.target)
        if not target.is_file():
            continue
        human = target.read_text(encoding="utf-8")
        document = read_document(config, post)
        if document.text.count("\n") != human.count("\n"):
            continue
        same += 1
        built, _, catalog = built_text(config, post, document, args.target)
        if built == human:
            reproduced += 1
            continue
        built_lines, human_lines = built.split("\n"), human.split("\n")
        line = next(
            (n for n, (a, b) in enumerate(zip(built_lines, human_lines, strict=False)) if a != b),
            min(len(built_lines), len(human_lines)),
        )
        why = reason(document, catalog, line)
        reasons[why] += 1
        layout = layout_differences(document, built, human)
        within += not layout
        layouts.update(layout)
        every = {
            reason(document, catalog, n)
            for n, (a, b) in enumerate(zip(built_lines, human_lines, strict=False))
            if a != b
        }
        combinations[" + ".join(sorted(every))] += 1
        note = f"{post.rel}:{line + 1}\n      en: {document.text.split(chr(10))[line][:150]!r}"
        note += f"\n   built: {built_lines[line][:150]!r}\n   human: {human_lines[line][:150]!r}"
        examples.setdefault(why, []).append(note)
    print(f"same-line pairs: {same}; reproduced by the build: {reproduced}")
    print(f"not reproduced, but every difference lies in an entry's text: {within}")
    print("differences outside entries (pages):")
    for why, count in layouts.most_common():
        print(f"{count:4}  {why}")
    print("first differing line of each page not reproduced:")
    for why, count in reasons.most_common():
        print(f"{count:4}  {why}")
        for note in examples[why][: args.show]:
            print("      " + note)
    print("every reason of a page's differing lines:")
    for why, count in combinations.most_common():
        print(f"{count:4}  {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
