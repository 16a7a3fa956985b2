"""The built single-page app: its static files, and its pages for client-side routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request, Response
from fastapi.responses import FileResponse


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
