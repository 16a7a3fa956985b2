"""A cycle publishes with an indicator missing only for a stated reason, which the results then show."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.cycles.models import CycleStage
from shuping.reports.models import ReportIndicator
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import (
    EvaluationCycle,
    computed_results,
    ended_meeting,
    make_evaluation_cycle,
    paper_ballot,
)

REASON = "信访化解率系统故障，经县委同意先行发布"


async def _assessed(session: AsyncSession, *, set_all: bool) -> EvaluationCycle:
    """A cycle in assessment with a ballot in every group for every report; 信访化解率 entered for every
    report, or for all but the first."""
    ev = await make_evaluation_cycle(session, stage=CycleStage.assessment)
    meeting = await ended_meeting(session, ev, ev.reports)
    for n, report in enumerate(ev.reports):
        for group in ev.groups.values():
            session.add(
                paper_ballot(
                    meeting.id,
                    report.id,
                    group.id,
                    {"duty": "20.5", "overall": "fairly_good"},
                    total=Decimal("71.5"),
                    first_tier="fairly_good",
                )
            )
        if set_all or n > 0:
            session.add(ReportIndicator(report_id=report.id, item_key="petition_rate", points=Decimal("8")))
    await session.flush()
    return ev


async def test_a_missing_indicator_needs_a_reason_that_the_results_then_show(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev = await _assessed(session, set_all=False)
    cid = ev.cycle.id
    admin = auth_headers(await get_user(session, "admin"))
    computed = await computed_results(client, cid, admin)
    first = next(i for i in computed["items"] if i["report_id"] == ev.reports[0].id)
    assert computed["missing_indicators"] == [
        {"key": "petition_rate", "title": "信访化解率", "org_names": [first["org_name"]]}
    ]
    assert computed["publishable"] and computed["missing_indicators_reason"] is None

    r = await client.post(f"/api/v1/cycles/{cid}/results/publish", headers=admin, json={})
    assert r.status_code == 409
    assert r.json()["errors"][0]["loc"] == ["body", "missing_indicators_reason"]
    r = await client.post(
        f"/api/v1/cycles/{cid}/results/publish", headers=admin, json={"missing_indicators_reason": "短"}
    )
    assert r.status_code == 422  # a reason says something

    r = await client.post(
        f"/api/v1/cycles/{cid}/results/publish", headers=admin, json={"missing_indicators_reason": REASON}
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "published" and r.json()["missing_indicators_reason"] == REASON

    # Whoever reads the published results learns which indicator is missing, for whom, and why.
    secretary = auth_headers(await get_user(session, "s410326101"))
    seen = (await client.get(f"/api/v1/cycles/{cid}/results", headers=secretary)).json()
    assert seen["missing_indicators"] == computed["missing_indicators"]
    assert seen["missing_indicators_reason"] == REASON
    entry = (
        (
            await session.execute(
                select(AuditEntry)
                .where(AuditEntry.action == "results.publish", AuditEntry.entity_id == str(cid))
                .order_by(AuditEntry.id.desc())
            )
        )
        .scalars()
        .first()
    )
    assert entry is not None and entry.data["missing_indicators_reason"] == REASON


async def test_with_every_indicator_set_no_reason_is_asked_or_kept(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev = await _assessed(session, set_all=True)
    admin = auth_headers(await get_user(session, "admin"))
    computed = await computed_results(client, ev.cycle.id, admin)
    assert computed["missing_indicators"] == []
    r = await client.post(
        f"/api/v1/cycles/{ev.cycle.id}/results/publish", headers=admin, json={"missing_indicators_reason": REASON}
    )
    assert r.status_code == 200, r.text
    assert r.json()["missing_indicators_reason"] is None  # nothing was missing: nothing to excuse
