"""The review model: which catalogs a reviewer may open, their entries as rows, and safe saves.

A catalog is addressed by a post path (relative to the source directory) and a target locale, both checked
against the project's own set; nothing else ever becomes a file path. Every catalog and entry carries a
version (a digest of its bytes or fields) so a save made against a state the reviewer did not see is caught.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from l10n.catalog import entries
from l10n.catalog.entries import State, machine_backend, set_fuzzy, set_machine_comment
from l10n.catalog.io import parse_catalog, save
from l10n.catalog.stats import Stats, catalog_stats
from l10n.catalog.template import now_stamp
from l10n.config import Config
from l10n.fileio import InputError, decode_utf8
from l10n.lock import site_lock
from l10n.project import Post, display, iter_posts, po_path, read_document

SAVE_ATTEMPTS = 3  # re-reads when the file changes between our read and our write


class NotFound(Exception):
    """A post, locale, catalog or entry the project does not have (or may not expose)."""


class Refused(Exception):
    """A change that is not allowed as asked (empty translation, check errors)."""


@dataclass(frozen=True)
class EntryKey:
    msgid: str
    msgctxt: str | None = None

    def matches(self, entry: polib.POEntry) -> bool:
        return not entry.obsolete and entry.msgid == self.msgid and entry.msgctxt == self.msgctxt


@dataclass(frozen=True)
class EntryView:
    """One catalog entry as the review page shows it."""

    msgid: str
    msgctxt: str | None
    msgstr: str
    state: State
    machine_backend: str | None
    previous_msgid: str | None
    kind: str
    notes: str  # translator comments other than the machine-translation marker
    line: int | None
    version: str

    def as_dict(self) -> dict[str, object]:
        """What the page's script reads: every field but the line."""
        fields = asdict(self)
        del fields["line"]
        return fields


@dataclass(frozen=True)
class CatalogView:
    post: Post
    lang: str
    path: Path
    version: str
    entries: tuple[EntryView, ...]
    missing_segments: int  # source segments the catalog does not have yet (run l10n extract)
    source_text: str


@dataclass(frozen=True)
class HomeRow:
    post: str
    lang: str
    stats: Stats | None  # None: no catalog yet, or an unreadable one (``problem``)
    problem: str | None = None

    @property
    def needs_work(self) -> bool:
        return self.stats is None or self.stats.fuzzy > 0 or self.stats.untranslated > 0


@dataclass(frozen=True)
class Saved:
    version: str
    entry: EntryView
    merged: bool  # the catalog had changed on disk; the change was applied on top of it


@dataclass(frozen=True)
class Conflict:
    version: str
    entry: EntryView | None  # None: the entry is gone from the catalog (source changed, extract ran)


# ---- versions and views (pure) ----


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def entry_version(entry: polib.POEntry) -> str:
    fields = [entry.msgstr, list(entry.flags), entry.tcomment or "", entry.previous_msgid or ""]
    return digest(json.dumps(fields, ensure_ascii=False).encode("utf-8"))


def view_entry(entry: polib.POEntry) -> EntryView:
    notes = "\n".join(
        line for line in (entry.tcomment or "").splitlines() if not line.startswith(entries.MACHINE_COMMENT)
    )
    line = None
    if entry.occurrences:
        try:
            line = int(entry.occurrences[0][1])
        except (TypeError, ValueError):
            line = None
    return EntryView(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        state=entries.state(entry),
        machine_backend=machine_backend(entry) if entry.fuzzy else None,
        previous_msgid=entry.previous_msgid if entry.fuzzy else None,
        kind=(entry.comment or "").split("\n")[0].removeprefix("type: "),
        notes=notes,
        line=line,
        version=entry_version(entry),
    )


def reviewable(entry: polib.POEntry) -> bool:
    return entries.is_live(entry)


# ---- changes (pure, on one entry) ----


@dataclass(frozen=True)
class Change:
    """What a reviewer does to one entry.

    ``approve``: the text is the reviewed translation (``fuzzy`` and the previous msgid go). ``machine`` names
    the backend when the text is a machine draft the reviewer did not edit: a draft saved unapproved keeps the
    ``machine translation: <backend>`` marker; an approved one keeps a ``reviewed machine translation:`` note
    (provenance stays, and no tool takes it for an unreviewed draft). A person's own text carries neither.
    """

    msgstr: str
    approve: bool
    machine: str | None = None

    def apply(self, entry: polib.POEntry) -> None:
        if not self.msgstr.strip():
            raise Refused("an empty translation cannot be saved (use revert to go back to the stored one)")
        set_machine_comment(entry, self.machine, reviewed=self.approve)
        entry.msgstr = self.msgstr
        set_fuzzy(entry, not self.approve)
        if self.approve:
            entry.previous_msgid = None
            entry.previous_msgctxt = None


# ---- the project (I/O) ----


SAVE_LOCK_TIMEOUT = 30.0  # seconds a save waits for a command writing the site, then is refused (not lost)


