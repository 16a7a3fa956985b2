"""The veto fact `target_no_landing` (项目落地一票否决): a rubric's veto item names it, the results apply
it from the programme that feeds the cycle (frozen at assessment), and no clerk sets or clears it."""

from __future__ import annotations

from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.i18n import ZH, translate
from shuping.cycles import service as cycles_service
from shuping.cycles.models import CycleStage
from shuping.reports import assessment as report_assessment
from shuping.reports.models import ReportVeto
from shuping.results.explanation import explain
from shuping.results.service import gather
from shuping.rubrics import service as rubrics_service
from shuping.rubrics import veto_facts
from shuping.rubrics.models import RubricVeto
from shuping.scoring import rules
from shuping.targets import assessment
from shuping.wiring import wire
from tests.support.builders import auth_headers, get_org, get_user
from tests.support.evaluation import make_evaluation_cycle
from tests.targets.test_assessment import CHENGGUAN, SANTUN, XIAODIAN, _landed_project, _programme

RUBRIC = {
    "name": "目标责任测评表",
    "items": [{"key": "duty", "title": "履职", "source": "ballot", "kind": "score", "max_points": "100"}],
}


async def test_rubrics_name_veto_facts_known_to_the_registry(client: httpx.AsyncClient, session: AsyncSession) -> None:
    wire()
    clerk = auth_headers(await get_user(session, "clerk"))
    facts = (await client.get("/api/v1/rubrics/veto-facts", headers=clerk)).json()
    assert [(f["name"], f["available"]) for f in facts] == [("target_no_landing", True)]

    unknown = {**RUBRIC, "vetoes": [{"key": "a", "title": "甲"}, {"key": "landing", "title": "乙", "fact": "nope"}]}
    r = await client.post("/api/v1/rubrics", json=unknown, headers=clerk)
    assert r.status_code == 400, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "vetoes", 1, "fact"]]
    assert "target_no_landing" in r.json()["errors"][0]["msg"]

    good = {**RUBRIC, "vetoes": [{"key": "landing", "title": "项目落地一票否决", "fact": "target_no_landing"}]}
    r = await client.post("/api/v1/rubrics", json=good, headers=clerk)
    assert r.status_code == 201, r.text
    assert r.json()["vetoes"] == [{"key": "landing", "title": "项目落地一票否决", "fact": "target_no_landing"}]


async def test_the_fact_decides_the_veto_in_the_results(client: httpx.AsyncClient, session: AsyncSession) -> None:
    wire()
    assert veto_facts.deciding(assessment.VETO_FACT) is assessment.no_landing_vetoes
    ev = await make_evaluation_cycle(
        session,
        report_codes=[XIAODIAN, CHENGGUAN, SANTUN],
        period_start=date(2013, 1, 1),
        period_end=date(2013, 12, 31),
    )
    assert ev.cycle.rubric_id is not None
    session.add(
        RubricVeto(
            rubric_id=ev.cycle.rubric_id, position=0, key="landing", title="项目落地一票否决", fact="target_no_landing"
        )
    )
    await session.flush()
    rubric = await rubrics_service.get_rubric(session, ev.cycle.rubric_id)
    ids = {(await get_org(session, code)).id: code for code in (XIAODIAN, CHENGGUAN, SANTUN)}
    report_of = {ids[r.org_id]: r.id for r in ev.reports}

    async def vetoed() -> dict[str, str]:
        applied = await report_assessment.vetoes(session, rubric, ev.reports)
        return {code: translate(applied[rid]["landing"], ZH) for code, rid in report_of.items() if applied[rid]}

    # No programme feeds the cycle yet: the fact vetoes no one.
    assert await vetoed() == {}
    programme = await _programme(session)
    # 小店镇 landed a project; 城关镇 has a target but no landing; 三屯镇 is not a unit of the programme.
    await _landed_project(session, programme, XIAODIAN, date(2013, 10, 8))
    # A clerk's entry for the fact's key counts for nothing: the fact alone decides.
    admin = await get_user(session, "admin")
    session.add(
        ReportVeto(report_id=report_of[XIAODIAN], veto_key="landing", reason="手工", set_by_id=admin.id, set_at=None)
    )
    await session.flush()
    live = await vetoed()
    assert list(live) == [CHENGGUAN]
    assert "2013年招商引资目标责任" in live[CHENGGUAN] and "2013-12-31" in live[CHENGGUAN]

    # The results: 城关镇 is vetoed (tier poor by the veto), the others are not.
    cycle = await cycles_service.get_cycle(session, ev.cycle.id)
    inputs = await gather(session, cycle)
    results = {r.report_id: r for r in rules.compute(inputs.rubric, inputs.groups, inputs.grading, inputs.reports)}
    assert {code: bool(results[rid].vetoes) for code, rid in report_of.items()} == {
        XIAODIAN: False,
        CHENGGUAN: True,
        SANTUN: False,
    }
    # The explanation says why, in words.
    told = await explain(session, cycle=cycle, report_id=report_of[CHENGGUAN])
    assert "2013年招商引资目标责任" in told.vetoes["landing"]
    assert any("项目落地一票否决" in translate(step, ZH) for step in told.steps)

    # Frozen as the cycle enters assessment: 城关镇's later landing does not lift the veto.
    await assessment.freeze_on_entering_assessment(session, ev.cycle, CycleStage.evaluation, CycleStage.assessment)
    await _landed_project(session, programme, CHENGGUAN, date(2013, 12, 1))
    frozen = await vetoed()
    assert list(frozen) == [CHENGGUAN]
    assert "冻结" in frozen[CHENGGUAN] or "frozen" in frozen[CHENGGUAN]

    # A clerk can neither set nor clear it: the assessment refuses the key, naming it, and reads it as decided.
    clerk = auth_headers(await get_user(session, "clerk"))
    rid = report_of[CHENGGUAN]
    r = await client.put(f"/api/v1/reports/{rid}/assessment", json={"vetoes": {"landing": "手工否决"}}, headers=clerk)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["loc"] == ["body", "vetoes", "landing"]
    assert "cannot be set or cleared by hand" in r.json()["errors"][0]["msg"] or "手" in r.json()["errors"][0]["msg"]
    got = (await client.get(f"/api/v1/reports/{rid}/assessment", headers=clerk)).json()
    assert [(v["key"], v["fact"], v["vetoed"]) for v in got["vetoes"]] == [("landing", "target_no_landing", True)]
    assert "2013年招商引资目标责任" in got["vetoes"][0]["reason"]
