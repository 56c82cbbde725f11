"""Adopting existing translations: ``l10n adopt`` on pairs of real pages (a source tree and its human
translation at the same paths), then ``l10n build``.

Figures: over the pairs whose translation has as many lines as the source, how many pages a build gives back
byte for byte; over all pairs, the share of the source's translatable words adopted as reviewed, as fuzzy, and
not found; and whether any translated page changed without being reproduced exactly (it must not: the
script then exits 1).

    python benchmarks/adopt_bench.py --pairs ../shared/data/adopt/astro --source en --target fr \\
        --work /tmp/adopt-bench [--code-blocks] [--show-diffs 10]
    python benchmarks/adopt_classify.py --site /tmp/adopt-bench/site     # why the others are not
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
front_matter_keys = [{keys}]

[links]
source_prefix = "/{source}"
prefix = "/{{lang}}"
"""


# Starlight's documented translatable front matter fields (what an Astro docs site would configure)
STARLIGHT_KEYS = (
    "title",
    "description",
    "sidebar.label",
    "hero.title",
    "hero.tagline",
    "hero.actions[].text",
    "banner.content",
    "head[].content",
)
# An Astro project's configuration file: its presence makes l10n read ``:::`` asides as remark directives
ASTRO_CONFIG = "export default {};\n"


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
    parser.add_argument("--code-blocks", action="store_true", help="code blocks as optional entries (code_blocks)")
    parser.add_argument("--po4a", action="store_true", help="the same pairs through po4a-gettextize (Debian po4a)")
    args = parser.parse_args()
    if args.po4a:
        return po4a(args)

    site = args.work / "site"
    shutil.rmtree(site, ignore_errors=True)
    for lang in (args.source, args.target):
        shutil.copytree(args.pairs / lang, site / "docs" / lang)
    keys = ", ".join(f'"{key}"' for key in STARLIGHT_KEYS)
    config = CONFIG.format(source=args.source, target=args.target, keys=keys)
    if args.code_blocks:
        config = "code_blocks = true\n" + config
    (site / "l10n.toml").write_text(config, encoding="utf-8")
    (site / "astro.config.mjs").write_text(ASTRO_CONFIG, encoding="utf-8")
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
    code_blocks = sum(post.get("code_blocks", 0) for post in report)
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
    print(f"  of which with a layout patch: {sum(bool(post.get('layout_patch')) for post in report)}")
    print(
        "words: "
        + ", ".join(f"{key} {value} ({100 * value / total_words:.1f}%)" for key, value in totals.items())
    )
    print(f"code blocks adopted (translated by the human page): {code_blocks}")
    print(f"translated pages changed by build after adopt: {len(changed)} (build exit {build.returncode})")
    for name in changed[:10]:
        print("  changed:", name)
    return 1 if changed else 0  # a page l10n did not reproduce exactly must stay as it was


def po4a(args: argparse.Namespace) -> int:
    """po4a-gettextize on every pair (its Markdown format), then po4a-translate with the catalog it made."""
    import polib

    work = args.work / "po4a"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source_root, target_root = args.pairs / args.source, args.pairs / args.target
    pairs = refused = same_lines = reproduced = refused_words = 0
    words = {"reviewed": 0, "fuzzy": 0, "not_found": 0}
    charset = ["-M", "UTF-8", "-L", "UTF-8", "-f", "text", "-o", "markdown"]
    for source in sorted(source_root.rglob("*.md*")):
        rel = source.relative_to(source_root)
        target = target_root / rel
        pairs += 1
        catalog_file = work / "out.po"
        catalog_file.unlink(missing_ok=True)
        made = subprocess.run(
            ["po4a-gettextize", *charset, "-m", str(source), "-l", str(target), "-p", str(catalog_file)],
            cwd=work,
            capture_output=True,
            check=False,
        )
        lines_match = source.read_bytes().count(b"\n") == target.read_bytes().count(b"\n")
        same_lines += lines_match
        if made.returncode != 0 or not catalog_file.is_file():
            refused += 1
            refused_words += _source_words(source, rel)
            continue
        for entry in polib.pofile(str(catalog_file)):
            count = len(entry.msgid.split())
            key = "not_found" if not entry.msgstr else "fuzzy" if entry.fuzzy else "reviewed"
            words[key] += count
        built = work / "built"
        subprocess.run(
            ["po4a-translate", *charset, "-m", str(source), "-p", str(catalog_file), "-l", str(built), "-k", "0"],
            cwd=work,
            capture_output=True,
            check=False,
        )
        if lines_match and built.is_file() and built.read_bytes() == target.read_bytes():
            reproduced += 1
    total = sum(words.values()) or 1
    print(f"po4a-gettextize: pairs {pairs}, refused {refused}")
    print(f"rebuilt byte for byte (same-line pairs): {reproduced}/{same_lines}")
    shares = ", ".join(f"{key} {value} ({100 * value / total:.1f}%)" for key, value in words.items())
    print(f"words of its own entries (pairs it accepted): {shares}")
    print(f"l10n's translatable words of the pairs it refused (not found): {refused_words}")
    return 0


def _source_words(source: Path, rel: Path) -> int:
    """The translatable words of a source as l10n extracts it (distinct segments)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from l10n.catalog.stats import word_count
    from l10n.document import extract

    document = extract(source.read_text(encoding="utf-8"), mdx=rel.suffix == ".mdx")
    return sum(word_count(msgid) for msgid in {segment.msgid for segment in document.segments})


def show_diff(site: Path, rel: Path, args: argparse.Namespace) -> None:
    """What ``build`` would write for a page, against the human page (computed in memory)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from l10n.catalog.io import read_catalog
    from l10n.config import load_config
    from l10n.document import render
    from l10n.localize import localize_output, usable_translations
    from l10n.project import Post, po_path, read_document

    config = load_config(site)
    post = Post(config.source_dir / rel, PurePosixPath(rel.as_posix()))
    document = read_document(config, post)
    catalog = read_catalog(po_path(config, post.rel, args.target))
    translations, _ = usable_translations(config, catalog, "", args.target, False, None)
    text = localize_output(render(document, translations).text, config=config, lang=args.target, post=post)
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
