"""Recognize a site's layout from its tree and its framework's own configuration file (for ``l10n init``).

Each detector looks at the site root and returns a :class:`Detection` (a source glob, an output template, the
languages, and what it found) or None. :data:`DETECTORS` lists them, framework-specific ones first; the first
that recognizes the site wins. Another kind of knowledge about a site (its Markdown dialect, say) is a new field
of :class:`Detection` filled by the detector, or a new step in :func:`detect` after the layout is known.

Detectors only read: configuration files are parsed leniently (a JavaScript configuration is searched with
regular expressions, never run), a file that does not parse is ignored, and no folder name can make one fail.

Longer than 500 lines because the detectors are read together: their order is their precedence, and each one
must leave alone the trees the others recognize.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from l10n.config import parse_locale
from l10n.layout import SKIPPED_DIRECTORIES, SOURCE_SUFFIXES, Layout, LayoutError

# Build output and dependencies: never searched for posts.
SKIPPED = SKIPPED_DIRECTORIES | {"venv", ".venv", "dist", "build", "public", "_site", "locales", "resources"}
MAX_DEPTH = 6
_LOCALE_NAME = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")
_MARKED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)\.(?:mdx?|markdown)$")


@dataclass(frozen=True)
class Detection:
    """What a detector recognized: enough to write a configuration that works as is."""

    framework: str  # e.g. "Hugo, translation by file name"
    source: str  # source glob (see l10n.layout)
    output: str  # output template
    source_lang: str
    target_langs: tuple[str, ...]
    posts: int
    exclude: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # comment lines for the configuration file
    anchors: str = "github"  # the framework's heading slug rule (l10n.anchors)
    # The same layout in the older spelling, when it is one: (source_dir, output_dir).
    directories: tuple[str, str] | None = None
    # More (source, output) pairs beside the first, for a site that keeps posts in several places: the
    # configuration then lists them all as [[layout]] tables.
    also: tuple[tuple[str, str], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


Detector = Callable[[Path], "Detection | None"]


def is_locale(name: str) -> bool:
    """Whether a folder or file-name marker is a locale code babel knows (``img``, ``api``, ``ma-2023``: no)."""
    if not _LOCALE_NAME.match(name):
        return False
    try:
        parse_locale(name)
    except Exception:  # babel raises UnknownLocaleError (an Exception), ValueError, TypeError...
        return False
    return True


def _base_code(name: str) -> str:
    return name.replace("_", "-").split("-", 1)[0]


def _short(code: str) -> str:
    """A framework's locale (``fr-FR``, ``fr_FR``) as the site's folder or marker name usually spells it."""
    return code.replace("_", "-").split("-", 1)[0].lower() if code else code


def _walk(directory: Path, depth: int = MAX_DEPTH) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``os.walk`` without hidden or build directories, sorted, at most ``depth`` levels deep."""
    for here, subdirectories, files in os.walk(directory):
        level = len(Path(here).relative_to(directory).parts)
        subdirectories[:] = sorted(
            name for name in subdirectories if not name.startswith(".") and name not in SKIPPED and level < depth
        )
        yield Path(here), subdirectories, sorted(files)


