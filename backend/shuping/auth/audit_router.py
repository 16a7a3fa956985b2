"""Routes to read and verify the audit log: in auth, above audit, since an administrator alone may read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from shuping.audit import service as audit
from shuping.audit.schemas import AuditEntryRead, ChainCheckRead
from shuping.auth.dependencies import AdminUser
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import DbId, IsoDateTime, Page

router = Router(prefix="/audit", tags=["audit"])


@router.get("", response_model=Page[AuditEntryRead], summary="Read the audit log", responses=problems(401, 403, 422))
async def list_entries(
    session: SessionDep,
    _admin: AdminUser,
    actor_id: Annotated[DbId | None, Query()] = None,
    entity_type: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[IsoDateTime | None, Query(description="From this UTC time (inclusive)")] = None,
    until: Annotated[IsoDateTime | None, Query(description="Before this UTC time")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[AuditEntryRead]:
    rows, total = await audit.list_entries(
        session,
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return Page(items=[AuditEntryRead.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/verify", response_model=ChainCheckRead, summary="Verify the hash chain", responses=problems(401, 403))
async def verify(session: SessionDep, _admin: AdminUser) -> ChainCheckRead:
    return ChainCheckRead.model_validate(await audit.verify_chain(session))
