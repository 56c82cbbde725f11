"""Draft quality of a translation backend: English pages of the Astro docs into French, scored against the
people's French translation of the same pages (run by hand; needs ``pip install 'l10n[bench]'``).

    python benchmarks/mt_quality.py --backend pseudo                # offline, the table's shape
    python benchmarks/mt_quality.py --backend llm --set model=llama3.1 \\
        --set base_url=http://localhost:11434/v1 --pages 10 --jobs 2  # a local Ollama server

Pages come from ``../shared/data/adopt/astro/{en,fr}/``. Only the pages whose French version has the same
segments as the English one, kind for kind and in the same order, are used (the others lag behind or were
rewritten), and their segments are paired one to one. The English pages go through ``l10n extract`` and
``l10n translate`` in a scratch project (``source_lang = "en"``, target ``fr``), exactly as a site would run
them; the drafts are then compared with the human French:

* chrF (sacrebleu's, the standard implementation) over the drafted segments, and over all segments with an
  empty draft for each one that was not drafted (a backend that fails often is not rewarded for it);
* the share of sent segments whose draft passed verification (placeholders, markup, checks).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "adopt" / "astro"
KEYS = ("title", "description")


@dataclass
class Pair:
    page: str
    source: str
    reference: str


def aligned_pairs(data: Path, limit: int) -> tuple[list[str], list[Pair]]:
    """The first ``limit`` pages (sorted) whose French segments match the English ones kind for kind."""
    from l10n.dialect_choice import DialectChoice
    from l10n.document.extract import extract

    # The adoption pages are Astro's Starlight docs: .mdx as MDX, remark directives everywhere.
    dialects = DialectChoice(site_features=frozenset({"directives"}))
    pages: list[str] = []
    pairs: list[Pair] = []
    english = data / "en"
    for path in sorted(p for p in english.rglob("*") if p.suffix in (".md", ".mdx")):
        if len(pages) >= limit:
            break
        rel = path.relative_to(english).as_posix()
        french = data / "fr" / rel
        if not french.is_file():
            continue
        try:
            dialect = dialects.for_path(rel)
            source = extract(path.read_text(encoding="utf-8"), front_matter_keys=KEYS, dialect=dialect)
            target = extract(french.read_text(encoding="utf-8"), front_matter_keys=KEYS, dialect=dialect)
        except ValueError:  # a page this version cannot read (front matter, MDX syntax) is not a pair
            continue
        if [s.kind for s in source.segments] != [s.kind for s in target.segments] or not source.segments:
            continue
        pages.append(rel)
        pairs.extend(Pair(rel, s.msgid, t.msgid) for s, t in zip(source.segments, target.segments, strict=True))
    return pages, pairs


def translate_pages(
    data: Path, pages: list[str], backend: str, settings: dict[str, object], jobs: int, scratch: Path
) -> tuple[dict[tuple[str, str], str], object, float]:
    """Drafts by (page, source msgid), the locale report and the seconds ``translate`` took."""
    import polib

    from l10n.config import load_config
    from l10n.project import iter_posts, po_path
    from l10n.run import operations
    from l10n.translate.command import translate_project

    table = "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    (scratch / "l10n.toml").write_text(
        'source_lang = "en"\ntarget_langs = ["fr"]\nsource_dir = "content/en"\ndirectives = true\n'
        f'backend = "{backend}"\n'
        f"front_matter_keys = {json.dumps(list(KEYS))}\n[backends.{backend}]\n{table}",
        encoding="utf-8",
    )
    for rel in pages:
        target = scratch / "content" / "en" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data / "en" / rel, target)
    config = load_config(scratch)
    posts = iter_posts(config)
    operations.extract_catalogs(config, posts, ["fr"]).commit()
    start = time.perf_counter()
    [report] = translate_project(config, langs=["fr"], backend_name=backend, jobs=jobs)
    elapsed = time.perf_counter() - start
    drafts: dict[tuple[str, str], str] = {}
    for post in posts:
        catalog = polib.pofile(str(po_path(config, post.rel, "fr")))
        for entry in catalog:
            if entry.msgstr and "machine translation:" in (entry.tcomment or ""):
                drafts[(post.rel.as_posix(), entry.msgid)] = entry.msgstr
    return drafts, report, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="pseudo", help="any l10n backend (pseudo runs offline)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a [backends.<name>] setting (numbers as numbers), e.g. model=llama3.1")
    parser.add_argument("--pages", type=int, default=20, help="aligned pages to use (default 20)")
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--data", type=Path, default=DATA, help="a folder with en/ and fr/ (default: %(default)s)")
    options = parser.parse_args()
    try:
        import sacrebleu
    except ImportError:
        print("mt_quality needs sacrebleu: pip install 'l10n[bench]'", file=sys.stderr)
        return 2
    if not (options.data / "en").is_dir():
        print(f"{options.data}: no en/ folder (the shared data is not here)", file=sys.stderr)
        return 2
    settings: dict[str, object] = {}
    for item in options.set:
        key, _, value = item.partition("=")
        try:
            settings[key] = json.loads(value)
        except ValueError:
            settings[key] = value
    pages, pairs = aligned_pairs(options.data, options.pages)
    with tempfile.TemporaryDirectory(prefix="l10n-mt-quality-") as directory:
        drafts, report, elapsed = translate_pages(
            options.data, pages, options.backend, settings, options.jobs, Path(directory)
        )
    scored = [(drafts[key], pair.reference) for pair in pairs if (key := (pair.page, pair.source)) in drafts]
    everything = [(drafts.get((pair.page, pair.source), ""), pair.reference) for pair in pairs]
    chrf_drafted = sacrebleu.corpus_chrf([h for h, _ in scored], [[r for _, r in scored]]).score if scored else 0.0
    chrf_all = sacrebleu.corpus_chrf([h for h, _ in everything], [[r for _, r in everything]]).score
    passed = getattr(report, "sent", 0)  # entries drafted
    sent = passed + len(getattr(report, "failures", []))  # entries whose draft was asked for
    rows = [
        ("backend", options.backend + (f" {settings['model']}" if "model" in settings else "")),
        ("pages (aligned with their French)", f"{len(pages)}"),
        ("segment pairs", f"{len(pairs)}"),
        ("entries sent", f"{sent}"),
        ("passed verification", f"{passed} ({100 * passed / sent:.1f}%)" if sent else "0"),
        ("pairs drafted", f"{len(scored)}"),
        ("chrF, drafted pairs", f"{chrf_drafted:.1f}"),
        ("chrF, all pairs (empty when not drafted)", f"{chrf_all:.1f}"),
        ("requests", f"{getattr(report, 'requests', 0)}"),
        ("translate time", f"{elapsed:.1f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure':<{width}} | value |\n|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
