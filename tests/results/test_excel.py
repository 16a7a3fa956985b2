"""The results workbook, built straight from a ranking and read back with openpyxl."""

from __future__ import annotations

import io

import openpyxl

from shuping.results.excel import build_workbook
from shuping.results.schemas import GroupResultRead, ResultItem, TierCounts
from shuping.results.service import StoredRanking, encode_item


def _item(n: int, name: str, total: str | None, tier: str | None) -> ResultItem:
    group = GroupResultRead.model_construct(
        key="leaders",
        name="领导班子",
        weight="0.40",
        ballots=10,
        dropped=0,
        score=total,
        approval_rate="0.9000" if total else None,
        tier_counts=TierCounts(good=5, fairly_good=3, average=1, poor=1),
        quorum=5,
        quorum_ok=total is not None,
    )
    return ResultItem.model_construct(
        report_id=n,
        org_id=n,
        org_code=f"C{n}",
        org_name=name,
        total=total,
        max_total="100.00",
        ballot_part=total,
        tier=tier,
        rank=n if total else None,
        flagged=tier == "poor",
        vetoed=False,
        tier_rule="按比例" if tier else None,
        indicator_points="0.00",
        missing_indicators=[],
        incomplete=total is None,
        quorum_ok=total is not None,
        consistency_flags=["打分雷同", "一边倒"] if n == 1 else [],
        groups=[group],
    )


def test_sheets_headers_and_values() -> None:
    formula = '=HYPERLINK("http://evil.example","<b>点我</b>")'
    items = [_item(1, "甲村 & 乙村", "91.25", "good"), _item(2, formula, "60.50", "poor"), _item(3, "丙村", None, None)]
    # As the route gives it: the stored JSON of each item, parsed as each sheet reaches it.
    texts = [encode_item(i.model_dump(mode="json")).decode() for i in items]
    ranking = StoredRanking([i.report_id for i in items], texts)
    averages = {1: {"q1": "9.50"}, 2: {"q1": "6.00", "q2": "7.25"}}
    data = build_workbook(ranking, lambda: averages, {"q1": "测评一", "q2": "测评二"}, "周期")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["排名汇总", "分组得分", "分项平均", "等次分布"]

    ranking = book["排名汇总"]
    assert ranking["A1"].value == "周期 综合评价结果" and ranking["A1"].font.b
    assert [c.value for c in ranking[2]][:4] == ["位次", "单位代码", "单位", "总分"] and ranking[
        "M2"
    ].value == "一致性提示"
    assert [c.value for c in ranking[3]] == [
        1,
        "C1",
        "甲村 & 乙村",
        91.25,
        100,
        91.25,
        0,
        "好",
        "按比例",
        "否",
        "否",
        "满足",
        "打分雷同；一边倒",
    ]
    assert ranking["D3"].number_format == "0.00" and not ranking["D3"].font.b
    assert ranking["C4"].value == formula and ranking["C4"].data_type == "s"
    assert [ranking[f"{c}5"].value for c in "ADFH"] == [None, "未完成", None, "未评定"]
    assert ranking.column_dimensions["A"].width < ranking.column_dimensions["B"].width

    groups = book["分组得分"]
    assert groups["A1"].value == "单位" and groups["L1"].value == "法定人数" and groups["A1"].font.b
    assert [c.value for c in groups[2]] == ["甲村 & 乙村", "领导班子", 0.4, 10, 0, 91.25, 0.9, 5, 3, 1, 1, "满足"]
    assert groups.max_row == 4

    averages = book["分项平均"]
    assert [[c.value for c in row] for row in averages.iter_rows()] == [
        ["单位", "测评一", "测评二"],
        ["甲村 & 乙村", 9.5, None],
        [formula, 6, 7.25],
        ["丙村", None, None],
    ]

    tiers = book["等次分布"]
    assert [[c.value for c in row] for row in tiers.iter_rows()] == [
        ["等次", "单位数"],
        ["好", 1],
        ["较好", 0],
        ["一般", 0],
        ["较差", 1],
        ["未评定", 1],
    ]


def test_tier_rules_and_flags_in_words() -> None:
    first = _item(1, "甲村", "91.25", "poor").model_copy(
        update={"tier_rule": "veto:major_incident", "consistency_flags": ["straight_lining:leaders"]}
    )
    second = _item(2, "乙村", "80.00", "fairly_good").model_copy(update={"tier_rule": "quota"})
    third = _item(3, "丙村", "70.00", "poor").model_copy(update={"tier_rule": "poor_vote_share"})
    texts = [encode_item(i.model_dump(mode="json")).decode() for i in (first, second, third)]
    ranking = StoredRanking([1, 2, 3], texts)
    data = build_workbook(ranking, dict, {}, "周期", 1, {"major_incident": "发生重大责任事故"}, "0.3333")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["排名汇总"]
    rules = [sheet.cell(row=r, column=9).value for r in (3, 4, 5)]
    assert rules == ["一票否决：发生重大责任事故", "按比例定等", "“较差”票占比达到限值（33.3%），定为较差"]
    assert sheet.cell(row=3, column=13).value == "领导班子：一刀切打分"
    for row in sheet.iter_rows(min_row=3, values_only=True):
        assert not any(isinstance(v, str) and any(k in v for k in ("veto", "quota", "poor_vote", "_")) for v in row)
