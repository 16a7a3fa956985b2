"""Paper ballots: double entry by two clerks, reconciliation that lists differences, counting, import."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role
from shuping.meetings.models import Ballot, BallotSource
from tests.meetings.test_meetings import Hall, hall  # noqa: F401  (fixture)
from tests.support.builders import auth_headers, get_user, make_user


def sheet(no: str, report: int, duty: object = 25, overall: object = "fairly_good", group: str = "members") -> dict:
    return {"sheet_no": no, "report_id": report, "group_key": group, "items": {"duty": duty, "overall": overall}}


async def _second_clerk(session: AsyncSession) -> dict[str, str]:
    clerk = await get_user(session, "clerk")
    other = await make_user(session, role=Role.clerk, org_id=clerk.org_id, username="clerk2")
    return auth_headers(other)


async def test_double_entry_counts_matches_and_lists_differences(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk1 = auth_headers(await get_user(session, "clerk"))
    clerk2 = await _second_clerk(session)
    r1, r2 = hall.report(0), hall.report(1)
    first = {
        "entry": 1,
        "sheets": [
            sheet("P001", r1),
            sheet("P001", r2, 20, "good"),
            sheet("P002", r1, 18, "average"),
            sheet("P003", r1),
        ],
    }
    second = {
        "entry": 2,
        "sheets": [
            sheet("P001", r1, 25.0),
            sheet("P001", r2, 20, "good"),
            sheet("P002", r1, 19, "average"),
            sheet("P004", r1),
        ],
    }
    assert (await hall.post("/paper-ballots", first, clerk1)).json() == {"entry": 1, "stored": 4}
    # The same clerk may not enter the second copy of a sheet.
    r = await hall.post("/paper-ballots", second, clerk1)
    assert r.status_code == 409
    assert (await hall.post("/paper-ballots", second, clerk2)).json() == {"entry": 2, "stored": 4}

    rec = (await hall.client.get(f"/api/v1/meetings/{hall.mid}/paper-ballots/reconciliation", headers=clerk1)).json()
    assert rec["matched"] == 2
    assert rec["differences"] == [
        {"sheet_no": "P002", "report_id": r1, "field": "items.duty", "first": "18", "second": "19"}
    ]
    assert rec["only_in_first"] == ["P003"] and rec["only_in_second"] == ["P004"]

    counted = (await hall.post("/paper-ballots/commit", None, clerk1)).json()
    assert counted["counted"] == 2 and len(set(counted["receipts"])) == 2
    rows = (await session.execute(select(Ballot).where(Ballot.meeting_id == hall.mid))).scalars().all()
    assert {(b.report_id, b.source) for b in rows} == {(r1, BallotSource.paper), (r2, BallotSource.paper)}
    # Counting again adds nothing; correcting the difference lets P002 count.
    assert (await hall.post("/paper-ballots/commit", None, clerk1)).json()["counted"] == 0
    await hall.post("/paper-ballots", {"entry": 2, "sheets": [sheet("P002", r1, 18, "average")]}, clerk2)
    assert (await hall.post("/paper-ballots/commit", None, clerk1)).json()["counted"] == 1
    rec = (await hall.client.get(f"/api/v1/meetings/{hall.mid}/paper-ballots/reconciliation", headers=clerk1)).json()
    assert rec["counted"] == 3 and rec["differences"] == []
    # A counted sheet cannot be changed any more.
    r = await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("P001", r1, 1)]}, clerk1)
    assert r.status_code == 409


async def test_paper_entry_is_checked_like_a_ballot(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk = auth_headers(await get_user(session, "clerk"))
    r = await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("P1", hall.report(), 31)]}, clerk)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "sheets", 0, "items"]
    r = await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("P1", 999999)]}, clerk)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "sheets", 0, "report_id"]
    r = await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("P1", hall.report(), group="nobody")]}, clerk)
    assert r.status_code == 400
    r = await hall.post("/paper-ballots", {"entry": 3, "sheets": [sheet("P1", hall.report())]}, clerk)
    assert r.status_code == 422
    sec = auth_headers(await get_user(session, "s410326101"))
    assert (
        await hall.post("/paper-ballots", {"entry": 1, "sheets": [sheet("P1", hall.report())]}, sec)
    ).status_code == 403


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def test_import_with_chinese_tiers_and_all_or_nothing(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk = auth_headers(await get_user(session, "clerk"))
    header = ["票号", "报告ID", "评议组", "duty", "overall", "意见", "意见类别"]
    good = _xlsx(
        [
            header,
            ["S1", hall.report(), "members", 26, "较好", "多深入群众", "作风建设"],
            ["S2", hall.report(), "members", 30, "好", None, None],
        ]
    )
    url = f"/api/v1/meetings/{hall.mid}/paper-ballots/import"
    r = await hall.client.post(
        url, params={"entry": 1}, headers=clerk, files={"file": ("sheets.xlsx", good, "application/octet-stream")}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"entry": 1, "stored": 2}
    csv_bad = "票号,报告ID,评议组,duty,overall\nS9,{0},members,26,很好\nS10,{0},members,abc,好\n".format(hall.report())
    r = await hall.client.post(
        url, params={"entry": 1}, headers=clerk, files={"file": ("sheets.csv", csv_bad.encode(), "text/csv")}
    )
    assert r.status_code == 400
    messages = [e["msg"] for e in r.json()["errors"]]
    assert any("row 2" in m and "很好" in m for m in messages)
    assert any("row 3" in m for m in messages)
    rec = (await hall.client.get(f"/api/v1/meetings/{hall.mid}/paper-ballots/reconciliation", headers=clerk)).json()
    assert sorted(rec["only_in_first"]) == ["S1", "S2"]
    r = await hall.client.post(
        url,
        params={"entry": 1},
        headers=clerk,
        files={"file": ("x.xlsx", b"not a workbook", "application/octet-stream")},
    )
    assert r.status_code == 400


async def test_sheets_saved_as_csv_by_chinese_excel_import(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk = auth_headers(await get_user(session, "clerk"))
    text = f"票号,报告ID,评议组,duty,overall,意见\r\nG1,{hall.report()},members,26,较好,多深入群众\r\n"
    for encoding in ("gbk", "utf-8-sig"):
        r = await hall.client.post(
            f"/api/v1/meetings/{hall.mid}/paper-ballots/import",
            params={"entry": 1},
            headers=clerk,
            files={"file": ("纸质票.csv", text.encode(encoding), "text/csv")},
        )
        assert r.status_code == 200, r.text
        assert r.json() == {"entry": 1, "stored": 1}
    r = await hall.client.post(
        f"/api/v1/meetings/{hall.mid}/paper-ballots/import",
        params={"entry": 1},
        headers=clerk,
        files={"file": ("纸质票.csv", b"", "text/csv")},
    )
    assert r.status_code == 400 and r.json()["errors"] == [
        {"loc": ["body", "file"], "msg": "Cannot read 纸质票.csv: The file is empty"}
    ]
