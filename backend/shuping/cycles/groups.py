"""Evaluator groups (评议代表分组) of a cycle and their named members: the rules, setting them, assigning evaluators."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.errors import FieldErrors, NotFound
from shuping.core.i18n import N_
from shuping.core.values import decimal_text
from shuping.cycles import gates, holdings
from shuping.cycles.holdings import Part
from shuping.cycles.models import Aggregation, Cycle, CycleStage, EvaluatorGroup, EvaluatorGroupMember
from shuping.cycles.schemas import CandidateRead, GroupIn, GroupsRead, MemberRead
from shuping.cycles.service import EVALUATOR_ROLES, Loc, ProblemItem, group_read, member_counts, require_stage

ONE = Decimal(1)


# --- rules -----------------------------------------------------------------------------------


def group_trim(group_in: GroupIn) -> int:
    if group_in.trim is not None:
        return group_in.trim
    return 1 if group_in.aggregation == Aggregation.trimmed_mean else 0


def check_groups(groups: Sequence[GroupIn], prefix: Loc, *, full_weight: bool) -> list[ProblemItem]:
    """Group rules; with full_weight, the weights must also sum to exactly 1."""
    errors: list[ProblemItem] = []
    seen: dict[str, int] = {}
    for i, g in enumerate(groups):
        if g.key in seen:
            errors.append(
                {
                    "loc": [*prefix, i, "key"],
                    "msg": N_("Duplicate group key {key!r} (already groups[{seen}])", key=g.key, seen=seen[g.key]),
                }
            )
        else:
            seen[g.key] = i
        trim = group_trim(g)
        if g.aggregation == Aggregation.mean and trim != 0:
            errors.append({"loc": [*prefix, i, "trim"], "msg": N_("trim applies to the aggregation trimmed_mean only")})
        if g.aggregation == Aggregation.trimmed_mean and trim < 1:
            errors.append({"loc": [*prefix, i, "trim"], "msg": N_("trimmed_mean needs trim of at least 1")})
        if g.expected and g.quorum > g.expected:
            errors.append(
                {
                    "loc": [*prefix, i, "quorum"],
                    "msg": N_(
                        "The quorum ({quorum}) exceeds the expected count ({expected})",
                        quorum=g.quorum,
                        expected=g.expected,
                    ),
                }
            )
    if full_weight and groups:
        total = sum((g.weight for g in groups), Decimal(0))
        if total != ONE:
            errors.append(
                {
                    "loc": prefix,
                    "msg": N_("Group weights sum to {total}; they must sum to 1", total=decimal_text(total)),
                }
            )
    return errors


def build_group(group_in: GroupIn, position: int) -> EvaluatorGroup:
    group = EvaluatorGroup(position=position, key=group_in.key)
    _set_group(group, group_in, position)
    return group


def _set_group(group: EvaluatorGroup, group_in: GroupIn, position: int) -> None:
    group.position = position
    group.name = group_in.name
    group.weight = group_in.weight
    group.aggregation = group_in.aggregation
    group.trim = group_trim(group_in)
    group.anonymous = group_in.anonymous
    group.expected = group_in.expected
    group.quorum = group_in.quorum


# --- setting groups and members --------------------------------------------------------------


async def replace_groups(session: AsyncSession, *, cycle: Cycle, groups_in: Sequence[GroupIn], actor: User) -> None:
    """Set the cycle's groups; a group whose key stays keeps its members."""
    require_stage(cycle, CycleStage.preparation, doing=N_("change the evaluator groups"))
    errors = check_groups(groups_in, ["body", "groups"], full_weight=False)
    if errors:
        raise FieldErrors(errors)
    existing = {g.key: g for g in cycle.groups}
    kept: list[EvaluatorGroup] = []
    for i, group_in in enumerate(groups_in):
        group = existing.get(group_in.key)
        if group is None:
            group = build_group(group_in, i)
        else:
            _set_group(group, group_in, i)
        kept.append(group)
    removed = [k for k in existing if k not in {g.key for g in groups_in}]
    # Going back to preparation keeps what was cast: a group holding ballots stays.
    held = await holdings.of(session, Part.group, {existing[k].id: k for k in removed})
    holdings.refuse(held, doing=N_("remove the groups"))
    cycle.groups = kept
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="cycle.groups",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"groups": [g.model_dump(mode="json") for g in groups_in], "removed": removed},
    )


async def groups_read(session: AsyncSession, cycle: Cycle) -> GroupsRead:
    members = await member_counts(session, cycle.id)
    total = gates.weight_sum(cycle)
    return GroupsRead(
        groups=[group_read(g, members.get(g.id, 0)) for g in cycle.groups], weight_sum=total, weights_ok=total == ONE
    )


