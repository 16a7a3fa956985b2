"""The application factory: routers, problem+json errors, request ids, the SPA."""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import text
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuping.audit.router import router as audit_router
from shuping.auth import service as auth_service
from shuping.auth.router import auth_router, users_router
from shuping.config import get_settings
from shuping.core.dependencies import single_query_values
from shuping.core.errors import AppError, ServiceUnavailable, problem
from shuping.core.hardening import MULTIPART_OVERHEAD, BodyLimits, InputGuard, MiB, refuse_control_in_form
from shuping.core.responses import document_body_limits, problems
from shuping.core.routing import Router
from shuping.core.schemas import Schema
from shuping.cycles import importing as cycles_importing
from shuping.cycles.router import router as cycles_router
from shuping.db import database
from shuping.ledger import importer as ledger_importer
from shuping.ledger.router import opinions_router as ledger_opinions_router
from shuping.ledger.router import public_router as ledger_public_router
from shuping.ledger.router import router as ledger_router
from shuping.live import service as live_service
from shuping.meetings import ballots, tally
from shuping.meetings import router as meetings_routes
from shuping.meetings.intake import BallotIntake
from shuping.meetings.router import router as meetings_router
from shuping.meetings.router import vote_router
from shuping.orgs.router import router as orgs_router
from shuping.petitions import importer as petitions_importer
from shuping.petitions import sync as petitions_sync
from shuping.petitions.dependencies import MAX_WEBHOOK_BYTES
from shuping.petitions.router import add_openapi_schemas
from shuping.petitions.router import integrations_router as petitions_integrations_router
from shuping.petitions.router import router as petitions_router
from shuping.reports.router import router as reports_router
from shuping.results.router import router as results_router
from shuping.rubrics.router import router as rubrics_router
from shuping.wiring import wire

log = logging.getLogger("shuping")
_INT_ID = re.compile(r"\{(\w+_id)\}")
API_PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"

