"""No figure built from fewer than the cycle's `min_ballots_shown` ballots is shown (DESIGN §4): not in
the results, the explanation, the item averages or the workbook; the totals still count those ballots."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import CycleStage
from shuping.scoring.withholding import Withheld, pooled_shown, withheld_groups
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import (
    EvaluationCycle,
    computed_results,
    ended_meeting,
    make_evaluation_cycle,
    paper_ballot,
)

FEW, COMPLEMENT = Withheld.few_ballots, Withheld.complement
POINTS = {"good": Decimal(60), "fairly_good": Decimal(51), "average": Decimal(42), "poor": Decimal(30)}

# Per report (by position) and group: the ballots' answers (duty of 30, overall tier of 60).
#   城关镇: leaders 1 ballot (90); deputies 40, 71, 71, 71, 90 → trimmed 71; members 5 × 67 → 67.
#           Leaders (1 < 3) are withheld; the ballot part and the members' 67 would give their 90 away, so the
#           smaller of the other groups (deputies, first of the two of 5) goes with them.
#           Total 0.4·90 + 0.3·71 + 0.3·67 = 77.40 (without the leader's ballot it would be 69.00).
#   小店镇: three of each: leaders 52, deputies 71 (three equal, one dropped each end), members 67: all shown.
#           Total 0.4·52 + 0.3·71 + 0.3·67 = 62.20.
#   王坪乡: leaders 2 ballots (90, 80) and nothing else: withheld, and so is everything over all its ballots.
#           Total (0.4·85) / 0.4 = 85.00.
SCENARIO: list[dict[str, list[tuple[str, str]]]] = [
    {
        "leaders": [("30", "good")],
        "deputies": [
            ("10", "poor"),
            ("20", "fairly_good"),
            ("20", "fairly_good"),
            ("20", "fairly_good"),
            ("30", "good"),
        ],
        "members": [("25", "average")] * 5,
    },
    {
        "leaders": [("10", "average")] * 3,
        "deputies": [("20", "fairly_good")] * 3,
        "members": [("25", "average")] * 3,
    },
    {"leaders": [("30", "good"), ("20", "good")]},
]
TOTALS = ["77.40", "62.20", "85.00"]


def add_ballots(ev: EvaluationCycle, meeting_id: int, session: AsyncSession) -> dict[int, dict[str, list[str]]]:
    """The scenario's ballots on paper, put straight in; answers each report's receipts per group."""
    receipts: dict[int, dict[str, list[str]]] = {}
    for report, groups in zip(ev.reports, SCENARIO, strict=True):
        receipts[report.id] = {}
        for key, answers in groups.items():
            for duty, overall in answers:
                ballot = paper_ballot(
                    meeting_id,
                    report.id,
                    ev.groups[key].id,
                    {"duty": duty, "overall": overall},
                    total=Decimal(duty) + POINTS[overall],
                    first_tier=overall,
                )
                session.add(ballot)
                receipts[report.id].setdefault(key, []).append(ballot.receipt)
    return receipts


async def _assessed(session: AsyncSession, **overrides: Any) -> tuple[EvaluationCycle, dict[int, dict[str, list[str]]]]:
    ev = await make_evaluation_cycle(session, stage=CycleStage.assessment, **overrides)
    meeting = await ended_meeting(session, ev, ev.reports)
    receipts = add_ballots(ev, meeting.id, session)
    await session.flush()
    return ev, receipts


def _groups(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["key"]: g for g in item["groups"]}


@pytest.mark.parametrize(
    ("ballots", "k", "withheld"),
    [
        ({"leaders": 1, "deputies": 5, "members": 5}, 3, {"leaders": FEW, "deputies": COMPLEMENT}),
        ({"leaders": 5, "deputies": 8, "members": 1}, 3, {"members": FEW, "leaders": COMPLEMENT}),
        ({"leaders": 3, "deputies": 3, "members": 3}, 3, {}),
        ({"leaders": 2, "deputies": 0, "members": 0}, 3, {"leaders": FEW}),  # nothing else to withhold
        ({"leaders": 1, "deputies": 2, "members": 9}, 3, {"leaders": FEW, "deputies": FEW}),  # 3 together
        ({"leaders": 1, "deputies": 1, "members": 9}, 3, {"leaders": FEW, "deputies": FEW, "members": COMPLEMENT}),
        ({"leaders": 0, "deputies": 0, "members": 0}, 3, {}),  # no ballots: nothing to withhold
        ({"leaders": 1, "deputies": 1, "members": 1}, 1, {}),  # k = 1 shows everything
        ({"leaders": 4, "deputies": 9, "members": 9}, 5, {"leaders": FEW, "deputies": COMPLEMENT}),
    ],
)
def test_which_groups_are_withheld(ballots: dict[str, int], k: int, withheld: dict[str, Withheld]) -> None:
    assert withheld_groups(ballots, k) == withheld


@pytest.mark.parametrize(
    ("ballots", "k", "shown"),
    [({"a": 2}, 3, False), ({"a": 1, "b": 2}, 3, True), ({"a": 0}, 3, True), ({"a": 1}, 1, True)],
)
def test_figures_over_all_of_a_reports_ballots(ballots: dict[str, int], k: int, shown: bool) -> None:
    assert pooled_shown(ballots, k) is shown


async def test_results_withhold_few_ballot_figures_and_still_count_them(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev, _ = await _assessed(session)
    admin = auth_headers(await get_user(session, "admin"))
    results = await computed_results(client, ev.cycle.id, admin)
    items = {i["report_id"]: i for i in results["items"]}
    a, b, c = (items[r.id] for r in ev.reports)
    # The totals count every ballot, the withheld ones too.
    assert [a["total"], b["total"], c["total"]] == TOTALS
    assert [a["rank"], b["rank"], c["rank"]] == [2, 3, 1]
    assert [a["tier"], b["tier"], c["tier"]] == ["average", "average", "fairly_good"]

    groups = _groups(a)
    assert groups["leaders"] == {
        "key": "leaders",
        "name": "上级领导",
        "weight": "0.4000",
        "ballots": 1,
        "dropped": 0,
        "score": None,
        "approval_rate": None,
        "tier_counts": None,
        "quorum": 1,
        "quorum_ok": True,
        "withheld": "few_ballots",
        "hidden_below": 3,
    }
    assert (groups["deputies"]["ballots"], groups["deputies"]["withheld"], groups["deputies"]["hidden_below"]) == (
        5,
        "complement",
        3,
    )
    assert (
        groups["deputies"]["score"] is groups["deputies"]["approval_rate"] is groups["deputies"]["tier_counts"] is None
    )
    assert groups["members"]["score"] == "67.00" and groups["members"]["withheld"] is None
    assert groups["members"]["approval_rate"] == "0.0000"
    assert groups["members"]["tier_counts"] == {"good": 0, "fairly_good": 0, "average": 5, "poor": 0}
    # Three ballots in each group: everything shown.
    assert [(g["score"], g["withheld"]) for g in b["groups"]] == [("52.00", None), ("71.00", None), ("67.00", None)]
    assert _groups(b)["deputies"]["tier_counts"] == {"good": 0, "fairly_good": 3, "average": 0, "poor": 0}
    assert _groups(c)["leaders"]["withheld"] == "few_ballots" and _groups(c)["leaders"]["score"] is None
    assert _groups(c)["members"] == _groups(c)["members"] | {"ballots": 0, "score": None, "withheld": None}

    # A secretary reads the published ranking with their own report's detail: withheld there too.
    r = await client.post(
        f"/api/v1/cycles/{ev.cycle.id}/results/publish",
        headers=admin,
        json={"quorum_override_reason": "测试发布", "missing_indicators_reason": "信访化解率本期未录入"},
    )
    assert r.status_code == 200, r.text
    secretary = auth_headers(await get_user(session, "s410326101"))
    seen = (await client.get(f"/api/v1/cycles/{ev.cycle.id}/results", headers=secretary)).json()
    own = next(i for i in seen["items"] if i["report_id"] == ev.reports[0].id)
    assert _groups(own)["leaders"]["score"] is None and _groups(own)["leaders"]["withheld"] == "few_ballots"


async def test_explain_withholds_ballot_lines_and_says_how_many(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev, receipts = await _assessed(session)
    admin = auth_headers(await get_user(session, "admin"))
    await computed_results(client, ev.cycle.id, admin)
    first = ev.reports[0].id
    r = await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/{first}/explain", headers=admin)
    assert r.status_code == 200, r.text
    ex = r.json()
    assert ex["total"] == "77.40" and ex["ballot_part"] == "77.40" and ex["min_ballots_shown"] == 3
    groups = _groups(ex)
    for key, count, reason in (("leaders", 1, "few_ballots"), ("deputies", 5, "complement")):
        g = groups[key]
        assert (g["ballots"], g["ballot_count"], g["score"], g["weighted"]) == ([], count, None, None), key
        assert (g["withheld"], g["hidden_below"]) == (reason, 3)
    members = groups["members"]
    assert members["ballot_count"] == 5 and len(members["ballots"]) == 5 and members["score"] == "67.00"
    assert members["weighted"] == "20.10"
    # Pooled over all 11 ballots, the poor share may show: it gives away nothing of fewer than 3.
    assert ex["poor_share"] == "0.0909" and ex["poor_share_withheld"] is False
    # Neither the withheld ballots' totals (90, 71, 40) nor their receipts appear anywhere.
    for figure in ("90.00", "71.00", "40.00", "71.3", "21.30", "36.00"):
        assert figure not in r.text, figure
    for receipt in receipts[first]["leaders"] + receipts[first]["deputies"]:
        assert receipt not in r.text
    assert any("1 ballot(s), figures withheld" in s for s in ex["steps"])

    last = ev.reports[2].id
    ex = (await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/{last}/explain", headers=admin)).json()
    assert ex["total"] == "85.00"
    assert ex["poor_share"] is None and ex["poor_share_withheld"] is True
    assert _groups(ex)["leaders"]["ballot_count"] == 2 and _groups(ex)["leaders"]["ballots"] == []


async def test_a_minimum_of_one_shows_everything(client: httpx.AsyncClient, session: AsyncSession) -> None:
    ev, receipts = await _assessed(session, min_ballots_shown=1)
    admin = auth_headers(await get_user(session, "admin"))
    results = await computed_results(client, ev.cycle.id, admin)
    a = next(i for i in results["items"] if i["report_id"] == ev.reports[0].id)
    assert a["total"] == "77.40"
    assert [(g["score"], g["withheld"], g["hidden_below"]) for g in a["groups"]] == [
        ("90.00", None, None),
        ("71.00", None, None),
        ("67.00", None, None),
    ]
    assert _groups(a)["leaders"]["approval_rate"] == "1.0000"
    ex = (await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/{ev.reports[0].id}/explain", headers=admin)).json()
    assert [b["ref"] for b in _groups(ex)["leaders"]["ballots"]] == receipts[ev.reports[0].id]["leaders"]
    assert _groups(ex)["leaders"]["ballots"][0]["total"] == "90.00"
    last = (await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/{ev.reports[2].id}/explain", headers=admin)).json()
    assert last["poor_share"] == "0.0000" and last["poor_share_withheld"] is False
    averages = (await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/item-averages", headers=admin)).json()
    assert {r["report_id"]: r["withheld"] for r in averages["reports"]} == dict.fromkeys(
        (r.id for r in ev.reports), False
    )


async def test_item_averages_of_a_report_with_few_ballots_are_withheld(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev, _ = await _assessed(session)
    admin = auth_headers(await get_user(session, "admin"))
    await computed_results(client, ev.cycle.id, admin)
    body = (await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/item-averages", headers=admin)).json()
    rows = {r["report_id"]: r for r in body["reports"]}
    assert rows[ev.reports[2].id] == {
        "report_id": ev.reports[2].id,
        "org_name": rows[ev.reports[2].id]["org_name"],
        "averages": {},
        "withheld": True,
        "hidden_below": 3,
    }
    # 小店镇: leaders 3 × 10, deputies 3 × 20, members 3 × 25 → duty 18.33; overall (3·42 + 3·51 + 3·42) / 9 = 45.
    assert rows[ev.reports[1].id]["averages"] == {"duty": "18.33", "overall": "45.00"}
    assert rows[ev.reports[1].id]["withheld"] is False
    # The county's averages still count every ballot, 王坪乡's too: (30 + 100 + 125 + 30 + 60 + 75 + 50) / 22.
    assert body["county"]["duty"] == "21.36"


async def test_the_workbook_marks_withheld_figures(client: httpx.AsyncClient, session: AsyncSession) -> None:
    ev, _ = await _assessed(session)
    admin = auth_headers(await get_user(session, "admin"))
    await computed_results(client, ev.cycle.id, admin)
    r = await client.get(f"/api/v1/cycles/{ev.cycle.id}/results.xlsx", headers=admin)
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    # By total: 城关镇 77.4 (leaders withheld, deputies with them), 小店镇 62.2, 王坪乡 85 (2 ballots in all).
    by_total = {row[3]: row[2] for row in book["排名汇总"].iter_rows(min_row=3, values_only=True)}
    assert sorted(by_total) == [62.2, 77.4, 85]
    rows = {row[1]: row for row in book["分组得分"].iter_rows(min_row=2, values_only=True) if row[0] == by_total[77.4]}
    assert rows["上级领导"][3:] == (1, 0, "不足 3 票，不显示", "不显示", "不显示", "不显示", "不显示", "不显示", "满足")
    assert rows["两代表一委员"][3] == 5 and rows["两代表一委员"][5] == "不显示（以免推算出票数过少分组的得分）"
    assert rows["党员群众"][3:] == (5, 2, 67, 0, 0, 0, 5, 0, "满足")
    # No cell holds a withheld figure of 城关镇 (the leader's 90, the deputies' 71).
    for row in rows.values():
        assert 90 not in row and 71 not in row
    averages = {row[0]: row[1:] for row in book["分项平均"].iter_rows(min_row=2, values_only=True)}
    assert averages[by_total[85]] == ("不足 3 票，不显示", "不足 3 票，不显示")
    assert averages[by_total[62.2]] == (18.33, 45)
