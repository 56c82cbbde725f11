"""Link rules: how a built post's internal link destinations change for a target locale (``[links]`` in the
configuration, validated here), as pure string rules; :mod:`l10n.links` applies them to a post's Markdown.
Kept apart so that reading the configuration does not bring in the Markdown parser."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

_KEYS = ("prefix", "source_prefix", "exclude", "slugs")
_PATH = re.compile(r"/[^\s<>()\\\"'`]*")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class LinkRules:
    """Validated link rules (see the module docstring for the configuration keys)."""

    prefix: str = ""
    source_prefix: str = ""
    exclude: tuple[str, ...] = ()
    slugs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> LinkRules:
        """Build rules from the ``links`` table; raises ``ValueError`` naming the offending key."""
        table = dict(table or {})
        for key in table:
            if key not in _KEYS:
                raise ValueError(f"links.{key}: unknown key (expected one of: {', '.join(_KEYS)})")
        prefix = _path_option(table, "prefix", allow_lang=True)
        source_prefix = _path_option(table, "source_prefix", allow_lang=False)
        exclude = table.get("exclude", [])
        if isinstance(exclude, str):
            exclude = [exclude]
        if not isinstance(exclude, list) or not all(isinstance(pattern, str) and pattern for pattern in exclude):
            raise ValueError('links.exclude: must be a list of path patterns, e.g. ["/api/*"]')
        slugs_table = table.get("slugs", {})
        if not isinstance(slugs_table, Mapping):
            raise ValueError("links.slugs: must be a table of locales, e.g. [links.slugs.en]")
        slugs: dict[str, dict[str, str]] = {}
        for lang, mapping in slugs_table.items():
            if not isinstance(mapping, Mapping):
                raise ValueError(f'links.slugs.{lang}: must be a table of "/source/path" = "/target/path"')
            slugs[lang] = {}
            for source, target in mapping.items():
                for value in (source, target):
                    if not isinstance(value, str) or not _PATH.fullmatch(value):
                        raise ValueError(
                            f"links.slugs.{lang}: {value!r} is not an absolute path (starting with '/', "
                            "without spaces, quotes or parentheses)"
                        )
                slugs[lang][_without_trailing_slash(source)] = target
        return cls(prefix=prefix, source_prefix=source_prefix, exclude=tuple(exclude), slugs=slugs)

    def is_active(self, lang: str) -> bool:
        return bool(self.prefix or self.source_prefix or self.slugs.get(lang))

    def in_source_language(self, destination: str) -> bool:
        """Whether ``destination`` is a path under the source language's own prefix (``source_prefix``): a
        link, whatever the text around it."""
        return bool(self.source_prefix) and destination.startswith("/") and _under(destination, self.source_prefix)

    def rewrite(self, destination: str, lang: str) -> str:
        """The destination for ``lang``: only absolute internal, non-asset, non-excluded paths change."""
        if not destination.startswith("/") or destination.startswith("//"):
            return destination
        cut = min((index for index in (destination.find("?"), destination.find("#")) if index >= 0), default=None)
        path, rest = (destination, "") if cut is None else (destination[:cut], destination[cut:])
        last_segment = path.rsplit("/", 1)[-1]
        if _EXTENSION.search(last_segment) or any(fnmatch.fnmatchcase(path, p) for p in self.exclude):
            return destination
        if self.source_prefix and _under(path, self.source_prefix):
            path = path[len(self.source_prefix) :] or "/"
        target_prefix = self.prefix.replace("{lang}", lang)
        if target_prefix and _under(path, target_prefix):
            return path + rest
        path = self._slug(path, lang)
        return (target_prefix + path if target_prefix else path) + rest

    def _slug(self, path: str, lang: str) -> str:
        mapping = self.slugs.get(lang) or {}
        for candidate in (path, unquote(path)):
            bare = _without_trailing_slash(candidate)
            if bare in mapping:
                target = mapping[bare]
                return target + "/" if candidate.endswith("/") and not target.endswith("/") and bare != "/" else target
        return path


def _path_option(table: Mapping[str, Any], key: str, *, allow_lang: bool) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f'links.{key}: must be a string such as "/{{lang}}"')
    if value == "":
        return ""
    checked = value.replace("{lang}", "xx") if allow_lang else value
    if not _PATH.fullmatch(checked) or value.endswith("/") or "{" in checked or "}" in checked:
        example = "/{lang}" if allow_lang else "/fr"
        raise ValueError(f"links.{key}: {value!r} must be a path like {example!r} (leading '/', no trailing '/')")
    return value


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _without_trailing_slash(path: str) -> str:
    return path.rstrip("/") or "/"


def is_internal_path(destination: str) -> bool:
    return destination.startswith("/") and not destination.startswith("//") and not _SCHEME.match(destination)


def rewritten_in_builds(destination: str) -> bool:
    """Whether a built post may hold another value here: internal paths follow the link rules, same-page
    ``#fragments`` the translated headings' anchors."""
    return destination.startswith("#") or is_internal_path(destination)
