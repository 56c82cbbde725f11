"""The review web app (Starlette): pages for people, a small JSON API for the page's script."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from l10n.checks import check_translation
from l10n.config import Config
from l10n.document.inline import defined_labels
from l10n.document.markdown import COMMONMARK, Dialect
from l10n.document.segments import CODE_KIND
from l10n.fileio import InputError
from l10n.problems import Problem
from l10n.project import load_glossary
from l10n.review.catalogs import (
    Change,
    Conflict,
    EntryKey,
    EntryView,
    HomeRow,
    NotFound,
    Refused,
    ReviewProject,
)
from l10n.review.html import inline_html, page_html, references, word_diff
from l10n.review.machine import MachineError, suggest
from l10n.review.preview import build_preview
from l10n.review.security import Guard
from l10n.translate.backends import Backend, BackendError, make_backend

PACKAGE = Path(__file__).parent
STATIC = {  # served by name only: no request path ever reaches the file system
    "review.js": ("application/javascript; charset=utf-8", PACKAGE / "static" / "review.js"),
    "review.css": ("text/css; charset=utf-8", PACKAGE / "static" / "review.css"),
}
STATES = ("untranslated", "machine", "fuzzy", "reviewed")


class BadRequest(Exception):
    pass


@dataclass
class Settings:
    config: Config
    langs: Sequence[str]
    token: str
    port: int
    backend_name: str | None = None  # None: the configured one
    host: str = "127.0.0.1"
    backend_factory: Callable[..., Backend] = make_backend


def create_app(settings: Settings) -> Starlette:
    project = ReviewProject(settings.config, settings.langs)
    templates = Environment(
        loader=FileSystemLoader(PACKAGE / "templates"),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    handlers = _Handlers(settings, project, templates)
    routes = [
        Route("/", handlers.home),
        Route("/post/{lang}/{path:path}", handlers.post_page),
        Route("/static/{name}", handlers.static),
        Route("/api/status", handlers.api_status),
        Route("/api/entry", _with_json(handlers.api_entry), methods=["POST"]),
        Route("/api/check", _with_json(handlers.api_check), methods=["POST"]),
        Route("/api/save", _with_json(handlers.api_save), methods=["POST"]),
        Route("/api/translate", _with_json(handlers.api_translate), methods=["POST"]),
        Route("/api/preview", _with_json(handlers.api_preview), methods=["POST"]),
    ]
    guard = Middleware(Guard, token=settings.token, host=settings.host, port=settings.port)
    return Starlette(routes=routes, middleware=[guard], exception_handlers=_exception_handlers())


def _exception_handlers() -> dict[Any, Callable[..., Response]]:
    def not_found(request: Request, error: Exception) -> Response:
        return _error(request, 404, str(error))

    def bad_request(request: Request, error: Exception) -> Response:
        return _error(request, 400, str(error))

    def unprocessable(request: Request, error: Exception) -> Response:
        return _error(request, 422, str(error))

    return {NotFound: not_found, BadRequest: bad_request, InputError: unprocessable, Refused: unprocessable}


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")


# ---- request bodies ----


def _field(body: dict[str, Any], name: str, kind: type, *, optional: bool = False) -> Any:
    value = body.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadRequest(f"{name}: expected {kind.__name__}")
    return value


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest("expected a JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest("expected a JSON object")
    return body


def _with_json(handler: Callable[[dict[str, Any]], Response]) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that reads a JSON object, then runs ``handler`` on it in a worker thread (file I/O and
    machine-translation requests must not block the server's event loop)."""

    async def endpoint(request: Request) -> Response:
        body = await _json(request)
        return await run_in_threadpool(handler, body)

    return endpoint


def _key(body: dict[str, Any]) -> EntryKey:
    return EntryKey(_field(body, "msgid", str), _field(body, "msgctxt", str, optional=True))


def _findings(findings: list[Problem]) -> list[dict[str, str]]:
    return [{"check": f.check, "severity": f.severity, "message": f.message} for f in findings]


