"""How far a user reaches: the one rule behind every "may this user touch this organisation's data".

- an administrator reaches every organisation;
- a clerk reaches the organisations they work for and everything below them: a township's
  clerk their township and its villages; a clerk of a department (the organisation
  department 县委组织部) the Party committee it serves, hence the whole county;
- a secretary reaches their own organisation;
- leaders, deputies, members and integration accounts reach no organisation's records by
  role: what they see comes from what they are assigned to.

Domains scope their queries with `within_reach(user, column)` and check a single object with
`reaches(session, user, org_id)`; the README's authorization table says the same in words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shuping.auth.models import Role, User
from shuping.orgs.models import Organization, OrgKind

OrgColumn = ColumnElement[Any] | InstrumentedAttribute[Any]


def host_org_ids(user: User) -> set[int]:
    """The organisations a clerk works for: their own, and for a department the Party committee
    it serves (县委组织部 → 汝阳县委)."""
    ids = {user.org_id}
    if user.org.kind == OrgKind.department and user.org.parent_id is not None:
        ids.add(user.org.parent_id)
    return ids


def may_host(user: User, org_id: int) -> bool:
    """Whether the user runs the cycles (and the rubrics they use) that this organisation hosts."""
    if user.role == Role.admin:
        return True
    return user.role == Role.clerk and org_id in host_org_ids(user)


def is_county_staff(user: User) -> bool:
    """The organisation department itself: an administrator, or a clerk of a department."""
    return user.role == Role.admin or (user.role == Role.clerk and user.org.kind == OrgKind.department)


def _subtree(column: OrgColumn, roots: set[int]) -> ColumnElement[bool]:
    """The column names one of the roots or an organisation up to two levels below one
    (county → township → village)."""
    children = select(Organization.id).where(Organization.parent_id.in_(roots))
    grandchildren = select(Organization.id).where(Organization.parent_id.in_(children))
    return or_(column.in_(roots), column.in_(children), column.in_(grandchildren))


def within_reach(user: User, column: OrgColumn) -> ColumnElement[bool]:
    """A filter: the organisation in `column` is one the user reaches."""
    if user.role == Role.admin:
        return true()
    if user.role == Role.clerk:
        return _subtree(column, host_org_ids(user))
    if user.role == Role.secretary:
        return column == user.org_id
    return false()


async def reaches(session: AsyncSession, user: User, org_id: int | None) -> bool:
    """Whether the user reaches this one organisation."""
    if org_id is None:
        return user.role == Role.admin
    if user.role == Role.admin:
        return True
    if user.role == Role.secretary:
        return user.org_id == org_id
    if user.role != Role.clerk:
        return False
    stmt = select(Organization.id).where(Organization.id == org_id, within_reach(user, Organization.id))
    return await session.scalar(stmt) is not None
