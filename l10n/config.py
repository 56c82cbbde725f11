"""The project configuration: ``l10n.toml`` or ``[tool.l10n]`` in ``pyproject.toml``, typed and validated."""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError

from l10n.dialect_choice import DIALECT_KEYS, DialectChoice, dialect_choice_from_table
from l10n.document.markdown import Dialect
from l10n.fileio import InputError, decode_utf8
from l10n.frontmatter_set import validate_front_matter_set
from l10n.layout import Layout, LayoutError, preset
from l10n.layout_set import LayoutSet

if TYPE_CHECKING:
    from l10n.links import LinkRules

CONFIG_FILE = "l10n.toml"
PYPROJECT_FILE = "pyproject.toml"


class ConfigError(InputError):
    """A configuration problem; the message names the key."""


@dataclass(frozen=True)
class Config:
    """Validated settings; paths are absolute (resolved against ``root``)."""

    root: Path
    source_lang: str = "fr"
    target_langs: tuple[str, ...] = ("en",)
    source_dir: Path = Path("content/fr")
    output_dir: str = "content/{lang}"
    locales_dir: Path = Path("locales")
    front_matter_keys: tuple[str, ...] = ("title", "description")
    min_completion: float = 80.0
    include_fuzzy: bool = False
    backend: str = "google"
    backends: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    links: LinkRules | None = None  # how a built post's link destinations are localized
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    compendia: tuple[Path, ...] = ()
    glossary: Path = Path("locales/glossary.tsv")
    jobs: int | None = None  # worker processes for extract and build (default: the CPU count)
    config_file: Path | None = None
    dialects: DialectChoice = field(default_factory=DialectChoice)  # how each post's dialect is chosen
    anchors: str = "github"  # the heading slug rule (l10n.anchors.SLUGGERS), or "off"
    layout: LayoutSet = field(
        default_factory=lambda: LayoutSet.single(
            Layout.create("content/fr/**/*", "content/{lang}/{path}", "fr", ("en",))
        )
    )

    def dialect_for(self, rel: PurePosixPath | str) -> Dialect:
        """The Markdown dialect of the post at ``rel`` (relative to the source directory)."""
        return self.dialects.for_path(rel)

    def output_roots(self, lang: str) -> list[Path]:
        """The directories where the outputs of ``lang`` lie (searched for outputs without a source)."""
        return [self.root / directory for directory in self.layout.output_search_roots(lang)]

    @property
    def source_dirs(self) -> list[Path]:
        """Each layout's source folder (one, unless several ``[[layout]]`` tables are configured)."""
        return [self.root / base if base else self.root for base in self.layout.bases]

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"


