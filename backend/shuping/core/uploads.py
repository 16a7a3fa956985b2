"""Uploaded files kept under var_dir: streamed to disk within a size limit, their real type sniffed from
the first bytes, stored under a random name, and deleted only once the row naming them is gone."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import anyio
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shuping.config import get_settings
from shuping.core.errors import FieldError, FileTooLarge, NotFound, UnsupportedFile
from shuping.core.files import UploadLike
from shuping.core.i18n import N_

CHUNK = 1024 * 1024
HEAD = 16  # bytes: enough for every signature below
FILE_LOC: list[str | int] = ["body", "file"]


@dataclass(frozen=True)
class FileType:
    """What a stored file is served as, the bytes its content holds at given offsets, and (for an Office
    Open XML zip) the member that makes it that kind of document."""

    content_type: str
    signature: tuple[tuple[int, bytes], ...]
    member: str | None = None

    def starts_right(self, head: bytes) -> bool:
        return all(head[at : at + len(magic)] == magic for at, magic in self.signature)


_ZIP = ((0, b"PK\x03\x04"),)
_OOXML = "application/vnd.openxmlformats-officedocument."
JPEG = FileType("image/jpeg", ((0, b"\xff\xd8\xff"),))
BY_EXTENSION: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", ((0, b"%PDF-"),)),
    ".png": FileType("image/png", ((0, b"\x89PNG\r\n\x1a\n"),)),
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".webp": FileType("image/webp", ((0, b"RIFF"), (8, b"WEBP"))),
    ".docx": FileType(_OOXML + "wordprocessingml.document", _ZIP, "word/document.xml"),
    ".xlsx": FileType(_OOXML + "spreadsheetml.sheet", _ZIP, "xl/workbook.xml"),
    ".pptx": FileType(_OOXML + "presentationml.presentation", _ZIP, "ppt/presentation.xml"),
}


@dataclass(frozen=True)
class Incoming:
    """An upload whose name passed: the name to show, its extension (lower case, with the dot), its type."""

    filename: str
    extension: str
    kind: FileType


@dataclass(frozen=True)
class StoredFile:
    """A file kept: what the row that names it records."""

    filename: str
    content_type: str
    size: int
    sha256: str
    path: str  # relative to var_dir


def clean_filename(raw: str) -> str:
    """A display name safe to send back: the last path part, no control characters, ≤ 255 chars."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    name = name.strip(". ") or "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 250 - len(ext)] + dot + ext) if dot else name[:255]
    return name


def accept(raw_name: str | None, extensions: Collection[str], *, hint: str) -> Incoming:
    """The upload's cleaned name, if it ends in one of `extensions` (415 saying `hint` otherwise)."""
    filename = clean_filename(raw_name or "")
    ext = PurePosixPath(filename).suffix.lower()
    if ext not in extensions or ext not in BY_EXTENSION:
        raise UnsupportedFile(
            N_("{filename}: {hint}", filename=filename, hint=hint),
            errors=[{"loc": FILE_LOC, "msg": N_("{value} is not accepted", value=ext or "no extension")}],
        )
    return Incoming(filename, ext, BY_EXTENSION[ext])


def stored_path(relative: str) -> Path:
    return get_settings().var_dir / relative


def existing(relative: str, missing: str) -> Path:
    """The stored file, or 404 saying `missing` when storage has lost it."""
    path = stored_path(relative)
    if not path.is_file():
        raise NotFound(missing)
    return path


def _holds(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


async def store(
    upload: UploadLike, incoming: Incoming, *, folder: str, limit_mb: int, limit_of: str | None = None
) -> StoredFile:
    """Stream the upload to `folder` under a random name; refuse it, leaving nothing behind, when it is
    larger than `limit_mb` (413), empty (400) or not what its extension says (415)."""
    filename, kind = incoming.filename, incoming.kind
    relative = f"{folder}/{uuid.uuid4().hex}{incoming.extension}"
    path = stored_path(relative)
    await anyio.Path(path.parent).mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        async with await anyio.open_file(path, "wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit_mb * 1024 * 1024:
                    raise FileTooLarge(
                        f"{filename} is larger than the limit of {limit_mb} MB"
                        + (f" for {limit_of}" if limit_of else ""),
                        errors=[{"loc": FILE_LOC, "msg": N_("larger than {limit_mb} MB", limit_mb=limit_mb)}],
                    )
                if len(head) < HEAD:
                    head += chunk[: HEAD - len(head)]
                digest.update(chunk)
                await out.write(chunk)
        if size == 0:
            raise FieldError(FILE_LOC, N_("{filename} is empty", filename=filename))
        # The zip is opened in a worker thread: reading its directory is blocking file work.
        ok = kind.starts_right(head) and (
            kind.member is None or await anyio.to_thread.run_sync(_holds, path, kind.member)
        )
        if not ok:
            raise UnsupportedFile(
                N_(
                    "{filename} does not contain what its name says ({value})",
                    filename=filename,
                    value=incoming.extension[1:].upper(),
                ),
                errors=[{"loc": FILE_LOC, "msg": N_("content does not match the file type")}],
            )
    except BaseException:
        await anyio.Path(path).unlink(missing_ok=True)
        raise
    return StoredFile(filename, kind.content_type, size, digest.hexdigest(), relative)


def delete_after_commit(session: AsyncSession, relatives: Iterable[str]) -> None:
    """Delete stored files only once the rows that named them are gone for good (never on a rollback)."""
    paths = [stored_path(r) for r in relatives]
    if not paths:
        return

    def remove(_session: Session) -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    event.listen(session.sync_session, "after_commit", remove, once=True)
