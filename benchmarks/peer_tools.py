"""Extract and reassemble a tree of Markdown posts with a peer tool (run with the peers' own Python).

    peers/bin/python benchmarks/peer_tools.py mdpo extract SOURCE_DIR PO_DIR
    peers/bin/python benchmarks/peer_tools.py mdpo translate PO_DIR
    peers/bin/python benchmarks/peer_tools.py mdpo reassemble SOURCE_DIR PO_DIR OUT_DIR

mdpo (``md2po``/``po2md``) is driven through its Python API in one process, one catalog per post, so its
figures carry no per-file start-up cost; translate-toolkit's ``md2po``/``po2md`` take whole directory trees
in one process and are run by ``run_benchmarks.py`` directly. ``translate`` fills the same entries as the
generated site's catalogs (plain prose, about half of it, every word doubled); it is not timed.
This file must not import l10n: it runs in a virtual environment that only has the peers.
"""

from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

_PLAIN = re.compile(r"[^\W\d_][\w\s,;:'’!?.()-]*")
_WORD = re.compile(r"[^\W\d_]{2,}")


def pseudo_translation(msgid: str) -> str | None:
    """The generator's rule (benchmarks/generate_site.py), repeated here so this file needs no l10n."""
    if not _PLAIN.fullmatch(msgid) or zlib.crc32(msgid.encode("utf-8")) % 2:
        return None
    return _WORD.sub(lambda match: f"{match.group(0)} {match.group(0)}", msgid)


def posts(source: Path) -> list[Path]:
    return sorted(path for path in source.rglob("*.md") if path.is_file())


def mdpo_extract(source: Path, po_dir: Path) -> int:
    from mdpo.md2po import markdown_to_pofile

    failures = 0
    for path in posts(source):
        target = (po_dir / path.relative_to(source)).with_suffix(".po")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            markdown_to_pofile(str(path), po_filepath=str(target), save=True)
        except Exception as error:  # a failure on one post is counted, not fatal
            failures += 1
            print(f"mdpo md2po failed on {path}: {error!r}"[:200], file=sys.stderr)
    return failures


def mdpo_reassemble(source: Path, po_dir: Path, out_dir: Path) -> int:
    from mdpo.po2md import pofile_to_markdown

    failures = 0
    for path in posts(source):
        catalog = (po_dir / path.relative_to(source)).with_suffix(".po")
        target = out_dir / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            pofile_to_markdown(str(path), str(catalog), save=str(target))
        except Exception as error:
            failures += 1
            print(f"mdpo po2md failed on {path}: {error!r}"[:200], file=sys.stderr)
    return failures


def translate(po_dir: Path) -> int:
    import polib

    count = 0
    for path in sorted(po_dir.rglob("*.po")):
        catalog = polib.pofile(str(path))
        for entry in catalog:
            translation = pseudo_translation(entry.msgid)
            if translation is not None and not entry.obsolete:
                entry.msgstr = translation
                count += 1
        catalog.save(str(path))
    return count


def main(arguments: list[str]) -> int:
    tool, action, *paths = arguments
    if action == "translate":
        print(f"{translate(Path(paths[0]))} entries translated")
        return 0
    if tool != "mdpo":
        raise SystemExit(f"unknown tool {tool!r} (translate-toolkit runs through its own commands)")
    if action == "extract":
        failures = mdpo_extract(Path(paths[0]), Path(paths[1]))
    else:
        failures = mdpo_reassemble(Path(paths[0]), Path(paths[1]), Path(paths[2]))
    print(f"{failures} failures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