_HTTP_TITLES = {
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    401: ("unauthorized", "Not authenticated"),
    403: ("forbidden", "Forbidden"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or "-"


def _problem_response(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = problem(status, code, title, detail, request_id=_request_id(request), **extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return _problem_response(
        request, exc.status, exc.code, exc.title, exc.detail, headers=exc.headers, errors=exc.errors, **exc.extra
    )


def _loc(loc: tuple[Any, ...] | list[Any]) -> list[str | int]:
    return [p if isinstance(p, int) else str(p) for p in loc]


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": _loc(e.get("loc", ())), "msg": str(e.get("msg", "invalid"))} for e in exc.errors()]
    fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in errors[:5])
    return _problem_response(request, 422, "validation-error", "Validation failed", f"Invalid: {fields}", errors=errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    spa: SpaFiles | None = getattr(request.app.state, "spa", None)
    if exc.status_code == 404 and spa is not None and (page := spa.response_for(request)) is not None:
        return page
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        # A body that is not even text (bad UTF-8) is a malformed payload, like bad JSON.
        errors = [{"loc": ["body"], "msg": detail}]
        return _problem_response(request, 422, "validation-error", "Validation failed", detail, errors=errors)
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    code, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "HTTP error"))
    return _problem_response(request, exc.status_code, code, title, detail, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents at this path (Starlette names only the first route's)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(request.app.state, "allow_table", None)
    if table is None:
        # Ids match digits only, as the routes do: /cycles/import is not a cycle "import".
        table = [
            (compile_path(_INT_ID.sub(r"{\1:int}", path))[0], {m.upper() for m in ops})
            for path, ops in request.app.openapi().get("paths", {}).items()
        ]
        request.app.state.allow_table = table
    methods: set[str] = set()
    for pattern, ops in table:
        if pattern.match(request.url.path):
            methods |= ops
    return sorted(methods)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error, request_id=%s", _request_id(request), exc_info=exc)
    return _problem_response(
        request,
        500,
        "internal-error",
        "Internal server error",
        f"Something went wrong on our side; quote request id {_request_id(request)}",
    )


class RequestIdMiddleware:
    """Give every request an id (the caller's X-Request-ID or a new one), echo it in the
    response, and answer an unexpected error with a problem that quotes it.

    Plain ASGI rather than `@app.middleware("http")`, which costs a task and a stream per request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = Headers(scope=scope).get("x-request-id", "")[:64] or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if started:
                raise
            response = await _unexpected_error(Request(scope), exc)
            await response(scope, receive, send_with_id)


def _upload_limit() -> int:
    """A multipart body: the largest file any upload route takes (as configured now), and room for the rest."""
    settings = get_settings()
    largest_mb = max(settings.report_slides_max_mb, settings.report_image_max_mb, settings.ledger_evidence_max_mb)
    largest = max(
        largest_mb * MiB,
        cycles_importing.MAX_WORKBOOK_BYTES,
        ledger_importer.MAX_IMPORT_BYTES,
        petitions_importer.MAX_IMPORT_BYTES,
        meetings_routes.MAX_UPLOAD,
    )
    return largest + MULTIPART_OVERHEAD


def _operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}-{route.name.replace('_', '-')}"


class Health(Schema):
    status: str
    database: str


health_router = APIRouter(tags=["health"])


@health_router.get("/health", response_model=Health, summary="Liveness and database check", responses=problems(503))
async def health() -> Health:
    try:
        async with database.session(read_only=True) as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check: database unreachable: %s", exc)
        raise ServiceUnavailable("The database is unreachable") from exc
    return Health(status="ok", database="ok")


class SpaFiles:
    """The built SPA: static files, and index.html for client-side routes (never /api)."""

    def __init__(self, static_dir: Path) -> None:
        self.root = static_dir.resolve()

    def response_for(self, request: Request) -> Response | None:
        path = request.url.path.lstrip("/")
        if request.method not in ("GET", "HEAD") or path == "api" or path.startswith("api/"):
            return None
        candidate = (self.root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(self.root):
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        if "." in path.rsplit("/", 1)[-1]:
            return None
        # The phone ballot page is its own small entry, so a weak phone loads no admin code.
        vote = self.root / "vote.html"
        if (path == "vote" or path.startswith("vote/")) and vote.is_file():
            return FileResponse(vote, headers={"Cache-Control": "no-cache"})
        index = self.root / "index.html"
        if not index.is_file():
            return None
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


bench_router = APIRouter(include_in_schema=False)


@bench_router.post("/_bench/echo", status_code=201)
async def bench_echo(body: dict[str, Any]) -> dict[str, str]:
    """The benchmark's floor: parse a body of a ballot's size and answer, touching nothing else."""
    return {"receipt": "FLOOR00000", "report_id": str(body.get("report_id")), "group_key": "floor"}


def _mounted(router: APIRouter) -> APIRouter:
    """Prepare a domain router for the API prefix.

    `{x_id}` path segments match digits only, so /cycles/import is never cycle "import" (without
    it, PATCH /cycles/import would answer 422, not an integer, rather than 405). And the router
    learns where its paths begin, so requests for other domains skip its routes.
    """
    heads: set[str] | None = set()
    for route in router.routes:
        if not isinstance(route, APIRoute):
            heads = None  # a nested router or a mount: no cheap rule says where its paths begin
        else:
            path = _INT_ID.sub(r"{\1:int}", route.path)
            if path != route.path:
                route.path = path
                route.path_regex, route.path_format, route.param_convertors = compile_path(path)
            if heads is not None:
                heads.add(API_PREFIX + path.split("{", 1)[0])
    if isinstance(router, Router) and heads is not None:
        router.path_heads = tuple(sorted(heads))
    return router


class _RedactBallotCodes(logging.Filter):
    """Keep one-time ballot codes (/vote/<code>) out of the access log: a logged code and time
    could be matched against the order ballots arrive in."""

    _code = re.compile(r"^(/vote/)(?!meeting/)[^\s?\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._code.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args)
        return True


def create_app() -> FastAPI:
    wire()
    settings = get_settings()
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactBallotCodes) for f in access_log.filters):
        access_log.addFilter(_RedactBallotCodes())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await live_service.hub().start()
        # Everything loaded so far (modules, models, routes, schemas) lives as long as the process:
        # keep it out of the cyclic collector's way. Without this, a burst of ballots spends
        # about a third of its CPU in full collections walking those objects (measured here).
        gc.freeze()
        # A request's objects are nearly all freed by reference counting; what the young
        # generations hold at any moment is mostly the requests in flight, which the default
        # threshold (700) had the collector walk again and again: 441 collections, 36 µs per
        # ballot in a saturated burst. At 50,000 it runs about once a second, ≈ 11 ms each; the
        # older generations keep their default rhythm relative to it.
        gc.set_threshold(50_000, 10, 10)
        stop = asyncio.Event()
        puller: asyncio.Task[None] | None = None
        if settings.sunshine_export_url:
            # The scheduled Sunshine pull runs only where an export URL is configured.
            puller = asyncio.create_task(petitions_sync.run_scheduled(stop), name="sunshine-pull")
        try:
            yield
        finally:
            stop.set()
            if puller is not None:
                try:
                    await asyncio.wait_for(puller, timeout=10)
                except TimeoutError:
                    puller.cancel()
            await ballots.writer.close()
            await tally.notifier.close()
            await live_service.close_hub()
            await auth_service.limits.close()
            await database.dispose()

    app = FastAPI(
        title="Shuping 述评 API",
        version="0.1.0",
        description="Two-way report and evaluation of grassroots Party secretaries; rectification; petitions.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
    )

    # Inside the request-id layer, so that its answers carry an id and its failures are problems too.
    app.add_middleware(BallotIntake, render_error=_app_error)
    # In front of everything that reads a body (the intake and the signed webhook too): sizes, JSON depth,
    # control characters.
    limits = BodyLimits(multipart=_upload_limit, paths={f"{API_PREFIX}/integrations/sunshine/cases": MAX_WEBHOOK_BYTES})
    app.add_middleware(InputGuard, limits=limits, render_error=_app_error)
    app.add_middleware(RequestIdMiddleware)

    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)

    # Each domain router hangs directly off the app: one level of nesting less to match through.
    for router in (
        health_router,
        auth_router,
        users_router,
        orgs_router,
        audit_router,
        rubrics_router,
        cycles_router,
        reports_router,
        meetings_router,
        vote_router,
        results_router,
        petitions_router,
        petitions_integrations_router,
        ledger_opinions_router,
        ledger_router,
        ledger_public_router,
    ):
        app.include_router(
            _mounted(router),
            prefix=API_PREFIX,
            dependencies=[Depends(single_query_values), Depends(refuse_control_in_form)],
        )

    if settings.bench_endpoints:
        app.include_router(bench_router, prefix=API_PREFIX)
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build_openapi()
            add_openapi_schemas(document)
            document_body_limits(document)
        return app.openapi_schema or build_openapi()

    app.openapi = openapi  # type: ignore[method-assign]

    app.state.spa = SpaFiles(settings.static_dir)
    return app


app = create_app()
