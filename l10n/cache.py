"""The run cache (``.l10n-cache/``): what earlier runs verified, keyed by content hashes, so a run can skip
every post whose inputs and outputs are exactly as they were.

A record claims, for one post and one exact state of its files (source, template, catalog, output, by
content hash) and one context (tool, configuration, options, glossary), that ``extract`` and/or ``build``
would write nothing, and which diagnostics they report. Claims are pure functions of what they are keyed on,
so a record never needs invalidating: it simply stops matching. The fill from the translation memory also
depends on every catalog of the locale; see :class:`LocaleMemory`.

Deleting the directory only costs time. A cache that does not load, does not have the expected shape, or was
written by another version of the tool (or of its parsing libraries) is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from l10n.fileio import atomic_write_text
from l10n.report import Diagnostic

CACHE_DIR = ".l10n-cache"
FORMAT = 1
# Libraries whose behaviour shapes catalogs and outputs: a new version of any of them invalidates the cache.
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "polib", "PyYAML", "python-frontmatter", "babel", "rapidfuzz")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def text_digest(text: str) -> str:
    return digest(text.encode("utf-8"))


def file_digest(path: Path) -> str | None:
    """The content hash of a file; None when it does not exist; a never-matching value when unreadable."""
    try:
        return digest(Path(path).read_bytes())
    except FileNotFoundError:
        return None
    except OSError:
        return "unreadable:" + secrets.token_hex(8)


@cache
def tool_fingerprint() -> str:
    """The tool's identity: its version and source files, the parsing libraries' versions, Python's."""
    package = Path(__file__).resolve().parent
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"format {FORMAT}\n{sys.version}\n".encode())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "?"
        hasher.update(f"{name} {version}\n".encode())
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def context_digest(*parts: object) -> str:
    return text_digest(json.dumps([str(part) for part in parts]))


# ---- diagnostics as JSON ----


def diagnostics_to_json(items: Iterable[Diagnostic]) -> list[list[Any]]:
    return [[item.path, item.line, item.check, item.severity, item.message] for item in items]


def diagnostics_from_json(items: list[list[Any]]) -> list[Diagnostic]:
    return [Diagnostic(path, line, check, severity, message) for path, line, check, severity, message in items]


# ---- records ----


@dataclass
class LangRecord:
    """One locale of a post: its catalog and output hashes, and what was verified for them."""

    po: str | None
    out: str | None
    extract: bool = False  # extract would write nothing to the template or this catalog
    build: str | None = None  # build context under which build would write nothing, with these diagnostics
    fill: str | None = None  # "complete" (no empty entry) or the memory token the catalog is settled against
    diagnostics: list[Diagnostic] = field(default_factory=list)  # build's
    below: tuple[str, str, float] | None = None  # build's below-min-completion report


@dataclass
class PostRecord:
    source: str | None
    pot: str | None
    context: str  # extract context (tool, configuration, project root)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # extract's (the document's problems)
    langs: dict[str, LangRecord] = field(default_factory=dict)


def _record_to_json(record: PostRecord) -> dict[str, Any]:
    return {
        "source": record.source,
        "pot": record.pot,
        "context": record.context,
        "diagnostics": diagnostics_to_json(record.diagnostics),
        "langs": {
            lang: {
                "po": item.po,
                "out": item.out,
                "extract": item.extract,
                "build": item.build,
                "fill": item.fill,
                "diagnostics": diagnostics_to_json(item.diagnostics),
                "below": list(item.below) if item.below else None,
            }
            for lang, item in sorted(record.langs.items())
        },
    }