def _posts(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return [here / name for here, _, files in _walk(directory) for name in files if name.endswith(SOURCE_SUFFIXES)]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _data(path: Path) -> dict[str, Any] | None:
    """A TOML, YAML or JSON configuration file as a mapping, or None if absent or unreadable."""
    text = _read(path)
    if text is None:
        return None
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            return None
    except (ValueError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def _first(root: Path, names: Iterable[str]) -> Path | None:
    return next((root / name for name in names if (root / name).is_file()), None)


def _ordered(codes: Iterable[str], source: str) -> tuple[str, ...]:
    seen: list[str] = []
    for code in codes:
        if code and code != source and code not in seen and is_locale(code):
            seen.append(code)
    return tuple(seen) or (("en",) if source != "en" else ("fr",))


def _lower_keys(data: dict[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in data.items()}


# ---- Hugo ----

_HUGO_FILES = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.toml",
    "config/_default/config.yaml",
)


def _hugo_settings(root: Path) -> tuple[dict[str, Any], Path] | None:
    found = _first(root, _HUGO_FILES)
    if found is None:
        return None
    data = _lower_keys(_data(found) or {})
    for name in ("languages.toml", "languages.yaml", "languages.yml"):
        extra = _data(root / "config/_default" / name)
        if extra:
            data.setdefault("languages", extra)
    return data, found


def detect_hugo(root: Path) -> Detection | None:
    """Hugo: per-language ``contentDir`` (translation by directory, the default language possibly at the root
    with the others in subfolders), else translation by file name (``index.fr.md`` / ``index.en.md``)."""
    settings = _hugo_settings(root)
    if settings is None or not (root / "content").is_dir():
        return None
    data, found = settings
    content = str(data.get("contentdir") or "content").strip("/")
    listed = data.get("languages")
    languages: dict[str, Any] = listed if isinstance(listed, dict) else {}
    default = _short(str(data.get("defaultcontentlanguage") or ""))
    directories = {
        _short(str(code)): str(_lower_keys(values).get("contentdir") or "").strip("/")
        for code, values in languages.items()
        if isinstance(values, dict)
    }
    codes = [_short(str(code)) for code in languages]
    if default and directories.get(default):
        source_dir = directories[default]
        targets = _ordered((code for code in codes if directories.get(code)), default)
        sample = directories.get(targets[0], "")
        posts = _posts(root / source_dir)
        if sample.startswith(source_dir + "/"):  # the default language at the root, the others in subfolders
            template = _with_lang(sample, targets[0])
            exclude = tuple(f"{directories[code]}/**" for code in codes if code not in targets and code != default)
            inside = [
                path
                for path in posts
                if not any(_under(root, path, directories[code]) for code in codes if code != default)
            ]
            return Detection(
                "Hugo, translation by directory, the default language at the root",
                f"{source_dir}/**/*.{{md,mdx}}",
                f"{template}/{{path}}",
                default,
                targets,
                len(inside),
                anchors="hugo",
                exclude=exclude,
                notes=(f"Read from {found.relative_to(root).as_posix()} (languages.<lang>.contentDir).",),
            )
        template = _with_lang(sample, targets[0]) if targets[0] in sample.split("/") else f"{content}/{{lang}}"
        return Detection(
            "Hugo, translation by directory",
            f"{source_dir}/**/*.{{md,mdx}}",
            f"{template}/{{path}}",
            default,
            targets,
            len(posts),
            anchors="hugo",
            notes=(f"Read from {found.relative_to(root).as_posix()} (languages.<lang>.contentDir).",),
            directories=(source_dir, template),
        )
    posts = _posts(root / content)
    markers = Counter(match.group("lang") for path in posts if (match := _MARKED_NAME.match(path.name)))
    markers = Counter({code: count for code, count in markers.items() if is_locale(code)})
    source_lang = default or (markers.most_common(1)[0][0] if markers else "en")
    marked = markers.get(source_lang, 0)
    unmarked = sum(1 for path in posts if not _MARKED_NAME.match(path.name) or not is_locale(_marked_lang(path)))
    targets = _ordered(codes or sorted(markers), source_lang)
    if marked >= unmarked and marked:
        source, count = f"{content}/**/*.{{lang}}.{{md,mdx}}", marked
        note = f"Source posts are named <name>.{source_lang}.md; each translation goes beside it as <name>.<lang>.md."
    else:
        source, count = f"{content}/**/*.{{md,mdx}}", unmarked
        note = "Posts without a language in their name are the default language; translations go beside them."
    return Detection(
        "Hugo, translation by file name",
        source,
        "{dir}/{stem}.{lang}{ext}",
        source_lang,
        targets,
        count,
        anchors="hugo",
        exclude=tuple(
            f"{content}/**/*.{code}.{{md,mdx}}" for code in sorted(markers) if code not in (*targets, source_lang)
        ),
        notes=(note, f"Languages read from {found.relative_to(root).as_posix()} and the file names."),
    )


def _with_lang(directory: str, code: str) -> str:
    """``content/en`` -> ``content/{lang}``: the folder named after ``code`` becomes the placeholder."""
    return "/".join("{lang}" if part == code else part for part in directory.split("/"))


def _marked_lang(path: Path) -> str:
    match = _MARKED_NAME.match(path.name)
    return match.group("lang") if match else ""


def _under(root: Path, path: Path, directory: str) -> bool:
    return (root / directory) in path.parents


# ---- Jekyll ----


def detect_jekyll(root: Path) -> Detection | None:
    """Jekyll: ``_config.yml`` and ``_posts/`` in the default language, translations in ``_posts/<lang>/``
    (the jekyll-polyglot and jekyll-multiple-languages layouts keep the same tree)."""
    config = _first(root, ("_config.yml", "_config.yaml"))
    if config is None or not (root / "_posts").is_dir():
        return None
    data = _data(config) or {}
    folders = sorted(path.name for path in (root / "_posts").iterdir() if path.is_dir() and is_locale(path.name))
    listed = data.get("languages")
    languages: list[Any] = listed if isinstance(listed, list) else []
    default = _short(str(data.get("default_lang") or data.get("lang") or data.get("locale") or ""))
    source_lang = default or ("fr" if "fr" not in folders else "en")
    targets = _ordered([*(_short(str(code)) for code in languages), *folders], source_lang)
    posts = [
        path for path in _posts(root / "_posts") if not any(_under(root, path, f"_posts/{code}") for code in folders)
    ]
    suffixes = "{md,markdown}" if any(path.suffix == ".markdown" for path in posts) else "md"
    return Detection(
        "Jekyll, the default language in _posts/, translations in _posts/<lang>/",
        f"_posts/**/*.{suffixes}",
        "_posts/{lang}/{path}",
        source_lang,
        targets,
        len(posts),
        exclude=tuple(f"_posts/{code}/**" for code in folders if code not in targets),
        notes=(f"Languages read from {config.name} (lang, default_lang, languages) and _posts/<lang>/ folders.",),
    )


# ---- Docusaurus ----

_JS_STRING = r"""['"`]([A-Za-z0-9_-]+)['"`]"""


def _js_config(root: Path, stem: str) -> str | None:
    found = _first(root, (f"{stem}.{ext}" for ext in ("js", "ts", "mjs", "mts", "cjs")))
    return _read(found) if found else None


def _js_locales(text: str) -> tuple[str, list[str]]:
    default = re.search(r"defaultLocale\s*:\s*" + _JS_STRING, text)
    listed = re.search(r"locales\s*:\s*\[([^\]]*)\]", text)
    codes = re.findall(_JS_STRING, listed.group(1)) if listed else []
    return (default.group(1) if default else ""), codes


def detect_docusaurus(root: Path) -> Detection | None:
    """Docusaurus i18n: ``docs/`` in the default locale, ``i18n/<lang>/docusaurus-plugin-content-docs/current/``."""
    text = _js_config(root, "docusaurus.config")
    if text is None or not (root / "docs").is_dir():
        return None
    default, codes = _js_locales(text)
    source_lang = default or "en"
    targets = _ordered(
        [*codes, *(path.name for path in sorted((root / "i18n").glob("*")) if path.is_dir())], source_lang
    )
    notes = ["Locales read from docusaurus.config (i18n.defaultLocale, i18n.locales)."]
    blog = _posts(root / "blog")
    if blog:
        notes.append("The docs and the blog each have their layout; catalogs go under locales/<lang>/docs/ and blog/.")
    return Detection(
        "Docusaurus i18n",
        "docs/**/*.{md,mdx}",
        "i18n/{lang}/docusaurus-plugin-content-docs/current/{path}",
        source_lang,
        targets,
        len(_posts(root / "docs")) + len(blog),
        notes=tuple(notes),
        also=(("blog/**/*.{md,mdx}", "i18n/{lang}/docusaurus-plugin-content-blog/{path}"),) if blog else (),
    )


# ---- VitePress ----


def detect_vitepress(root: Path) -> Detection | None:
    """VitePress locales: the ``root`` locale at the top of the docs folder, the others in ``<lang>/``."""
    for docs in ("docs", "."):
        directory = root / docs
        text = _js_config(directory / ".vitepress", "config")
        if text is None:
            continue
        block = re.search(r"locales\s*:\s*\{(.*)", text, re.DOTALL)
        if block is None:
            return None
        keys = re.findall(r"(?m)^\s*['\"]?([A-Za-z0-9_-]+)['\"]?\s*:\s*\{", block.group(1))
        root_lang = re.search(r"root\s*:\s*\{[^}]*?lang\s*:\s*" + _JS_STRING, block.group(1), re.DOTALL)
        source_lang = _short(root_lang.group(1)) if root_lang else "en"
        targets = _ordered((key for key in keys if key != "root"), source_lang)
        return _root_locale_at_the_top(
            "VitePress locales, the root locale at the top",
            directory,
            "" if docs == "." else docs + "/",
            "md",
            source_lang,
            targets,
            folders=targets,
            note="Locales read from .vitepress/config (locales: root and the others).",
        )
    return None


def _root_locale_at_the_top(
    framework: str,
    directory: Path,
    base: str,
    extensions: str,
    source_lang: str,
    targets: tuple[str, ...],
    *,
    folders: Sequence[str],
    note: str,
    exclude: tuple[str, ...] = (),
) -> Detection:
    """A site whose source locale sits at the top of ``directory`` (``base`` from the site root: empty or
    ending with ``/``) and every other locale in a folder of its own below it: the source posts are those
    outside each of the locale ``folders``."""
    posts = [path for path in _posts(directory) if not any(_under(directory, path, name) for name in folders)]
    return Detection(
        framework,
        f"{base}**/*.{extensions}",
        f"{base}{{lang}}/{{path}}",
        source_lang,
        targets,
        len(posts),
        exclude=exclude,
        notes=(note,),
    )


# ---- Astro Starlight, the root locale ----

STARLIGHT_DOCS = "src/content/docs"


def _object_after(text: str, pattern: str) -> str | None:
    """The text between the braces of the JavaScript object literal that follows ``pattern``."""
    match = re.search(pattern + r"\s*\{", text)
    if match is None:
        return None
    depth, start = 1, match.end()
    for position in range(start, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return text[start:position]
    return None


def _top_level_keys(body: str) -> list[tuple[str, str]]:
    """The ``key: { ... }`` entries directly inside an object literal's body: (key, the value's body)."""
    found = []
    for match in re.finditer(r"""['"]?([A-Za-z0-9_-]+)['"]?\s*:\s*\{""", body):
        if body[: match.start()].count("{") != body[: match.start()].count("}"):
            continue  # inside another entry's value
        value = _object_after(body[match.start() :], re.escape(match.group(0)[:-1]))
        found.append((match.group(1), value or ""))
    return found


def detect_starlight_root(root: Path) -> Detection | None:
    """Astro Starlight with a ``root`` locale: the source language at the top of ``src/content/docs/``, the
    other locales in ``src/content/docs/<locale>/`` (a locale's folder is its key in ``locales``)."""
    text = _js_config(root, "astro.config")
    if text is None or "starlight" not in text or not (root / STARLIGHT_DOCS).is_dir():
        return None
    body = _object_after(text, r"locales\s*:")
    if body is None:
        return None
    locales = dict(_top_level_keys(body))
    if "root" not in locales:
        return None
    lang = re.search(r"lang\s*:\s*" + _JS_STRING, locales["root"])
    source_lang = _short(lang.group(1)) if lang else "en"
    targets = _ordered((key for key in locales if key != "root"), source_lang)
    docs = root / STARLIGHT_DOCS
    folders = [path.name for path in sorted(docs.iterdir()) if path.is_dir() and is_locale(path.name)]
    others = [name for name in folders if name not in targets]
    return _root_locale_at_the_top(
        "Astro Starlight, the root locale at the top of src/content/docs",
        docs,
        f"{STARLIGHT_DOCS}/",
        "{md,mdx}",
        source_lang,
        targets,
        folders=folders,
        note="Locales read from astro.config (starlight locales: root and the others).",
        exclude=tuple(f"{STARLIGHT_DOCS}/{name}/**" for name in others),
    )


# ---- Grav ----


def detect_grav(root: Path) -> Detection | None:
    """Grav: ``user/pages/**/<template>.<lang>.md`` (or ``pages/`` when the repository is the user folder),
    languages in ``user/config/system.yaml``."""
    base = next((name for name in ("user/pages", "pages") if (root / name).is_dir()), None)
    if base is None:
        return None
    user = base.rsplit("/", 1)[0] if "/" in base else ""
    system = _data(root / user / "config/system.yaml") or {}
    listed = system.get("languages")
    languages: dict[str, Any] = listed if isinstance(listed, dict) else {}
    supported = [str(code) for code in languages.get("supported") or []] if languages else []
    posts = _posts(root / base)
    markers = Counter(_marked_lang(path) for path in posts if is_locale(_marked_lang(path)))
    if not markers and not supported:
        return None
    source_lang = _short(str(languages.get("default_lang") or "")) if languages else ""
    source_lang = source_lang or (supported[0] if supported else markers.most_common(1)[0][0])
    targets = _ordered([*supported, *sorted(markers)], source_lang)
    return Detection(
        "Grav, language in the page file name",
        f"{base}/**/*.{{lang}}.md",
        "{dir}/{stem}.{lang}{ext}",
        source_lang,
        targets,
        markers.get(source_lang, 0),
        notes=("Languages read from config/system.yaml (languages.supported) and the page file names.",),
    )


# ---- Astro content collections, and any tree with one folder per language ----


def detect_locale_directories(root: Path) -> Detection | None:
    """The folder named after a locale holding the most posts (French first), its siblings as targets; the
    languages of ``astro.config`` (``i18n.defaultLocale``, ``locales``) when the site has one."""
    candidates: list[tuple[Path, int]] = []
    for here, subdirectories, _ in _walk(root):
        for name in subdirectories:
            if is_locale(name):
                count = len(_posts(here / name))
                if count:
                    candidates.append((here / name, count))
    two_letters = {path.parent for path, _ in candidates if len(_base_code(path.name)) == 2}
    # ``src``, ``doc``... are also ISO 639-3 codes: a three-letter folder counts only beside a two-letter one.
    candidates = [item for item in candidates if len(_base_code(item[0].name)) == 2 or item[0].parent in two_letters]
    if not candidates:
        return None
    astro = _js_config(root, "astro.config")
    default, codes = _js_locales(astro) if astro else ("", [])
    source, count = max(
        candidates,
        key=lambda item: (item[0].name == (default or "fr"), item[1], -len(item[0].parts)),
    )
    siblings = sorted(path.name for path, _ in candidates if path.parent == source.parent and path != source)
    targets = _ordered([*codes, *siblings], source.name)
    source_dir = source.relative_to(root).as_posix()
    parent = source.parent.relative_to(root).as_posix()
    output_dir = "{lang}" if parent == "." else f"{parent}/{{lang}}"
    framework = "Astro content collection" if astro else "one folder per language"
    return Detection(
        framework,
        f"{source_dir}/**/*",
        f"{output_dir}/{{path}}",
        source.name,
        targets,
        count,
        directories=(source_dir, output_dir),
    )


DETECTORS: list[Detector] = [
    detect_docusaurus,
    detect_vitepress,
    detect_starlight_root,
    detect_hugo,
    detect_jekyll,
    detect_grav,
    detect_locale_directories,
]


def detect(root: Path) -> Detection | None:
    """The first detector's answer whose layout is valid and finds posts, or None."""
    for detector in DETECTORS:
        found = detector(root)
        if found is None or not found.posts:
            continue
        try:
            for source, output in ((found.source, found.output), *found.also):
                Layout.create(source, output, found.source_lang, found.target_langs, found.exclude)
        except LayoutError:
            continue
        return found
    return None
