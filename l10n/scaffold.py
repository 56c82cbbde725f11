"""``l10n init``: recognize where a site keeps its posts (l10n.detect) and write a commented ``l10n.toml``."""

from __future__ import annotations

import json
from pathlib import Path

from l10n.config import CONFIG_FILE
from l10n.detect import Detection, detect, is_locale
from l10n.dialect_choice import initial_dialect_settings
from l10n.fileio import InputError, atomic_write_text

HEADER = """\
# l10n configuration: {found}
# Every key is optional; the values shown are what l10n uses.

source_lang = {source_lang}
target_langs = [{targets}]
"""

DIRECTORIES = """\
# Where the source posts are, and where localized posts go ({{lang}} is the target locale).
source_dir = {source_dir}
output_dir = {output_dir}
"""

PATTERNS = """\
# Where the source posts are (a glob from the site root: **/ any folders, * any name, {{a,b}} either,
# {{lang}} the source language), and where each language's post goes: {{lang}} the target language,
# {{path}} the post's path under the source folder, {{dir}} the source's folder, {{stem}} its name without
# extension or language, {{ext}} its extension. Outputs are never taken as sources.
source = {source}
output = {output}
"""

EXCLUDE = """\
# Not sources: other languages' files (globs from the site root).
exclude = [{exclude}]
"""

LAYOUTS = """\
# Where the source posts are, one [[layout]] table per place (a glob from the site root: **/ any folders,
# * any name, {{a,b}} either, {{lang}} the source language), and where each language's post goes: {{lang}} the
# target language, {{path}} the post's path under the source folder, {{dir}} the source's folder, {{stem}} its
# name without extension or language, {{ext}} its extension. Outputs are never taken as sources. A post's
# catalogs are named after its layout's name (by default its source folder) and its path.
"""

LAYOUT = """\

[[layout]]
source = {source}
output = {output}
"""

ANCHORS = """\
# How the site's framework turns a heading into its anchor: "github" (github-slugger: Astro, Docusaurus,
# VitePress, remark), "hugo" (Hugo's default), or "off". Link fragments (#ressources) follow the translated
# heading; `l10n check` warns about a fragment that matches no anchor.
anchors = {anchors}
"""

REST = """\
# Templates (.pot) go to <locales_dir>/templates/, catalogs (.po) to <locales_dir>/<lang>/, named after the
# post's path.
locales_dir = "locales"
# Front matter values to translate; dotted paths reach nested keys ("seo.title"), [] every list item
# ("tags[]", "sections[].content.title").
front_matter_keys = ["title", "description"]
# Percent of words translated (and reviewed) below which a post is not written.
min_completion = 80
# Whether unreviewed (fuzzy, machine) translations go into the output.
include_fuzzy = false
# Default machine-translation backend for `l10n translate`.
backend = "google"
# Extra PO files whose reviewed translations feed the translation memory.
# compendia = ["locales/compendium.po"]
# glossary = "locales/glossary.tsv"
"""


def _quoted(value: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for these)."""
    return json.dumps(value, ensure_ascii=False)


def render_config(found: str, detection: Detection) -> tuple[str, str]:
    """The commented configuration for ``detection``: its top-level keys, and its tables (``[[layout]]``),
    which go last."""
    text = HEADER.format(
        found=found,
        source_lang=_quoted(detection.source_lang),
        targets=", ".join(_quoted(code) for code in detection.target_langs),
    )
    text += "".join(f"# {note}\n" for note in detection.notes)
    tables = ""
    if detection.also:  # TOML: tables after every top-level key
        first = LAYOUT.format(source=_quoted(detection.source), output=_quoted(detection.output))
        tables = "\n" + LAYOUTS.format().rstrip("\n") + first
        if detection.exclude:
            tables += EXCLUDE.format(exclude=", ".join(_quoted(pattern) for pattern in detection.exclude))
        tables += "".join(
            LAYOUT.format(source=_quoted(source), output=_quoted(output)) for source, output in detection.also
        )
    elif detection.directories is not None:
        source_dir, output_dir = detection.directories
        text += DIRECTORIES.format(source_dir=_quoted(source_dir), output_dir=_quoted(output_dir))
    else:
        text += PATTERNS.format(source=_quoted(detection.source), output=_quoted(detection.output))
    if detection.exclude and not detection.also:
        text += EXCLUDE.format(exclude=", ".join(_quoted(pattern) for pattern in detection.exclude))
    return text + ANCHORS.format(anchors=_quoted(detection.anchors)) + REST, tables


def _default(source_dir: str, posts: int = 0) -> Detection:
    name = Path(source_dir).name
    parts = source_dir.split("/")
    parts[-1] = "{lang}"
    output_dir = "/".join(parts)
    source_lang = name if is_locale(name) else "fr"
    return Detection(
        "given",
        f"{source_dir}/**/*",
        output_dir + "/{path}",
        source_lang,
        ("en",),
        posts,
        directories=(source_dir, output_dir),
    )


def write_initial_config(root: Path, *, source_dir: str | None = None, force: bool = False) -> tuple[Path, str]:
    """Write ``l10n.toml`` at ``root``; returns its path and a sentence saying what was found."""
    path = root / CONFIG_FILE
    if path.exists() and not force:
        raise InputError(path, None, "already exists (use --force to overwrite)")
    if source_dir is not None:
        source_dir = source_dir.strip("/")
        if not (root / source_dir).is_dir():
            raise InputError(root / source_dir, None, "--source-dir: no such directory")
        detection = _default(source_dir)
        found = f"source posts in {source_dir}"
    else:
        detected = detect(root)
        if detected is None:
            detection, found = _default("content/fr"), "no posts found; assuming content/fr"
        else:
            detection = detected
            where = detected.directories[0] if detected.directories else detected.source
            where = " and ".join([where, *(source for source, _ in detected.also)])
            found = f"found {detected.posts} posts in {where} ({detected.framework})"
    keys, tables = render_config(found, detection)
    atomic_write_text(path, keys + initial_dialect_settings(root) + tables)
    return path, found
