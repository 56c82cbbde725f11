"""Does a pseudo-translated site keep its shape for the framework that renders it? (run by hand)

    python benchmarks/dialect_shape.py ../shared/data/corpus-fr/* ../shared/data/adopt/astro/fr

Copies every ``.md``/``.mdx`` post under the given folders into a scratch site, runs ``l10n extract``,
``l10n translate --backend pseudo`` then ``l10n build --include-fuzzy --min-completion 0``, and compares each
output with its source in the framework's own tree (remark + gfm + frontmatter, + remark-directive where the
source has a named ``:::`` line, + remark-mdx for ``.mdx``; tests/oracle.py), compiling MDX outputs with
@mdx-js/mdx. Prints the drafts refused by the checks and, per folder, the outputs whose tree differs or that do
not compile. Needs node and ``npm ci`` in tests/js.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from oracle import compare, missing_reason

CONFIG = """\
source_lang = "fr"
target_langs = ["en"]
source_dir = "content/fr"
output_dir = "content/{lang}"
min_completion = 0
include_fuzzy = true

# What `l10n init` detects on each site of ../shared/data (folders are named after their site); other folders
# are read by their suffix alone (.mdx as MDX, .md as CommonMark).
[dialect]
"astro-fr/**" = { syntax = "auto", directives = true }
"fr/**" = { syntax = "auto", directives = true }
"react-fr/**" = "mdx"
"vue-fr/**" = { syntax = "auto", containers = true }
"nhoizey-fr/**" = { syntax = "auto", containers = true, liquid = true }
"betagouv/**" = { syntax = "auto", liquid = true }
"yunohost-grav-fr/**" = { syntax = "auto", shortcodes = true }
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the scratch site and print its path")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each difference")
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    site = Path(tempfile.mkdtemp(prefix="l10n-shape-"))
    (site / "l10n.toml").write_text(CONFIG, encoding="utf-8")
    names: dict[Path, str] = {}
    for folder in args.folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".md", ".mdx") and path.is_file():
                rel = Path(folder.resolve().name) / path.relative_to(folder)
                target = site / "content" / "fr" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                names[rel] = folder.resolve().name
    l10n = [sys.executable, "-m", "l10n"]
    subprocess.run([*l10n, "extract"], cwd=site, capture_output=True)
    translated = subprocess.run([*l10n, "translate", "--backend", "pseudo"], cwd=site, capture_output=True, text=True)
    said = translated.stderr.splitlines() + translated.stdout.splitlines()
    refused = [line for line in said if ": not translated (" in line]
    subprocess.run([*l10n, "build", "--include-fuzzy", "--min-completion", "0"], cwd=site, capture_output=True)
    from l10n.config import load_config

    config = load_config(site)
    pairs, mdx = [], []
    for rel in sorted(names):
        output = site / "content" / "en" / rel
        if not output.is_file():
            continue
        source = (site / "content" / "fr" / rel).read_text(encoding="utf-8")
        pairs.append((str(rel), source, output.read_text(encoding="utf-8")))
        mdx.append(config.dialect_for(rel.as_posix()).mdx)
    # Same-page #fragments follow the translated headings' anchors (checked by anchor-missing, not here).
    result = compare(pairs, mdx=mdx, fragments=False)
    per_folder = Counter(names[Path(name)] for name, _, _ in pairs)
    failing = Counter(names[Path(name)] for name in {line.split(":", 1)[0] for line in result.differences})
    print(f"drafts refused by the checks: {len(refused)}")
    print("| folder | outputs | tree differs or does not compile |")
    print("|---|---|---|")
    for folder, count in sorted(per_folder.items()):
        print(f"| {folder} | {count} | {failing[folder]} |")
    if args.verbose:
        print("\n".join(result.differences))
        print("\n".join(refused))
    if args.keep:
        print(f"site: {site}")
    else:
        shutil.rmtree(site)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