class ReviewProject:
    """The catalogs of one project, as the review app may read and write them."""

    def __init__(self, config: Config, langs: Sequence[str]) -> None:
        self.config = config
        self.langs = tuple(langs)
        self._lock = threading.Lock()

    # -- addressing: only the project's own posts and locales --

    def posts(self) -> dict[str, Post]:
        return {post.rel.as_posix(): post for post in iter_posts(self.config)}

    def post(self, rel: str) -> Post:
        post = self.posts().get(rel)
        if post is None:
            raise NotFound(f"no post {rel!r} in {display(self.config, self.config.source_dir)}")
        return post

    def lang(self, code: str) -> str:
        if code not in self.langs:
            raise NotFound(f"{code!r} is not a reviewed locale ({', '.join(self.langs)})")
        return code

    def catalog_path(self, post: Post, lang: str) -> Path:
        """The post's catalog; refused when it (or a directory on the way) leads out of the locales dir."""
        path = po_path(self.config, post.rel, lang)
        locales = self.config.locales_dir.resolve()
        resolved = path.resolve()
        if locales != resolved and locales not in resolved.parents:
            raise NotFound(f"{display(self.config, path)} leads out of the locales directory")
        root = self.config.root.resolve()
        if locales != root and root not in locales.parents:
            raise NotFound("the locales directory is outside the project")
        return path

    # -- reading --

    def _read(self, path: Path) -> tuple[bytes, polib.POFile]:
        data = self._read_bytes(path)
        return data, parse_catalog(decode_utf8(data, path), path)

    def _read_bytes(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"no catalog {display(self.config, path)} (run l10n extract)") from None
        except OSError as error:
            raise InputError(path, None, f"cannot read: {error.strerror or error}") from None

    def home(self) -> list[HomeRow]:
        rows = []
        for rel, post in self.posts().items():
            for lang in self.langs:
                try:
                    _, catalog = self._read(self.catalog_path(post, lang))
                except NotFound:
                    rows.append(HomeRow(rel, lang, None))
                    continue
                except InputError as error:  # one broken catalog must not hide the others
                    shown = InputError(display(self.config, error.path), error.line, error.message)
                    rows.append(HomeRow(rel, lang, None, problem=str(shown)))
                    continue
                rows.append(HomeRow(rel, lang, catalog_stats(catalog)))
        return rows

    def catalog(self, rel: str, lang: str) -> CatalogView:
        post, lang = self.post(rel), self.lang(lang)
        path = self.catalog_path(post, lang)
        data, catalog = self._read(path)
        entries = tuple(view_entry(entry) for entry in catalog if reviewable(entry))
        known = {entry.msgid for entry in entries}
        document = read_document(self.config, post)
        missing = len({s.msgid for s in document.segments if s.msgid.strip() and s.msgid not in known})
        return CatalogView(post, lang, path, digest(data), entries, missing, document.text)

    def entry(self, rel: str, lang: str, key: EntryKey) -> tuple[str, EntryView]:
        """The catalog's version and the entry as stored now."""
        path = self.catalog_path(self.post(rel), self.lang(lang))
        data, catalog = self._read(path)
        found = _find(catalog, key)
        if found is None:
            raise NotFound("no such entry in the catalog (the source may have changed)")
        return digest(data), view_entry(found)

    # -- writing --

    def save(
        self, rel: str, lang: str, key: EntryKey, change: Change, *, version: str, seen_entry: str
    ) -> Saved | Conflict:
        """Apply ``change`` to the entry, atomically.

        ``version`` is the catalog version the reviewer's page was built from, ``seen_entry`` the entry's.
        If the catalog changed on disk since, the change is still applied when this entry is as the reviewer
        saw it (someone else's edits elsewhere in the file are kept); if the entry itself changed, nothing is
        written and the current state comes back as a :class:`Conflict`.
        """
        path = self.catalog_path(self.post(rel), self.lang(lang))
        # the site's lock: no command reads this catalog before the save and renames its copy over it after
        with self._lock, site_lock(self.config.root, timeout=SAVE_LOCK_TIMEOUT):
            for _ in range(SAVE_ATTEMPTS):
                data, catalog = self._read(path)
                current = digest(data)
                entry = _find(catalog, key)
                if entry is None:
                    return Conflict(current, None)
                if current != version and entry_version(entry) != seen_entry:
                    return Conflict(current, view_entry(entry))
                before = entry_version(entry)
                change.apply(entry)
                if entry_version(entry) == before:
                    return Saved(current, view_entry(entry), merged=current != version)
                catalog.metadata["PO-Revision-Date"] = now_stamp()
                if _unchanged_since(path, data):
                    saved = save(path, catalog, decode_utf8(data, path)).encode("utf-8")
                    return Saved(digest(saved), view_entry(entry), merged=current != version)
            raise Refused("the catalog keeps changing on disk; try again")


def _find(catalog: polib.POFile, key: EntryKey) -> polib.POEntry | None:
    return next((entry for entry in catalog if key.matches(entry)), None)


def _unchanged_since(path: Path, data: bytes) -> bool:
    """Whether the file still holds ``data`` (another writer may have replaced it while we merged)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False
