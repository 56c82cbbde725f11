"""Peak memory of one post with a huge catalog (run by hand; issue 16, item 6: under 400 MB at 200,000 entries).

    python benchmarks/huge_catalog.py --work /tmp/l10n-huge --entries 200000 [--code /path/to/checkout]

Writes a site with one post of ``--entries`` paragraphs and its catalog, every entry translated, then runs
``build``, ``check`` and ``sync`` (a paragraph appended to the source first), each one ``l10n -q`` process with
one job; prints one Markdown row per command: the largest process's peak RSS (``ru_maxrss`` of the children)
and the wall time. ``--code`` runs another checkout's ``l10n`` (``python -m l10n`` there): before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

CONFIG = 'source_lang = "fr"\ntarget_langs = ["en"]\nmin_completion = 0\n'


def write_site(root: Path, entries: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "content/fr").mkdir(parents=True)
    (root / "locales/en").mkdir(parents=True)
    (root / "l10n.toml").write_text(CONFIG, encoding="utf-8")
    with (root / "content/fr/enorme.md").open("w", encoding="utf-8") as post:
        post.write("# Un billet énorme\n")
        for number in range(entries - 1):
            post.write(f"\nLe paragraphe numéro {number} parle de la mer et du vent.\n")
    with (root / "locales/en/enorme.po").open("w", encoding="utf-8") as catalog:
        catalog.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n')
        catalog.write('msgid "Un billet énorme"\nmsgstr "A huge post"\n\n')
        for number in range(entries - 1):
            catalog.write(
                f'msgid "Le paragraphe numéro {number} parle de la mer et du vent."\n'
                f'msgstr "Paragraph number {number} is about the sea and the wind."\n\n'
            )


def run(command: list[str], cwd: Path, code: Path | None) -> tuple[float, float, int]:
    """Peak RSS (MB) of this command's process, wall seconds, exit status (each command in its own
    child of a fresh interpreter, so ``RUSAGE_CHILDREN`` is that command's)."""
    runner = (
        "import resource, subprocess, sys, time;"
        "start = time.monotonic();"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode;"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.monotonic() - start, code)"
    )
    environment = dict(os.environ)
    if code is not None:
        environment["PYTHONPATH"] = str(code)
    l10n = [sys.executable, "-m", "l10n", "-q", *command, "-j", "1"]
    result = subprocess.run(
        [sys.executable, "-c", runner, *l10n], cwd=cwd, env=environment, capture_output=True, text=True, check=True
    )
    rss, wall, status = result.stdout.split()
    return int(rss) / 1024, float(wall), int(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--code", type=Path, default=None, help="a checkout to run instead of this one")
    arguments = parser.parse_args()
    root = arguments.work / "site"
    write_site(root, arguments.entries)
    size = (root / "locales/en/enorme.po").stat().st_size / 1e6
    print(f"{arguments.entries} entries, catalog {size:.1f} MB; load {os.getloadavg()[0]:.1f}")
    print("| command | peak RSS (MB) | wall (s) | exit |\n|---|---|---|---|")
    for name, command in (("build", ["build"]), ("check", ["check"]), ("sync", ["sync"])):
        if name == "sync":
            with (root / "content/fr/enorme.md").open("a", encoding="utf-8") as post:
                post.write("\nUn paragraphe de plus.\n")
        rss, wall, status = run(command, root, arguments.code)
        print(f"| {name} | {rss:.0f} | {wall:.1f} | {status} |", flush=True)


if __name__ == "__main__":
    main()