def _has_tool_section(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(decode_utf8(pyproject.read_bytes(), pyproject))
    except (OSError, InputError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "l10n" in data["tool"]


def find_root(start: Path) -> Path:
    """The nearest directory upwards holding ``l10n.toml`` or a ``pyproject.toml`` with ``[tool.l10n]``.

    Falls back to ``start`` itself when none is found.
    """
    start = Path(start).resolve()
    for directory in (start, *start.parents):
        if (directory / CONFIG_FILE).is_file():
            return directory
        pyproject = directory / PYPROJECT_FILE
        if pyproject.is_file() and _has_tool_section(pyproject):
            return directory
    return start


_TOML_LINE = re.compile(r"at line (\d+)")


def _read_toml(path: Path) -> dict[str, Any]:
    text = decode_utf8(path.read_bytes(), path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        line = int(match.group(1)) if match else None
        hint = ""
        if line is not None and re.match(r"\s*\[\s*(tool\.l10n\.)?backend\.", text.splitlines()[line - 1] + " "):
            hint = " (settings of a backend go in [backends.NAME], with an s)"
        raise ConfigError(path, line, f"invalid TOML: {error}{hint}") from None


def _key_line(path: Path | None, key: str) -> int | None:
    """Best effort: the line where ``key`` is assigned, so the error points at it."""
    if path is None:
        return None
    leaf = key.rsplit(".", 1)[-1].split("[", 1)[0]
    pattern = re.compile(rf"^\s*(\[.*\b{re.escape(leaf)}\b.*\]|\"?{re.escape(leaf)}\"?\s*=)")
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def parse_locale(code: str) -> Locale:
    """Parse a locale code such as ``en``, ``en_US``, ``pt-BR`` or ``zh_Hans`` with babel."""
    separator = "-" if "-" in code else "_"
    return Locale.parse(code, sep=separator)


def normalize_locale(code: str) -> str:
    """Babel's canonical spelling (``pt-br`` -> ``pt_BR``), as used in the ``Language`` header."""
    return str(parse_locale(code))


def _array_table_key_line(path: Path | None, array: str, index: int, key: str) -> int | None:
    """Best effort: the line of ``key`` in the ``index``-th (1-based) ``[[array]]`` table, else its header's."""
    if path is None:
        return None
    header = re.compile(rf"^\s*\[\[\s*(?:tool\.l10n\.)?{re.escape(array)}\s*\]\]")
    assignment = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    seen, found = 0, None
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if header.match(line):
            seen += 1
            if seen == index:
                found = number
            elif seen > index:
                break
        elif seen == index and line.lstrip().startswith("["):
            break
        elif seen == index and assignment.match(line):
            return number
    return found


class _Validator:
    def __init__(
        self,
        table: Mapping[str, Any],
        path: Path | None,
        prefix: str,
        line_of: Callable[[str], int | None] | None = None,
    ) -> None:
        self.table = table
        self.path = path
        self.prefix = prefix
        self.line_of = line_of

    def fail(self, key: str, message: str) -> ConfigError:
        name = f"{self.prefix}{key}"
        line = self.line_of(key) if self.line_of is not None else _key_line(self.path, name)
        return ConfigError(self.path or Path(CONFIG_FILE), line, f"{name}: {message}")

    def string(self, key: str) -> str | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        return value

    def strings(self, key: str) -> tuple[str, ...] | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            raise self.fail(key, f"expected a list of non-empty strings, got {value!r}")
        return tuple(value)

    def locale(self, key: str, code: str) -> str:
        try:
            parse_locale(code)
        except (UnknownLocaleError, ValueError, TypeError) as error:
            raise self.fail(key, f"unknown locale code {code!r} ({error})") from None
        return code

    def table_of(self, key: str) -> dict[str, Any] | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {value!r}")
        return value


KNOWN_KEYS = frozenset(
    {
        "source_lang",
        "target_langs",
        "source_dir",
        "output_dir",
        "locales_dir",
        "front_matter_keys",
        "min_completion",
        "include_fuzzy",
        "backend",
        "backends",
        "links",
        "front_matter",
        "compendia",
        "glossary",
        "jobs",
        "source",
        "output",
        "exclude",
        "layout",
        "anchors",
        *DIALECT_KEYS,
    }
)
FRONT_MATTER_KEYS = frozenset({"set"})
ANCHOR_RULES = ("github", "hugo", "off")  # l10n.anchors.SLUGGERS, and no anchor rewriting
_FRONT_MATTER_KEY = re.compile(r"^[A-Za-z_][\w-]*(\[\])?(\.[A-Za-z_][\w-]*(\[\])?)*$")


def _inside(root: Path, relative: str, validator: _Validator, key: str) -> Path:
    path = (root / relative).resolve()
    if path != root and root not in path.parents:
        raise validator.fail(key, f"{relative!r} is outside the project root")
    return path


def config_from_table(root: Path, table: Mapping[str, Any], path: Path | None = None, prefix: str = "") -> Config:
    """Validate a raw configuration table into a ``Config``."""
    root = Path(root).resolve()
    check = _Validator(table, path, prefix)
    for key in table:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise check.fail(key, f"unknown key ({hint}known: " + ", ".join(sorted(KNOWN_KEYS)) + ")")

    values: dict[str, Any] = {}
    source_lang = check.string("source_lang") or "fr"
    values["source_lang"] = check.locale("source_lang", source_lang)
    targets = check.strings("target_langs")
    if targets is not None:
        if not targets:
            raise check.fail("target_langs", "expected at least one locale")
        for code in targets:
            check.locale("target_langs", code)
            if normalize_locale(code) == normalize_locale(source_lang):
                raise check.fail("target_langs", f"{code!r} is the source language")
        if len(set(targets)) != len(targets):
            raise check.fail("target_langs", "duplicate locale")
        values["target_langs"] = targets

    values["source_dir"], values["output_dir"], values["layout"] = _layout(root, table, check, values)
    locales_dir = check.string("locales_dir") or Config.locales_dir.as_posix()
    values["locales_dir"] = _inside(root, locales_dir, check, "locales_dir")
    values["layout"] = values["layout"].with_skip(tuple(_relative(root, values["locales_dir"])))

    keys = check.strings("front_matter_keys")
    if keys is not None:
        for key in keys:
            if not _FRONT_MATTER_KEY.match(key):
                raise check.fail("front_matter_keys", f"bad key path {key!r} (use 'title', 'seo.title', 'tags[]')")
        values["front_matter_keys"] = keys

    if "min_completion" in table:
        value = table["min_completion"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise check.fail("min_completion", f"expected a number from 0 to 100, got {value!r}")
        values["min_completion"] = float(value)
    if "include_fuzzy" in table:
        if not isinstance(table["include_fuzzy"], bool):
            raise check.fail("include_fuzzy", f"expected true or false, got {table['include_fuzzy']!r}")
        values["include_fuzzy"] = table["include_fuzzy"]

    if isinstance(table.get("backend"), dict):  # [backend.libre]: a typo for [backends.libre]
        names = ", ".join(f"[{prefix}backends.{name}]" for name in table["backend"]) or f"[{prefix}backends.NAME]"
        raise check.fail("backend", f"expected a backend name, got a table (settings of a backend go in {names})")
    backend = check.string("backend")
    if backend is not None:
        values["backend"] = backend
    backends = check.table_of("backends")
    if backends is not None:
        for name, settings in backends.items():
            if not isinstance(settings, dict):
                raise check.fail(f"backends.{name}", f"expected a table, got {settings!r}")
        values["backends"] = backends

    links = check.table_of("links")
    if links is not None:
        values["links"] = _link_rules(links, check)

    front_matter = check.table_of("front_matter")
    if front_matter is not None:
        for key in front_matter:
            if key not in FRONT_MATTER_KEYS:
                raise check.fail(f"front_matter.{key}", "unknown key (known: set)")
        to_set = front_matter.get("set", {})
        if not isinstance(to_set, dict):
            raise check.fail("front_matter.set", f"expected a table, got {to_set!r}")
        try:
            validate_front_matter_set(front_matter)
        except ValueError as error:
            key, _, message = str(error).partition(": ")
            raise check.fail(key, message) from None
        values["front_matter"] = front_matter

    compendia = check.strings("compendia")
    if compendia is not None:
        values["compendia"] = tuple(_inside(root, item, check, "compendia") for item in compendia)
    if "jobs" in table:
        jobs = table["jobs"]
        if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 256:
            raise check.fail("jobs", f"expected a number of processes from 1 to 256, got {jobs!r}")
        values["jobs"] = jobs
    anchors = check.string("anchors")
    if anchors is not None:
        if anchors not in ANCHOR_RULES:
            raise check.fail("anchors", f"expected one of {', '.join(ANCHOR_RULES)}, got {anchors!r}")
        values["anchors"] = anchors
    glossary = check.string("glossary") or Config.glossary.as_posix()
    values["glossary"] = _inside(root, glossary, check, "glossary")
    values["dialects"] = dialect_choice_from_table(table, root, check.fail)
    return Config(root=root, config_file=path, **values)


def _relative(root: Path, path: Path) -> list[str]:
    return [] if path == root else [path.relative_to(root).as_posix()]


LAYOUT_KEYS = ("source", "output", "exclude", "name")


def _layout(
    root: Path, table: Mapping[str, Any], check: _Validator, values: Mapping[str, Any]
) -> tuple[Path, str, LayoutSet]:
    """The layouts: ``[[layout]]`` tables, ``source`` and ``output`` patterns, or the ``source_dir`` /
    ``output_dir`` preset."""
    source_lang = values["source_lang"]
    targets = values.get("target_langs", Config.target_langs)
    if "layout" in table:
        return _layout_tables(root, table, check, source_lang, targets)
    source, output = check.string("source"), check.string("output")
    exclude = check.strings("exclude") or ()
    if source is not None or output is not None:
        for key in ("source_dir", "output_dir"):
            if key in table:
                raise check.fail(key, "give either source and output patterns, or source_dir and output_dir")
        if source is None or output is None:
            missing = "output" if source is not None else "source"
            raise check.fail(missing, "needed with " + ("source" if missing == "output" else "output"))
        output_dir = output
    else:
        source_dir = check.string("source_dir") or Config.source_dir.as_posix()
        _inside(root, source_dir.replace("{lang}", source_lang), check, "source_dir")
        output_dir = check.string("output_dir") or Config.output_dir
        if "{lang}" not in output_dir:
            raise check.fail("output_dir", "must contain {lang}, e.g. 'content/{lang}'")
        try:
            output_dir.format(lang="xx")
        except (KeyError, IndexError, ValueError) as error:
            raise check.fail("output_dir", f"bad placeholder ({error}); only {{lang}} is known") from None
        _inside(root, output_dir.format(lang="xx"), check, "output_dir")
        source, output = preset(
            _relative_text(root, source_dir.replace("{lang}", source_lang)), output_dir, source_lang, targets
        )
    try:
        layout = Layout.create(source, output, source_lang, targets, exclude)
    except LayoutError as error:
        key, _, message = str(error).partition(": ")
        raise check.fail(
            key if key in table else ("source_dir" if key == "source" else "output_dir"), message
        ) from None
    return root / layout.base if layout.base else root, output_dir, LayoutSet.single(layout)


def _layout_tables(
    root: Path, table: Mapping[str, Any], check: _Validator, source_lang: str, targets: tuple[str, ...]
) -> tuple[Path, str, LayoutSet]:
    """Several source patterns and output templates: a ``[[layout]]`` list of tables (l10n.layout_set)."""
    for key in ("source", "output", "exclude", "source_dir", "output_dir"):
        if key in table:
            raise check.fail(key, "give the patterns either in [[layout]] tables or as top-level keys, not both")
    tables = table["layout"]
    if not isinstance(tables, list) or not tables or not all(isinstance(item, dict) for item in tables):
        raise check.fail("layout", 'expected [[layout]] tables, each with source and output (and exclude, name)')
    named: list[tuple[str | None, Layout]] = []
    for index, item in enumerate(tables, 1):
        inner = _Validator(
            item,
            check.path,
            f"{check.prefix}layout[{index}].",
            functools.partial(_array_table_key_line, check.path, "layout", index),
        )
        for key in item:
            if key not in LAYOUT_KEYS:
                raise inner.fail(key, "unknown key (known: " + ", ".join(LAYOUT_KEYS) + ")")
        source, output = inner.string("source"), inner.string("output")
        if source is None or output is None:
            raise inner.fail("output" if source is not None else "source", "needed in every [[layout]] table")
        name = item.get("name")
        if name is not None and not isinstance(name, str):
            raise inner.fail("name", f"expected a string, got {name!r}")
        try:
            named.append((name, Layout.create(source, output, source_lang, targets, inner.strings("exclude") or ())))
        except LayoutError as error:
            key, _, message = str(error).partition(": ")
            raise inner.fail(key, message) from None
    try:
        layouts = LayoutSet.named(named)
    except LayoutError as error:
        key, _, message = str(error).partition(": ")
        number = int(re.sub(r"\D", "", key.split("]", 1)[0]) or "1")
        line = _array_table_key_line(check.path, "layout", number, "name")
        raise ConfigError(check.path or Path(CONFIG_FILE), line, f"{check.prefix}{key}: {message}") from None
    first = layouts.layouts[0][1]
    return root / first.base if first.base else root, first.output, layouts


def _relative_text(root: Path, relative: str) -> str:
    path = (root / relative).resolve()
    return "" if path == root else path.relative_to(root).as_posix()


def _link_rules(table: dict[str, Any], check: _Validator) -> LinkRules:
    """The ``links`` table, validated."""
    from l10n.links import LinkRules  # only where a project has link rules: it brings in the Markdown parser

    try:
        return LinkRules.from_config(table)
    except (ValueError, TypeError, KeyError) as error:
        key, separator, message = str(error).partition(": ")
        if separator and key.startswith("links"):
            raise check.fail(key, message) from None
        raise check.fail("links", str(error)) from None


def load_config(root: Path) -> Config:
    """Read the configuration of the project at ``root`` (defaults when it has none)."""
    root = Path(root).resolve()
    own = root / CONFIG_FILE
    if own.is_file():
        table = _read_toml(own)
        return config_from_table(root, table, own)
    pyproject = root / PYPROJECT_FILE
    if pyproject.is_file():
        data = _read_toml(pyproject)
        tool = data.get("tool", {})
        section = tool.get("l10n") if isinstance(tool, dict) else None
        if section is not None:
            if not isinstance(section, dict):
                raise ConfigError(pyproject, _key_line(pyproject, "l10n"), "tool.l10n: expected a table")
            return config_from_table(root, section, pyproject, prefix="tool.l10n.")
    return config_from_table(root, {})
