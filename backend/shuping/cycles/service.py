"""Cycles: who may see and manage them, their settings, groups and members, and the stage gates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.core.errors import Conflict, FieldErrors, Forbidden, InvalidState, NotFound
from shuping.core.pagination import paginate
from shuping.core.values import decimal_text
from shuping.cycles import holdings
from shuping.cycles.models import (
    DEFAULT_OPINION_CATEGORIES,
    DEFAULT_THRESHOLDS,
    Aggregation,
    Cycle,
    CycleStage,
    EvaluatorGroup,
    EvaluatorGroupMember,
    GradingMethod,
    OpinionCategory,
    next_stage,
    previous_stage,
)
from shuping.cycles.schemas import (
    Blocker,
    CandidateRead,
    CycleCreate,
    CycleRead,
    CycleSummary,
    CycleUpdate,
    Gate,
    GradingIn,
    GradingRead,
    GroupIn,
    GroupRead,
    GroupsRead,
    MemberRead,
    OrgRef,
    ReportCounts,
    RubricRef,
    TierSharesIn,
    TierSharesRead,
)
from shuping.db import utcnow
from shuping.orgs.models import Organization
from shuping.orgs.scope import may_host, within_reach
from shuping.reports.models import Report, ReportStatus
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import Rubric

Loc = list[str | int]
ProblemItem = dict[str, Any]

EVALUATOR_ROLES = frozenset({Role.leader, Role.deputy, Role.member})
TIERS_WITH_SHARES = ("good", "fairly_good", "average")
ONE = Decimal(1)


# --- who may do what -------------------------------------------------------------------------


def can_manage(user: User, cycle: Cycle) -> bool:
    return may_host(user, cycle.host_org_id)


def visibility(user: User) -> ColumnElement[bool]:
    """Which cycles a user sees: an administrator all; a clerk those hosted or reported in by an
    organisation they reach; a secretary those their organisation reports in; an evaluator those
    they are assigned to."""
    if user.role == Role.admin:
        return true()
    if user.role in STAFF_ROLES:
        reporting = select(Report.cycle_id).where(within_reach(user, Report.org_id))
        return or_(within_reach(user, Cycle.host_org_id), Cycle.id.in_(reporting))
    if user.role == Role.secretary:
        return Cycle.id.in_(select(Report.cycle_id).where(Report.org_id == user.org_id))
    if user.role in EVALUATOR_ROLES:
        return Cycle.id.in_(select(EvaluatorGroupMember.cycle_id).where(EvaluatorGroupMember.user_id == user.id))
    return false()


async def can_view(session: AsyncSession, user: User, cycle_id: int) -> bool:
    stmt = select(Cycle.id).where(Cycle.id == cycle_id, visibility(user))
    return await session.scalar(stmt) is not None


async def is_member(session: AsyncSession, user_id: int, cycle_id: int) -> bool:
    stmt = select(EvaluatorGroupMember.id).where(
        EvaluatorGroupMember.cycle_id == cycle_id, EvaluatorGroupMember.user_id == user_id
    )
    return await session.scalar(stmt) is not None


def require_manage(user: User, cycle: Cycle) -> None:
    if not can_manage(user, cycle):
        raise Forbidden("Only administrators, and clerks of the host organisation, manage this cycle")


def require_stage(cycle: Cycle, *stages: CycleStage, doing: str) -> None:
    if cycle.stage not in stages:
        allowed = " or ".join(s.value for s in stages)
        raise InvalidState(f"Cannot {doing}: the cycle is in {cycle.stage.value}, this needs {allowed}")


# --- loading ---------------------------------------------------------------------------------


def _with_all() -> Select[Cycle]:
    return select(Cycle).options(
        selectinload(Cycle.host_org),
        selectinload(Cycle.rubric).selectinload(Rubric.items),
        selectinload(Cycle.groups),
        selectinload(Cycle.opinion_categories),
    )


async def get_cycle(session: AsyncSession, cycle_id: int) -> Cycle:
    stmt = _with_all().where(Cycle.id == cycle_id).execution_options(populate_existing=True)
    cycle = (await session.execute(stmt)).scalar_one_or_none()
    if cycle is None:
        raise NotFound(f"Cycle {cycle_id} does not exist")
    return cycle


def find_group(cycle: Cycle, key: str) -> EvaluatorGroup:
    for group in cycle.groups:
        if group.key == key:
            return group
    raise NotFound(f"Cycle {cycle.id} has no evaluator group {key!r}")


async def report_counts(session: AsyncSession, cycle_ids: Sequence[int]) -> dict[int, ReportCounts]:
    counts: dict[int, ReportCounts] = {cid: ReportCounts() for cid in cycle_ids}
    if not cycle_ids:
        return counts
    stmt = (
        select(Report.cycle_id, Report.status, func.count())
        .where(Report.cycle_id.in_(cycle_ids))
        .group_by(Report.cycle_id, Report.status)
    )
    for cid, status, n in (await session.execute(stmt)).all():
        c = counts[cid]
        setattr(c, ReportStatus(status).value, int(n))
        c.total += int(n)
    return counts


async def member_counts(session: AsyncSession, cycle_id: int) -> dict[int, int]:
    stmt = (
        select(EvaluatorGroupMember.group_id, func.count())
        .where(EvaluatorGroupMember.cycle_id == cycle_id)
        .group_by(EvaluatorGroupMember.group_id)
    )
    return {int(gid): int(n) for gid, n in (await session.execute(stmt)).all()}


# --- reading ---------------------------------------------------------------------------------


def _rubric_ref(cycle: Cycle) -> RubricRef | None:
    r = cycle.rubric
    if r is None:
        return None
    return RubricRef(
        id=r.id, name=r.name, version=r.version, max_total=sum((i.max_points for i in r.items), Decimal(0))
    )


def grading_read(cycle: Cycle) -> GradingRead:
    shares = TierSharesRead(good=cycle.grade_good, fairly_good=cycle.grade_fairly_good, average=cycle.grade_average)
    return GradingRead(
        method=cycle.grading_method,
        thresholds=shares if cycle.grading_method == GradingMethod.thresholds else None,
        quotas=shares if cycle.grading_method == GradingMethod.quota else None,
        poor_vote_share=cycle.poor_vote_share,
        consequence_count=cycle.consequence_count,
        min_ballots_shown=cycle.min_ballots_shown,
    )


def _group_read(group: EvaluatorGroup, members: int) -> GroupRead:
    return GroupRead.model_validate(group).model_copy(update={"member_count": members})


def _summary_fields(cycle: Cycle, counts: ReportCounts) -> dict[str, Any]:
    return {
        "id": cycle.id,
        "name": cycle.name,
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "report_due_date": cycle.report_due_date,
        "stage": cycle.stage,
        "host_org": OrgRef.model_validate(cycle.host_org),
        "rubric": _rubric_ref(cycle),
        "report_counts": counts,
        "created_at": cycle.created_at,
    }


def weight_sum(cycle: Cycle) -> Decimal:
    return sum((g.weight for g in cycle.groups), Decimal(0))


async def read(session: AsyncSession, cycle_id: int, user: User) -> CycleRead:
    cycle = await get_cycle(session, cycle_id)
    counts = (await report_counts(session, [cycle.id]))[cycle.id]
    members = await member_counts(session, cycle.id)
    return CycleRead(
        **_summary_fields(cycle, counts),
        stage_changed_at=cycle.stage_changed_at,
        grading=grading_read(cycle),
        opinion_categories=[c.name for c in cycle.opinion_categories],
        groups=[_group_read(g, members.get(g.id, 0)) for g in cycle.groups],
        weight_sum=weight_sum(cycle),
        next_gate=await gate(session, cycle),
        can_manage=can_manage(user, cycle),
        updated_at=cycle.updated_at,
    )


async def list_cycles(
    session: AsyncSession, *, user: User, stage: CycleStage | None, q: str | None, limit: int, offset: int
) -> tuple[list[CycleSummary], int]:
    stmt = _with_all().where(visibility(user)).order_by(Cycle.period_start.desc(), Cycle.id.desc())
    if stage is not None:
        stmt = stmt.where(Cycle.stage == stage)
    if q:
        stmt = stmt.where(Cycle.name.ilike(f"%{q}%"))
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    counts = await report_counts(session, [c.id for c in rows])
    return [CycleSummary(**_summary_fields(c, counts[c.id])) for c in rows], total


# --- rules on settings -----------------------------------------------------------------------


def _descending(shares: TierSharesIn, loc: Loc, what: str) -> list[ProblemItem]:
    errors: list[ProblemItem] = []
    for higher, lower in pairwise(TIERS_WITH_SHARES):
        hi: Decimal = getattr(shares, higher)
        lo: Decimal = getattr(shares, lower)
        if lo >= hi:
            errors.append(
                {
                    "loc": [*loc, lower],
                    "msg": f"{what} must strictly descend: {lower} ({decimal_text(lo)}) "
                    f"must be below {higher} ({decimal_text(hi)})",
                }
            )
    return errors


def check_grading(grading: GradingIn, prefix: Loc) -> list[ProblemItem]:
    errors: list[ProblemItem] = []
    if grading.method == GradingMethod.thresholds:
        if grading.quotas is not None:
            errors.append({"loc": [*prefix, "quotas"], "msg": "quotas apply to the method quota only"})
        if grading.thresholds is not None:
            errors += _descending(grading.thresholds, [*prefix, "thresholds"], "Thresholds")
            if grading.thresholds.average <= 0:
                errors.append({"loc": [*prefix, "thresholds", "average"], "msg": "Thresholds must be above 0"})
    else:
        if grading.thresholds is not None:
            errors.append({"loc": [*prefix, "thresholds"], "msg": "thresholds apply to the method thresholds only"})
        if grading.quotas is None:
            errors.append(
                {"loc": [*prefix, "quotas"], "msg": "The method quota needs quotas for good, fairly_good, average"}
            )
        else:
            total = grading.quotas.good + grading.quotas.fairly_good + grading.quotas.average
            if total > ONE:
                errors.append(
                    {"loc": [*prefix, "quotas"], "msg": f"Quotas sum to {decimal_text(total)}; they may not exceed 1"}
                )
    return errors


def check_categories(names: Sequence[str] | None, prefix: Loc) -> list[ProblemItem]:
    errors: list[ProblemItem] = []
    seen: set[str] = set()
    for i, name in enumerate(names or []):
        if name in seen:
            errors.append({"loc": [*prefix, i], "msg": f"Duplicate opinion category {name!r}"})
        seen.add(name)
    return errors


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
                {"loc": [*prefix, i, "key"], "msg": f"Duplicate group key {g.key!r} (already groups[{seen[g.key]}])"}
            )
        else:
            seen[g.key] = i
        trim = group_trim(g)
        if g.aggregation == Aggregation.mean and trim != 0:
            errors.append({"loc": [*prefix, i, "trim"], "msg": "trim applies to the aggregation trimmed_mean only"})
        if g.aggregation == Aggregation.trimmed_mean and trim < 1:
            errors.append({"loc": [*prefix, i, "trim"], "msg": "trimmed_mean needs trim of at least 1"})
        if g.expected and g.quorum > g.expected:
            errors.append(
                {
                    "loc": [*prefix, i, "quorum"],
                    "msg": f"The quorum ({g.quorum}) exceeds the expected count ({g.expected})",
                }
            )
    if full_weight and groups:
        total = sum((g.weight for g in groups), Decimal(0))
        if total != ONE:
            errors.append({"loc": prefix, "msg": f"Group weights sum to {decimal_text(total)}; they must sum to 1"})
    return errors


def apply_grading(cycle: Cycle, grading: GradingIn) -> None:
    cycle.grading_method = grading.method
    if grading.method == GradingMethod.thresholds:
        shares = grading.thresholds or TierSharesIn(**DEFAULT_THRESHOLDS)
    else:
        assert grading.quotas is not None
        shares = grading.quotas
    cycle.grade_good = shares.good
    cycle.grade_fairly_good = shares.fairly_good
    cycle.grade_average = shares.average
    cycle.poor_vote_share = grading.poor_vote_share
    cycle.consequence_count = grading.consequence_count
    cycle.min_ballots_shown = grading.min_ballots_shown


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


def build_categories(names: Sequence[str] | None) -> list[OpinionCategory]:
    return [OpinionCategory(position=i, name=n) for i, n in enumerate(names or DEFAULT_OPINION_CATEGORIES)]


# --- writing ---------------------------------------------------------------------------------


async def create_cycle(session: AsyncSession, *, cycle_in: CycleCreate, actor: User) -> Cycle:
    errors: list[ProblemItem] = []
    host = await session.get(Organization, cycle_in.host_org_id)
    if host is None:
        errors.append({"loc": ["body", "host_org_id"], "msg": f"Organisation {cycle_in.host_org_id} does not exist"})
    elif not may_host(actor, host.id):
        raise Forbidden(
            f"You may not host a cycle for {host.name}", errors=[{"loc": ["body", "host_org_id"], "msg": "not yours"}]
        )
    if cycle_in.period_end < cycle_in.period_start:
        errors.append({"loc": ["body", "period_end"], "msg": "The period ends before it starts"})
    if cycle_in.rubric_id is not None and not await rubrics_service.exists(session, cycle_in.rubric_id):
        errors.append({"loc": ["body", "rubric_id"], "msg": f"Rubric {cycle_in.rubric_id} does not exist"})
    errors += check_grading(cycle_in.grading, ["body", "grading"])
    errors += check_categories(cycle_in.opinion_categories, ["body", "opinion_categories"])
    if errors:
        raise FieldErrors(errors)
    cycle = Cycle(
        name=cycle_in.name,
        period_start=cycle_in.period_start,
        period_end=cycle_in.period_end,
        report_due_date=cycle_in.report_due_date,
        host_org_id=cycle_in.host_org_id,
        rubric_id=cycle_in.rubric_id,
        stage=CycleStage.preparation,
        opinion_categories=build_categories(cycle_in.opinion_categories),
    )
    apply_grading(cycle, cycle_in.grading)
    session.add(cycle)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="cycle.create",
        entity_type="cycle",
        entity_id=cycle.id,
        data=cycle_in.model_dump(mode="json"),
    )
    return cycle


_ANY_STAGE_FIELDS = frozenset({"name", "report_due_date"})


async def update_cycle(session: AsyncSession, *, cycle: Cycle, cycle_in: CycleUpdate, actor: User) -> Cycle:
    changes = cycle_in.model_dump(exclude_unset=True)
    if cycle.stage == CycleStage.closed:
        raise InvalidState("The cycle is closed and can no longer change")
    settled = sorted(set(changes) - _ANY_STAGE_FIELDS)
    if settled and cycle.stage != CycleStage.preparation:
        raise InvalidState(
            f"{', '.join(settled)} can change only in preparation; the cycle is in {cycle.stage.value}",
            errors=[{"loc": ["body", f], "msg": "fixed after preparation"} for f in settled],
        )
    errors: list[ProblemItem] = []
    for field in ("name", "period_start", "period_end", "grading", "opinion_categories"):
        if field in changes and changes[field] is None:
            errors.append({"loc": ["body", field], "msg": f"{field} cannot be null"})
    start = changes.get("period_start") or cycle.period_start
    end = changes.get("period_end") or cycle.period_end
    if end < start:
        errors.append({"loc": ["body", "period_end"], "msg": "The period ends before it starts"})
    rubric_id = changes.get("rubric_id")
    if rubric_id is not None and not await rubrics_service.exists(session, rubric_id):
        errors.append({"loc": ["body", "rubric_id"], "msg": f"Rubric {rubric_id} does not exist"})
    if cycle_in.grading is not None:
        errors += check_grading(cycle_in.grading, ["body", "grading"])
    errors += check_categories(cycle_in.opinion_categories, ["body", "opinion_categories"])
    if errors:
        raise FieldErrors(errors)
    await _refuse_orphaning_update(session, cycle, changes)

    before = {k: _audit_value(cycle, k) for k in changes}
    for field in ("name", "period_start", "period_end", "report_due_date", "rubric_id"):
        if field in changes:
            setattr(cycle, field, changes[field])
    if cycle_in.grading is not None:
        apply_grading(cycle, cycle_in.grading)
    if cycle_in.opinion_categories is not None:
        cycle.opinion_categories.clear()
        await session.flush()
        cycle.opinion_categories.extend(build_categories(cycle_in.opinion_categories))
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="cycle.update",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"before": before, "after": cycle_in.model_dump(mode="json", exclude_unset=True)},
    )
    return cycle


async def _refuse_orphaning_update(session: AsyncSession, cycle: Cycle, changes: dict[str, Any]) -> None:
    """A cycle taken back to preparation keeps what was cast: its ballots' rubric and the categories in use."""
    if "rubric_id" in changes and changes["rubric_id"] != cycle.rubric_id:
        cast = await holdings.ballots_of_cycle(session, cycle.id)
        if cast:
            raise holdings.StillHeld(
                f"Cannot change the rubric: the cycle holds {cast} ballot(s) answered on its current rubric",
                errors=[{"loc": ["body", "rubric_id"], "msg": f"{cast} ballot(s) were cast on the current rubric"}],
            )
    if changes.get("opinion_categories") is not None:
        kept = set(changes["opinion_categories"])
        gone = [c.name for c in cycle.opinion_categories if c.name not in kept]
        holdings.refuse(await holdings.of_categories(session, cycle.id, gone), doing="remove the categories")