class _Handlers:
    def __init__(self, settings: Settings, project: ReviewProject, templates: Environment) -> None:
        self.settings = settings
        self.config = settings.config
        self.project = project
        self.templates = templates
        self.glossary = load_glossary(self.config)
        self._backend: Backend | None = None

    # -- helpers --

    @property
    def backend_name(self) -> str:
        return self.settings.backend_name or self.config.backend

    def backend(self) -> Backend:
        if self._backend is None:
            name = self.backend_name
            self._backend = self.settings.backend_factory(name, self.config.backends.get(name, {}), timeout=20.0)
        return self._backend

    def machine_unavailable(self) -> str | None:
        try:
            self.backend()
        except BackendError as error:
            return str(error)
        return None

    def check(
        self,
        key: EntryKey,
        msgstr: str,
        lang: str,
        rel: str | None = None,
        labels: frozenset[str] | None = None,
        *,
        reviewed: bool = True,
    ) -> list[Problem]:
        """The findings on a translation of an entry of the post ``rel`` (read in its dialect, with its link
        reference definitions: ``labels`` when the caller has them), as approved by the reviewer (``reviewed``)
        or saved as a draft."""
        return check_translation(
            key.msgid,
            msgstr,
            source_lang=self.config.source_lang,
            target_lang=lang,
            glossary=self.glossary,
            dialect=self.dialect(rel),
            references=labels if labels is not None else self.defined_labels(rel),
            code=key.msgctxt == CODE_KIND,
            reviewed=reviewed,
        )

    def defined_labels(self, rel: str | None) -> frozenset[str] | None:
        """The post's reference labels (None when unknown: every bracketed label then counts as a link)."""
        if not rel:
            return None
        try:
            return defined_labels(self.project.post(rel).source.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, NotFound):
            return None

    def dialect(self, rel: str | None) -> Dialect:
        return self.config.dialect_for(rel) if rel else COMMONMARK

    def render(self, name: str, **context: Any) -> HTMLResponse:
        context.setdefault("token", self.settings.token)
        return HTMLResponse(self.templates.get_template(name).render(**context))

    # -- pages --

    def home(self, request: Request) -> Response:
        query = request.query_params
        text, lang, state = query.get("q", ""), query.get("lang", ""), query.get("state", "")
        every = self.project.home()
        rows = [row for row in every if _wanted(row, text, lang, state)]
        return self.render(
            "home.html", rows=rows, langs=self.project.langs, q=text, lang=lang, state=state, total=len(every)
        )

    def post_page(self, request: Request) -> Response:
        lang, rel = request.path_params["lang"], request.path_params["path"]
        view = self.project.catalog(rel, lang)
        links = references(view.source_text, self.dialect(rel))
        rows = [self._row(entry, lang, links, rel) for entry in view.entries]
        return self.render(
            "post.html",
            view=view,
            rel=rel,
            lang=lang,
            rows=rows,
            backend=self.backend_name,
            machine_unavailable=self.machine_unavailable(),
            counts={state: sum(row["entry"].state == state for row in rows) for state in STATES},
            entries=[entry.as_dict() for entry in view.entries],
            include_fuzzy=self.config.include_fuzzy,
        )

    def _row(self, entry: EntryView, lang: str, links: dict[str, Any], rel: str) -> dict[str, Any]:
        front_matter = entry.kind.startswith("front matter")
        return {
            "entry": entry,
            "source_html": None if front_matter else inline_html(entry.msgid, links, self.dialect(rel)),
            "diff": word_diff(entry.previous_msgid, entry.msgid) if entry.previous_msgid else None,
            "findings": self.check(
                EntryKey(entry.msgid, entry.msgctxt),
                entry.msgstr,
                lang,
                rel,
                frozenset(links),
                reviewed=entry.state == "reviewed",
            ),
            "rows": max(_text_rows(entry.msgid), _text_rows(entry.msgstr), 2),
        }

    def static(self, request: Request) -> Response:
        found = STATIC.get(request.path_params["name"])
        if found is None:
            raise NotFound("no such file")
        media_type, path = found
        return Response(path.read_bytes(), media_type=media_type)

    # -- API --

    def api_status(self, request: Request) -> Response:
        rows = self.project.home()
        return JSONResponse({"posts": [_row_dict(row) for row in rows]})

    def api_entry(self, body: dict[str, Any]) -> Response:
        version, entry = self.project.entry(_field(body, "post", str), _field(body, "lang", str), _key(body))
        return JSONResponse({"version": version, "entry": entry.as_dict()})

    def api_check(self, body: dict[str, Any]) -> Response:
        lang = self.project.lang(_field(body, "lang", str))
        rel = _field(body, "post", str, optional=True)
        findings = self.check(_key(body), _field(body, "msgstr", str), lang, rel)
        return JSONResponse({"findings": _findings(findings), "errors": sum(f.is_error for f in findings)})

    def api_save(self, body: dict[str, Any]) -> Response:
        rel, lang, key = _field(body, "post", str), self.project.lang(_field(body, "lang", str)), _key(body)
        change = Change(
            msgstr=_field(body, "msgstr", str),
            approve=_field(body, "approve", bool),
            machine=_field(body, "machine", str, optional=True),
        )
        findings = self.check(key, change.msgstr, lang, rel, reviewed=change.approve)
        if change.approve and any(f.is_error for f in findings):
            return JSONResponse(
                {"error": "the translation fails its checks: fix it before approving", "findings": _findings(findings)},
                status_code=422,
            )
        result = self.project.save(
            rel,
            lang,
            key,
            change,
            version=_field(body, "version", str),
            seen_entry=_field(body, "entry_version", str),
        )
        if isinstance(result, Conflict):
            message = (
                "this entry changed on disk since the page was loaded: compare, then save again to keep yours"
                if result.entry is not None
                else "this entry is no longer in the catalog (the source changed): reload the page"
            )
            return JSONResponse(
                {
                    "error": message,
                    "version": result.version,
                    "entry": result.entry.as_dict() if result.entry else None,
                },
                status_code=409,
            )
        return JSONResponse(
            {
                "version": result.version,
                "entry": result.entry.as_dict(),
                "merged": result.merged,
                "findings": _findings(findings),
            }
        )

    def api_translate(self, body: dict[str, Any]) -> Response:
        rel, lang, key = _field(body, "post", str), self.project.lang(_field(body, "lang", str)), _key(body)
        self.project.entry(rel, lang, key)  # only the project's own entries are sent anywhere
        try:
            backend = self.backend()
            suggestion = suggest(
                backend,
                key.msgid,
                source_lang=self.config.source_lang,
                target_lang=lang,
                glossary=self.glossary,
                reference_labels=None,
                dialect=self.dialect(rel),
            )
        except (BackendError, MachineError) as error:
            return JSONResponse({"error": f"machine translation failed: {error}"}, status_code=502)
        findings = self.check(key, suggestion.text, lang, rel, reviewed=False)  # a machine's draft
        return JSONResponse({"msgstr": suggestion.text, "backend": suggestion.backend, "findings": _findings(findings)})

    def api_preview(self, body: dict[str, Any]) -> Response:
        post = self.project.post(_field(body, "post", str))
        lang = self.project.lang(_field(body, "lang", str))
        include_fuzzy = body.get("include_fuzzy")
        if not isinstance(include_fuzzy, bool):
            include_fuzzy = self.config.include_fuzzy
        self.project.catalog_path(post, lang)
        preview = build_preview(self.config, post, lang, include_fuzzy=include_fuzzy)
        dialect = self.dialect(post.rel.as_posix())
        source, output = page_html(preview.source, dialect), page_html(preview.output, dialect)
        return JSONResponse(
            {
                "source_html": source.body,
                "source_front_matter": source.front_matter,
                "output_html": output.body,
                "output_front_matter": output.front_matter,
                "percent": round(preview.percent, 1),
                "below_minimum": preview.below_minimum,
                "include_fuzzy": include_fuzzy,
                "problems": list(preview.problems),
            }
        )


def _text_rows(text: str, width: int = 80) -> int:
    """Lines a text takes in the translation box (wrapped at about ``width`` characters)."""
    return sum(len(line) // width + 1 for line in text.split("\n"))


def _wanted(row: HomeRow, text: str, lang: str, state: str) -> bool:
    if text and text.casefold() not in row.post.casefold():
        return False
    if lang and row.lang != lang:
        return False
    if state == "needs-work":
        return row.needs_work
    if state == "done":
        return not row.needs_work
    return True


def _row_dict(row: HomeRow) -> dict[str, Any]:
    stats = row.stats
    counts = (
        {"translated": stats.translated, "fuzzy": stats.fuzzy, "untranslated": stats.untranslated}
        if stats
        else None
    )
    return {
        "post": row.post,
        "lang": row.lang,
        "catalog": stats is not None,
        "problem": row.problem,
        "entries": counts,
        "percent": round(stats.percent, 1) if stats else 0.0,
        "needs_work": row.needs_work,
    }
