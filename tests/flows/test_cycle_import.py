"""Cycle import from JSON: the issue's document imports; a broken copy imports nothing and names
every error's path."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.cycles.models import Cycle
from shuping.reports.models import Report
from shuping.rubrics.models import Rubric
from tests.cycles.test_cycles import h
from tests.support.builders import TOWNSHIP_CODES, auth_headers, example_document, get_org, make_user
from tests.support.servers import REPO


async def _counts(session: AsyncSession) -> tuple[int, int, int]:
    return (
        int(await session.scalar(select(func.count()).select_from(Cycle)) or 0),
        int(await session.scalar(select(func.count()).select_from(Rubric)) or 0),
        int(await session.scalar(select(func.count()).select_from(Report)) or 0),
    )


async def _import(
    client: httpx.AsyncClient, session: AsyncSession, doc: dict[str, Any], user: str = "clerk"
) -> httpx.Response:
    return await client.post("/api/v1/cycles/import", json=doc, headers=await h(session, user))


async def _free_the_example_rubric_name(session: AsyncSession) -> None:
    """Rename the demo county's rubric, which bears the example's name: an import names its rubric apart from it."""
    await session.execute(
        update(Rubric).where(Rubric.name == "乡镇党委书记抓基层党建工作测评表").values(name="演示测评表")
    )


async def test_the_issue_example_imports(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await _free_the_example_rubric_name(session)
    before = await _counts(session)
    r = await _import(client, session, example_document())
    assert r.status_code == 201, r.text
    result = r.json()
    assert isinstance(result["cycle_id"], int)
    assert isinstance(result["rubric_id"], int)
    assert [x["org_code"] for x in result["reports"]] == TOWNSHIP_CODES
    assert len({x["id"] for x in result["reports"]}) == 14
    assert result["reports"][3]["org_name"] == "小店镇"
    assert {x["status"] for x in result["reports"]} == {"draft"}
    assert await _counts(session) == (before[0] + 1, before[1] + 1, before[2] + 14)

    clerk = await h(session, "clerk")
    cycle = (await client.get(f"/api/v1/cycles/{result['cycle_id']}", headers=clerk)).json()
    assert cycle["name"] == "2013年上半年乡镇党委书记抓基层党建述职评议"
    assert cycle["host_org"]["code"] == "410326"
    assert (cycle["period_start"], cycle["period_end"]) == ("2013-01-01", "2013-06-30")
    assert cycle["rubric"] == {
        "id": result["rubric_id"],
        "name": "乡镇党委书记抓基层党建工作测评表",
        "version": 1,
        "max_total": "100",
    }
    assert [
        (g["key"], g["weight"], g["aggregation"], g["trim"], g["anonymous"], g["expected"]) for g in cycle["groups"]
    ] == [
        ("leaders", "0.4", "mean", 0, False, 7),
        ("deputies", "0.3", "trimmed_mean", 1, True, 24),
        ("members", "0.3", "trimmed_mean", 1, True, 60),
    ]
    assert cycle["grading"]["poor_vote_share"] == "0.3333"
    assert cycle["report_counts"]["draft"] == 14
    rubric = (await client.get(f"/api/v1/rubrics/{result['rubric_id']}", headers=clerk)).json()
    assert rubric["items"][2]["formula"] == "manual"
    assert rubric["vetoes"] == [{"key": "major_incident", "title": "发生重大责任事故", "fact": None}]
    reports = (await client.get("/api/v1/reports", params={"cycle_id": result["cycle_id"]}, headers=clerk)).json()
    assert [x["title"] for x in reports["items"]][:2] == ["410326101述职报告", "410326102述职报告"]
    audited = (
        await session.execute(
            select(AuditEntry.data).where(
                AuditEntry.action == "cycle.import", AuditEntry.entity_id == str(result["cycle_id"])
            )
        )
    ).scalar_one()
    assert audited["source"] == "json"
    assert audited["reports"] == TOWNSHIP_CODES


def _broken(change: Any) -> dict[str, Any]:
    doc = example_document()
    change(doc)
    return doc


def _wrong_org(doc: dict[str, Any]) -> None:
    doc["reports"][3]["org_code"] = "410326999"


def _weights_09(doc: dict[str, Any]) -> None:
    doc["groups"][2]["weight"] = "0.2"


def _duplicate_key(doc: dict[str, Any]) -> None:
    doc["rubric"]["items"][1]["key"] = "duty"


@pytest.mark.parametrize(
    ("change", "loc", "text"),
    [
        (_wrong_org, ["body", "reports", 3, "org_code"], "No organisation has the code '410326999'"),
        (_weights_09, ["body", "groups"], "Group weights sum to 0.9; they must sum to 1"),
        (_duplicate_key, ["body", "rubric", "items", 1, "key"], "Duplicate item key 'duty'"),
        (lambda d: d.update(host_org_code="999"), ["body", "host_org_code"], "No organisation"),
        (lambda d: d.update(period_end="2012-12-31"), ["body", "period_end"], "ends before"),
        (lambda d: d["reports"].append({"org_code": "410326101"}), ["body", "reports", 14, "org_code"], "listed twice"),
        (
            lambda d: d["reports"].append({"org_code": "410326104201"}),
            ["body", "reports", 14, "org_code"],
            "not directly under",
        ),
        (
            lambda d: d["reports"].append({"org_code": "410326-D04"}) or d.update(host_org_code="410326104"),
            ["body", "reports", 0, "org_code"],
            "not directly under",
        ),
        (
            lambda d: d["rubric"]["items"][2].update(formula="magic"),
            ["body", "rubric", "items", 2, "formula"],
            "Unknown formula",
        ),
        (lambda d: d["groups"][1].update(key="leaders"), ["body", "groups", 1, "key"], "Duplicate group key"),
        (lambda d: d["grading"].update(method="quota"), ["body", "grading", "thresholds"], "thresholds apply"),
        (lambda d: d.update(opinion_categories=["a", "a"]), ["body", "opinion_categories", 1], "Duplicate"),
    ],
)
async def test_a_broken_document_imports_nothing_and_names_the_path(
    client: httpx.AsyncClient, session: AsyncSession, change: Any, loc: list[str | int], text: str
) -> None:
    before = await _counts(session)
    r = await _import(client, session, _broken(change), "admin")
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["detail"].startswith("Nothing was imported")
    assert any(e["loc"] == loc and text in e["msg"] for e in body["errors"]), body["errors"]
    assert await _counts(session) == before


async def test_every_error_is_reported_at_once(client: httpx.AsyncClient, session: AsyncSession) -> None:
    doc = example_document()
    _wrong_org(doc)
    _weights_09(doc)
    _duplicate_key(doc)
    r = await _import(client, session, doc)
    assert r.status_code == 400
    assert [e["loc"] for e in r.json()["errors"]] == [
        ["body", "rubric", "items", 1, "key"],
        ["body", "groups"],
        ["body", "reports", 3, "org_code"],
    ]
    assert "3 error(s)" in r.json()["detail"]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        (lambda d: d["groups"][1].update(weight="0.3x"), ["body", "groups", 1, "weight"]),
        (lambda d: d["groups"][1].update(weight=False), ["body", "groups", 1, "weight"]),
        (lambda d: d["groups"][0].update(expected="7"), ["body", "groups", 0, "expected"]),
        (lambda d: d["rubric"]["items"][0].update(max_points="12abc"), ["body", "rubric", "items", 0, "max_points"]),
        (lambda d: d["rubric"]["items"][0].update(max_points=0), ["body", "rubric", "items", 0, "max_points"]),
        (lambda d: d.update(reports=[]), ["body", "reports"]),
        (lambda d: d.update(groups=[]), ["body", "groups"]),
        (lambda d: d.pop("rubric"), ["body", "rubric"]),
        (lambda d: d.update(period_start="2013/01/01"), ["body", "period_start"]),
        (lambda d: d.update(unexpected=1), ["body", "unexpected"]),
        (lambda d: d["grading"].update(method="ranking"), ["body", "grading", "method"]),
        (lambda d: d["grading"].update(min_ballots_shown=0), ["body", "grading", "min_ballots_shown"]),
        (lambda d: d["grading"].update(min_ballots_shown="3"), ["body", "grading", "min_ballots_shown"]),
    ],
)
async def test_a_malformed_document_is_422_naming_the_path(
    client: httpx.AsyncClient, session: AsyncSession, change: Any, loc: list[str | int]
) -> None:
    before = await _counts(session)
    r = await _import(client, session, _broken(change))
    assert r.status_code == 422, r.text
    assert loc in [e["loc"] for e in r.json()["errors"]]
    assert await _counts(session) == before


async def test_quota_grading_and_defaults(client: httpx.AsyncClient, session: AsyncSession) -> None:
    doc = example_document(
        grading={"method": "quota", "quotas": {"good": "0.3", "fairly_good": "0.4", "average": "0.2"}}
    )
    del doc["opinion_categories"]
    del doc["rubric"]["tier_fractions"]
    doc["groups"][1].pop("trim")
    doc["reports"] = [{"org_code": "410326104"}]
    r = await _import(client, session, doc)
    assert r.status_code == 201, r.text
    clerk = await h(session, "clerk")
    cycle = (await client.get(f"/api/v1/cycles/{r.json()['cycle_id']}", headers=clerk)).json()
    assert cycle["grading"] == {
        "method": "quota",
        "thresholds": None,
        "quotas": {"good": "0.3", "fairly_good": "0.4", "average": "0.2"},
        "poor_vote_share": "0.3333",
        "consequence_count": 1,
        "min_ballots_shown": 3,
    }
    assert cycle["opinion_categories"] == ["班子建设", "党员队伍", "服务群众", "发展经济", "作风建设"]
    assert cycle["groups"][1]["trim"] == 1
    rubric = (await client.get(f"/api/v1/rubrics/{r.json()['rubric_id']}", headers=clerk)).json()
    assert rubric["tier_fractions"] == {"good": "1", "fairly_good": "0.85", "average": "0.7", "poor": "0.5"}
    report = (await client.get(f"/api/v1/reports/{r.json()['reports'][0]['id']}", headers=clerk)).json()
    assert report["title"] == "小店镇党委书记抓基层党建工作述职报告"


async def test_import_permissions(client: httpx.AsyncClient, session: AsyncSession) -> None:
    assert (await client.post("/api/v1/cycles/import", json=example_document())).status_code == 401
    for username in ("s410326104", "leader01", "deputy01"):
        assert (await _import(client, session, example_document(), username)).status_code == 403
    xiaodian = await get_org(session, "410326104")
    township_clerk = await make_user(session, role=Role.clerk, org_id=xiaodian.id)
    r = await client.post("/api/v1/cycles/import", json=example_document(), headers=auth_headers(township_clerk))
    assert r.status_code == 403
    assert r.json()["errors"] == [{"loc": ["body", "host_org_code"], "msg": "not an organisation you host cycles for"}]
    village_doc = copy.deepcopy(example_document(host_org_code="410326104", reports=[{"org_code": "410326104201"}]))
    r = await client.post("/api/v1/cycles/import", json=village_doc, headers=auth_headers(township_clerk))
    assert r.status_code == 201, r.text
    assert (await _import(client, session, example_document(), "admin")).status_code == 201


async def test_the_documented_example_file_imports(client: httpx.AsyncClient, session: AsyncSession) -> None:
    doc = json.loads((REPO / "docs" / "cycle-import-example.json").read_text(encoding="utf-8"))
    r = await _import(client, session, doc)
    assert r.status_code == 201, r.text
    assert len(r.json()["reports"]) == 14


async def test_the_minimum_of_ballots_shown_comes_with_the_grading(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    doc = example_document()
    doc["grading"]["min_ballots_shown"] = 7
    doc["reports"] = [{"org_code": "410326104"}]
    r = await _import(client, session, doc)
    assert r.status_code == 201, r.text
    cycle = (await client.get(f"/api/v1/cycles/{r.json()['cycle_id']}", headers=await h(session, "clerk"))).json()
    assert cycle["grading"]["min_ballots_shown"] == 7


async def test_an_imported_rubric_is_named_apart_from_one_of_the_same_name(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _free_the_example_rubric_name(session)
    first = example_document()
    first["reports"] = [{"org_code": "410326104"}]
    changed = copy.deepcopy(first)
    changed["name"] = "2013年下半年乡镇党委书记抓基层党建述职评议"
    changed.update(period_start="2013-07-01", period_end="2013-12-31", report_due_date="2014-01-10")
    changed["rubric"]["items"][0]["title"] = "履行第一责任人职责情况"
    again = copy.deepcopy(first)
    again["name"] = "2014年上半年乡镇党委书记抓基层党建述职评议"
    again.update(period_start="2014-01-01", period_end="2014-06-30", report_due_date="2014-07-10")
    ids = []
    for doc in (first, changed, again):
        r = await _import(client, session, doc)
        assert r.status_code == 201, r.text
        ids.append(r.json()["rubric_id"])
    names = [(await session.get(Rubric, rubric_id)).name for rubric_id in ids]  # type: ignore[union-attr]
    # A different rubric of the same name is named with its cycle; an identical one is reused, not copied.
    assert names == [
        "乡镇党委书记抓基层党建工作测评表",
        "乡镇党委书记抓基层党建工作测评表（2013年下半年乡镇党委书记抓基层党建述职评议）",
        "乡镇党委书记抓基层党建工作测评表",
    ]
    assert ids[2] == ids[0]
    same = await session.scalar(select(func.count()).select_from(Rubric).where(Rubric.name == names[0]))
    assert same == 1
