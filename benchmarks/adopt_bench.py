"""Adopting existing translations: ``l10n adopt`` on pairs of real pages (a source tree and its human
translation at the same paths), then ``l10n build``.

Figures: over the pairs whose translation has as many lines as the source, how many pages a build gives back
byte for byte; over all pairs, the share of the source's translatable words adopted as reviewed, as fuzzy, and
not found; and whether any translated page changed without being reproduced exactly (it must not).

    python benchmarks/adopt_bench.py --pairs ../shared/data/adopt/astro --source en --target fr \\
        --work /tmp/adopt-bench [--show-diffs 10]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

CONFIG = """\
source_lang = "{source}"
target_langs = ["{target}"]
source_dir = "docs/{source}"
output_dir = "docs/{{lang}}"
front_matter_keys = ["title", "description"]

[links]
source_prefix = "/{source}"
prefix = "/{{lang}}"
"""


def tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, required=True, help="a folder with one subfolder per language")
    parser.add_argument("--source", default="en")
    parser.add_argument("--target", default="fr")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--l10n", default=str(Path(sys.executable).with_name("l10n")))
    parser.add_argument("--show-diffs", type=int, default=0, help="print the first differing lines of N pages")
    args = parser.parse_args()

    site = args.work / "site"
    shutil.rmtree(site, ignore_errors=True)
    for lang in (args.source, args.target):
        shutil.copytree(args.pairs / lang, site / "docs" / lang)
    (site / "l10n.toml").write_text(CONFIG.format(source=args.source, target=args.target), encoding="utf-8")
    target_root = site / "docs" / args.target
    before = tree(target_root)

    adopt = subprocess.run(
        [args.l10n, "-q", "adopt", "--report", "json"], cwd=site, capture_output=True, text=True, check=False
    )
    if adopt.returncode != 0:
        print(adopt.stderr, file=sys.stderr)
        return 1
    report = json.loads(adopt.stdout)["posts"]
    build = subprocess.run(
        [args.l10n, "-q", "build", "--min-completion", "0", "--include-fuzzy"],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    after = tree(target_root)
    changed = sorted(name for name in before if after.get(name) != before[name])

    source_root = site / "docs" / args.source
    same_lines = reproduced = 0
    totals = {"reviewed": 0, "fuzzy": 0, "not_found": 0}
    shown = 0
    for post in report:
        words = post["words"]
        for key in totals:
            totals[key] += words[key]
        rel = Path(post["output"]).relative_to(Path("docs") / args.target)
        source_lines = (source_root / rel).read_bytes().count(b"\n")
        target_lines = (target_root / rel).read_bytes().count(b"\n")
        if source_lines == target_lines:
            same_lines += 1
            reproduced += post["reproduced"]
            if not post["reproduced"] and shown < args.show_diffs:
                shown += 1
                show_diff(site, rel, args)
    total_words = sum(totals.values()) or 1
    print(f"pairs: {len(report)}; with the same number of lines: {same_lines}")
    share = 100 * reproduced / max(same_lines, 1)
    print(f"rebuilt byte for byte (same-line pairs): {reproduced}/{same_lines} ({share:.0f}%)")
    print(f"rebuilt byte for byte (all pairs): {sum(post['reproduced'] for post in report)}/{len(report)}")
    print(
        "words: "
        + ", ".join(f"{key} {value} ({100 * value / total_words:.1f}%)" for key, value in totals.items())
    )
    print(f"translated pages changed by build after adopt: {len(changed)} (build exit {build.returncode})")
    for name in changed[:10]:
        print("  changed:", name)
    return 0


def show_diff(site: Path, rel: Path, args: argparse.Namespace) -> None:
    """What ``build`` would write for a page, against the human page (computed in memory)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from l10n import pipeline
    from l10n.config import load_config

    config = load_config(site)
    post = pipeline.Post(config.source_dir / rel, PurePosixPath(rel.as_posix()))
    document = pipeline.read_document(config, post)
    catalog = pipeline.read_catalog(pipeline.po_path(config, post.rel, args.target))
    translations, _ = pipeline.usable_translations(config, catalog, "", args.target, False, None)
    text = pipeline.localize_output(
        pipeline.render(document, translations).text, config=config, lang=args.target, post=post
    )
    human = (site / "docs" / args.target / rel).read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(human.splitlines(), text.splitlines(), "human", "built", n=0, lineterm="")
        if not line.startswith("@@")
    ]
    print(f"--- {rel}: {len(diff) // 2} lines differ")
    for line in diff[2:8]:
        print("   ", line[:160])


if __name__ == "__main__":
    raise SystemExit(main())