async def list_members(session: AsyncSession, cycle: Cycle, group: EvaluatorGroup | None = None) -> list[MemberRead]:
    keys = {g.id: g.key for g in cycle.groups}
    stmt = (
        select(EvaluatorGroupMember, User)
        .join(User, User.id == EvaluatorGroupMember.user_id)
        .options(selectinload(User.org))
        .where(EvaluatorGroupMember.cycle_id == cycle.id)
        .order_by(EvaluatorGroupMember.group_id, User.username)
    )
    if group is not None:
        stmt = stmt.where(EvaluatorGroupMember.group_id == group.id)
    return [
        MemberRead(
            user_id=u.id,
            username=u.username,
            full_name=u.full_name,
            role=u.role,
            org_name=u.org.name,
            group_key=keys.get(m.group_id, ""),
        )
        for m, u in (await session.execute(stmt)).all()
    ]


async def candidates(
    session: AsyncSession, *, cycle: Cycle, q: str | None, role: Role | None, limit: int
) -> list[CandidateRead]:
    """Active leaders, deputies and members to pick evaluators from, with their current group."""
    roles = [role] if role in EVALUATOR_ROLES else list(EVALUATOR_ROLES) if role is None else []
    stmt = (
        select(User)
        .options(selectinload(User.org))
        .where(User.is_active.is_(True), User.role.in_(roles))
        .order_by(User.role, User.username)
        .limit(limit)
    )
    if q:
        like = f"%{q}%"
        stmt = stmt.where(User.username.ilike(like) | User.full_name.ilike(like))
    users = (await session.execute(stmt)).scalars().all()
    keys = {g.id: g.key for g in cycle.groups}
    groups = {
        int(uid): keys.get(int(gid))
        for uid, gid in (
            await session.execute(
                select(EvaluatorGroupMember.user_id, EvaluatorGroupMember.group_id).where(
                    EvaluatorGroupMember.cycle_id == cycle.id, EvaluatorGroupMember.user_id.in_([u.id for u in users])
                )
            )
        ).all()
    }
    return [
        CandidateRead(
            user_id=u.id,
            username=u.username,
            full_name=u.full_name,
            role=u.role,
            org_name=u.org.name,
            group_key=groups.get(u.id),
        )
        for u in users
    ]


async def add_members(
    session: AsyncSession, *, cycle: Cycle, group: EvaluatorGroup, user_ids: Sequence[int], actor: User
) -> list[MemberRead]:
    require_stage(cycle, CycleStage.preparation, CycleStage.evaluation, doing=N_("assign evaluators"))
    users = {u.id: u for u in (await session.execute(select(User).where(User.id.in_(set(user_ids))))).scalars().all()}
    current = {
        int(uid): int(gid)
        for uid, gid in (
            await session.execute(
                select(EvaluatorGroupMember.user_id, EvaluatorGroupMember.group_id).where(
                    EvaluatorGroupMember.cycle_id == cycle.id, EvaluatorGroupMember.user_id.in_(set(user_ids))
                )
            )
        ).all()
    }
    keys = {g.id: g.key for g in cycle.groups}
    errors: list[ProblemItem] = []
    to_add: list[int] = []
    for i, uid in enumerate(user_ids):
        loc: Loc = ["body", "user_ids", i]
        u = users.get(uid)
        if u is None:
            errors.append({"loc": loc, "msg": N_("User {uid} does not exist", uid=uid)})
        elif not u.is_active:
            errors.append({"loc": loc, "msg": N_("User {username} is deactivated", username=u.username)})
        elif u.role not in EVALUATOR_ROLES:
            errors.append(
                {
                    "loc": loc,
                    "msg": N_(
                        "{username} is a {value}; only leaders, deputies and members evaluate",
                        username=u.username,
                        value=u.role,
                    ),
                }
            )
        elif uid in current and current[uid] != group.id:
            errors.append(
                {
                    "loc": loc,
                    "msg": N_(
                        "{username} is already in the group {value!r}",
                        username=u.username,
                        value=keys.get(current[uid]),
                    ),
                }
            )
        elif uid not in current and uid not in to_add:
            to_add.append(uid)
    if errors:
        raise FieldErrors(errors)
    session.add_all(EvaluatorGroupMember(cycle_id=cycle.id, group_id=group.id, user_id=uid) for uid in to_add)
    await session.flush()
    if to_add:
        await audit.record(
            session,
            actor=actor,
            action="cycle.members_add",
            entity_type="cycle",
            entity_id=cycle.id,
            data={"group": group.key, "user_ids": to_add},
        )
    return await list_members(session, cycle, group)


async def remove_member(
    session: AsyncSession, *, cycle: Cycle, group: EvaluatorGroup, user_id: int, actor: User
) -> None:
    require_stage(cycle, CycleStage.preparation, CycleStage.evaluation, doing=N_("change the evaluators"))
    member = (
        await session.execute(
            select(EvaluatorGroupMember).where(
                EvaluatorGroupMember.group_id == group.id, EvaluatorGroupMember.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    if member is None:
        raise NotFound(N_("User {user_id} is not in the group {key!r}", user_id=user_id, key=group.key))
    # Their named ballots would still count, cast by no member: refused while any are kept.
    name = await session.scalar(select(User.username).where(User.id == user_id)) or str(user_id)
    held = await holdings.of(session, Part.evaluator, {member.id: name})
    holdings.refuse(held, doing=N_("remove the member from the group {key!r}", key=group.key))
    await session.delete(member)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="cycle.member_remove",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"group": group.key, "user_id": user_id},
    )
