"""Which Markdown dialect each post is read in: the configuration's choice, or what the site's files say.

``dialect = "auto"`` (the default) reads ``.mdx`` posts as MDX and ``.md`` posts as CommonMark plus what the
site's framework adds, detected once from the files at the project root (``astro.config.*``: remark
directives; ``.vitepress/``: containers; a Hugo configuration: shortcodes; Jekyll or Eleventy: Liquid tags).
``dialect = "commonmark"`` or ``"mdx"`` forces one syntax for every post, and a ``[dialect]`` table chooses per
glob (the first glob that matches a post's path, relative to the source directory, wins). The top-level keys
``directives``, ``containers``, ``shortcodes`` and ``liquid`` (true or false) override what was detected;
``protect``, ``jsx_attributes``, ``jsx_verbatim`` and ``shortcode_attributes`` complete the dialect, and
``code_blocks = true`` makes every code block an entry whose translation is optional (see
:mod:`l10n.code_entries`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any

from l10n.document.dialect import COMMONMARK, Dialect

SYNTAXES = ("auto", "commonmark", "mdx")
FEATURES = ("directives", "containers", "shortcodes", "liquid")
DEFAULT_JSX_ATTRIBUTES = ("title", "alt", "label", "description", "text")
# Components whose children are code, file trees or data rather than prose (Astro, Starlight, Docusaurus,
# Next.js/Nextra, Fumadocs): their content is layout.
DEFAULT_JSX_VERBATIM = (
    "FileTree",
    "Code",
    "CodeBlock",
    "CodeGroup",
    "Files",
    "Folder",
    "File",
    "Tree",
    "Terminal",
    "Mermaid",
    "Math",
    "Icon",
    "script",
    "style",
    "pre",
    "code",
)
DIALECT_KEYS = frozenset(
    {"dialect", *FEATURES, "protect", "jsx_attributes", "jsx_verbatim", "shortcode_attributes", "code_blocks"}
)

Fail = Callable[[str, str], Exception]


@dataclass(frozen=True)
class Rule:
    """One entry of the ``[dialect]`` table: posts matching ``glob`` are read as ``syntax``, with features
    set (True/False) or left to the site default (absent)."""

    glob: str
    syntax: str
    features: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class DialectChoice:
    """How to choose a post's :class:`Dialect`; ``site_features`` are those detected at the project root."""

    syntax: str = "auto"
    rules: tuple[Rule, ...] = ()
    features: tuple[tuple[str, bool], ...] = ()  # top-level overrides of what was detected
    site_features: frozenset[str] = frozenset()
    site_mdx_markdown: bool = False  # the framework compiles .md posts as MDX too (Docusaurus's default)
    protect: tuple[str, ...] = ()
    jsx_attributes: tuple[str, ...] = DEFAULT_JSX_ATTRIBUTES
    jsx_verbatim: tuple[str, ...] = DEFAULT_JSX_VERBATIM
    shortcode_attributes: tuple[str, ...] = ()  # Hugo shortcode parameters translated as entries
    code_blocks: bool = False  # code blocks are entries with an optional translation
    _memo: dict[str, Dialect] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def for_path(self, rel: PurePosixPath | str) -> Dialect:
        """The dialect of the post at ``rel`` (relative to the source directory)."""
        path = PurePosixPath(rel)
        memo_key = path.suffix if not self.rules else path.as_posix()
        found = self._memo.get(memo_key)
        if found is None:
            found = self._choose(path)
            self._memo[memo_key] = found
        return found

    def _choose(self, path: PurePosixPath) -> Dialect:
        syntax: str = self.syntax
        rule_features: tuple[tuple[str, bool], ...] = ()
        for rule in self.rules:
            if _glob_matches(rule.glob, path):
                syntax, rule_features = rule.syntax, rule.features
                break
        if syntax == "auto":
            mdx = path.suffix == ".mdx" or (self.site_mdx_markdown and path.suffix == ".md")
        else:
            mdx = syntax == "mdx"
        enabled = {name: name in self.site_features for name in FEATURES}
        enabled.update(self.features)
        enabled.update(rule_features)
        dialect = Dialect(
            mdx=mdx,
            directives=enabled["directives"],
            containers=enabled["containers"],
            shortcodes=enabled["shortcodes"],
            liquid=enabled["liquid"],
            protect=self.protect,
            shortcode_attributes=self.shortcode_attributes if enabled["shortcodes"] else (),
            code_blocks=self.code_blocks,
        )
        if mdx:
            dialect = replace(dialect, jsx_attributes=self.jsx_attributes, jsx_verbatim=self.jsx_verbatim)
        return COMMONMARK if dialect == COMMONMARK else dialect

    def describe(self) -> str:
        """What decides the dialects, for the incremental run's fingerprint (detection included)."""
        return repr(
            (self.syntax, self.rules, self.features, sorted(self.site_features), self.site_mdx_markdown,
             self.protect, self.jsx_attributes, self.jsx_verbatim, self.shortcode_attributes, self.code_blocks)
        )


def _glob_matches(glob: str, path: PurePosixPath) -> bool:
    text = path.as_posix()
    if fnmatchcase(text, glob):
        return True
    # "**/" also matches no directory at all, as in most glob dialects
    return glob.startswith("**/") and fnmatchcase(text, glob[3:])


def _syntax(value: object, key: str, fail: Fail) -> str:
    if not isinstance(value, str) or value not in SYNTAXES:
        raise fail(key, f"expected one of {', '.join(repr(s) for s in SYNTAXES)}, got {value!r}")
    return value


def _flag(value: object, key: str, fail: Fail) -> bool:
    if not isinstance(value, bool):
        raise fail(key, f"expected true or false, got {value!r}")
    return value


