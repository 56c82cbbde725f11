"""Build the site of the no-change benchmarks: the real posts of ``../shared/data/corpus-fr/`` copied N times
(run by hand; see docs/benchmarks.md, "no-change runs").

    python benchmarks/real_posts_site.py --copies 5 --out /tmp/real-1160
    cd /tmp/real-1160 && l10n -q sync --jobs 1   # once (the catalogs and outputs), then time `l10n -q sync`

The posts go under ``content/fr/copy1..N/`` as they are (encodings, line endings); ``l10n.toml`` translates
them from French into English. Nothing is translated, so every post is reported under ``min_completion``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus-fr"
CONFIG = 'source_lang = "fr"\ntarget_langs = ["en"]\nsource_dir = "content/fr"\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the real posts (default: %(default)s)")
    arguments = parser.parse_args()
    if not arguments.corpus.is_dir():
        raise SystemExit(f"{arguments.corpus}: not found (the shared data is beside the project's checkout)")
    if arguments.out.exists():
        raise SystemExit(f"{arguments.out}: exists already")
    for copy in range(1, arguments.copies + 1):
        shutil.copytree(arguments.corpus, arguments.out / "content" / "fr" / f"copy{copy}")
    (arguments.out / "l10n.toml").write_text(CONFIG, encoding="utf-8")
    count = sum(1 for path in (arguments.out / "content").rglob("*") if path.is_file())
    print(f"{arguments.out}: {count} posts")


if __name__ == "__main__":
    main()
