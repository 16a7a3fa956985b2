"""Paper ballots as the web page uses them: the entry form, both copies of a disputed sheet,
an import's dry run that stores nothing, and committed sheets in the meeting's tally."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role
from shuping.meetings.models import PaperSheet
from tests.meetings.test_meetings import Hall, hall  # noqa: F401  (fixture)
from tests.meetings.test_paper import _second_clerk, _xlsx, sheet
from tests.support.builders import auth_headers, get_user, make_org, make_user

HEADER = ["票号", "报告ID", "评议组", "duty", "overall", "意见", "意见类别"]


async def _stored(session: AsyncSession, hall: Hall) -> int:  # noqa: F811
    return int(
        (
            await session.execute(select(func.count()).select_from(PaperSheet).where(PaperSheet.meeting_id == hall.mid))
        ).scalar_one()
    )


async def _import(hall: Hall, headers: dict[str, str], content: bytes, name: str = "sheets.xlsx", **params: object):  # noqa: F811
    return await hall.client.post(
        f"/api/v1/meetings/{hall.mid}/paper-ballots/import",
        params={"entry": 1, **params},
        headers=headers,
        files={"file": (name, content, "application/octet-stream")},
    )


async def test_form_names_the_agenda_groups_items_and_who_entered_what(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk1 = auth_headers(await get_user(session, "clerk"))
    clerk2 = await _second_clerk(session)
    url = f"/api/v1/meetings/{hall.mid}/paper-ballots/form"
    form = (await hall.client.get(url, headers=clerk1)).json()
    assert [r["report_id"] for r in form["reports"]] == [a["report_id"] for a in hall.meeting["agenda"]]
    assert "members" in {g["key"] for g in form["groups"]}
    assert {(i["key"], i["kind"]) for i in form["items"]} == {("duty", "score"), ("overall", "tier")}
    assert form["entered"] == {"1": 0, "2": 0} and form["entered_by_me"] == {"1": 0, "2": 0}
    await hall.post(
        "/paper-ballots", {"entry": 1, "sheets": [sheet("P1", hall.report()), sheet("P2", hall.report())]}, clerk1
    )
    await hall.post("/paper-ballots", {"entry": 2, "sheets": [sheet("P1", hall.report())]}, clerk2)
    form = (await hall.client.get(url, headers=clerk2)).json()
    assert form["entered"] == {"1": 2, "2": 1} and form["entered_by_me"] == {"1": 0, "2": 1}


async def test_form_refuses_a_clerk_of_another_township_and_the_anonymous(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    other = await make_org(session)
    stranger = auth_headers(await make_user(session, role=Role.clerk, org_id=other.id))
    url = f"/api/v1/meetings/{hall.mid}/paper-ballots/form"
    r = await hall.client.get(url, headers={**stranger, "Accept-Language": "zh-CN"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    assert (await hall.client.get(url)).status_code == 401
    r = await _import(hall, stranger, _xlsx([HEADER, ["S1", hall.report(), "members", 26, "好"]]), dry_run=True)
    assert r.status_code == 403
    assert await _stored(session, hall) == 0


async def test_reconciliation_gives_both_copies_of_a_disputed_sheet(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk1 = auth_headers(await get_user(session, "clerk"))
    clerk2 = await _second_clerk(session)
    r1 = hall.report()
    await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("P7", r1, 18, "average"), sheet("P8", r1)]}, clerk1)
    await hall.post("/paper-ballots", {"entry": 2, "sheets": [sheet("P7", r1, 19, "average"), sheet("P8", r1)]}, clerk2)
    url = f"/api/v1/meetings/{hall.mid}/paper-ballots/reconciliation"
    rec = (await hall.client.get(url, headers=clerk2)).json()
    assert rec["matched"] == 1
    assert rec["disputed"] == [
        {
            "sheet_no": "P7",
            "report_id": r1,
            "first": {
                "group_key": "members",
                "items": {"duty": "18", "overall": "average"},
                "comment": None,
                "comment_category": None,
                "entered_by_me": False,
            },
            "second": {
                "group_key": "members",
                "items": {"duty": "19", "overall": "average"},
                "comment": None,
                "comment_category": None,
                "entered_by_me": True,
            },
        }
    ]
    # The second clerk corrects their copy in place: the sheet agrees, nothing is disputed.
    await hall.post("/paper-ballots", {"entry": 2, "sheets": [sheet("P7", r1, 18, "average")]}, clerk2)
    rec = (await hall.client.get(url, headers=clerk1)).json()
    assert rec["matched"] == 2 and rec["disputed"] == [] and rec["differences"] == []


async def test_dry_run_reports_what_would_be_stored_and_stores_nothing(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk = auth_headers(await get_user(session, "clerk"))
    await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("S1", hall.report(), 20, "good")]}, clerk)
    content = _xlsx(
        [
            HEADER,
            ["S1", hall.report(), "members", 26, "较好", "多深入群众", None],
            ["S2", hall.report(), "members", 30, "好", None, None],
            ["S3", hall.report(), "members", 12.5, "一般", None, None],
        ]
    )
    r = await _import(hall, clerk, content, dry_run="true")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "entry": 1,
        "dry_run": True,
        "applied": False,
        "rows": 3,
        "sheets": 3,
        "new": 2,
        "replaced": 1,
        "errors": [],
    }
    assert await _stored(session, hall) == 1
    rec = (await hall.client.get(f"/api/v1/meetings/{hall.mid}/paper-ballots/reconciliation", headers=clerk)).json()
    assert rec["only_in_first"] == ["S1"]
    # Items and groups may be named by their titles, as the page's hint names them.
    titled = _xlsx(
        [
            ["票号", "报告ID", "评议组", "履行第一责任人职责", "总体评价"],
            ["S9", hall.report(), hall.ev.groups["members"].name, 20, "好"],
        ]
    )
    r = await _import(hall, clerk, titled, dry_run="true")
    assert (r.json()["errors"], r.json()["new"]) == ([], 1)
    # Without dry_run the import stores, as before.
    r = await _import(hall, clerk, content)
    assert r.json() == {"entry": 1, "stored": 3}
    assert await _stored(session, hall) == 3


async def test_dry_run_lists_every_wrong_row_in_the_readers_language(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk = auth_headers(await get_user(session, "clerk"))
    content = _xlsx(
        [
            HEADER,
            ["S1", hall.report(), "members", 26, "很好", None, None],
            ["S2", "abc", "members", 26, "好", None, None],
            ["S3", hall.report(), "members", 31, "好", None, None],
            ["S4", hall.report(), "nobody", 20, "好", None, None],
            ["S5", hall.report(), "members", 20, "好", None, None],
            ["S5", hall.report(), "members", 21, "好", None, None],
        ]
    )
    zh = await _import(hall, {**clerk, "Accept-Language": "zh-CN"}, content, dry_run="true")
    assert zh.status_code == 200, zh.text
    body = zh.json()
    assert body["sheets"] == 0 and body["applied"] is False
    by_row = {e["row"]: e for e in body["errors"]}
    assert sorted(by_row) == [2, 3, 4, 5, 7]
    assert by_row[2]["column"] == "总体评价" and "很好" in by_row[2]["message"] and "等次" in by_row[2]["message"]
    assert by_row[3]["column"] == "报告ID" and "不是数字" in by_row[3]["message"]
    assert by_row[4]["column"] is None and "31" in by_row[4]["message"]
    assert by_row[5]["column"] == "评议组" and "nobody" in by_row[5]["message"]
    assert by_row[7]["column"] == "票号" and "第 6 行" in by_row[7]["message"]
    en = (await _import(hall, {**clerk, "Accept-Language": "en-US"}, content, dry_run="true")).json()
    messages = {e["row"]: e["message"] for e in en["errors"]}
    assert "neither a number nor a tier" in messages[2] and "also on row 6" in messages[7]
    assert await _stored(session, hall) == 0


async def test_text_with_nul_is_refused_by_the_dry_run_and_the_import(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    # PostgreSQL cannot store NUL: an imported sheet holding one is refused at its row, never a 500.
    clerk = {**auth_headers(await get_user(session, "clerk")), "Accept-Language": "en-US"}
    r1 = hall.report()
    text = f"票号,报告ID,评议组,duty,overall,意见\nA\x00B,{r1},members,20,好,\nC,{r1},members,20,好,x\x00y\n"
    checked = (await _import(hall, clerk, text.encode(), "sheets.csv", dry_run="true")).json()
    assert [e["row"] for e in checked["errors"]] == [2, 3] and checked["sheets"] == 0
    assert all("NUL" in e["message"] for e in checked["errors"])
    r = await _import(hall, clerk, text.encode(), "sheets.csv")
    assert r.status_code == 400
    r = await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("P\x00", hall.report())]}, clerk)
    assert r.status_code in (400, 422)
    assert await _stored(session, hall) == 0


async def test_dry_run_of_files_that_hold_nothing_usable(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk = {**auth_headers(await get_user(session, "clerk")), "Accept-Language": "zh-CN"}
    missing = (
        await _import(hall, clerk, _xlsx([["票号", "报告ID", "duty"], ["S1", hall.report(), 20]]), dry_run="true")
    ).json()
    assert missing["errors"] == [{"row": 1, "column": None, "message": "缺少以下列：评议组, overall"}]
    empty = (await _import(hall, clerk, _xlsx([HEADER]), dry_run="true")).json()
    assert empty["errors"] == [{"row": 1, "column": None, "message": "文件里没有测评票"}]
    r = await _import(hall, clerk, b"not a workbook", dry_run="true")
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "file"]
    # The real run's missing columns read as before, now in Chinese too.
    r = await _import(hall, clerk, _xlsx([["票号", "报告ID", "duty"], ["S1", hall.report(), 20]]))
    assert r.status_code == 400 and r.json()["errors"][0]["msg"] == "第 1 行：缺少以下列：评议组, overall"
    assert await _stored(session, hall) == 0


async def test_dry_run_refuses_what_the_real_run_would(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk1 = auth_headers(await get_user(session, "clerk"))
    clerk2 = await _second_clerk(session)
    await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("S1", hall.report())]}, clerk1)
    content = _xlsx([HEADER, ["S1", hall.report(), "members", 25, "较好", None, None]])
    # The clerk who entered the first copy may not enter the second.
    same = (await _import(hall, clerk1, content, entry=2, dry_run="true")).json()
    assert [e["column"] for e in same["errors"]] == ["票号"] and same["sheets"] == 0
    ok = (await _import(hall, clerk2, content, entry=2, dry_run="true")).json()
    assert ok["errors"] == [] and ok["new"] == 1
    # A counted sheet can no longer change.
    await _import(hall, clerk2, content, entry=2)
    assert (await hall.post("/paper-ballots/commit", None, clerk1)).json()["counted"] == 1
    counted = (await _import(hall, clerk2, content, entry=2, dry_run="true")).json()
    assert len(counted["errors"]) == 1 and "counted" in counted["errors"][0]["message"]
    r = await _import(hall, clerk1, content, entry=3, dry_run="true")
    assert r.status_code == 422


async def test_committed_paper_ballots_count_in_the_meeting_tally(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk1 = auth_headers(await get_user(session, "clerk"))
    clerk2 = await _second_clerk(session)
    tally_url = f"/api/v1/meetings/{hall.mid}/tally"

    def received(tally: dict, report: int, group: str = "members") -> int:
        entry = next(r for r in tally["reports"] if r["report_id"] == report)
        return int(next(g for g in entry["groups"] if g["key"] == group)["received"])

    before = received((await hall.client.get(tally_url, headers=clerk1)).json(), hall.report())
    sheets = [sheet("T1", hall.report()), sheet("T2", hall.report(), 20, "good")]
    await hall.post("/paper-ballots", {"entry": 1, "sheets": sheets}, clerk1)
    await hall.post("/paper-ballots", {"entry": 2, "sheets": sheets}, clerk2)
    # Entered but not committed: not counted.
    assert received((await hall.client.get(tally_url, headers=clerk1)).json(), hall.report()) == before
    committed = (await hall.post("/paper-ballots/commit", None, clerk1)).json()
    assert committed["counted"] == 2
    assert received((await hall.client.get(tally_url, headers=clerk1)).json(), hall.report()) == before + 2
    assert (await hall.post("/end")).status_code == 200
    ended = (await hall.client.get(tally_url, headers=clerk1)).json()
    assert set(committed["receipts"]) <= set(ended["receipts"])