def _optional_str(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _diagnostics(value: Any) -> list[Diagnostic]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    items = diagnostics_from_json(value)
    for item in items:
        if not all(isinstance(part, str) for part in (item.path, item.check, item.severity, item.message)):
            raise TypeError("bad diagnostic")
        if item.line is not None and not isinstance(item.line, int):
            raise TypeError("bad diagnostic line")
    return items


def _record_from_json(value: Any) -> PostRecord:
    langs: dict[str, LangRecord] = {}
    for lang, item in value["langs"].items():
        below = item["below"]
        if below is not None:
            output, code, percent = below
            if not (isinstance(output, str) and isinstance(code, str) and isinstance(percent, int | float)):
                raise TypeError("bad below")
            below = (output, code, float(percent))
        if not isinstance(item["extract"], bool):
            raise TypeError("bad extract flag")
        langs[lang] = LangRecord(
            po=_optional_str(item["po"]),
            out=_optional_str(item["out"]),
            extract=item["extract"],
            build=_optional_str(item["build"]),
            fill=_optional_str(item["fill"]),
            diagnostics=_diagnostics(item["diagnostics"]),
            below=below,
        )
    context = value["context"]
    if not isinstance(context, str):
        raise TypeError("bad context")
    return PostRecord(
        _optional_str(value["source"]), _optional_str(value["pot"]), context, _diagnostics(value["diagnostics"]), langs
    )


# ---- the translation memory's inputs ----


@dataclass
class LocaleMemory:
    """The reviewed pairs of every catalog of a locale (and compendium) as of the end of the last ``sync``.

    ``catalogs`` maps a path (relative to the project root) to its content hash and reviewed pairs, so the
    memory is rebuilt without parsing the catalogs that did not change. ``token`` names the set of reviewed
    source texts: a post whose catalog had empty entries is "settled" against a token (no empty entry had an
    exact or close match); it stays settled while no new source text enters the memory, because a fill only
    ever changes an entry that has a match. When new source texts appear, the token changes.
    """

    token: str = ""
    catalogs: dict[str, tuple[str, list[tuple[str, str]]]] = field(default_factory=dict)

    def msgids(self) -> set[str]:
        return {msgid for _, pairs in self.catalogs.values() for msgid, _ in pairs}


def _memory_to_json(memory: LocaleMemory) -> dict[str, Any]:
    strings: dict[str, int] = {}

    def index(text: str) -> int:
        return strings.setdefault(text, len(strings))

    catalogs = {
        path: [hash_, [index(part) for pair in pairs for part in pair]]
        for path, (hash_, pairs) in sorted(memory.catalogs.items())
    }
    return {"token": memory.token, "strings": list(strings), "catalogs": catalogs}


def _memory_from_json(value: Any) -> LocaleMemory:
    strings = value["strings"]
    if not isinstance(strings, list) or not all(isinstance(text, str) for text in strings):
        raise TypeError("bad strings")
    catalogs: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for path, (hash_, flat) in value["catalogs"].items():
        if not isinstance(hash_, str) or len(flat) % 2:
            raise TypeError("bad catalog")
        catalogs[path] = (hash_, [(strings[flat[i]], strings[flat[i + 1]]) for i in range(0, len(flat), 2)])
    token = value["token"]
    if not isinstance(token, str):
        raise TypeError("bad token")
    return LocaleMemory(token, catalogs)


# ---- loading and saving ----


def _load_json(path: Path) -> Any:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("tool") != tool_fingerprint():
        return None
    return data


def _save_json(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps({"format": FORMAT, "tool": tool_fingerprint(), **data}, ensure_ascii=False, sort_keys=True)
    with contextlib.suppress(OSError):  # the cache is an optimization: not saving it only costs time
        atomic_write_text(path, text + "\n")


@dataclass
class RunCache:
    """Post records and, loaded on demand, each locale's memory inputs."""

    directory: Path
    posts: dict[str, PostRecord] = field(default_factory=dict)
    _memories: dict[str, LocaleMemory] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> RunCache:
        directory = Path(root) / CACHE_DIR
        loaded = cls(directory)
        data = _load_json(directory / "posts.json")
        if data is not None:
            try:
                loaded.posts = {str(rel): _record_from_json(value) for rel, value in data["posts"].items()}
            except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                loaded.posts = {}
        return loaded

    def memory(self, lang: str) -> LocaleMemory:
        if lang not in self._memories:
            data = _load_json(self._memory_file(lang))
            memory = LocaleMemory()
            if data is not None:
                try:
                    memory = _memory_from_json(data["memory"])
                except (KeyError, TypeError, ValueError, AttributeError, IndexError):
                    memory = LocaleMemory()
            self._memories[lang] = memory
        return self._memories[lang]

    def set_memory(self, lang: str, memory: LocaleMemory) -> None:
        self._memories[lang] = memory

    def _memory_file(self, lang: str) -> Path:
        return self.directory / f"memory-{lang}.json"

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            atomic_write_text(ignore, "*\n")
        posts = {rel: _record_to_json(record) for rel, record in sorted(self.posts.items())}
        _save_json(self.directory / "posts.json", {"posts": posts})
        for lang, memory in sorted(self._memories.items()):
            _save_json(self._memory_file(lang), {"memory": _memory_to_json(memory)})


def new_token(previous: str, grew: bool) -> str:
    """The memory token after a run: the same unless new source texts entered the memory."""
    if previous and not grew:
        return previous
    return secrets.token_hex(8)
