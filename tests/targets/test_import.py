"""Importing targets and the month's project progress sheet over the API: templates, dry runs with located
errors in the reader's language, all or nothing, GB18030 CSV, audit, and who may import what."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.core import tables
from shuping.targets.models import Target, TargetProject, TargetProjectStage
from tests.support.languages import CHINESE
from tests.targets.test_api import API, CHENGGUAN, SANTUN, XIAODIAN, World, make_world

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROJECT_HEADER = [
    "单位",
    "企业名称",
    "产业链小组",
    "产业",
    "来源地区",
    "500强",
    "所处阶段",
    "到达日期",
    "合同金额（万元）",
    "到位资金（万元）",
    "佐证材料",
    "退回原因",
]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


async def upload(
    w: World, what: str, content: bytes, who: str = "clerk", *, dry_run: bool, name: str = "sheet.csv", **headers: str
) -> httpx.Response:
    return await w.client.post(
        f"{API}/programmes/{w.programme}/{what}/import",
        params={"dry_run": str(dry_run).lower()},
        files={"file": (name, content, "text/csv")},
        headers={**w.h[who], **headers},
    )


async def targets_of(session: AsyncSession, w: World) -> dict[tuple[int, int], str]:
    rows = (await session.execute(select(Target.org_id, Target.measure_id, Target.value))).all()
    return {(o, m): str(v) for o, m, v in rows if o in w.orgs.values()}


async def test_targets_template_dry_run_and_import(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    r = await client.get(f"{API}/programmes/{w.programme}/targets/import/template", headers=w.h["clerk"])
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    template = tables.read_table(r.content, "t.xlsx")
    assert template.header == ("单位代码", "单位名称", "签约项目数（个）", "合同金额（万元）", "落地项目数（个）")
    rows = {row.cells[0]: row.cells[2:] for row in template.rows}
    assert rows[XIAODIAN] == (2, 1000, 1) and rows[CHENGGUAN] == (2, None, 1) and rows[SANTUN] == (None, None, None)

    # 三屯镇 by name gets targets, 小店镇 by code loses its contract target (an empty cell); 城关镇 is left out.
    sheet = csv_bytes(
        [["单位", "签约项目数", "合同金额(万元)", "landed"], [XIAODIAN, 3, "", 1], ["三屯镇", 1, "500.5", ""]]
    )
    before = await targets_of(session, w)
    checked = (await upload(w, "targets", sheet, dry_run=True)).json()
    assert checked == {"dry_run": True, "applied": False, "rows": 2, "units": 2, "targets": 4, "errors": []}
    assert await targets_of(session, w) == before
    done = (await upload(w, "targets", sheet, dry_run=False)).json()
    assert done["applied"] is True and done["targets"] == 4
    r = await client.get(f"{API}/programmes/{w.programme}/targets", headers=w.h["clerk"])
    got = {(t["org"]["code"], t["measure_key"]): t["value"] for t in r.json()}
    assert got == {
        (XIAODIAN, "signed"): "3",
        (XIAODIAN, "landed"): "1",
        (SANTUN, "signed"): "1",
        (SANTUN, "contract"): "500.5",
        (CHENGGUAN, "signed"): "2",
        (CHENGGUAN, "landed"): "1",
    }
    wanted = AuditEntry.action.in_(["target.import", "target.put"])
    actions = list((await session.execute(select(AuditEntry.action).where(wanted).order_by(AuditEntry.id))).scalars())
    assert actions == ["target.put", "target.put", "target.import"]  # the world's table, the import's, the import


async def test_a_bad_targets_sheet_names_each_cell_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    w = await make_world(client, session)
    sheet = csv_bytes(
        [
            ["单位", "签约项目数", "合同金额", "开工项目数"],
            ["某某镇", 1, 100, 1],
            [XIAODIAN, -2, "12.345", ""],
            ["城关镇", "两个", "", ""],
            [XIAODIAN, 1, "", ""],
        ]
    )
    before = await targets_of(session, w)
    for dry_run in (True, False):
        r = await upload(w, "targets", sheet, dry_run=dry_run, **CHINESE)
        assert r.status_code == 200, r.text
        result = r.json()
        assert result["applied"] is False and result["units"] == 0
        found = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
        assert set(found) == {
            (1, "开工项目数"),
            (2, "单位"),
            (3, "签约项目数"),
            (3, "合同金额"),
            (4, "签约项目数"),
            (5, "单位"),
        }, found
        assert "没有指标" in found[(1, "开工项目数")] and "签约项目数、合同金额、落地项目数" in found[(1, "开工项目数")]
        assert "某某镇" in found[(2, "单位")]
        assert "负" in found[(3, "签约项目数")]
        assert "两位小数" in found[(3, "合同金额")]
        assert "两个" in found[(4, "签约项目数")]
        assert "第 3 行" in found[(5, "单位")]
    english = (await upload(w, "targets", sheet, dry_run=True)).json()
    assert any("not a unit" in e["message"] for e in english["errors"])
    assert await targets_of(session, w) == before


async def test_only_the_programmes_managers_import_targets(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    sheet = csv_bytes([["单位", "签约项目数"], [XIAODIAN, 9]])
    assert (await upload(w, "targets", sheet, f"s{XIAODIAN}", dry_run=True)).status_code == 403
    r = await client.get(f"{API}/programmes/{w.programme}/targets/import/template", headers=w.h[f"s{XIAODIAN}"])
    assert r.status_code == 403
    r = await client.patch(f"{API}/programmes/{w.programme}", json={"status": "closed"}, headers=w.h["clerk"])
    assert r.status_code == 200
    assert (await upload(w, "targets", sheet, dry_run=True)).status_code == 409


async def test_monthly_figures_register_and_move_projects_from_a_gb18030_csv(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    w = await make_world(client, session)
    team = await w.post(
        f"/programmes/{w.programme}/teams", {"name": "轴承产业链招商攻坚小组", "leader_name": "王副区长"}
    )
    known = await w.project(XIAODIAN, company="洛阳轴研科技有限公司")
    await w.move(known["id"], "signed", "2013-09-10")
    r = await client.get(f"{API}/programmes/{w.programme}/projects/import/template", headers=w.h["clerk"])
    assert r.status_code == 200 and tables.read_table(r.content, "t.xlsx").header == tuple(PROJECT_HEADER)

    sheet = csv_bytes(
        [
            PROJECT_HEADER,
            # The known project (matched by unit and company) lands; its contract amount is filled in.
            [XIAODIAN, "洛阳轴研科技有限公司", "", "", "", "", "落地", "2013/10/8", "1200", "300", "土地出让合同", ""],
            # A new lead from 长三角, a 国内500强, signed on the day the sheet reports.
            [
                *["城关镇", "江苏某新材料股份有限公司", "轴承产业链招商攻坚小组", "新材料", "长三角", "国内500强"],
                *["签约", "2013年10月12日", "800", "", "签约仪式照片", ""],
            ],
            # A new lead still in talks.
            [SANTUN, "深圳某电子有限公司", "", "电子制造", "珠三角", "", "洽谈", "2013-10-20", "", "", "", ""],
        ],
        "gb18030",
    )
    checked = (await upload(w, "projects", sheet, dry_run=True, name="十月进展.csv")).json()
    assert checked["errors"] == [] and checked["applied"] is False
    assert (checked["created"], checked["updated"], checked["moved"], checked["unchanged"]) == (2, 1, 2, 0)
    assert await session.scalar(select(func.count()).select_from(TargetProject)) == 1  # the dry run kept nothing

    done = (await upload(w, "projects", sheet, dry_run=False, name="十月进展.csv")).json()
    assert done["applied"] is True and done["created"] == 2
    r = await client.get(f"{API}/programmes/{w.programme}/projects", headers=w.h["clerk"])
    by_company = {p["company"]: p for p in r.json()}
    landed = by_company["洛阳轴研科技有限公司"]
    assert (landed["stage"], landed["signed_date"], landed["landed_date"]) == ("landed", "2013-09-10", "2013-10-08")
    assert (landed["contract_amount"], landed["funds_in_place"], landed["evidence"]) == ("1200", "300", "土地出让合同")
    assert [h["to_stage"] for h in landed["history"]] == ["negotiating", "signed", "landed"]
    new = by_company["江苏某新材料股份有限公司"]
    assert (new["org"]["code"], new["team_id"], new["ranking"], new["origin_region"]) == (
        CHENGGUAN,
        team["id"],
        "china_500",
        "长三角",
    )
    assert (new["negotiating_date"], new["signed_date"], new["stage"]) == ("2013-10-12", "2013-10-12", "signed")
    assert by_company["深圳某电子有限公司"]["stage"] == "negotiating"

    # The same sheet again changes nothing; the November sheet moves the landed project back, with its reason.
    again = (await upload(w, "projects", sheet, dry_run=False)).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    back = csv_bytes(
        [
            ["单位", "企业名称", "所处阶段", "到达日期", "退回原因"],
            [XIAODIAN, "洛阳轴研科技有限公司", "签约", "2013-11-05", "企业资金链断裂，暂缓落地"],
        ]
    )
    assert (await upload(w, "projects", back, dry_run=False)).json()["applied"] is True
    history = (
        await session.execute(
            select(TargetProjectStage.to_stage, TargetProjectStage.reason)
            .where(TargetProjectStage.project_id == known["id"])
            .order_by(TargetProjectStage.id)
        )
    ).all()
    assert [(s.value, reason) for s, reason in history][-1] == ("signed", "企业资金链断裂，暂缓落地")
    actions = (
        await session.execute(select(AuditEntry.action).where(AuditEntry.action == "target_project.import"))
    ).scalars()
    assert len(list(actions)) == 3


async def test_a_bad_progress_sheet_names_each_cell_and_imports_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    w = await make_world(client, session)
    known = await w.project(XIAODIAN, company="洛阳轴研科技有限公司")
    await w.move(known["id"], "landed", "2013-10-10")
    sheet = csv_bytes(
        [
            ["单位", "企业名称", "产业链小组", "500强", "所处阶段", "到达日期", "合同金额（万元）", "到位资金（万元）"],
            ["城关镇", "好项目有限公司", "", "", "签约", "2013-10-01", "100", ""],  # fine, yet not imported
            ["某某镇", "甲公司", "", "", "签约", "2013-10-01", "", ""],
            ["城关镇", "乙公司", "", "", "谈判中", "2013-10-01", "", ""],
            ["城关镇", "丙公司", "", "", "签约", "2013-13-45", "-5", ""],
            ["城关镇", "丁公司", "不存在小组", "世界第一", "签约", "下个月", "", "abc"],
            [XIAODIAN, "洛阳轴研科技有限公司", "", "", "签约", "2013-10-01", "", ""],  # back, early and no reason
            ["城关镇", "好项目有限公司", "", "", "落地", "2013-10-02", "", ""],
        ]
    )
    for dry_run in (True, False):
        r = await upload(w, "projects", sheet, dry_run=dry_run, **CHINESE)
        assert r.status_code == 200, r.text
        result = r.json()
        assert result["applied"] is False and result["created"] == 0
        found = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
        assert set(found) == {
            (3, "单位"),
            (4, "所处阶段"),
            (5, "到达日期"),
            (5, "合同金额（万元）"),
            (6, "产业链小组"),
            (6, "500强"),
            (6, "到达日期"),
            (6, "到位资金（万元）"),
            (7, "到达日期"),
            (7, "退回原因"),
            (8, "企业名称"),
        }, found
        assert "谈判中" in found[(4, "所处阶段")] and "洽谈、签约、落地、开工、投产" in found[(4, "所处阶段")]
        assert "日期" in found[(5, "到达日期")] and "负" in found[(5, "合同金额（万元）")]
        assert "2013-10-10" in found[(7, "到达日期")] and "落地" in found[(7, "退回原因")]
        assert "第 2 行" in found[(8, "企业名称")]
    assert await session.scalar(select(func.count()).select_from(TargetProject)) == 1
    missing = await upload(w, "projects", csv_bytes([["单位", "企业名称"], [XIAODIAN, "甲"]]), dry_run=True)
    assert missing.status_code == 400 and "所处阶段" in missing.json()["detail"]


async def test_a_secretary_imports_the_rows_of_their_own_unit_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    w = await make_world(client, session)
    sec = f"s{XIAODIAN}"
    r = await client.get(f"{API}/programmes/{w.programme}/projects/import/template", headers=w.h[sec])
    assert r.status_code == 200
    notes = tables.read_table(r.content, "t.xlsx")  # the first sheet: the example row names the secretary's unit
    assert notes.rows[0].cells[0] == XIAODIAN
    own = [XIAODIAN, "甲公司", "", "", "", "", "签约", "2013-10-01", "", "", "", ""]
    other = [CHENGGUAN, "乙公司", "", "", "", "", "签约", "2013-10-01", "", "", "", ""]
    mixed = (await upload(w, "projects", csv_bytes([PROJECT_HEADER, own, other]), sec, dry_run=False)).json()
    assert mixed["applied"] is False
    assert [(e["row"], e["column"]) for e in mixed["errors"]] == [(3, "单位")]
    assert "own unit" in mixed["errors"][0]["message"]
    done = (await upload(w, "projects", csv_bytes([PROJECT_HEADER, own]), sec, dry_run=False)).json()
    assert done["applied"] is True and done["created"] == 1
    r = await client.get(f"{API}/programmes/{w.programme}/projects", headers=w.h[sec])
    assert [(p["org"]["code"], p["company"], p["stage"]) for p in r.json()] == [(XIAODIAN, "甲公司", "signed")]


async def test_the_templates_read_back_as_xlsx(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    r = await client.get(f"{API}/programmes/{w.programme}/targets/import/template", headers=w.h["clerk"])
    before = await targets_of(session, w)
    # The targets template, uploaded as it came, sets the same targets again.
    done = (await upload(w, "targets", r.content, dry_run=False, name="目标任务.xlsx")).json()
    assert done["applied"] is True and done["errors"] == [] and done["targets"] == 5
    assert await targets_of(session, w) == before
    # The progress template's example row is refused until it is deleted.
    r = await client.get(f"{API}/programmes/{w.programme}/projects/import/template", headers=w.h["clerk"])
    checked = (await upload(w, "projects", r.content, dry_run=True, name="项目进展.xlsx", **CHINESE)).json()
    assert [(e["row"], e["column"]) for e in checked["errors"]] == [(2, "企业名称")]
    assert "示例" in checked["errors"][0]["message"]
