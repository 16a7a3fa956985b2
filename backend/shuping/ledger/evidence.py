"""Evidence files of ledger items: checked by type and content, size-limited, stored under var_dir."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.config import get_settings
from shuping.core import uploads
from shuping.core.errors import Conflict, Forbidden, NotFound
from shuping.core.files import UploadLike
from shuping.core.i18n import N_
from shuping.db import utcnow
from shuping.ledger import service
from shuping.ledger import statemachine as sm
from shuping.ledger.errors import ItemClosed
from shuping.ledger.models import EventKind, LedgerEvidence, LedgerItem
from shuping.ledger.schemas import EvidenceRead

EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".webp", ".docx", ".xlsx")
ALLOWED = ", ".join(ext[1:].upper() for ext in EXTENSIONS if ext != ".jpeg")


async def _may_change(session: AsyncSession, item: LedgerItem, actor: User) -> None:
    cycle = await service.get_cycle(session, item.cycle_id)
    if not service.parties(actor, item, cycle):
        raise Forbidden(N_("Only the owner organisation and the organisation department attach evidence"))
    if item.status == sm.ItemStatus.verified:
        raise ItemClosed(N_("Item {id} is verified; its evidence is kept as it was checked", id=item.id))


async def add(session: AsyncSession, *, item: LedgerItem, upload: UploadLike, actor: User) -> EvidenceRead:
    """Store one evidence file after checking its name, size and first bytes; audit it."""
    await _may_change(session, item, actor)
    settings = get_settings()
    count = await session.scalar(select(func.count()).where(LedgerEvidence.item_id == item.id)) or 0
    if count >= settings.ledger_max_evidence:
        raise Conflict(
            N_(
                "An item has at most {ledger_max_evidence} evidence files; remove one first",
                ledger_max_evidence=settings.ledger_max_evidence,
            )
        )
    incoming = uploads.accept(upload.filename, EXTENSIONS, hint=f"attach {ALLOWED}")
    kept = await uploads.store(upload, incoming, folder=f"ledger/{item.id}", limit_mb=settings.ledger_evidence_max_mb)
    evidence = LedgerEvidence(
        item_id=item.id,
        filename=kept.filename,
        content_type=kept.content_type,
        size_bytes=kept.size,
        sha256=kept.sha256,
        storage_path=kept.path,
        uploaded_by_id=actor.id,
        uploaded_by_name=actor.full_name,
        created_at=utcnow(),
    )
    session.add(evidence)
    item.updated_at = utcnow()
    await session.flush()
    service.event(session, item, actor, EventKind.evidence_added, note=kept.filename)
    await service.audit_item(
        session,
        actor,
        "ledger.evidence_add",
        item,
        {"evidence_id": evidence.id, "filename": kept.filename, "size": kept.size, "sha256": kept.sha256},
    )
    return EvidenceRead.model_validate(evidence)


async def get(session: AsyncSession, item: LedgerItem, evidence_id: int) -> LedgerEvidence:
    evidence = await session.get(LedgerEvidence, evidence_id)
    if evidence is None or evidence.item_id != item.id:
        raise NotFound(N_("Ledger item {id} has no evidence {evidence_id}", id=item.id, evidence_id=evidence_id))
    return evidence


def path_of(evidence: LedgerEvidence) -> Path:
    return uploads.existing(evidence.storage_path, f"The file of evidence {evidence.id} is missing from storage")


async def remove(session: AsyncSession, *, item: LedgerItem, evidence_id: int, actor: User) -> None:
    evidence = await get(session, item, evidence_id)
    await _may_change(session, item, actor)
    await session.delete(evidence)
    item.updated_at = utcnow()
    await session.flush()
    uploads.delete_after_commit(session, [evidence.storage_path])
    service.event(session, item, actor, EventKind.evidence_removed, note=evidence.filename)
    await service.audit_item(
        session,
        actor,
        "ledger.evidence_remove",
        item,
        {"evidence_id": evidence.id, "filename": evidence.filename, "sha256": evidence.sha256},
    )
