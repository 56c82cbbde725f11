"""The dialect each real site of ../shared/data (and tests/data) is written in, and the pseudo-translation of
its posts as ``l10n translate --backend pseudo`` does it (placeholders out, pseudo text, decode, verify,
checks)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus import FRONT_MATTER_KEYS, read_source

from l10n.checks import check_translation
from l10n.document import Document, extract
from l10n.document.inline import defined_labels
from l10n.document.markdown import Dialect
from l10n.translate.backends import PseudoBackend
from l10n.translate.placeholders import EncodeError, PlaceholderError, decode, encode, verify

GRAV_PROTECT = (r"\[/?(center|columns)\]", r"\[/?ui-tabs?(?:\s[^\]]*)?\]", r"\[fa=[^\]]*\]", "%[A-Z_]+%")
# corpus-fr folder (or adopt/<site>) -> its framework's Markdown
SITE_DIALECTS = {
    "astro-fr": Dialect(mdx=True, directives=True),  # Starlight: MDX with remark-directive asides
    "astro": Dialect(mdx=True, directives=True),
    "vue-fr": Dialect(containers=True),  # VitePress
    "nhoizey-fr": Dialect(containers=True, liquid=True),  # Eleventy with markdown-it-container
    "betagouv": Dialect(liquid=True),  # Jekyll
    "yunohost-grav-fr": Dialect(protect=GRAV_PROTECT),
}
DIRECTIVE_SITES = ("astro-fr", "vue-fr", "nhoizey-fr", "astro")


def site_of(path: Path, data: Path) -> str:
    parts = path.relative_to(data).parts
    return parts[1]


def dialect_of(path: Path, data: Path) -> Dialect:
    dialect = SITE_DIALECTS.get(site_of(path, data), Dialect())
    if path.suffix == ".mdx" and not dialect.mdx:
        return Dialect(mdx=True)
    return dialect


def real_posts(data: Path) -> Iterator[tuple[Path, str, Dialect]]:
    """Every post of corpus-fr and the French side of adopt/astro, with its dialect."""
    paths = sorted(path for path in (data / "corpus-fr").rglob("*") if path.suffix in (".md", ".mdx"))
    paths += sorted(path for path in (data / "adopt" / "astro" / "fr").rglob("*") if path.suffix in (".md", ".mdx"))
    for path in paths:
        yield path, read_source(path), dialect_of(path, data)


def extract_post(text: str, dialect: Dialect) -> Document:
    return extract(text, front_matter_keys=FRONT_MATTER_KEYS, dialect=dialect)


@dataclass
class Drafts:
    """What pseudo-translating posts gave: drafts written, refused (with why), entries with nothing to send."""

    written: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    sent: int = 0

    @property
    def refused_share(self) -> float:
        return len(self.refused) / self.sent if self.sent else 0.0


def pseudo_drafts(name: str, document: Document, dialect: Dialect, drafts: Drafts) -> None:
    """The pseudo backend's drafts of ``document``'s entries, through the translate command's own steps."""
    backend = PseudoBackend()
    labels = defined_labels(document.text)
    for segment in document.segments:
        try:
            encoded = encode(segment.msgid, reference_labels=labels, dialect=dialect)
        except EncodeError as error:
            drafts.refused.append(f"{name}:{segment.line}: cannot encode: {error}")
            continue
        if not encoded.needs_translation:
            continue
        drafts.sent += 1
        try:
            draft = decode(encoded, backend.translate([encoded.text], "fr", "en")[0])
        except PlaceholderError as error:
            drafts.refused.append(f"{name}:{segment.line}: {error}")
            continue
        problems = verify(segment.msgid, draft, labels, dialect)
        problems += [
            f"[{finding.check}] {finding.message}"
            for finding in check_translation(
                segment.msgid, draft, source_lang="fr", target_lang="en", dialect=dialect, references=labels
            )
            if finding.is_error
        ]
        if problems:
            drafts.refused.append(f"{name}:{segment.line}: {'; '.join(problems)}")
        else:
            drafts.written[segment.msgid] = draft
