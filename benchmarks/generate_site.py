"""Generate a site of N French posts with catalogs for two locales, some entries translated (run by hand).

    python benchmarks/generate_site.py --posts 1000 --out /tmp/site-1000

Posts are the project's own ``content/fr/`` posts and the real posts of ``../shared/data/corpus-fr/``
(when present), cycled to N and spread over directories of 100 posts. Each distinct post is extracted once
by l10n itself; each copy gets that post's catalogs, with references renamed, for ``en`` and ``de``. Roughly
half of the plain-prose entries (no markup, no digits) carry a reviewed pseudo-translation (every word
doubled), the same ones in every copy. Written: sources, ``l10n.toml`` and the catalogs; no templates, no
outputs, no cache: what a site holds before its first ``l10n sync``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import zlib
from pathlib import Path

from l10n.catalog.io import parse_catalog, render_catalog
from l10n.config import load_config
from l10n.project import iter_posts, po_path
from l10n.run import operations

REPO = Path(__file__).resolve().parents[1]
POOLS = (REPO / "content" / "fr", REPO.parent / "shared" / "data" / "corpus-fr")
LANGS = ("en", "de")
CONFIG = """\
source_lang = "fr"
target_langs = ["en", "de"]
front_matter_keys = ["title", "description", "tags[]"]
# Every post is built whatever its completion, so the benchmark exercises the write-back of every post.
min_completion = 0
"""
_PLAIN = re.compile(r"[^\W\d_][\w\s,;:'’!?.()-]*")
_WORD = re.compile(r"[^\W\d_]{2,}")


def pool_posts() -> list[Path]:
    """The distinct source posts, in a stable order."""
    found: list[Path] = []
    for root in POOLS:
        if root.is_dir():
            found += sorted(path for path in root.rglob("*") if path.suffix in (".md", ".mdx") and path.is_file())
    return found


def pseudo_translation(msgid: str) -> str | None:
    """A reviewed-looking translation for about half the plain-prose msgids (deterministic), else None."""
    if not _PLAIN.fullmatch(msgid) or zlib.crc32(msgid.encode("utf-8")) % 2:
        return None
    return _WORD.sub(lambda match: f"{match.group(0)} {match.group(0)}", msgid)


def pool_catalogs(pool: list[Path], work: Path) -> list[dict[str, str]]:
    """For each pool post, the text of its catalog per locale (extracted by l10n, partly translated), with
    ``@@REL@@`` standing for the post's path under the source directory."""
    source_dir = work / "content" / "fr"
    for index, path in enumerate(pool):
        target = source_dir / f"{index:04d}{path.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (work / "l10n.toml").write_text(CONFIG, encoding="utf-8")
    config = load_config(work)
    posts = iter_posts(config)
    operations.extract_catalogs(config, posts, LANGS).commit()
    texts: list[dict[str, str]] = []
    for post in posts:
        by_lang: dict[str, str] = {}
        for lang in LANGS:
            po_file = po_path(config, post.rel, lang)
            catalog = parse_catalog(po_file.read_text(encoding="utf-8"), po_file)
            for entry in catalog:
                translation = pseudo_translation(entry.msgid)
                if translation is not None:
                    entry.msgstr = translation
            by_lang[lang] = render_catalog(catalog).replace(post.rel.as_posix(), "@@REL@@")
        texts.append(by_lang)
    return texts


def generate(count: int, out: Path) -> None:
    pool = pool_posts()
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory() as scratch:
        catalogs = pool_catalogs(pool, Path(scratch))
    for number in range(count):
        index = number % len(pool)
        source = pool[index]
        rel = f"p{number // 100:03d}/{number:05d}-{source.stem}{source.suffix}"
        target = out / "content" / "fr" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        for lang in LANGS:
            po_file = (out / "locales" / lang / rel).with_suffix(".po")
            po_file.parent.mkdir(parents=True, exist_ok=True)
            po_file.write_text(catalogs[index][lang].replace("@@REL@@", rel), encoding="utf-8", newline="")
    (out / "l10n.toml").write_text(CONFIG, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    generate(arguments.posts, arguments.out)
    print(f"{arguments.posts} posts written to {arguments.out} (from {len(pool_posts())} distinct posts)")


if __name__ == "__main__":
    main()
