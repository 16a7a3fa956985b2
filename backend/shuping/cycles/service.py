"""Cycles: who may see and manage them, loading and reading them, their settings, and the rubrics they use.

Evaluator groups and members are in `cycles.groups`, stages and their gates in `cycles.gates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.core.errors import FieldErrors, Forbidden, InvalidState, NotFound
from shuping.core.i18n import N_, OneOf
from shuping.core.pagination import paginate
from shuping.core.values import decimal_text
from shuping.cycles import gates, holdings, reporting
from shuping.cycles.holdings import Part
from shuping.cycles.models import (
    DEFAULT_OPINION_CATEGORIES,
    DEFAULT_THRESHOLDS,
    Cycle,
    CycleStage,
    EvaluatorGroup,
    EvaluatorGroupMember,
    GradingMethod,
    OpinionCategory,
)
from shuping.cycles.schemas import (
    CycleCreate,
    CycleRead,
    CycleSummary,
    CycleUpdate,
    GradingIn,
    GradingRead,
    GroupRead,
    OrgRef,
    ReportCounts,
    RubricRef,
    TierSharesIn,
    TierSharesRead,
)
from shuping.orgs.models import Organization
from shuping.orgs.scope import may_host, within_reach
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import Rubric
from shuping.rubrics.usage import Usage

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
        reported_in = reporting.cycles_reported_in(lambda org_id: within_reach(user, org_id))
        return or_(within_reach(user, Cycle.host_org_id), Cycle.id.in_(reported_in))
    if user.role == Role.secretary:
        return Cycle.id.in_(reporting.cycles_reported_in(lambda org_id: org_id == user.org_id))
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
        raise Forbidden(N_("Only administrators, and clerks of the host organisation, manage this cycle"))


def require_stage(cycle: Cycle, *stages: CycleStage, doing: str) -> None:
    if cycle.stage not in stages:
        allowed = OneOf(stages)
        raise InvalidState(
            N_(
                "Cannot {doing}: the cycle is in {value}, this needs {allowed}",
                doing=doing,
                value=cycle.stage,
                allowed=allowed,
            )
        )


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
        raise NotFound(N_("Cycle {cycle_id} does not exist", cycle_id=cycle_id))
    return cycle


def find_group(cycle: Cycle, key: str) -> EvaluatorGroup:
    for group in cycle.groups:
        if group.key == key:
            return group
    raise NotFound(N_("Cycle {id} has no evaluator group {key!r}", id=cycle.id, key=key))


# --- reading ---------------------------------------------------------------------------------


async def member_counts(session: AsyncSession, cycle_id: int) -> dict[int, int]:
    stmt = (
        select(EvaluatorGroupMember.group_id, func.count())
        .where(EvaluatorGroupMember.cycle_id == cycle_id)
        .group_by(EvaluatorGroupMember.group_id)
    )
    return {int(gid): int(n) for gid, n in (await session.execute(stmt)).all()}


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


def group_read(group: EvaluatorGroup, members: int) -> GroupRead:
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


async def read(session: AsyncSession, cycle_id: int, user: User) -> CycleRead:
    cycle = await get_cycle(session, cycle_id)
    counts = (await reporting.report_counts(session, [cycle.id]))[cycle.id]
    members = await member_counts(session, cycle.id)
    return CycleRead(
        **_summary_fields(cycle, counts),
        stage_changed_at=cycle.stage_changed_at,
        grading=grading_read(cycle),
        opinion_categories=[c.name for c in cycle.opinion_categories],
        groups=[group_read(g, members.get(g.id, 0)) for g in cycle.groups],
        weight_sum=gates.weight_sum(cycle),
        next_gate=await gates.gate(session, cycle),
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
    counts = await reporting.report_counts(session, [c.id for c in rows])
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
                    "msg": N_(
                        "{what} must strictly descend: {lower} ({lo}) must be below {higher} ({hi})",
                        what=what,
                        lower=lower,
                        lo=decimal_text(lo),
                        higher=higher,
                        hi=decimal_text(hi),
                    ),
                }
            )
    return errors


def check_grading(grading: GradingIn, prefix: Loc) -> list[ProblemItem]:
    errors: list[ProblemItem] = []
    if grading.method == GradingMethod.thresholds:
        if grading.quotas is not None:
            errors.append({"loc": [*prefix, "quotas"], "msg": N_("quotas apply to the method quota only")})
        if grading.thresholds is not None:
            errors += _descending(grading.thresholds, [*prefix, "thresholds"], "Thresholds")
            if grading.thresholds.average <= 0:
                errors.append({"loc": [*prefix, "thresholds", "average"], "msg": N_("Thresholds must be above 0")})
    else:
        if grading.thresholds is not None:
            errors.append({"loc": [*prefix, "thresholds"], "msg": N_("thresholds apply to the method thresholds only")})
        if grading.quotas is None:
            errors.append(
                {"loc": [*prefix, "quotas"], "msg": N_("The method quota needs quotas for good, fairly_good, average")}
            )
        else:
            total = grading.quotas.good + grading.quotas.fairly_good + grading.quotas.average
            if total > ONE:
                errors.append(
                    {
                        "loc": [*prefix, "quotas"],
                        "msg": N_("Quotas sum to {total}; they may not exceed 1", total=decimal_text(total)),
                    }
                )
    return errors


def check_categories(names: Sequence[str] | None, prefix: Loc) -> list[ProblemItem]:
    errors: list[ProblemItem] = []
    seen: set[str] = set()
    for i, name in enumerate(names or []):
        if name in seen:
            errors.append({"loc": [*prefix, i], "msg": N_("Duplicate opinion category {name!r}", name=name)})
        seen.add(name)
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


def build_categories(names: Sequence[str] | None) -> list[OpinionCategory]:
    return [OpinionCategory(position=i, name=n) for i, n in enumerate(names or DEFAULT_OPINION_CATEGORIES)]


# --- writing ---------------------------------------------------------------------------------


async def create_cycle(session: AsyncSession, *, cycle_in: CycleCreate, actor: User) -> Cycle:
    errors: list[ProblemItem] = []
    host = await session.get(Organization, cycle_in.host_org_id)
    if host is None:
        errors.append(
            {
                "loc": ["body", "host_org_id"],
                "msg": N_("Organisation {host_org_id} does not exist", host_org_id=cycle_in.host_org_id),
            }
        )
    elif not may_host(actor, host.id):
        raise Forbidden(
            N_("You may not host a cycle for {name}", name=host.name),
            errors=[{"loc": ["body", "host_org_id"], "msg": N_("not yours")}],
        )
    if cycle_in.period_end < cycle_in.period_start:
        errors.append({"loc": ["body", "period_end"], "msg": N_("The period ends before it starts")})
    if cycle_in.rubric_id is not None and not await rubrics_service.exists(session, cycle_in.rubric_id):
        errors.append(
            {"loc": ["body", "rubric_id"], "msg": N_("Rubric {rubric_id} does not exist", rubric_id=cycle_in.rubric_id)}
        )
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
        raise InvalidState(N_("The cycle is closed and can no longer change"))
    settled = sorted(set(changes) - _ANY_STAGE_FIELDS)
    if settled and cycle.stage != CycleStage.preparation:
        raise InvalidState(
            N_(
                "{settled} can change only in preparation; the cycle is in {value}",
                settled=", ".join(settled),
                value=cycle.stage,
            ),
            errors=[{"loc": ["body", f], "msg": N_("fixed after preparation")} for f in settled],
        )
    errors: list[ProblemItem] = []
    for field in ("name", "period_start", "period_end", "grading", "opinion_categories"):
        if field in changes and changes[field] is None:
            errors.append({"loc": ["body", field], "msg": N_("{field} cannot be null", field=field)})
    start = changes.get("period_start") or cycle.period_start
    end = changes.get("period_end") or cycle.period_end
    if end < start:
        errors.append({"loc": ["body", "period_end"], "msg": N_("The period ends before it starts")})
    rubric_id = changes.get("rubric_id")
    if rubric_id is not None and not await rubrics_service.exists(session, rubric_id):
        errors.append(
            {"loc": ["body", "rubric_id"], "msg": N_("Rubric {rubric_id} does not exist", rubric_id=rubric_id)}
        )
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
        cast = sum(h.count for h in (await holdings.counts(session, Part.cycle, [cycle.id])).get(cycle.id, ()))
        if cast:
            raise holdings.StillHeld(
                N_(
                    "Cannot change the rubric: the cycle holds {cast} ballot(s) answered on its current rubric",
                    cast=cast,
                ),
                errors=[
                    {
                        "loc": ["body", "rubric_id"],
                        "msg": N_("{cast} ballot(s) were cast on the current rubric", cast=cast),
                    }
                ],
            )
    if changes.get("opinion_categories") is not None:
        kept = set(changes["opinion_categories"])
        gone = {c.id: c.name for c in cycle.opinion_categories if c.name not in kept}
        holdings.refuse(await holdings.of(session, Part.category, gone), doing=N_("remove the categories"))


def _audit_value(cycle: Cycle, field: str) -> Any:
    if field == "grading":
        return grading_read(cycle).model_dump(mode="json")
    if field == "opinion_categories":
        return [c.name for c in cycle.opinion_categories]
    value = getattr(cycle, field)
    return value.isoformat() if hasattr(value, "isoformat") else value


# --- the rubrics cycles use ------------------------------------------------------------------


async def rubric_usage(session: AsyncSession, rubric_ids: Sequence[int]) -> dict[int, Usage]:
    """Answer rubrics: how many cycles use each, whether one froze it (past preparation, or holding
    ballots answered on it) and which organisations host them."""
    rows = (
        await session.execute(
            select(Cycle.id, Cycle.rubric_id, Cycle.stage, Cycle.host_org_id).where(Cycle.rubric_id.in_(rubric_ids))
        )
    ).all()
    # A cycle taken back to preparation still holds the ballots answered on the rubric: it stays frozen.
    waiting = [cid for cid, _, stage, _ in rows if stage == CycleStage.preparation]
    cast = await holdings.counts(session, Part.cycle, waiting)
    found: dict[int, Usage] = {}
    for cid, rid, stage, host in rows:
        assert rid is not None
        use = found.get(rid, Usage())
        found[rid] = Usage(
            cycles=use.cycles + 1,
            frozen=use.frozen or stage != CycleStage.preparation or cid in cast,
            host_org_ids=use.host_org_ids | {host},
        )
    return found
