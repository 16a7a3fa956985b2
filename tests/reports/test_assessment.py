"""Indicators and vetoes: PUT /reports/{id}/assessment, points within 0..max, audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.cycles.models import Cycle, CycleStage
from shuping.rubrics import formulas
from shuping.rubrics.models import ItemSource, RubricItem
from tests.cycles.test_cycles import demo_cycle_id, h
from tests.reports.test_reports import demo_report, fresh_report


@pytest.fixture
async def manual_indicators(session: AsyncSession) -> None:
    """The demo rubric's indicators (computed from petitions and the ledger) made manual: entered points."""
    rubric_id = (
        await session.execute(select(Cycle.rubric_id).where(Cycle.id == await demo_cycle_id(session)))
    ).scalar()
    await session.execute(
        update(RubricItem)
        .where(RubricItem.rubric_id == rubric_id, RubricItem.source == ItemSource.indicator)
        .values(formula="manual")
    )


async def test_computed_indicators_show_their_formulas_points_and_cannot_be_entered(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = await demo_report(session, "410326104")
    clerk = await h(session, "clerk")

    async def petition_rate(_session: AsyncSession, reports: Any, item: RubricItem) -> dict[int, Decimal | None]:
        assert [r.id for r in reports] == [rid] and item.key == "petition_rate"
        return {rid: Decimal("7.25")}

    async def no_ledger_yet(_session: AsyncSession, reports: Any, _item: RubricItem) -> dict[int, Decimal | None]:
        return {r.id: None for r in reports}

    monkeypatch.setitem(formulas._REGISTRY, "petition_resolution_rate", formulas.Formula("p", "", petition_rate))
    monkeypatch.setitem(formulas._REGISTRY, "ledger_completion", formulas.Formula("l", "", no_ledger_yet))
    got = (await client.get(f"/api/v1/reports/{rid}/assessment", headers=clerk)).json()
    assert [(i["key"], i["computed"], i["points"], i["missing"], i["set_at"]) for i in got["indicators"]] == [
        ("petition_rate", True, "7.25", False, None),
        ("ledger", True, None, True, None),
    ]
    assert (got["indicator_total"], got["missing_count"]) == ("7.25", 1)
    # Entering a computed indicator is refused, naming it; nothing changes.
    r = await client.put(f"/api/v1/reports/{rid}/assessment", json={"indicators": {"ledger": "4"}}, headers=clerk)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["loc"] == ["body", "indicators", "ledger"]
    assert "computed by its formula" in r.json()["errors"][0]["msg"]
    assert (await client.get(f"/api/v1/reports/{rid}/assessment", headers=clerk)).json() == got
    # Vetoes are still recorded.
    r = await client.put(
        f"/api/v1/reports/{rid}/assessment", json={"vetoes": {"major_incident": "事故"}}, headers=clerk
    )
    assert r.status_code == 200 and r.json()["indicators"] == got["indicators"]


@pytest.mark.usefixtures("manual_indicators")
async def test_set_and_replace_indicators_and_vetoes(client: httpx.AsyncClient, session: AsyncSession) -> None:
    rid = await demo_report(session, "410326104")
    clerk = await h(session, "clerk")
    r = await client.get(f"/api/v1/reports/{rid}/assessment", headers=clerk)
    assert r.status_code == 200, r.text
    empty = r.json()
    assert [(i["key"], i["max_points"], i["formula"], i["computed"], i["missing"]) for i in empty["indicators"]] == [
        ("petition_rate", "10", "manual", False, True),
        ("ledger", "5", "manual", False, True),
    ]
    assert [(v["key"], v["vetoed"]) for v in empty["vetoes"]] == [("major_incident", False), ("mass_petition", False)]
    assert empty["indicator_total"] == "0"
    assert empty["missing_count"] == 2

    body = {"indicators": {"petition_rate": "8.5", "ledger": 5}, "vetoes": {"mass_petition": "2013年5月越级集体上访"}}
    r = await client.put(f"/api/v1/reports/{rid}/assessment", json=body, headers=clerk)
    assert r.status_code == 200, r.text
    got = r.json()
    assert [(i["key"], i["points"], i["missing"]) for i in got["indicators"]] == [
        ("petition_rate", "8.5", False),
        ("ledger", "5", False),
    ]
    assert got["indicator_total"] == "13.5"
    assert got["missing_count"] == 0
    assert [(v["key"], v["vetoed"], v["reason"]) for v in got["vetoes"]] == [
        ("major_incident", False, None),
        ("mass_petition", True, "2013年5月越级集体上访"),
    ]
    assert (await client.get(f"/api/v1/reports/{rid}/assessment", headers=clerk)).json() == got

    # A PUT replaces: what is left out is unset again.
    r = await client.put(f"/api/v1/reports/{rid}/assessment", json={"indicators": {"ledger": "0"}}, headers=clerk)
    assert [(i["key"], i["points"]) for i in r.json()["indicators"]] == [("petition_rate", None), ("ledger", "0")]
    assert not any(v["vetoed"] for v in r.json()["vetoes"])

    audits = (
        (
            await session.execute(
                select(AuditEntry.data)
                .where(AuditEntry.action == "report.assessment", AuditEntry.entity_id == str(rid))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert audits[0] == {
        "before": {"indicators": {}, "vetoes": {}},
        "after": {**body, "indicators": {"petition_rate": "8.5", "ledger": "5"}},
    }
    assert audits[1]["before"] == {
        "indicators": {"petition_rate": "8.50", "ledger": "5.00"},
        "vetoes": {"mass_petition": "2013年5月越级集体上访"},
    }


@pytest.mark.usefixtures("manual_indicators")
@pytest.mark.parametrize(
    ("body", "loc", "text"),
    [
        ({"indicators": {"petition_rate": "10.01"}}, ["body", "indicators", "petition_rate"], "between 0 and 10"),
        ({"indicators": {"overall": "30"}}, ["body", "indicators", "overall"], "ballot item"),
        ({"indicators": {"nothing": "1"}}, ["body", "indicators", "nothing"], "no item 'nothing'"),
        ({"vetoes": {"bribery": "原因"}}, ["body", "vetoes", "bribery"], "no veto item"),
    ],
)
async def test_assessment_rules_are_400_naming_the_key(
    client: httpx.AsyncClient, session: AsyncSession, body: dict[str, Any], loc: list[str | int], text: str
) -> None:
    rid = await demo_report(session, "410326104")
    r = await client.put(f"/api/v1/reports/{rid}/assessment", json=body, headers=await h(session, "clerk"))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["loc"] == loc
    assert text in r.json()["errors"][0]["msg"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"indicators": {"petition_rate": False}}, ["body", "indicators", "petition_rate"]),
        ({"indicators": {"petition_rate": "12abc"}}, ["body", "indicators", "petition_rate"]),
        ({"indicators": {"petition_rate": "-1"}}, ["body", "indicators", "petition_rate"]),
        ({"indicators": {"petition_rate": "1.234"}}, ["body", "indicators", "petition_rate"]),
        ({"indicators": {"petition_rate": None}}, ["body", "indicators", "petition_rate"]),
        ({"vetoes": {"major_incident": ""}}, ["body", "vetoes", "major_incident"]),
        ({"vetoes": {"major_incident": True}}, ["body", "vetoes", "major_incident"]),
        ({"scores": {}}, ["body", "scores"]),
    ],
)
async def test_malformed_assessments_are_422(
    client: httpx.AsyncClient, session: AsyncSession, body: dict[str, Any], loc: list[str | int]
) -> None:
    rid = await demo_report(session, "410326104")
    r = await client.put(f"/api/v1/reports/{rid}/assessment", json=body, headers=await h(session, "clerk"))
    assert r.status_code == 422, r.text
    assert loc in [e["loc"][: len(loc)] for e in r.json()["errors"]]


@pytest.mark.usefixtures("manual_indicators")
async def test_only_the_host_assesses_and_only_until_rectification(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    rid = await demo_report(session, "410326104")
    body = {"indicators": {"ledger": "4"}}
    for user in ("s410326104", "leader01"):
        r = await client.put(f"/api/v1/reports/{rid}/assessment", json=body, headers=await h(session, user))
        assert r.status_code == 403, user
    await session.execute(
        update(Cycle).where(Cycle.id == await demo_cycle_id(session)).values(stage=CycleStage.assessment)
    )
    admin = await h(session, "admin")
    assert (await client.put(f"/api/v1/reports/{rid}/assessment", json=body, headers=admin)).status_code == 200
    await session.execute(
        update(Cycle).where(Cycle.id == await demo_cycle_id(session)).values(stage=CycleStage.rectification)
    )
    r = await client.put(f"/api/v1/reports/{rid}/assessment", json=body, headers=admin)
    assert r.status_code == 409
    assert (await client.get(f"/api/v1/reports/{rid}/assessment", headers=admin)).status_code == 200


async def test_no_rubric_no_assessment(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid, rid = await fresh_report(session)
    await session.execute(update(Cycle).where(Cycle.id == cid).values(rubric_id=None))
    r = await client.get(f"/api/v1/reports/{rid}/assessment", headers=await h(session, "clerk"))
    assert r.status_code == 409
    assert "no rubric" in r.json()["detail"]
