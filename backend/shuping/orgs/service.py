"""Organisation tree: listing, creating, changing, deactivating."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.audit.service import Actor
from shuping.core.errors import Conflict, FieldError, NotFound
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.orgs.models import ALLOWED_PARENTS, DOC_PREFIX_MAX, Organization, OrgKind
from shuping.orgs.schemas import OrgCreate, OrgRead, OrgUpdate

# Units that report (townships, the working committee, villages) before county departments.
_KIND_ORDER = case(
    {k: i for i, k in enumerate((OrgKind.county, OrgKind.township, OrgKind.working_committee, OrgKind.village))},
    value=Organization.kind,
    else_=9,
)


@dataclass(frozen=True)
class DocumentSettings:
    """What an organisation's documents carry: the 发文字号 prefix and the 发文机关."""

    prefix: str
    organ: str

    @property
    def bulletin_prefix(self) -> str:
        """The prefix of its bulletins (通报): the notices' with 通 for 整改 (汝组整改 → 汝组通); a prefix
        that does not end in 整改 serves every document as it is."""
        return self.prefix.removesuffix("整改") + "通" if self.prefix.endswith("整改") else self.prefix


def document_settings(org: Organization) -> DocumentSettings:
    """Its own settings, or where unset its name: the prefix its name and 整改 (cut to fit), the organ its name."""
    suffix = "整改"
    return DocumentSettings(
        prefix=org.doc_prefix or org.name[: DOC_PREFIX_MAX - len(suffix)] + suffix,
        organ=org.issuing_organ or org.name,
    )


async def exists(session: AsyncSession, org_id: int) -> bool:
    return await session.scalar(select(Organization.id).where(Organization.id == org_id)) is not None


async def get_org(session: AsyncSession, org_id: int) -> Organization:
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound(N_("Organisation {org_id} does not exist", org_id=org_id))
    return org


async def get_by_code(session: AsyncSession, code: str) -> Organization | None:
    return (await session.execute(select(Organization).where(Organization.code == code))).scalar_one_or_none()


async def _children_counts(session: AsyncSession, ids: Sequence[int], include_inactive: bool) -> dict[int, int]:
    if not ids:
        return {}
    stmt = (
        select(Organization.parent_id, func.count())
        .where(Organization.parent_id.in_(ids))
        .group_by(Organization.parent_id)
    )
    if not include_inactive:
        stmt = stmt.where(Organization.is_active.is_(True))
    return {int(pid): int(n) for pid, n in (await session.execute(stmt)).all() if pid is not None}


async def to_read(session: AsyncSession, orgs: Sequence[Organization], include_inactive: bool = False) -> list[OrgRead]:
    counts = await _children_counts(session, [o.id for o in orgs], include_inactive)
    return [OrgRead.model_validate(o).model_copy(update={"children_count": counts.get(o.id, 0)}) for o in orgs]


async def list_orgs(
    session: AsyncSession,
    *,
    kind: Sequence[OrgKind] | None,
    parent_id: int | None,
    q: str | None,
    include_inactive: bool,
    limit: int,
    offset: int,
) -> tuple[list[OrgRead], int]:
    stmt = select(Organization).order_by(_KIND_ORDER, Organization.code)
    if kind:
        stmt = stmt.where(Organization.kind.in_(kind))
    if parent_id is not None:
        stmt = stmt.where(Organization.parent_id == parent_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(Organization.name.ilike(like) | Organization.code.ilike(like))
    if not include_inactive:
        stmt = stmt.where(Organization.is_active.is_(True))
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    return await to_read(session, rows, include_inactive), total


async def _check_parent(session: AsyncSession, kind: OrgKind, parent_id: int | None) -> None:
    parent_kind: OrgKind | None = None
    if parent_id is not None:
        parent = await session.get(Organization, parent_id)
        if parent is None:
            raise FieldError(["body", "parent_id"], N_("Organisation {parent_id} does not exist", parent_id=parent_id))
        parent_kind = parent.kind
    if parent_kind not in ALLOWED_PARENTS[kind]:
        allowed = ", ".join(sorted(k.value if k else "none" for k in ALLOWED_PARENTS[kind]))
        raise FieldError(
            ["body", "parent_id"],
            N_(
                "A {value} must sit under: {allowed} (not {value2})",
                value=kind,
                allowed=allowed,
                value2=parent_kind.value if parent_kind else "none",
            ),
        )


async def _check_code_free(session: AsyncSession, code: str) -> None:
    if await get_by_code(session, code) is not None:
        raise Conflict(
            N_("Organisation code {code!r} is taken", code=code), errors=[{"loc": ["body", "code"], "msg": N_("taken")}]
        )


async def create_org(session: AsyncSession, *, org_in: OrgCreate, actor: Actor) -> OrgRead:
    await _check_code_free(session, org_in.code)
    await _check_parent(session, org_in.kind, org_in.parent_id)
    org = Organization(**org_in.model_dump())
    session.add(org)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="org.create",
        entity_type="organization",
        entity_id=org.id,
        data=org_in.model_dump(mode="json"),
    )
    return (await to_read(session, [org]))[0]


async def update_org(session: AsyncSession, *, org: Organization, org_in: OrgUpdate, actor: Actor) -> OrgRead:
    changes: dict[str, Any] = {k: v for k, v in org_in.model_dump(exclude_unset=True).items()}
    for field in ("code", "name", "is_active"):
        if field in changes and changes[field] is None:
            raise FieldError(["body", field], N_("{field} cannot be null", field=field))
    if "code" in changes and changes["code"] != org.code:
        await _check_code_free(session, changes["code"])
    if "parent_id" in changes and changes["parent_id"] != org.parent_id:
        await _check_parent(session, org.kind, changes["parent_id"])
    if changes.get("is_active") is False and org.is_active:
        active_children = await session.scalar(
            select(func.count()).where(Organization.parent_id == org.id, Organization.is_active.is_(True))
        )
        if active_children:
            raise Conflict(
                N_("Deactivate its {active_children} active sub-organisations first", active_children=active_children)
            )
    before = {k: getattr(org, k) for k in changes}
    for field, value in changes.items():
        setattr(org, field, value)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="org.update",
        entity_type="organization",
        entity_id=org.id,
        data={"before": before, "after": changes},
    )
    return (await to_read(session, [org], include_inactive=True))[0]
