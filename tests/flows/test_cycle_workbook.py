"""Cycle import from Excel: the template round-trips to the same cycle as the JSON route; errors
are located by sheet, row and column and come back as an error sheet."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.cycles.models import Cycle
from shuping.flows import cycle_import, cycle_template
from tests.cycles.test_cycles import h
from tests.support.builders import TOWNSHIP_CODES, example_document
from tests.support.workbooks import formula_like_cells

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = ["填写说明", "周期", "测评项", "否决项", "评议组", "等次", "意见类别", "述职单位"]


async def _template(client: httpx.AsyncClient, session: AsyncSession) -> bytes:
    r = await client.get("/api/v1/cycles/import/template", headers=await h(session, "clerk"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    assert "attachment" in r.headers["content-disposition"]
    return r.content


def _headers(ws: Worksheet) -> dict[str, int]:
    return {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value is not None}


def _rows(ws: Worksheet, rows: list[dict[str, Any]]) -> None:
    """Replace the example rows with these (header → value), as a clerk would."""
    ws.delete_rows(2, ws.max_row)
    cols = _headers(ws)
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=r, column=cols[header], value=value)


def _kv(ws: Worksheet, values: dict[str, Any]) -> None:
    for r in range(2, ws.max_row + 1):
        label = ws.cell(row=r, column=1).value
        if label in values:
            ws.cell(row=r, column=2).value = values[label]


def fill(template: bytes, doc: dict[str, Any]) -> bytes:
    """Fill the downloaded template with an import document, typing values as people do in Excel."""
    wb = load_workbook(io.BytesIO(template))
    rubric = doc["rubric"]
    grading = doc["grading"]
    _kv(
        wb["周期"],
        {
            "名称": doc["name"],
            "主办组织代码": int(doc["host_org_code"]),  # typed as a number, as Excel does
            "开始日期": date.fromisoformat(doc["period_start"]),
            "结束日期": doc["period_end"],  # typed as text
            "述职报告截止日期": None,
            "测评表名称": rubric["name"],
            "评定方式": "按分数线" if grading["method"] == "thresholds" else "按比例",
            "较差票比例": float(grading["poor_vote_share"]),
            "约谈名额": grading["consequence_count"],
            "最少显示票数": grading.get("min_ballots_shown"),
        },
    )
    sources = {"ballot": "测评票", "indicator": "指标"}
    kinds = {"score": "打分", "tier": "等次", None: None}
    _rows(
        wb["测评项"],
        [
            {
                "键": i["key"],
                "名称": i["title"],
                "类别": i.get("category"),
                "来源": sources[i["source"]],
                "方式": kinds[i.get("kind")],
                "满分": i["max_points"],
                "计算公式": i.get("formula"),
            }
            for i in rubric["items"]
        ],
    )
    _rows(wb["否决项"], [{"键": v["key"], "名称": v["title"]} for v in rubric["vetoes"]])
    aggregations = {"mean": "平均", "trimmed_mean": "去掉最高最低后平均"}
    _rows(
        wb["评议组"],
        [
            {
                "键": g["key"],
                "名称": g["name"],
                "权重": float(g["weight"]),
                "汇总方式": aggregations[g["aggregation"]],
                "去掉最高最低各几个": g.get("trim"),
                "匿名": "是" if g["anonymous"] else "否",
                "应到人数": g["expected"],
                "最低有效票数": g["quorum"],
            }
            for g in doc["groups"]
        ],
    )
    ws = wb["等次"]
    cols = _headers(ws)
    labels = {"好": "good", "较好": "fairly_good", "一般": "average", "较差": "poor"}
    for r in range(2, ws.max_row + 1):
        tier = labels[ws.cell(row=r, column=1).value]
        ws.cell(row=r, column=cols["测评表系数"], value=float(rubric["tier_fractions"][tier]))
        ws.cell(row=r, column=cols["分数线"]).value = float(grading["thresholds"][tier]) if tier != "poor" else None
    _rows(wb["意见类别"], [{"名称": n} for n in doc["opinion_categories"]])
    _rows(wb["述职单位"], [{"组织代码": int(r["org_code"]), "报告标题": r.get("title")} for r in doc["reports"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def _upload(
    client: httpx.AsyncClient, session: AsyncSession, content: bytes, name: str = "周期.xlsx"
) -> httpx.Response:
    return await client.post(
        "/api/v1/cycles/import/excel", files={"file": (name, content, XLSX)}, headers=await h(session, "clerk")
    )


async def _snapshot(client: httpx.AsyncClient, session: AsyncSession, result: dict[str, Any]) -> dict[str, Any]:
    """Everything about an imported cycle except its ids and times."""
    clerk = await h(session, "clerk")
    cycle = (await client.get(f"/api/v1/cycles/{result['cycle_id']}", headers=clerk)).json()
    rubric = (await client.get(f"/api/v1/rubrics/{result['rubric_id']}", headers=clerk)).json()
    reports = (await client.get("/api/v1/reports", params={"cycle_id": result["cycle_id"]}, headers=clerk)).json()
    for key in ("id", "created_at", "updated_at", "stage_changed_at"):
        cycle.pop(key)
        rubric.pop(key, None)
    cycle["rubric"].pop("id")
    return {
        "cycle": cycle,
        "rubric": rubric,
        "reports": [(r["org"]["code"], r["title"], r["status"], r["position"]) for r in reports["items"]],
    }


async def test_the_template_has_the_sheets_and_the_county_filled_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    wb = load_workbook(io.BytesIO(await _template(client, session)))
    assert wb.sheetnames == SHEETS
    assert list(_headers(wb["评议组"])) == [
        "键",
        "名称",
        "权重",
        "汇总方式",
        "去掉最高最低各几个",
        "匿名",
        "应到人数",
        "最低有效票数",
    ]
    assert wb["评议组"]["A1"].comment is not None
    kv = {wb["周期"].cell(row=r, column=1).value: wb["周期"].cell(row=r, column=2).value for r in range(2, 11)}
    assert kv["主办组织代码"] == "410326"
    assert kv["评定方式"] == "按分数线"
    units = [wb["述职单位"].cell(row=r, column=1).value for r in range(2, wb["述职单位"].max_row + 1)]
    assert units == TOWNSHIP_CODES
    assert wb["述职单位"]["B5"].value == "小店镇"
    assert [wb["测评项"].cell(row=r, column=1).value for r in range(2, 5)] == ["duty", "overall", "petition_rate"]


async def test_the_template_round_trips_to_the_same_cycle_as_json(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    doc = example_document()
    doc["reports"][0].pop("title")
    from_json = await client.post("/api/v1/cycles/import", json=doc, headers=await h(session, "clerk"))
    assert from_json.status_code == 201, from_json.text

    r = await _upload(client, session, fill(await _template(client, session), doc))
    assert r.status_code == 201, r.text
    from_excel = r.json()
    assert [x["org_code"] for x in from_excel["reports"]] == [x["org_code"] for x in from_json.json()["reports"]]
    assert await _snapshot(client, session, from_excel) == await _snapshot(client, session, from_json.json())
    source = (
        await session.execute(
            select(AuditEntry.data).where(
                AuditEntry.action == "cycle.import", AuditEntry.entity_id == str(from_excel["cycle_id"])
            )
        )
    ).scalar_one()["source"]
    assert source == "excel"


async def test_the_unchanged_template_imports_its_example(client: httpx.AsyncClient, session: AsyncSession) -> None:
    r = await _upload(client, session, await _template(client, session))
    assert r.status_code == 201, r.text
    assert len(r.json()["reports"]) == 14
    clerk = await h(session, "clerk")
    cycle = (await client.get(f"/api/v1/cycles/{r.json()['cycle_id']}", headers=clerk)).json()
    assert cycle["report_due_date"] == "2013-07-10"
    assert cycle["rubric"]["max_total"] == "100"


async def test_errors_name_sheet_row_and_column_and_come_back_as_an_error_sheet(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    before = await session.scalar(select(func.count()).select_from(Cycle))
    doc = example_document()
    doc["reports"][3]["org_code"] = "410326999"
    doc["groups"][2]["weight"] = "0.2"
    doc["rubric"]["items"][1]["key"] = "duty"
    doc["groups"][0]["expected"] = "七"
    r = await _upload(client, session, fill(await _template(client, session), doc))
    assert r.status_code == 400
    body = r.json()
    assert body["detail"].startswith("Nothing was imported")
    # Malformed values are reported first (as the JSON route would with 422): fix them, then the rules.
    assert [e["loc"] for e in body["errors"]] == [["file", "评议组", 2, "应到人数"]]
    assert body["error_sheet"].startswith("/api/v1/cycles/import/error-sheets/")

    doc["groups"][0]["expected"] = 7
    r = await _upload(client, session, fill(await _template(client, session), doc))
    assert r.status_code == 400
    body = r.json()
    assert [(e["loc"], e["msg"]) for e in body["errors"]] == [
        (["file", "测评项", 3, "键"], "Duplicate item key 'duty' (already used by items[0])"),
        (["file", "评议组"], "Group weights sum to 0.9; they must sum to 1"),
        (["file", "述职单位", 5, "组织代码"], "No organisation has the code '410326999'"),
    ]
    assert await session.scalar(select(func.count()).select_from(Cycle)) == before

    sheet = await client.get(body["error_sheet"], headers=await h(session, "clerk"))
    assert sheet.status_code == 200
    assert sheet.headers["content-type"] == XLSX
    wb = load_workbook(io.BytesIO(sheet.content))
    assert wb.sheetnames[0] == "错误汇总"
    summary = [[c.value for c in row] for row in wb["错误汇总"].iter_rows(min_row=2)]
    assert summary == [
        ["测评项", 3, "键", "Duplicate item key 'duty' (already used by items[0])"],
        ["评议组", None, None, "Group weights sum to 0.9; they must sum to 1"],
        ["述职单位", 5, "组织代码", "No organisation has the code '410326999'"],
    ]
    units = wb["述职单位"]
    error_col = _headers(units)["错误"]
    assert units.cell(row=5, column=error_col).value == "[组织代码] No organisation has the code '410326999'"
    assert units.cell(row=5, column=1).fill.fgColor.rgb.endswith("FFC7CE")
    assert units.cell(row=4, column=error_col).value is None

    # Another user may not fetch it; a made-up token is not found.
    assert (await client.get(body["error_sheet"], headers=await h(session, "admin"))).status_code == 404
    assert (await client.get(body["error_sheet"])).status_code == 401
    assert (await client.get(body["error_sheet"], headers=await h(session, "s410326104"))).status_code == 403
    r = await client.get(
        "/api/v1/cycles/import/error-sheets/AAAAAAAAAAAAAAAAAAAAAAAA", headers=await h(session, "clerk")
    )
    assert r.status_code == 404
    r = await client.get("/api/v1/cycles/import/error-sheets/bad$token", headers=await h(session, "clerk"))
    assert r.status_code == 422

    # Fix the marked-up workbook itself and upload it again: the error column is ignored.
    units.cell(row=5, column=1, value="410326104")
    wb["测评项"].cell(row=3, column=1, value="overall")
    groups = wb["评议组"]
    groups.cell(row=4, column=_headers(groups)["权重"], value=0.3)
    del wb["错误汇总"]
    out = io.BytesIO()
    wb.save(out)
    r = await _upload(client, session, out.getvalue())
    assert r.status_code == 201, r.text


async def test_workbook_level_problems(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = await _upload(client, session, b"name,weight\nleaders,0.4\n", "groups.csv")
    assert r.status_code == 415
    assert r.json()["errors"] == [{"loc": ["body", "file"], "msg": "not an .xlsx workbook"}]
    r = await _upload(client, session, b"PK\x03\x04 broken zip")
    assert r.status_code == 415

    wb = Workbook()
    assert wb.active is not None
    wb.active.title = "周期"
    out = io.BytesIO()
    wb.save(out)
    r = await _upload(client, session, out.getvalue())
    assert r.status_code == 400
    locs = [e["loc"] for e in r.json()["errors"]]
    assert ["file", "测评项"] in locs and ["file", "评议组"] in locs and ["file", "述职单位"] in locs

    monkeypatch.setattr(cycle_import, "MAX_WORKBOOK_BYTES", 1000)
    r = await _upload(client, session, await _template(client, session))
    assert r.status_code == 413

    r = await client.post("/api/v1/cycles/import/excel", headers=await h(session, "clerk"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "file"]


async def test_unknown_items_and_missing_columns_are_located(client: httpx.AsyncClient, session: AsyncSession) -> None:
    wb = load_workbook(io.BytesIO(await _template(client, session)))
    wb["周期"].cell(row=3, column=1, value="主办单位")
    wb["评议组"].cell(row=1, column=3, value="比重")
    wb["等次"].cell(row=3, column=1, value="很好")
    out = io.BytesIO()
    wb.save(out)
    r = await _upload(client, session, out.getvalue())
    assert r.status_code == 400
    assert [(e["loc"], e["msg"]) for e in r.json()["errors"]] == [
        (["file", "周期", 3, "项目"], "Unknown item '主办单位'"),
        (["file", "评议组", 1], "Missing column(s): 权重"),
        (["file", "等次", 3, "等次"], "Unknown tier '很好': use 好, 较好, 一般 or 较差"),
    ]


async def test_excel_import_permissions(client: httpx.AsyncClient, session: AsyncSession) -> None:
    template = await _template(client, session)
    assert (await client.get("/api/v1/cycles/import/template")).status_code == 401
    files = {"file": ("x.xlsx", template, XLSX)}
    assert (await client.post("/api/v1/cycles/import/excel", files=files)).status_code == 401
    for username in ("s410326104", "leader01"):
        headers = await h(session, username)
        assert (await client.get("/api/v1/cycles/import/template", headers=headers)).status_code == 403
        assert (await client.post("/api/v1/cycles/import/excel", files=files, headers=headers)).status_code == 403


async def test_the_minimum_of_ballots_shown_is_read_from_the_cycle_sheet(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    template = await _template(client, session)
    kv = load_workbook(io.BytesIO(template))["周期"]
    row = next(r for r in range(2, kv.max_row + 1) if kv.cell(row=r, column=1).value == "最少显示票数")
    assert kv.cell(row=row, column=2).value == 3
    assert "少于该票数的分组不显示得分" in str(kv.cell(row=row, column=3).value)
    doc = example_document()
    doc["grading"]["min_ballots_shown"] = 5
    r = await _upload(client, session, fill(template, doc))
    assert r.status_code == 201, r.text
    cycle = (await client.get(f"/api/v1/cycles/{r.json()['cycle_id']}", headers=await h(session, "clerk"))).json()
    assert cycle["grading"]["min_ballots_shown"] == 5
    # Left blank: the default.
    doc["grading"].pop("min_ballots_shown")
    r = await _upload(client, session, fill(template, doc))
    assert r.status_code == 201, r.text
    cycle = (await client.get(f"/api/v1/cycles/{r.json()['cycle_id']}", headers=await h(session, "clerk"))).json()
    assert cycle["grading"]["min_ballots_shown"] == 3
    doc["grading"]["min_ballots_shown"] = 0
    r = await _upload(client, session, fill(template, doc))
    assert r.status_code == 400
    assert [e["loc"] for e in r.json()["errors"]] == [["file", "周期", row, "值"]]


LINK = '=HYPERLINK("http://evil.example","点我")'


async def test_the_error_sheet_echoes_uploaded_formulas_as_text(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    doc = example_document()
    doc["reports"][3]["org_code"] = "410326999"
    wb = load_workbook(io.BytesIO(fill(await _template(client, session), doc)))
    units = wb["述职单位"]
    units["C2"] = "=1+1"  # a formula, saved without a computed value
    units["C3"] = LINK
    units["C3"].data_type = "s"  # text that only looks like a formula
    out = io.BytesIO()
    wb.save(out)
    assert units["C2"].data_type == "f"
    r = await _upload(client, session, out.getvalue())
    assert r.status_code == 400
    assert [e["loc"] for e in r.json()["errors"]] == [["file", "述职单位", 5, "组织代码"]]
    sheet = await client.get(r.json()["error_sheet"], headers=await h(session, "clerk"))
    assert sheet.status_code == 200
    echoed = load_workbook(io.BytesIO(sheet.content))
    assert formula_like_cells(echoed) == {"述职单位!C2": "=1+1", "述职单位!C3": LINK}
    assert "<f>" not in str(sheet.content)


async def test_the_template_keeps_its_heads_notes_and_drop_downs(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    wb = load_workbook(io.BytesIO(await _template(client, session)))
    items = wb["测评项"]
    assert items.freeze_panes == "A2" and wb["填写说明"]["A1"].font.b
    assert items["A1"].value == "键*" and items["A1"].fill.fgColor.rgb.endswith("B7202E") and items["A1"].font.b
    assert items["A1"].comment is not None and "英文字母开头" in items["A1"].comment.text
    assert items["A2"].number_format == "@"
    lists = {str(v.sqref): v.formula1 for v in items.data_validations.dataValidation}
    assert lists == {"D2:D1001": '"测评票,指标"', "E2:E1001": '"打分,等次"'}
    groups = {str(v.sqref): v.formula1 for v in wb["评议组"].data_validations.dataValidation}
    assert groups["F2:F1001"] == '"是,否"'
    cycle = wb["周期"]
    assert cycle["B4"].is_date and cycle["B4"].value == datetime(2013, 1, 1)
    assert [str(v.sqref) for v in cycle.data_validations.dataValidation] == ["B8"]


def test_the_template_writes_names_that_look_like_formulas_as_text() -> None:
    example = cycle_template.example_document("=1+1", [("+410326104", LINK)])
    example["name"] = "@SUM(A1)"
    wb = load_workbook(io.BytesIO(cycle_template.build_template(example)))
    assert formula_like_cells(wb) == {
        "周期!B2": "@SUM(A1)",
        "周期!B3": "=1+1",
        "述职单位!A2": "+410326104",
        "述职单位!B2": LINK,
    }


async def test_formulas_are_written_and_read_by_their_chinese_names(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    template = await _template(client, session)
    items = load_workbook(io.BytesIO(template))["测评项"]
    formulas = {items.cell(row=r, column=3).value: items.cell(row=r, column=7).value for r in range(2, 5)}
    assert formulas["服务群众"] == "信访化解率"
    assert "英文" not in items["G1"].comment.text and "信访化解率" in items["G1"].comment.text

    doc = example_document()
    doc["rubric"]["items"][2]["formula"] = "整改完成率"
    r = await _upload(client, session, fill(template, doc))
    assert r.status_code == 201, r.text
    rubric = (await client.get(f"/api/v1/rubrics/{r.json()['rubric_id']}", headers=await h(session, "clerk"))).json()
    assert rubric["items"][2]["formula"] == "ledger_completion"


async def test_a_veto_decided_by_a_fact_is_read_by_its_chinese_name(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    template = await _template(client, session)
    assert "项目落地" in load_workbook(io.BytesIO(template))["否决项"]["C1"].comment.text
    doc = example_document()
    doc["rubric"]["items"][2]["formula"] = "目标责任完成率"
    wb = load_workbook(io.BytesIO(fill(template, doc)))
    _rows(
        wb["否决项"],
        [
            {"键": "major_incident", "名称": "发生重大责任事故"},
            {"键": "landing", "名称": "项目落地一票否决", "认定依据": "项目落地"},
        ],
    )
    out = io.BytesIO()
    wb.save(out)
    r = await _upload(client, session, out.getvalue())
    assert r.status_code == 201, r.text
    rubric = (await client.get(f"/api/v1/rubrics/{r.json()['rubric_id']}", headers=await h(session, "clerk"))).json()
    assert rubric["items"][2]["formula"] == "target_completion"
    assert rubric["vetoes"] == [
        {"key": "major_incident", "title": "发生重大责任事故", "fact": None},
        {"key": "landing", "title": "项目落地一票否决", "fact": "target_no_landing"},
    ]
