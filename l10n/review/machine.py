"""A machine draft for one segment, on request: the same protections as ``l10n translate``
(placeholders out, verified on the way back, retries), returned as a suggestion and never saved here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from l10n.document.markdown import COMMONMARK, Dialect
from l10n.glossary import Glossary
from l10n.translate.backends import Backend, BackendError
from l10n.translate.orchestrator import Orchestrator, RetryPolicy
from l10n.translate.placeholders import EncodeError, PlaceholderError, decode, encode, verify

RETRY = RetryPolicy(attempts=2, base_delay=0.5, max_delay=2.0)  # a person is waiting


class MachineError(Exception):
    """No usable draft (backend failure, damaged markup); the message is safe to show."""


@dataclass(frozen=True)
class Suggestion:
    text: str
    backend: str


def suggest(
    backend: Backend,
    msgid: str,
    *,
    source_lang: str,
    target_lang: str,
    glossary: Glossary | None,
    reference_labels: Iterable[str] | None,
    dialect: Dialect = COMMONMARK,
    retry: RetryPolicy = RETRY,
    sleep: Callable[[float], None] | None = None,
) -> Suggestion:
    terms = glossary.terms(source_lang, target_lang) if glossary is not None else []
    try:
        encoded = encode(msgid, terms=terms, reference_labels=reference_labels, dialect=dialect)
    except EncodeError as error:
        raise MachineError(f"cannot send this segment: {error}") from None
    if not encoded.needs_translation:
        return Suggestion(msgid, backend.name)
    options = {"sleep": sleep} if sleep is not None else {}
    orchestrator = Orchestrator(backend, source_lang, target_lang, jobs=1, retry=retry, **options)
    try:
        outcome = orchestrator.run([encoded.text])[encoded.text]
    except BackendError as error:
        raise MachineError(str(error)) from None
    if outcome.translation is None:
        raise MachineError(outcome.error or "the backend gave no translation")
    try:
        draft = decode(encoded, outcome.translation)
    except PlaceholderError as error:
        raise MachineError(f"{backend.name} damaged the markup: {error}") from None
    problems = verify(msgid, draft, reference_labels, dialect)
    if problems or not draft.strip():
        raise MachineError(f"{backend.name} damaged the markup: {'; '.join(problems) or 'empty translation'}")
    return Suggestion(draft, backend.name)
