"""Every error answered as RFC 9457 problem details, quoting the request's id."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuping.app.routes import digit_ids
from shuping.app.spa import SpaFiles
from shuping.core.errors import AppError, problem
from shuping.core.i18n import N_, Msg, negotiate, reset_locale, set_locale, translate
from shuping.core.logs import request_id
from shuping.core.validation_messages import validation_message

log = logging.getLogger("shuping")
PROBLEM_JSON = "application/problem+json"

_HTTP_TITLES = {
    404: ("not-found", N_("Not found")),
    405: ("method-not-allowed", N_("Method not allowed")),
    401: ("unauthorized", N_("Not authenticated")),
    403: ("forbidden", N_("Forbidden")),
    413: ("payload-too-large", N_("Payload too large")),
    415: ("unsupported-media-type", N_("Unsupported media type")),
}


# Starlette's own details (its HTTPException's phrases), marked for the catalogue.
_STARLETTE_DETAILS = {
    "Not Found": N_("Not Found"),
    "Method Not Allowed": N_("Method Not Allowed"),
    "Unauthorized": N_("Unauthorized"),
    "Forbidden": N_("Forbidden"),
}


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or "-"


def _locale(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


def _problem_response(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    locale = _locale(request)
    body = problem(
        status,
        code,
        translate(title, locale),
        translate(detail, locale) if detail else None,
        request_id=_request_id(request),
        **extra,
    )
    if isinstance(detail, Msg) and detail.params and "params" not in body:
        body["params"] = detail.public_params()
    headers = {**(headers or {}), "Content-Language": locale}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


async def app_error(request: Request, exc: Exception) -> Response:
    """A domain error (`AppError`), as it describes itself."""
    assert isinstance(exc, AppError)
    shown = exc.rendered(_locale(request))
    return _problem_response(
        request,
        exc.status,
        exc.code,
        shown["title"],
        shown["detail"],
        headers=exc.headers,
        errors=shown.get("errors"),
        params=shown.get("params"),
        **exc.extra,
    )


def _loc(loc: tuple[Any, ...] | list[Any]) -> list[str | int]:
    return [p if isinstance(p, int) else str(p) for p in loc]


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    locale = _locale(request)
    errors = [{"loc": _loc(e.get("loc", ())), "msg": validation_message(e, locale)} for e in exc.errors()]
    fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in errors[:5])
    return _problem_response(
        request, 422, "validation-error", N_("Validation failed"), N_("Invalid: {fields}", fields=fields), errors=errors
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    spa: SpaFiles | None = getattr(request.app.state, "spa", None)
    if exc.status_code == 404 and spa is not None and (page := spa.response_for(request)) is not None:
        return page
    detail = exc.detail if isinstance(exc.detail, str) else None
    if detail is not None and not isinstance(detail, Msg):
        detail = _STARLETTE_DETAILS.get(detail, detail)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        # A body that is not even text (bad UTF-8) is a malformed payload, like bad JSON.
        msg = N_("There was an error parsing the body")
        errors = [{"loc": ["body"], "msg": translate(msg, _locale(request))}]
        return _problem_response(request, 422, "validation-error", N_("Validation failed"), msg, errors=errors)
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    code, title = _HTTP_TITLES.get(exc.status_code, ("http-error", N_("HTTP error")))
    return _problem_response(request, exc.status_code, code, title, detail, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents at this path (Starlette names only the first route's)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(request.app.state, "allow_table", None)
    if table is None:
        # Ids match digits only, as the routes do: /cycles/import is not a cycle "import".
        table = [
            (compile_path(digit_ids(path))[0], {m.upper() for m in ops})
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
        N_("Internal server error"),
        N_("Something went wrong on our side; quote request id {request_id}", request_id=_request_id(request)),
    )


def add_problem_handlers(app: FastAPI) -> None:
    """Answer domain errors, malformed requests, HTTP errors and anything unexpected as problems."""
    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


class RequestIdMiddleware:
    """Give every request an id (the caller's X-Request-ID or a new one), echo it in the
    response, and answer an unexpected error with a problem that quotes it. Also set the
    request's language (`Accept-Language`, see `core.i18n`) for what it renders, and name it
    in the response (`Content-Language`).

    Plain ASGI rather than `@app.middleware("http")`, which costs a task and a stream per request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rid = headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        locale = negotiate(headers.get("accept-language"))
        token = set_locale(locale)
        logged_id = request_id.set(rid)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                sent = MutableHeaders(scope=message)
                sent["X-Request-ID"] = rid
                if "content-language" not in sent:
                    sent["Content-Language"] = locale
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if started:
                raise
            response = await _unexpected_error(Request(scope), exc)
            await response(scope, receive, send_with_id)
        finally:
            reset_locale(token)
            request_id.reset(logged_id)
