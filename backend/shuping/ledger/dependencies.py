"""Who may read the ledger, and loading a cycle or an item from the path (404 when out of sight)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query

from shuping.auth.dependencies import RequireRole
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden
from shuping.core.i18n import N_
from shuping.core.schemas import MAX_ID
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle
from shuping.ledger import followup, service
from shuping.ledger.models import LedgerItem
from shuping.orgs.models import Organization
from shuping.orgs.scope import reaches

# Read the ledger: the org department, leaders, and secretaries (their own organisation's items).
LedgerReader = Annotated[User, Depends(RequireRole(*service.READER_ROLES))]
# Enter, harvest and import opinions, verify items: the org department (host clerks, checked per cycle).
LedgerStaff = Annotated[User, Depends(RequireRole(*STAFF_ROLES))]


async def reader_cycle(
    session: SessionDep, user: LedgerReader, cycle_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Cycle:
    cycle = await service.get_cycle(session, cycle_id)
    if user.role == Role.secretary and not await cycles_service.can_view(session, user, cycle.id):
        raise Forbidden(N_("Your organisation does not report in this cycle"))
    return cycle


ReaderCycle = Annotated[Cycle, Depends(reader_cycle)]


async def staff_cycle(session: SessionDep, user: LedgerStaff, cycle_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Cycle:
    cycle = await service.get_cycle(session, cycle_id)
    service.require_staff(user, cycle)
    return cycle


StaffCycle = Annotated[Cycle, Depends(staff_cycle)]


async def staff_cycle_query(
    session: SessionDep, user: LedgerStaff, cycle_id: Annotated[int, Query(ge=1, le=MAX_ID)]
) -> Cycle:
    """A cycle named in the query whose ledger the caller runs."""
    return await staff_cycle(session, user, cycle_id)


StaffCycleQuery = Annotated[Cycle, Depends(staff_cycle_query)]


async def path_item(
    session: SessionDep, user: LedgerReader, item_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> LedgerItem:
    return await service.get_item(session, item_id, user=user)


ItemDep = Annotated[LedgerItem, Depends(path_item)]


async def acting_item(session: SessionDep, user: LedgerReader, item: ItemDep) -> LedgerItem:
    """An item the caller works on: as its owner organisation or as the organisation department
    hosting its cycle (a leader, or a clerk who only reaches it, reads it)."""
    service.require_party(user, item, await service.get_cycle(session, item.cycle_id))
    return item


async def hosted_item(session: SessionDep, user: LedgerStaff, item: ItemDep) -> LedgerItem:
    """An item of a cycle the caller runs: they verify, merge and publish it."""
    service.require_staff(user, await service.get_cycle(session, item.cycle_id))
    return item


ActingItemDep = Annotated[LedgerItem, Depends(acting_item)]
HostedItemDep = Annotated[LedgerItem, Depends(hosted_item)]


@dataclass(frozen=True)
class FollowupSubject:
    cycle: Cycle
    org: Organization


async def followup_subject(
    session: SessionDep,
    user: LedgerReader,
    cycle_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    org_id: Annotated[int, Query(ge=1, le=MAX_ID, description="The township")],
) -> FollowupSubject:
    """A follow-up report's cycle and organisation, if the caller reaches that organisation."""
    if user.role not in service.ALL_ITEMS_ROLES and not await reaches(session, user, org_id):
        raise Forbidden(N_("You may read the follow-up reports of the organisations you work for only"))
    return FollowupSubject(await service.get_cycle(session, cycle_id), await followup.get_org(session, org_id))


FollowupSubjectDep = Annotated[FollowupSubject, Depends(followup_subject)]
