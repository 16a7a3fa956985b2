"""Files in and out: what an upload offers a reader, and the responses that hand over a file to save."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import FileResponse


class UploadLike(Protocol):
    """An uploaded file as the readers need it (FastAPI's UploadFile, or a test's stand-in)."""

    filename: str | None

    async def read(self, size: int = -1) -> bytes: ...


def disposition(filename: str, fallback_stem: str = "download") -> str:
    """`attachment`, named in ASCII for old clients (`export.csv` for 信访案件.csv) and in full by
    RFC 5987."""
    name = PurePosixPath(filename)
    fallback = (name.stem.encode("ascii", "ignore").decode().strip() or fallback_stem) + name.suffix
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def download(content: bytes, media_type: str, filename: str, fallback_stem: str = "download") -> Response:
    """The file to save, under its name."""
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": disposition(filename, fallback_stem)}
    )


def send_file(path: Path, media_type: str, filename: str) -> FileResponse:
    """A stored file to save, under its name; never sniffed by the browser nor kept in a shared cache."""
    return FileResponse(
        path,
        media_type=media_type,
        filename=filename,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
