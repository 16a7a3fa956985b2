"""Input hardening in one place: control characters, body sizes and JSON depth.

`InputGuard` is an ASGI layer in front of everything that reads a request, the ballot intake and
the signed webhook included (both read their bodies below FastAPI). It refuses, before anything
parses or stores the request:

- a C0 control character (U+0000–U+001F other than tab, newline and carriage return) in the
  path, a query parameter or a JSON string, and any control character but tab in a header
  value: 422, located (`["query", "q"]`, `["body", "comment"]`, `["header", "idempotency-key"]`).
  PostgreSQL refuses NUL in text, so one would otherwise surface as a 500 — or, in the ballot
  writer's grouped transaction, fail other voters' ballots with it;
- a body larger than its limit: 413, from the Content-Length alone when there is one, otherwise
  counted while it streams in (a chunked body is never read past its limit);
- JSON nested deeper than `MAX_JSON_DEPTH`: 422 (the json module would raise RecursionError).

Form fields (the login form, multipart text fields and file names) are checked by
`refuse_control_in_form`, a dependency every API route carries: the form is parsed by then, and
its text fields are named. Multipart bodies stream through the guard (uploads are large), counted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi import params as fastapi_params
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuping.core.errors import AppError
from shuping.core.i18n import N_

MiB = 1024 * 1024
# A JSON or form body: a sheet of 100 ballots is about 20 KiB, the largest rubric a few.
MAX_BODY_BYTES = 1 * MiB
# Deeper than any request schema (a ballot sheet is 4 levels) and far below the json module's recursion.
MAX_JSON_DEPTH = 32
# Room for a multipart body's other fields and boundaries next to its largest file.
MULTIPART_OVERHEAD = 1 * MiB

# Tab, newline and carriage return are text; the rest of C0 is not (NUL breaks PostgreSQL).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HEADER_CONTROL = re.compile(b"[\x00-\x08\x0a-\x1f]")
# A JSON escape that may stand for a control character (a false alarm only costs a parse).
_JSON_CONTROL_ESCAPE = re.compile(rb"\\(?:u00[01][0-9a-fA-F]|[bf])")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # "…", escapes included
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")

ErrorRenderer = Callable[[Request, Exception], Awaitable[Response]]


def control_message(text: str) -> str:
    found = CONTROL.search(text)
    if found is None:
        return N_("Control characters are not allowed; only tab, newline and carriage return are")
    char = f"U+{ord(found.group()):04X}"
    return N_("Control characters are not allowed (found {char}); only tab, newline and carriage return are", char=char)


class InputRefused(AppError):
    """Input that no field may hold, named by where it was found."""

    status, code, title = 422, "validation-error", N_("Validation failed")

    def __init__(self, loc: list[str | int], msg: str) -> None:
        shown = ".".join(str(p) for p in loc)
        super().__init__(N_("Invalid: {fields}", fields=shown), errors=[{"loc": loc, "msg": msg}])


class PayloadTooLarge(AppError):
    status, code, title = 413, "payload-too-large", N_("Payload too large")

    def __init__(self, limit: int) -> None:
        super().__init__(N_("The request body may have at most {size}", size=_size(limit)))


class BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` when a streamed body passes its limit while the application reads it.

    An HTTPException so that FastAPI's body parsing lets it through (it turns other errors into
    400), and the HTTP error handler answers 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, N_("The request body may have at most {size}", size=_size(limit)))


def _size(limit: int) -> str:
    if limit % MiB == 0:
        return N_("{mib} MiB ({limit} bytes)", mib=limit // MiB, limit=limit)
    return N_("{limit} bytes", limit=limit)


@dataclass(frozen=True)
class BodyLimits:
    """How large a request body may be: `default` for JSON and forms, `multipart()` for uploads
    (read when asked, so that configured upload limits apply), and exact paths with their own."""

    multipart: Callable[[], int]
    default: int = MAX_BODY_BYTES
    paths: Mapping[str, int] = field(default_factory=dict)

    def for_request(self, path: str, multipart: bool) -> int:
        if path in self.paths:
            return self.paths[path]
        return self.multipart() if multipart else self.default


# ---------------------------------------------------------------- what is refused


def _header_problem(scope: Scope) -> InputRefused | None:
    for name, value in scope["headers"]:
        if _HEADER_CONTROL.search(value):
            return InputRefused(
                ["header", name.decode("latin-1").lower()],
                N_("Control characters are not allowed in a header value (tab aside)"),
            )
    return None


def _query_problem(query: bytes) -> InputRefused | None:
    if b"%0" not in query and b"%1" not in query and not _CONTROL_BYTES.search(query):
        return None
    # Decoded as Starlette decodes it, so that the name is the one the route sees.
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if CONTROL.search(name):
            return InputRefused(["query"], N_("A parameter name holds a control character"))
        if CONTROL.search(value):
            return InputRefused(["query", name], control_message(value))
    return None


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects deeper than `limit` (strings ignored)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for byte in _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _control_in(value: Any, loc: list[str | int]) -> InputRefused | None:
    if isinstance(value, str):
        return InputRefused(loc, control_message(value)) if CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if CONTROL.search(key):
                return InputRefused(loc, N_("A key holds a control character"))
            if found := _control_in(item, [*loc, key]):
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if found := _control_in(item, [*loc, index]):
                return found
    return None


def _json_problem(body: bytes) -> InputRefused | None:
    if json_too_deep(body):
        return InputRefused(
            ["body"],
            N_("JSON may nest arrays and objects at most {MAX_JSON_DEPTH} levels deep", MAX_JSON_DEPTH=MAX_JSON_DEPTH),
        )
    if not _JSON_CONTROL_ESCAPE.search(body):
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: whoever reads it says so
    return _control_in(value, ["body"])


async def refuse_control_in_form(request: Request) -> None:
    """Refuse a form (the login form, a multipart upload's fields) with a control character in a
    text field, a field name or a file name. FastAPI parsed the form before any dependency runs;
    this reads it back from the request."""
    body_field = getattr(request.scope.get("route"), "body_field", None)
    if body_field is None or not isinstance(body_field.field_info, fastapi_params.Form):
        return
    form = await request.form()
    for name, value in form.multi_items():
        text = (value.filename or "") if isinstance(value, UploadFile) else value
        if CONTROL.search(name) or CONTROL.search(text):
            msg = control_message(text) if CONTROL.search(text) else "A field name holds a control character"
            raise RequestValidationError([{"loc": ("body", name), "msg": msg, "type": "value_error"}])


# ---------------------------------------------------------------- the layer


class InputGuard:
    def __init__(self, app: ASGIApp, *, limits: BodyLimits, render_error: ErrorRenderer) -> None:
        self.app = app
        self.limits = limits
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = _header_problem(scope) or _query_problem(scope["query_string"])
        if problem is None and CONTROL.search(scope["path"]):
            problem = InputRefused(["path"], control_message(scope["path"]))
        if problem is not None:
            await self._refuse(scope, receive, send, problem)
            return

        length, chunked, content_type = None, False, b""
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = int(value) if value.isdigit() else None
            elif name == b"transfer-encoding":
                chunked = True
            elif name == b"content-type":
                content_type = value.lower()
        if not chunked and not length:
            await self.app(scope, receive, send)  # no body
            return
        multipart = content_type.startswith(b"multipart/")
        limit = self.limits.for_request(scope["path"], multipart)
        if length is not None and length > limit:
            await self._refuse(scope, receive, send, PayloadTooLarge(limit))
            return
        if multipart:
            await self._stream(scope, receive, send, limit)
            return

        # JSON and forms are small: read whole here, checked, then handed on.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, PayloadTooLarge(limit))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if not content_type.startswith(b"application/x-www-form-urlencoded"):
            problem = _json_problem(body)
            if problem is not None:
                await self._refuse(scope, receive, send, problem)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _stream(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        size = 0

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, PayloadTooLarge(limit))

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, error: AppError) -> None:
        response = await self.render_error(Request(scope), error)
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the whole body first, then whatever the client sends next (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
