"""The results workbook: ranking, per group, per item averages, tier distribution (Chinese headers)."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.core.runtime import cyclic_gc_paused
from shuping.core.xlsx import Cell, Style, Workbook
from shuping.cycles.models import Cycle
from shuping.results import consequences, service
from shuping.rubrics.models import ItemSource, tier_name

RANKING_HEADER = [
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
GROUP_HEADER = [
    "单位",
    "评议组",
    "权重",
    "有效票",
    "去除票",
    "组得分",
    "满意率",
    "好",
    "较好",
    "一般",
    "较差",
    "法定人数",
]


CONSISTENCY = {"identical_ballots": "雷同票", "straight_lining": "一刀切打分", "group_divergence": "组间差异大"}


def tier_rule_text(rule: str | None, names: Mapping[str, str], poor_vote_share: str | None = None) -> str:
    """The rule that set a tier, as the results page says it: veto items and the poor-vote limit by name."""
    if not rule:
        return ""
    if rule == "thresholds":
        return "按分数线定等"
    if rule == "quota":
        return "按比例定等"
    if rule == "poor_vote_share":
        limit = f"（{Decimal(poor_vote_share) * 100:.1f}%）" if poor_vote_share else ""
        return f"“较差”票占比达到限值{limit}，定为较差"
    if rule.startswith("veto:"):
        return "一票否决：" + "、".join(names.get(key, key) for key in rule.removeprefix("veto:").split(","))
    return rule


def consistency_text(flag: str, groups: Mapping[str, str]) -> str:
    """A consistency flag ("straight_lining:members") in words, with its group by name."""
    kind, _, group = flag.partition(":")
    if kind not in CONSISTENCY:
        return flag
    return f"{groups.get(group, group)}：{CONSISTENCY[kind]}" if group else CONSISTENCY[kind]


def _num(value: str | None) -> float | str:
    # A decimal string converts to the same nearest float directly as through Decimal.
    return float(value) if value is not None else ""


def withheld_text(reason: str | None, below: int | None) -> str:
    """What a cell says in place of a figure withheld because too few ballots stand behind it."""
    if reason == "complement":
        return "不显示（以免推算出票数过少分组的得分）"
    return f"不足 {below} 票，不显示"


async def export(session: AsyncSession, *, cycle: Cycle, user: User) -> bytes:
    """The cycle's results workbook as `user` may see the results.

    The database averages the ballot items while the sheets before theirs are written (at province
    scale both take seconds; together they fit in the time of the longer).
    """
    _, ranking = await service.ranking(session, cycle=cycle, user=user)
    titles = {i.key: i.title for i in service.rubric_of(cycle).items if i.source == ItemSource.ballot}
    rule_names = await service.item_titles(session, cycle)
    averaging = asyncio.create_task(consequences.item_averages(session, cycle, ranking.report_ids))

    shown = ranking.detailed_report_ids()

    async def averaged() -> dict[int, dict[str, str]]:
        # Only the reports the reader may see in detail: a secretary, their own.
        return {report_id: a for report_id, a in (await averaging)[0].items() if report_id in shown}

    try:
        return await anyio.to_thread.run_sync(
            _build_quietly,
            ranking,
            lambda: anyio.from_thread.run(averaged),
            titles,
            cycle.name,
            cycle.min_ballots_shown,
            rule_names,
            format(cycle.poor_vote_share, "f"),
        )
    finally:
        if not averaging.done():  # the writer failed before it needed them
            averaging.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await averaging


def _build_quietly(*args: Any) -> bytes:
    with cyclic_gc_paused():
        return build_workbook(*args)


def build_workbook(
    ranking: Iterable[Mapping[str, Any]],
    item_averages: Callable[[], Mapping[int, Mapping[str, str]]],
    item_titles: dict[str, str],
    cycle_name: str,
    min_ballots_shown: int = 1,
    rule_names: Mapping[str, str] | None = None,
    poor_vote_share: str | None = None,
) -> bytes:
    """Write the workbook sheet by sheet, row by row, so a province-sized ranking stays small and quick.

    `ranking` holds the items in the `ResultItem` shape and is read once per sheet (a `StoredRanking`
    parses each item as it is reached); `item_averages` is called when their sheet is reached. Figures
    withheld from the items, and the averages of a report with fewer than `min_ballots_shown` ballots,
    are marked as withheld. `rule_names` titles the rubric's items and vetoes by key, for the rule that set a tier.
    """
    buf = io.BytesIO()
    with Workbook(buf) as wb:
        ranked = wb.sheet(
            "排名汇总", widths=[6, 16, 16] + [11] * 10, styles=[Style.plain, Style.plain, Style.plain, Style.number]
        )
        ranked.row([f"{cycle_name} 综合评价结果"], style=Style.header)
        ranked.row(RANKING_HEADER, style=Style.header)
        counted: Counter[str | None] = Counter()
        # For the averages sheet, which needs nothing else of an item: its name and its ballots.
        names: list[tuple[int, str, int]] = []
        # A few rules set every tier: each one's words are made once.
        rules: dict[str | None, str] = {}
        for item in ranking:
            counted[item["tier"]] += 1
            names.append((item["report_id"], item["org_name"], sum(g["ballots"] for g in item["groups"])))
            rule = item["tier_rule"]
            if rule not in rules:
                rules[rule] = tier_rule_text(rule, rule_names or {}, poor_vote_share)
            flags = item["consistency_flags"]
            ranked.row(
                [
                    item["rank"] if item["rank"] is not None else "",
                    item["org_code"],
                    item["org_name"],
                    float(item["total"]) if item["total"] else "未完成",
                    _num(item["max_total"]),
                    _num(item["ballot_part"]),
                    _num(item["indicator_points"]),
                    tier_name(item["tier"]),
                    rules[rule],
                    "是" if item["vetoed"] else "否",
                    "是" if item["flagged"] else "否",
                    "满足" if item["quorum_ok"] else "不足",
                    "；".join(consistency_text(f, {g["key"]: g["name"] for g in item["groups"]}) for f in flags)
                    if flags
                    else "",
                ]
            )

        groups = wb.sheet("分组得分")
        groups.row(GROUP_HEADER, style=Style.header)
        for item in ranking:
            for g in item["groups"]:
                counts = g["tier_counts"]
                figures: list[Cell]
                if g.get("withheld"):
                    figures = [withheld_text(g["withheld"], g["hidden_below"]), *["不显示"] * 5]
                else:
                    figures = [
                        _num(g["score"]),
                        _num(g["approval_rate"]),
                        counts["good"],
                        counts["fairly_good"],
                        counts["average"],
                        counts["poor"],
                    ]
                groups.row(
                    [
                        item["org_name"],
                        g["name"],
                        _num(g["weight"]),
                        g["ballots"],
                        g["dropped"],
                        *figures,
                        "满足" if g["quorum_ok"] else "不足",
                    ]
                )

        items = wb.sheet("分项平均")
        keys = list(item_titles)
        averaged = item_averages()
        items.row(["单位", *[item_titles[k] for k in keys]], style=Style.header)
        for report_id, name, ballots in names:
            row: list[Cell] = [name]
            if 0 < ballots < min_ballots_shown:
                row += [withheld_text("few_ballots", min_ballots_shown)] * len(keys)
            else:
                averages = averaged.get(report_id, {})
                row += [_num(averages.get(k)) for k in keys]
            items.row(row)

        tiers = wb.sheet("等次分布")
        tiers.row(["等次", "单位数"], style=Style.header)
        for tier in ["good", "fairly_good", "average", "poor", None]:
            tiers.row([tier_name(tier), counted[tier]])
    return buf.getvalue()