def _audit_value(cycle: Cycle, field: str) -> Any:
    if field == "grading":
        return grading_read(cycle).model_dump(mode="json")
    if field == "opinion_categories":
        return [c.name for c in cycle.opinion_categories]
    value = getattr(cycle, field)
    return value.isoformat() if hasattr(value, "isoformat") else value


async def replace_groups(session: AsyncSession, *, cycle: Cycle, groups_in: Sequence[GroupIn], actor: User) -> None:
    """Set the cycle's groups; a group whose key stays keeps its members."""
    require_stage(cycle, CycleStage.preparation, doing="change the evaluator groups")
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
    held = await holdings.of_groups(session, {existing[k].id: k for k in removed})
    holdings.refuse(held, doing="remove the groups")
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
    total = weight_sum(cycle)
    return GroupsRead(
        groups=[_group_read(g, members.get(g.id, 0)) for g in cycle.groups], weight_sum=total, weights_ok=total == ONE
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
    require_stage(cycle, CycleStage.preparation, CycleStage.evaluation, doing="assign evaluators")
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
            errors.append({"loc": loc, "msg": f"User {uid} does not exist"})
        elif not u.is_active:
            errors.append({"loc": loc, "msg": f"User {u.username} is deactivated"})
        elif u.role not in EVALUATOR_ROLES:
            errors.append(
                {"loc": loc, "msg": f"{u.username} is a {u.role.value}; only leaders, deputies and members evaluate"}
            )
        elif uid in current and current[uid] != group.id:
            errors.append({"loc": loc, "msg": f"{u.username} is already in the group {keys.get(current[uid])!r}"})
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
    require_stage(cycle, CycleStage.preparation, CycleStage.evaluation, doing="change the evaluators")
    member = (
        await session.execute(
            select(EvaluatorGroupMember).where(
                EvaluatorGroupMember.group_id == group.id, EvaluatorGroupMember.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    if member is None:
        raise NotFound(f"User {user_id} is not in the group {group.key!r}")
    # Their named ballots would still count, cast by no member: refused while any are kept.
    name = await session.scalar(select(User.username).where(User.id == user_id)) or str(user_id)
    held = await holdings.of_evaluator(session, group_id=group.id, user_id=user_id, name=name)
    holdings.refuse(held, doing=f"remove the member from the group {group.key!r}")
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


# --- stages and their gates ------------------------------------------------------------------

GateCheck = Callable[[AsyncSession, Cycle], Awaitable[list[Blocker]]]
_gate_checks: dict[CycleStage, list[GateCheck]] = defaultdict(list)


StageHook = Callable[[AsyncSession, Cycle, CycleStage, CycleStage], Awaitable[None]]
_stage_hooks: list[StageHook] = []


def register_stage_hook(hook: StageHook) -> None:
    """Let another capability act when a cycle changes stage (from, to), or refuse it by raising."""
    if hook not in _stage_hooks:
        _stage_hooks.append(hook)


async def _after_move(session: AsyncSession, cycle: Cycle, before: CycleStage, after: CycleStage) -> None:
    for hook in _stage_hooks:
        await hook(session, cycle, before, after)


def register_gate_check(entering: CycleStage, check: GateCheck) -> None:
    """Let another capability hold a gate (meetings: no assessment while a meeting is live)."""
    if check not in _gate_checks[entering]:
        _gate_checks[entering].append(check)


async def _evaluation_gate(session: AsyncSession, cycle: Cycle) -> list[Blocker]:
    blockers: list[Blocker] = []
    if cycle.rubric_id is None:
        blockers.append(Blocker(code="no_rubric", message="The cycle has no rubric"))
    if not cycle.groups:
        blockers.append(Blocker(code="no_groups", message="The cycle has no evaluator groups"))
    else:
        total = weight_sum(cycle)
        if total != ONE:
            blockers.append(
                Blocker(
                    code="weights_sum",
                    message=f"The group weights sum to {decimal_text(total)}, not 1",
                    params={"sum": decimal_text(total)},
                )
            )
        members = await member_counts(session, cycle.id)
        for g in cycle.groups:
            if not g.anonymous and members.get(g.id, 0) == 0:
                blockers.append(
                    Blocker(
                        code="group_without_members",
                        message=f"The named group {g.name} ({g.key}) has no evaluators assigned",
                        params={"group": g.name},
                    )
                )
    pending = (
        (
            await session.execute(
                select(Organization.name)
                .join(Report, Report.org_id == Organization.id)
                .where(Report.cycle_id == cycle.id, Report.status != ReportStatus.accepted)
                .order_by(Report.position, Report.id)
            )
        )
        .scalars()
        .all()
    )
    total_reports = await session.scalar(select(func.count()).where(Report.cycle_id == cycle.id))
    if not total_reports:
        blockers.append(Blocker(code="no_reports", message="The cycle has no reports"))
    elif pending:
        names = "、".join(pending[:5]) + ("…" if len(pending) > 5 else "")
        blockers.append(
            Blocker(
                code="reports_not_accepted",
                message=f"{len(pending)} report(s) not yet accepted: {names}",
                params={"count": len(pending), "names": names},
            )
        )
    return blockers


_BUILTIN_GATES: dict[CycleStage, GateCheck] = {CycleStage.evaluation: _evaluation_gate}


async def gate(session: AsyncSession, cycle: Cycle) -> Gate:
    to = next_stage(cycle.stage)
    if to is None:
        return Gate(stage=cycle.stage, to=None, ready=False, blockers=[])
    blockers: list[Blocker] = []
    checks = ([_BUILTIN_GATES[to]] if to in _BUILTIN_GATES else []) + _gate_checks.get(to, [])
    for check in checks:
        blockers += await check(session, cycle)
    return Gate(stage=cycle.stage, to=to, ready=not blockers, blockers=blockers)


async def _move(session: AsyncSession, cycle: Cycle, to: CycleStage) -> None:
    """Change the stage only if no one else has changed it meanwhile."""
    result = await session.execute(
        update(Cycle)
        .where(Cycle.id == cycle.id, Cycle.stage == cycle.stage)
        .values(stage=to, stage_changed_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise Conflict("The cycle's stage changed meanwhile; reload and try again")
    await session.refresh(cycle, ["stage", "stage_changed_at", "updated_at"])


async def advance(session: AsyncSession, *, cycle: Cycle, to: CycleStage | None, actor: User) -> None:
    nxt = next_stage(cycle.stage)
    if nxt is None:
        raise InvalidState("The cycle is closed; there is no next stage")
    if to is not None and to != nxt:
        raise InvalidState(
            f"Stages advance one at a time, in order: from {cycle.stage.value} the next is {nxt.value}, not {to.value}",
            errors=[{"loc": ["body", "to"], "msg": f"the next stage is {nxt.value}"}],
        )
    g = await gate(session, cycle)
    if not g.ready:
        raise InvalidState(
            f"Cannot enter {nxt.value}: " + "; ".join(b.message for b in g.blockers),
            extra={"blockers": [b.model_dump() for b in g.blockers]},
        )
    before = cycle.stage
    await _move(session, cycle, nxt)
    await _after_move(session, cycle, before, nxt)
    await audit.record(
        session,
        actor=actor,
        action="cycle.advance",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"from": before.value, "to": nxt.value},
    )


async def revert(session: AsyncSession, *, cycle: Cycle, reason: str, actor: User) -> None:
    if actor.role != Role.admin:
        raise Forbidden("Only an administrator may take a cycle back a stage")
    prev = previous_stage(cycle.stage)
    if prev is None:
        raise InvalidState("The cycle is in preparation; there is no earlier stage")
    before = cycle.stage
    await _move(session, cycle, prev)
    await _after_move(session, cycle, before, prev)
    await audit.record(
        session,
        actor=actor,
        action="cycle.revert",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"from": before.value, "to": prev.value, "reason": reason},
    )
