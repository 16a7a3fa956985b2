"""The results workbook: ranking, per group, per item averages, tier distribution (Chinese headers)."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

import xlsxwriter

from shuping.results.schemas import ResultsRead

TIER_NAMES = {"good": "好", "fairly_good": "较好", "average": "一般", "poor": "较差", None: "未评定"}


def _num(value: str | None) -> float | str:
    return float(Decimal(value)) if value is not None else ""


def build_workbook(
    results: ResultsRead, item_averages: dict[int, dict[str, str]], item_titles: dict[str, str], cycle_name: str
) -> bytes:
    """Write the workbook in constant memory (xlsxwriter), so a province-sized ranking stays small."""
    buf = io.BytesIO()
    # constant_memory streams each sheet row by row through a temporary file ("in_memory" would switch it off);
    # names are plain text: not scanned for formulas or links (an organisation named "=…" stays a name).
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    money = wb.add_format({"num_format": "0.00"})

    ranking = wb.add_worksheet("排名汇总")
    ranking.write_row(0, 0, [f"{cycle_name} 综合评价结果"], bold)
    header = [
        "位次",
        "单位代码",
        "单位",
        "总分",
        "满分",
        "测评得分",
        "指标得分",
        "等次",
        "定等依据",
        "一票否决",
        "需约谈整改",
        "法定人数",
        "一致性提示",
    ]
    ranking.write_row(1, 0, header, bold)
    for row, item in enumerate(results.items, start=2):
        ranking.write_row(
            row,
            0,
            [
                item.rank if item.rank is not None else "",
                item.org_code,
                item.org_name,
            ],
        )
        ranking.write_number(row, 3, _num(item.total) or 0, money) if item.total else ranking.write(row, 3, "未完成")
        ranking.write_row(
            row,
            4,
            [
                _num(item.max_total),
                _num(item.ballot_part),
                _num(item.indicator_points),
                TIER_NAMES.get(item.tier, ""),
                item.tier_rule or "",
                "是" if item.vetoed else "否",
                "是" if item.flagged else "否",
                "满足" if item.quorum_ok else "不足",
                "；".join(item.consistency_flags),
            ],
        )
    ranking.set_column(0, 0, 6)
    ranking.set_column(1, 2, 16)
    ranking.set_column(3, 12, 11)

    groups = wb.add_worksheet("分组得分")
    groups.write_row(
        0,
        0,
        ["单位", "评议组", "权重", "有效票", "去除票", "组得分", "满意率", "好", "较好", "一般", "较差", "法定人数"],
        bold,
    )
    row = 1
    for item in results.items:
        for g in item.groups:
            groups.write_row(
                row,
                0,
                [
                    item.org_name,
                    g.name,
                    _num(g.weight),
                    g.ballots,
                    g.dropped,
                    _num(g.score),
                    _num(g.approval_rate),
                    g.tier_counts.good,
                    g.tier_counts.fairly_good,
                    g.tier_counts.average,
                    g.tier_counts.poor,
                    "满足" if g.quorum_ok else "不足",
                ],
            )
            row += 1

    items = wb.add_worksheet("分项平均")
    keys = list(item_titles)
    items.write_row(0, 0, ["单位", *[item_titles[k] for k in keys]], bold)
    for row, item in enumerate(results.items, start=1):
        averages = item_averages.get(item.report_id, {})
        items.write_row(row, 0, [item.org_name, *[_num(averages.get(k)) for k in keys]])

    tiers = wb.add_worksheet("等次分布")
    counts: dict[Any, int] = defaultdict(int)
    for item in results.items:
        counts[item.tier] += 1
    tiers.write_row(0, 0, ["等次", "单位数"], bold)
    for row, tier in enumerate(["good", "fairly_good", "average", "poor", None], start=1):
        tiers.write_row(row, 0, [TIER_NAMES[tier], counts.get(tier, 0)])
    wb.close()
    return buf.getvalue()
