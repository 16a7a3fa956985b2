"""The documents results issue, read back with python-docx: the bulletin (通报) and the interview record (约谈记录)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import httpx
from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role
from shuping.cycles.models import CycleStage
from shuping.orgs.models import Organization
from tests.support.builders import auth_headers, get_org, get_user, make_user
from tests.support.evaluation import EvaluationCycle, ended_meeting, make_evaluation_cycle, paper_ballot
from tests.support.languages import CHINESE, ENGLISH

MISSING = {"missing_indicators_reason": "信访化解率本期未录入，先行发布"}
# Five townships whose paper ballots total these points of 100: 较差, 一般, 较好, 较好, 好 by the default thresholds.
CODES = ("410326101", "410326102", "410326103", "410326104", "410326105")
TOTALS = (55, 70, 80, 85, 95)


def _paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def _tables(content: bytes) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in Document(io.BytesIO(content)).tables]


async def _scored(
    client: httpx.AsyncClient, session: AsyncSession, admin: dict[str, str], **overrides: Any
) -> EvaluationCycle:
    """A cycle in assessment whose ballots give `TOTALS`, its results computed (not published)."""
    overrides.setdefault("report_codes", CODES)
    ev = await make_evaluation_cycle(session, stage=CycleStage.assessment, **overrides)
    meeting = await ended_meeting(session, ev, ev.reports)
    for report, total in zip(ev.reports, TOTALS, strict=False):
        for group in ev.groups.values():
            session.add(
                paper_ballot(
                    meeting.id,
                    report.id,
                    group.id,
                    {"duty": "10", "overall": "good"},
                    total=Decimal(total),
                    first_tier="good",
                )
            )
    await session.flush()
    assert (await client.post(f"/api/v1/cycles/{ev.cycle.id}/results/compute", headers=admin)).status_code == 200
    return ev


async def _published(client: httpx.AsyncClient, session: AsyncSession, admin: dict[str, str]) -> EvaluationCycle:
    ev = await _scored(client, session, admin)
    r = await client.post(f"/api/v1/cycles/{ev.cycle.id}/results/publish", headers=admin, json=MISSING)
    assert r.status_code == 200, r.text
    return ev


async def test_the_bulletin_lists_ranks_tiers_and_the_units_to_interview(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    ev = await _published(client, session, admin)
    names = {code: (await get_org(session, code)).name for code in CODES}
    r = await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/bulletin.docx?number=5", headers=admin)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    paragraphs = _paragraphs(r.content)
    # Masthead, number over the red rule, title, addressee; signed by the host's organ on the day of publication.
    assert paragraphs[0] == "中共汝阳县委组织部"
    assert paragraphs[1] == "汝组通〔2013〕5号"
    assert paragraphs[2] == f"关于{ev.cycle.name}结果的通报"
    assert paragraphs[3] == "各乡镇党委："
    assert paragraphs[-2] == "中共汝阳县委组织部"
    assert paragraphs[-1].endswith("日") and paragraphs[-1].startswith("20")
    [ranking] = _tables(r.content)
    assert ranking[0] == ["位次", "单位", "综合得分", "等次", "备注"]
    # Best first: 95 好, 85 and 80 较好, 70 一般, 55 较差 and flagged (the poor tier and the last place).
    assert [row[:4] for row in ranking[1:]] == [
        ["1", names["410326105"], "95.00", "好"],
        ["2", names["410326104"], "85.00", "较好"],
        ["3", names["410326103"], "80.00", "较好"],
        ["4", names["410326102"], "70.00", "一般"],
        ["5", names["410326101"], "55.00", "较差"],
    ]
    assert [row[4] for row in ranking[1:]] == ["", "", "", "", "需约谈整改"]
    text = "\n".join(paragraphs)
    assert f"“好”等次（1 个）：{names['410326105']}。" in paragraphs
    assert f"“较好”等次（2 个）：{names['410326104']}、{names['410326103']}。" in paragraphs
    assert f"“一般”等次（1 个）：{names['410326102']}。" in paragraphs
    assert f"“较差”等次（1 个）：{names['410326101']}。" in paragraphs
    assert f"排名末位的{names['410326101']}共 1 个单位" in text
    # Another number, and a date of the clerk's choosing.
    r = await client.get(
        f"/api/v1/cycles/{ev.cycle.id}/results/bulletin.docx",
        params={"number": 12, "dated": "2013-07-20"},
        headers=admin,
    )
    paragraphs = _paragraphs(r.content)
    assert paragraphs[1] == "汝组通〔2013〕12号" and paragraphs[-1] == "2013年7月20日"


async def test_a_bulletin_follows_the_hosts_settings(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    xiaodian = await get_org(session, "410326104")
    r = await client.patch(
        f"/api/v1/orgs/{xiaodian.id}",
        headers=admin,
        json={"doc_prefix": "汝小组发", "issuing_organ": "中共小店镇委员会"},
    )
    assert r.status_code == 200, r.text
    villages = (
        await session.scalars(select(Organization.code).where(Organization.parent_id == xiaodian.id).limit(2))
    ).all()
    ev = await _scored(client, session, admin, host_org_id=xiaodian.id, report_codes=villages)
    assert (await client.post(f"/api/v1/cycles/{ev.cycle.id}/results/publish", headers=admin, json=MISSING)).is_success
    r = await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/bulletin.docx", headers=admin)
    paragraphs = _paragraphs(r.content)
    # A prefix not ending in 整改 numbers every document; villages are addressed as such.
    assert paragraphs[:4] == [
        "中共小店镇委员会",
        "汝小组发〔2013〕1号",
        f"关于{ev.cycle.name}结果的通报",
        "各村党组织：",
    ]
    assert paragraphs[-2] == "中共小店镇委员会"
    # Another township's clerk and a village secretary of another township may not read this cycle.
    santun = await get_org(session, "410326105")
    other_clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=santun.id))
    other_village = (
        await session.scalars(select(Organization.code).where(Organization.parent_id == santun.id).limit(1))
    ).one()
    other_secretary = auth_headers(await get_user(session, f"s{other_village}"))
    for headers in (other_clerk, other_secretary):
        r = await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/bulletin.docx", headers=headers)
        assert r.status_code == 403, r.text


async def test_only_published_results_make_a_bulletin(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    ev = await _scored(client, session, admin)
    url = f"/api/v1/cycles/{ev.cycle.id}/results/bulletin.docx"
    r = await client.get(url, headers={**admin, **ENGLISH})
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == "A bulletin reports published results; publish them first"
    r = await client.get(url, headers={**admin, **CHINESE})
    assert r.status_code == 409 and "发布" in r.json()["detail"] and "bulletin" not in r.json()["detail"]
    # A reporting township's secretary reads the results once published, and the bulletin with them.
    secretary = auth_headers(await get_user(session, f"s{CODES[0]}"))
    assert (await client.get(url, headers=secretary)).status_code == 409
    assert (await client.post(f"/api/v1/cycles/{ev.cycle.id}/results/publish", headers=admin, json=MISSING)).is_success
    r = await client.get(url, headers=secretary)
    assert r.status_code == 200 and _paragraphs(r.content)[1] == "汝组通〔2013〕1号"


async def test_a_bad_number_is_refused_by_name(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    ev = await _published(client, session, admin)
    url = f"/api/v1/cycles/{ev.cycle.id}/results/bulletin.docx"
    for bad in ("0", "abc", "10000", "-3"):
        english = await client.get(url, params={"number": bad}, headers={**admin, **ENGLISH})
        chinese = await client.get(url, params={"number": bad}, headers={**admin, **CHINESE})
        for r in (english, chinese):
            assert r.status_code == 422, r.text
            assert [e["loc"] for e in r.json()["errors"]] == [["query", "number"]]
            assert "number" in r.json()["detail"]
        assert english.json()["errors"][0]["msg"] != chinese.json()["errors"][0]["msg"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.json()["errors"][0]["msg"])
    r = await client.get(url, params={"dated": "2013-13-40"}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "dated"]


async def test_the_interview_record_reads_back(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    ev = await _published(client, session, admin)
    weakest = ev.reports[0]
    r = await client.post(
        f"/api/v1/cycles/{ev.cycle.id}/interviews",
        headers=admin,
        json={
            "report_id": weakest.id,
            "held_at": "2013-08-01T02:30:00Z",
            "led_by": "县委常委、组织部部长",
            "attendees": "组织部干部科科长\n组织部组织科科长",
            "notes": "指出班子分工不明确的问题\n要求一个月内报送整改方案",
        },
    )
    assert r.status_code == 201, r.text
    interview = r.json()
    url = f"/api/v1/interviews/{interview['id']}/document"
    r = await client.get(url, headers=admin)
    assert r.status_code == 200, r.text
    paragraphs = _paragraphs(r.content)
    assert paragraphs[0] == "中共汝阳县委组织部" and paragraphs[2] == "约谈记录"
    assert paragraphs[-2:] == ["中共汝阳县委组织部", "2013年8月1日"]
    [fields] = _tables(r.content)
    record = dict((row[0], row[1]) for row in fields[1:])
    org = await get_org(session, CODES[0])
    secretary = await get_user(session, f"s{CODES[0]}")
    assert record["约谈对象"] == f"{org.name}党组织书记 {secretary.full_name}"
    assert record["约谈时间"] == "2013年8月1日 10:30（北京时间）"
    assert record["约谈人"] == "县委常委、组织部部长"
    assert record["参加人员"] == "组织部干部科科长\n组织部组织科科长"
    assert record["约谈内容"] == "指出班子分工不明确的问题\n要求一个月内报送整改方案"
    assert "位次第 5 名" in record["约谈事由"] and "“较差”" in record["约谈事由"]
    # Staff of the host only: the secretary and the township's clerk know of it (403); others do not (404).
    own_clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=org.id))
    unrelated = await get_org(session, "410326106")
    stranger = auth_headers(await make_user(session, role=Role.clerk, org_id=unrelated.id))
    assert (await client.get(url, headers=auth_headers(secretary))).status_code == 403
    assert (await client.get(url, headers=own_clerk)).status_code == 403
    assert (await client.get(url, headers=stranger)).status_code == 404
    assert (await client.get(url)).status_code == 401
    r = await client.get("/api/v1/interviews/999999/document", headers={**admin, **CHINESE})
    assert r.status_code == 404 and "999999" in r.json()["detail"]
