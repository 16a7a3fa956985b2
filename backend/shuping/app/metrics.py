"""Each request counted and timed by its route template, the access log, and GET /metrics.

Plain ASGI, inside the request-id layer (so its lines and problems carry the request's id) and
around everything else, the ballot intake included. Per request it costs two clock reads, a dict
lookup and, when logging access, one record: the metric children are kept per (route, method,
status), so prometheus-client's label lookup runs once per combination, not per request.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable

import anyio
from fastapi import APIRouter
from fastapi.routing import APIRoute
from prometheus_client import Counter, Histogram
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuping.core import metrics
from shuping.core.errors import NotFound, Unauthorized
from shuping.core.i18n import N_
from shuping.core.logs import ACCESS_LOGGER

METRICS_PATH = "/metrics"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Requests no route matched: the SPA's pages and files (among them /vote/<code>), and unknown API paths.
# Their paths are never labels: a ballot code or any other path would be one.
PAGE_OR_FILE = "(page or file)"
NO_ROUTE = "(no route)"
ErrorRenderer = Callable[[Request, Exception], Awaitable[Response]]
access_log = logging.getLogger(ACCESS_LOGGER)


def route_template(scope: Scope, templates: dict[int, str]) -> str:
    """The template of the route that answered (`/api/v1/meetings/{meeting_id}/ballots`), never the path.

    `templates` holds the whole template of each route of an included router, by the route's id: the
    route itself knows only its path within its router.
    """
    template = scope.get(metrics.ROUTE_TEMPLATE_KEY)
    if template is None and (route := scope.get("route")) is not None:
        template = templates.get(id(route)) or getattr(route, "path_format", None)
    if isinstance(template, str) and template:
        return template
    return NO_ROUTE if scope["path"].startswith("/api/") else PAGE_OR_FILE


def route_templates(router: APIRouter, prefix: str) -> dict[int, str]:
    """The whole template of each route of `router` included under `prefix`, by the route's id."""
    return {id(r): prefix + r.path_format for r in router.routes if isinstance(r, APIRoute)}


class Observe:
    def __init__(
        self,
        app: ASGIApp,
        *,
        templates: dict[int, str],
        render_error: ErrorRenderer,
        serve_metrics: bool,
        token: str | None,
        log_access: bool,
    ) -> None:
        self.app = app
        self.templates = templates
        self.render_error = render_error
        self.serve_metrics = serve_metrics
        self.token = token.encode() if token else None
        self.log_access = log_access
        self.counted: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == METRICS_PATH and scope["method"] in ("GET", "HEAD"):
            await self._exposition(scope, receive, send)
            return
        if not (self.serve_metrics or self.log_access):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless an answer starts: the request-id layer answers a crash with a 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = route_template(scope, self.templates)
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        if self.serve_metrics:
            key = (route, method, status)
            children = self.counted.get(key)
            if children is None:
                children = self.counted[key] = (
                    metrics.http_requests.labels(route, method, str(status)),
                    metrics.http_request_seconds.labels(route, method),
                )
            children[0].inc()
            children[1].observe(seconds)
        if self.log_access and access_log.isEnabledFor(logging.INFO):
            client = scope.get("client")
            address = client[0] if client else None
            ms = round(seconds * 1000, 1)
            # The record made here rather than by access_log.info(), which would walk the stack for its caller.
            record = access_log.makeRecord(
                ACCESS_LOGGER,
                logging.INFO,
                __file__,
                0,
                "%s %s %d %.1f ms %s",
                (method, route, status, ms, address or "-"),
                None,
                extra={"method": method, "route": route, "status": status, "duration_ms": ms, "client": address},
            )
            access_log.handle(record)

    async def _exposition(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if not self.serve_metrics:
            response = await self.render_error(request, NotFound())
        elif self.token is not None and not self._authorized(scope):
            response = await self.render_error(
                request, Unauthorized(N_("Send the metrics token (SHUPING_METRICS_TOKEN) as a bearer token"))
            )
        else:
            # The multiprocess collector reads every worker's files: off the event loop.
            body = await anyio.to_thread.run_sync(metrics.exposition)
            response = Response(body, media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})
        await response(scope, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        assert self.token is not None
        scheme, _, credentials = Headers(scope=scope).get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(credentials.strip().encode(), self.token)
