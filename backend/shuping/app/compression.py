"""Compress large answers to reads: JSON pages, CSV exports, the OpenAPI document.

Only GET and HEAD under /api/ go through gzip (answers to writes — ballots above all — are small,
and skip the layer entirely); only bodies of 1 KiB or more are compressed. The live event stream is
never compressed (a compressor would hold events back), nor what is compressed already: the SPA's
files arrive precompressed (`app/spa.py`), and Office documents, PDFs and images are zip or image
data.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

MINIMUM_SIZE = 1024
ALREADY_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,  # the event stream among them
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)


def accepted_encodings(header: str | None) -> set[str]:
    """The content codings an Accept-Encoding header allows (q > 0); `*` allows any not refused."""
    allowed: set[str] = set()
    refused: set[str] = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        (allowed if q > 0 else refused).add(name)
    if "*" in allowed:
        allowed |= {"br", "gzip"} - refused
    return allowed


class CompressLargeReads:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM_SIZE, exclude_content_types=ALREADY_COMPRESSED)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The event stream skips the layer too: gzip's responder holds the headers back until the first
        # body chunk, and a quiet stream would not open until its first event.
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope["path"].startswith("/api/")  # the SPA's files come precompressed
            and not scope["path"].endswith("/events")
            and "gzip" in accepted_encodings(Headers(scope=scope).get("accept-encoding"))
        ):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
