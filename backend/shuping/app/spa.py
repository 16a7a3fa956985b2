"""The built single-page app: its static files, and its pages for client-side routes.

The build (`frontend/scripts/compress.mjs`) writes a brotli (`.br`) and a gzip (`.gz`) copy beside
each text asset; a request gets the smallest one its `Accept-Encoding` allows. Hashed assets
(`assets/`) are cached for a year as immutable; pages are revalidated on every visit (`no-cache`
with an ETag, answered 304 when unchanged).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import Request, Response
from fastapi.responses import FileResponse

from shuping.app.compression import accepted_encodings

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The encodings the build writes, best first, with the suffix of their copy.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


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
            return self._send(request, candidate, IMMUTABLE if path.startswith("assets/") else REVALIDATE)
        if "." in path.rsplit("/", 1)[-1]:
            return None
        # The phone ballot page is its own small entry, so a weak phone loads no admin code.
        vote = self.root / "vote.html"
        if (path == "vote" or path.startswith("vote/")) and vote.is_file():
            return self._send(request, vote, REVALIDATE)
        index = self.root / "index.html"
        if not index.is_file():
            return None
        return self._send(request, index, REVALIDATE)

    def _send(self, request: Request, file: Path, cache: str) -> Response:
        """The file, or its best precompressed copy the client accepts; 304 when the client has it."""
        media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = {"Cache-Control": cache, "Vary": "Accept-Encoding"}
        served = file
        accepted = accepted_encodings(request.headers.get("accept-encoding"))
        for encoding, suffix in ENCODINGS:
            copy = file.with_name(file.name + suffix)
            if encoding in accepted and copy.is_file():
                served, headers["Content-Encoding"] = copy, encoding
                break
        response = FileResponse(served, media_type=media_type, headers=headers, stat_result=served.stat())
        if_none_match = request.headers.get("if-none-match")
        etag = response.headers.get("etag")
        if if_none_match and etag and etag in {tag.strip() for tag in if_none_match.split(",")}:
            kept = {
                k: v for k, v in response.headers.items() if k in ("etag", "cache-control", "vary", "last-modified")
            }
            return Response(status_code=304, headers=kept)
        return response
