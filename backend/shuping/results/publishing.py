"""Publishing a cycle's results (it freezes the cycle, its hash in the audit chain) and reopening them."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.errors import Forbidden, InvalidState
from shuping.core.i18n import N_, Sentences
from shuping.cycles import freeze
from shuping.cycles.models import Cycle, CycleStage
from shuping.db import utcnow
from shuping.results.models import ResultEntry, ResultStatus
from shuping.results.schemas import ResultsSummary
from shuping.results.service import get_result_set, require_assessment, stored_hash, summary


async def publish(
    session: AsyncSession, *, cycle: Cycle, override: str | None, actor: User, missing_reason: str | None = None
) -> ResultsSummary:
    if actor.role != Role.admin:
        raise Forbidden(N_("Only an administrator publishes results"))
    require_assessment(cycle)
    result_set = await get_result_set(session, cycle.id)
    if result_set is None:
        raise InvalidState(N_("Compute the results before publishing them"))
    if result_set.status == ResultStatus.published:
        raise InvalidState(N_("The results are already published"))
    current = summary(result_set)
    incomplete = [b for b in current.blockers if "incomplete" in b]
    if incomplete:
        raise InvalidState(
            N_("Cannot publish while a report is incomplete: {blockers}", blockers=Sentences(incomplete))
        )
    if current.blockers and not override:
        raise InvalidState(
            N_(
                "A group misses its quorum; publish with quorum_override_reason to override: {blockers}",
                blockers=Sentences(current.blockers),
            ),
            errors=[{"loc": ["body", "quorum_override_reason"], "msg": N_("required: a group misses its quorum")}],
        )
    # A missing indicator scores 0: a report is then measured out of less than the maximum, so publishing
    # so needs a stated reason, kept and shown with the results.
    if current.missing_indicators and not missing_reason:
        lacking = [f"{m.title}（{'、'.join(m.org_names)}）" for m in current.missing_indicators]
        raise InvalidState(
            N_(
                "An indicator is missing for some reports; enter it, or publish with missing_indicators_reason: "
                "{indicators}",
                indicators=Sentences(lacking),
            ),
            errors=[{"loc": ["body", "missing_indicators_reason"], "msg": N_("required: an indicator is missing")}],
        )
    # What is published is exactly what was computed: its hash goes into the audit chain.
    if await stored_hash(session, result_set) != result_set.hash:
        raise InvalidState(N_("The stored results do not match their hash; recompute before publishing"))
    result_set.status = ResultStatus.published
    result_set.published_at = utcnow()
    result_set.published_by_id = actor.id
    freeze.freeze(cycle, result_set.published_at)
    result_set.quorum_override = override if current.blockers else None
    result_set.indicator_override = missing_reason if current.missing_indicators else None
    await session.execute(update(ResultEntry).where(ResultEntry.cycle_id == cycle.id).values(published=True))
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="results.publish",
        entity_type="cycle",
        entity_id=cycle.id,
        data={
            "hash": result_set.hash,
            "quorum_override": result_set.quorum_override,
            "missing_indicators_reason": result_set.indicator_override,
            "reports": current.reports,
        },
    )
    return summary(result_set)


async def reopen(session: AsyncSession, *, cycle: Cycle, reason: str, actor: User) -> ResultsSummary:
    if actor.role != Role.admin:
        raise Forbidden(N_("Only an administrator reopens published results"))
    result_set = await get_result_set(session, cycle.id)
    if result_set is None or result_set.status != ResultStatus.published:
        raise InvalidState(N_("Only published results can be reopened"))
    if cycle.stage != CycleStage.assessment:
        raise InvalidState(N_("Take the cycle back to assessment first (results are reopened there)"))
    result_set.status = ResultStatus.computed
    result_set.published_at = None
    result_set.published_by_id = None
    freeze.thaw(cycle)
    await session.execute(update(ResultEntry).where(ResultEntry.cycle_id == cycle.id).values(published=False))
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="results.reopen",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"hash": result_set.hash, "reason": reason},
    )
    return summary(result_set)
