"""The ballot route's common case, answered below FastAPI.

A hall's peak is hundreds of phones casting one-time-code ballots at once, each request the same
small JSON. Through FastAPI's routing, dependency solving and per-request session such a request
cost about five times a trivial POST. This ASGI layer takes a ballot request whose meeting it can load
and whose token that meeting's setting knows, validates it with the route's own schema and checks,
hands it to the same writer, and answers — the same answers, problems included, as the route.

Anything else goes on to the documented route unchanged, with the body it has read: an unknown
meeting, a token issued or revoked since the meeting's setting was loaded, a named evaluator's
ballot, a body that is not valid JSON or does not fit the schema, a query string, an unusual
content type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuping.core import metrics
from shuping.core.errors import AppError
from shuping.core.schemas import MAX_ID
from shuping.meetings import ballots, voters
from shuping.meetings.schemas import BallotSubmission, SheetAccepted

BALLOT_PATH = re.compile(r"/api/v1/meetings/([1-9][0-9]{0,9})/ballots")
ROUTE_TEMPLATE = "/api/v1/meetings/{meeting_id}/ballots"  # the route's, for the request metrics
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:\-]{8,64}")
MAX_BODY = 64 * 1024  # a whole sheet of 100 ballots is well below; larger bodies take the route
ErrorRenderer = Callable[[Request, Exception], Awaitable[Response]]


@dataclass
class IntakeStats:
    """How many ballot requests this process answered here, and how many it passed on."""

    answered: int = 0
    passed_on: int = 0


stats = IntakeStats()


class BallotIntake:
    def __init__(self, app: ASGIApp, render_error: ErrorRenderer) -> None:
        self.app = app
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = BALLOT_PATH.fullmatch(scope["path"]) if scope["type"] == "http" else None
        if match is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body, complete = await _read_body(receive)
        caller = await _token_caller(scope, int(match.group(1))) if complete and not scope["query_string"] else None
        submission = _submission(body) if caller is not None else None
        if caller is None or submission is None:
            stats.passed_on += 1
            await self.app(scope, _replay(body, receive, complete), send)
            return
        stats.answered += 1
        scope[metrics.ROUTE_TEMPLATE_KEY] = ROUTE_TEMPLATE
        setting, voter, key = caller
        try:
            accepted = await ballots.submit(
                setting=setting,
                voter=voter,
                ballots_in=submission.as_ballots(),
                idempotency_key=key,
                sheet=submission.is_sheet,
            )
        except AppError as exc:
            response = await self.render_error(Request(scope), exc)
            await response(scope, receive, send)
            return
        answer = SheetAccepted(ballots=accepted) if submission.is_sheet else accepted[0]
        content = answer.model_dump_json().encode()
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": content})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


async def _token_caller(scope: Scope, meeting_id: int) -> tuple[voters.BallotSetting, voters.Voter, str] | None:
    """The meeting's setting, the token's voter and the idempotency key, if every part is plainly
    valid and the token known to the meeting's setting; otherwise None, and the route decides."""
    if meeting_id > MAX_ID:
        return None
    content_type = _header(scope, b"content-type")
    code = _header(scope, b"x-ballot-token")
    key = _header(scope, b"idempotency-key")
    if content_type != b"application/json" or not code or key is None or _header(scope, b"authorization"):
        return None
    try:
        token, idempotency_key = code.decode(), key.decode()
    except UnicodeDecodeError:
        return None
    if IDEMPOTENCY_KEY.fullmatch(idempotency_key) is None:
        return None
    # Loading the setting (at most every few seconds, shared by the requests that wait for it)
    # also loads the meeting's tokens: a hall's first wave of ballots is answered here as well.
    setting = await voters.settings.fetch(meeting_id)
    ref = voters.token_refs.peek(token)
    if setting is None or ref is None or ref.meeting_id != meeting_id:
        return None
    return setting, voters.voter_for_token(token, ref, setting), idempotency_key


def _submission(body: bytes) -> BallotSubmission | None:
    # Parsed as the route parses it (the standard json module, then the model), so that both
    # paths read the same numbers and a retry through either one hashes alike.
    try:
        return BallotSubmission.model_validate(json.loads(body))
    except (ValueError, ValidationError):
        return None


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request body, or what was read of it before it passed MAX_BODY (then False)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > MAX_BODY:
            return b"".join(chunks), False


def _replay(body: bytes, receive: Receive, complete: bool) -> Receive:
    """A receive that gives the route what was read here first, then the rest."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return replayed
