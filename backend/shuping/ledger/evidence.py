"""Evidence files of ledger items: checked by type and content, size-limited, stored under var_dir."""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from pathlib import Path

import anyio
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shuping.auth.models import User
from shuping.config import get_settings
from shuping.core.errors import Conflict, FieldError, Forbidden, NotFound
from shuping.core.files import UploadLike
from shuping.db import utcnow
from shuping.ledger import service
from shuping.ledger import statemachine as sm
from shuping.ledger.errors import FileTooLarge, ItemClosed, UnsupportedFile
from shuping.ledger.models import EventKind, LedgerEvidence, LedgerItem
from shuping.ledger.schemas import EvidenceRead
from shuping.reports.service import clean_filename

CHUNK = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# extension → (content type, how the content starts, the member an OOXML zip must hold)
FILE_TYPES: dict[str, tuple[str, tuple[bytes, ...], str | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",), None),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",), None),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    ".webp": ("image/webp", (b"RIFF",), None),
    ".docx": (DOCX, (b"PK\x03\x04",), "word/document.xml"),
    ".xlsx": (XLSX, (b"PK\x03\x04",), "xl/workbook.xml"),
}
ALLOWED = ", ".join(ext[1:].upper() for ext in FILE_TYPES if ext != ".jpeg")


def stored(relative: str) -> Path:
    return get_settings().var_dir / relative


def _holds(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _starts_right(ext: str, head: bytes) -> bool:
    _, magics, _ = FILE_TYPES[ext]
    if not any(head.startswith(m) for m in magics):
        return False
    return ext != ".webp" or head[8:12] == b"WEBP"


async def _may_change(session: AsyncSession, item: LedgerItem, actor: User) -> None:
    cycle = await service.get_cycle(session, item.cycle_id)
    if not service.parties(actor, item, cycle):
        raise Forbidden("Only the owner organisation and the organisation department attach evidence")
    if item.status == sm.ItemStatus.verified:
        raise ItemClosed(f"Item {item.id} is verified; its evidence is kept as it was checked")


async def add(session: AsyncSession, *, item: LedgerItem, upload: UploadLike, actor: User) -> EvidenceRead:
    """Store one evidence file after checking its name, size and first bytes; audit it."""
    await _may_change(session, item, actor)
    settings = get_settings()
    count = await session.scalar(select(func.count()).where(LedgerEvidence.item_id == item.id)) or 0
    if count >= settings.ledger_max_evidence:
        raise Conflict(f"An item has at most {settings.ledger_max_evidence} evidence files; remove one first")
    filename = clean_filename(upload.filename or "")
    ext = Path(filename).suffix.lower()
    if ext not in FILE_TYPES:
        raise UnsupportedFile(
            f"{filename}: attach {ALLOWED}",
            errors=[{"loc": ["body", "file"], "msg": f"{ext or 'no extension'} is not accepted"}],
        )
    content_type, _, member = FILE_TYPES[ext]
    limit_mb = settings.ledger_evidence_max_mb
    relative = f"ledger/{item.id}/{uuid.uuid4().hex}{ext}"
    path = stored(relative)
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
                        f"{filename} is larger than the limit of {limit_mb} MB",
                        errors=[{"loc": ["body", "file"], "msg": f"larger than {limit_mb} MB"}],
                    )
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                await out.write(chunk)
        if size == 0:
            raise FieldError(["body", "file"], f"{filename} is empty")
        ok = _starts_right(ext, head) and (member is None or await anyio.to_thread.run_sync(_holds, path, member))
        if not ok:
            raise UnsupportedFile(
                f"{filename} does not contain what its name says ({ext[1:].upper()})",
                errors=[{"loc": ["body", "file"], "msg": "content does not match the file type"}],
            )
    except BaseException:
        await anyio.Path(path).unlink(missing_ok=True)
        raise
    evidence = LedgerEvidence(
        item_id=item.id,
        filename=filename,
        content_type=content_type,
        size_bytes=size,
        sha256=digest.hexdigest(),
        storage_path=relative,
        uploaded_by_id=actor.id,
        uploaded_by_name=actor.full_name,
        created_at=utcnow(),
    )
    session.add(evidence)
    item.updated_at = utcnow()
    await session.flush()
    service.event(session, item, actor, EventKind.evidence_added, note=filename)
    await service.audit_item(
        session,
        actor,
        "ledger.evidence_add",
        item,
        {"evidence_id": evidence.id, "filename": filename, "size": size, "sha256": evidence.sha256},
    )
    return EvidenceRead.model_validate(evidence)


async def get(session: AsyncSession, item: LedgerItem, evidence_id: int) -> LedgerEvidence:
    evidence = await session.get(LedgerEvidence, evidence_id)
    if evidence is None or evidence.item_id != item.id:
        raise NotFound(f"Ledger item {item.id} has no evidence {evidence_id}")
    return evidence


def path_of(evidence: LedgerEvidence) -> Path:
    path = stored(evidence.storage_path)
    if not path.is_file():
        raise NotFound(f"The file of evidence {evidence.id} is missing from storage")
    return path


def _remove_after_commit(session: AsyncSession, path: Path) -> None:
    """Delete the file only once the row that named it is gone for good."""

    def remove(_session: Session) -> None:
        path.unlink(missing_ok=True)

    sa_event.listen(session.sync_session, "after_commit", remove, once=True)


async def remove(session: AsyncSession, *, item: LedgerItem, evidence_id: int, actor: User) -> None:
    evidence = await get(session, item, evidence_id)
    await _may_change(session, item, actor)
    await session.delete(evidence)
    item.updated_at = utcnow()
    await session.flush()
    _remove_after_commit(session, stored(evidence.storage_path))
    service.event(session, item, actor, EventKind.evidence_removed, note=evidence.filename)
    await service.audit_item(
        session,
        actor,
        "ledger.evidence_remove",
        item,
        {"evidence_id": evidence.id, "filename": evidence.filename, "sha256": evidence.sha256},
    )
