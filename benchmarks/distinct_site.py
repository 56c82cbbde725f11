"""Generate a site of N French posts whose texts are all distinct (run by hand; issue 6, "memory flat").

    python benchmarks/distinct_site.py --posts 10000 --out /tmp/distinct-10000

``generate_site.py`` cycles the same few hundred posts, so its translation memory stops growing after the
first cycle. Here every post is one of those posts with a tag of its own glued to the commonest French
words (``de`` -> ``de7f``), in the source and in its catalogs alike (msgid, msgstr, previous msgid): nearly
every paragraph, and so nearly every reviewed pair of the memory, is a text no other post has. Layout and
Markdown structure are unchanged (only whole words inside lines change).
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path

from generate_site import CONFIG, LANGS, pool_catalogs, pool_posts

from l10n.catalog.io import parse_catalog, render_catalog

_COMMON = re.compile(r"\b(de|la|le|les|des|du|et|en|un|une)\b")


def tagged(text: str, tag: str) -> str:
    return _COMMON.sub(lambda match: match.group(1) + tag, text)


def distinct_catalog(text: str, tag: str, rel: str) -> str:
    catalog = parse_catalog(text, Path("pool.po"))
    for entry in [*catalog, *catalog.obsolete_entries()]:
        entry.msgid = tagged(entry.msgid, tag)
        entry.msgstr = tagged(entry.msgstr, tag)
        if entry.previous_msgid:
            entry.previous_msgid = tagged(entry.previous_msgid, tag)
    return render_catalog(catalog).replace("@@REL@@", rel)


def generate(count: int, out: Path) -> None:
    pool = pool_posts()
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory() as scratch:
        catalogs = pool_catalogs(pool, Path(scratch))
    for number in range(count):
        index = number % len(pool)
        source = pool[index]
        tag = f"{number:x}"
        rel = f"p{number // 100:03d}/{number:05d}-{source.stem}{source.suffix}"
        target = out / "content" / "fr" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(tagged(source.read_bytes().decode("utf-8"), tag).encode("utf-8"))
        for lang in LANGS:
            po_file = (out / "locales" / lang / rel).with_suffix(".po")
            po_file.parent.mkdir(parents=True, exist_ok=True)
            po_file.write_text(distinct_catalog(catalogs[index][lang], tag, rel), encoding="utf-8", newline="")
    (out / "l10n.toml").write_text(CONFIG, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    generate(arguments.posts, arguments.out)
    print(f"{arguments.posts} posts with distinct texts written to {arguments.out}")


if __name__ == "__main__":
    main()