def _strings(value: object, key: str, fail: Fail) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise fail(key, f"expected a list of non-empty strings, got {value!r}")
    return tuple(value)


def _rule(glob: str, value: object, fail: Fail) -> Rule:
    def fail_here(key: str, message: str) -> Exception:
        return fail("dialect", f"{key}: {message}")  # a glob may hold dots: the error points at [dialect]

    return _checked_rule(glob, value, fail_here)


def _checked_rule(glob: str, value: object, fail: Fail) -> Rule:
    key = f'"{glob}"'
    if isinstance(value, str):
        return Rule(glob, _syntax(value, key, fail))
    if not isinstance(value, dict):
        raise fail(key, f"expected a syntax name or a table, got {value!r}")
    unknown = set(value) - {"syntax", *FEATURES}
    if unknown:
        raise fail(key, f"unknown key {sorted(unknown)[0]!r} (known: syntax, {', '.join(FEATURES)})")
    syntax = _syntax(value.get("syntax", "auto"), f"{key}.syntax", fail)
    features = tuple((name, _flag(value[name], f"{key}.{name}", fail)) for name in FEATURES if name in value)
    return Rule(glob, syntax, features)


def dialect_choice_from_table(table: Mapping[str, Any], root: Path, fail: Fail) -> DialectChoice:
    """Validate the configuration's dialect keys; ``fail(key, message)`` builds the error to raise."""
    values: dict[str, Any] = {}
    setting = table.get("dialect", "auto")
    if isinstance(setting, dict):
        values["rules"] = tuple(_rule(glob, value, fail) for glob, value in setting.items())
    else:
        values["syntax"] = _syntax(setting, "dialect", fail)
    values["features"] = tuple((name, _flag(table[name], name, fail)) for name in FEATURES if name in table)
    if "protect" in table:
        patterns = _strings(table["protect"], "protect", fail)
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise fail("protect", f"bad regular expression {pattern!r}: {error}") from None
        values["protect"] = patterns
    for key in ("jsx_attributes", "jsx_verbatim", "shortcode_attributes"):
        if key in table:
            values[key] = _strings(table[key], key, fail)
    if "code_blocks" in table:
        values["code_blocks"] = _flag(table["code_blocks"], "code_blocks", fail)
    features, mdx_markdown = detect_site(root)
    return DialectChoice(site_features=features, site_mdx_markdown=mdx_markdown, **values)


_HUGO_KEYS = re.compile(r"^\s*(baseURL|languageCode|theme|\[params\]|\[markup\]|\[taxonomies\])\b", re.MULTILINE)
_DOCUSAURUS_DETECT = re.compile(r"""format\s*:\s*['"]detect['"]""")


def detect_site(root: Path) -> tuple[frozenset[str], bool]:
    """What the site's framework adds to Markdown, from the files at ``root``: the features, and whether
    ``.md`` posts are compiled as MDX too."""
    features: set[str] = set()
    mdx_markdown = False
    names = _names(root)
    if any(name.startswith("astro.config.") for name in names):
        features.add("directives")
    if ".vitepress" in names and (root / ".vitepress").is_dir():
        features.add("containers")
    docusaurus = sorted(name for name in names if name.startswith("docusaurus.config."))
    if docusaurus:
        features.add("directives")  # admonitions (:::note) are remark directives in Docusaurus 3
        mdx_markdown = not _DOCUSAURUS_DETECT.search(_read(root / docusaurus[0]))
    if any(name.startswith("hugo.") for name in names) or any(
        name in names and _HUGO_KEYS.search(_read(root / name)) for name in ("config.toml", "config.yaml")
    ):
        features.add("shortcodes")
    if "_config.yml" in names or any(
        name.startswith((".eleventy.", "eleventy.config.")) for name in names
    ):
        features.add("liquid")
    return frozenset(features), mdx_markdown


def _names(root: Path) -> frozenset[str]:
    try:
        return frozenset(entry.name for entry in root.iterdir())
    except OSError:
        return frozenset()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return ""


_FEATURE_NOTES = {
    "directives": "remark directives (:::note, :::tip[Title], ::leaf, :text)",
    "containers": "markdown-it containers (::: tip Title)",
    "shortcodes": "Hugo shortcodes ({{< name >}}, {{% name %}})",
    "liquid": "Liquid tags ({% tag %}, {{ expression }})",
}


def initial_dialect_settings(root: Path) -> str:
    """The dialect part of a new ``l10n.toml``: what was detected at ``root``, written out so that it stays
    what it is if the site's files change (and can be corrected by hand)."""
    features, mdx_markdown = detect_site(root)
    lines = [
        "# Markdown dialect: \"auto\" reads .mdx posts as MDX and .md posts as CommonMark plus what the site's",
        "# framework adds (\"commonmark\" or \"mdx\" for every post; a [dialect] table chooses per glob).",
        'dialect = "mdx"' if mdx_markdown else 'dialect = "auto"',
    ]
    for name in FEATURES:
        if name in features:
            lines.append(f"# detected: {_FEATURE_NOTES[name]}")
        lines.append(f"{name} = {'true' if name in features else 'false'}")
    lines += [
        "# JSX string attributes translated as entries of their own; components whose content is layout:",
        f"# jsx_attributes = [{', '.join(repr(name).replace(chr(39), chr(34)) for name in DEFAULT_JSX_ATTRIBUTES)}]",
        '# jsx_verbatim = ["FileTree", "Code"]',
        "# Regular expressions whose matches are never translated (kept as they are):",
        "# protect = ['%[A-Z_]+%']",
    ]
    return "\n".join(lines) + "\n"
