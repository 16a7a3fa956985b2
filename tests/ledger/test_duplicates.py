"""Each opinion once: comments that say the same share one item, duplicates merge keeping both sources,
and a rectification notice lists the surviving items."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from docx import Document
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.text import same_text_key
from shuping.cycles.models import CycleStage
from tests.ledger.support import ITEMS, Ledger, make_ledger, opinions_url
from tests.ledger.test_opinions import _close, _hold_meeting
from tests.support.evaluation import ended_meeting, paper_ballot


def test_texts_that_differ_only_in_spacing_punctuation_or_width_say_the_same() -> None:
    assert same_text_key("班子团结协作还需加强。") == same_text_key(" 班子团结 协作还需加强")
    assert same_text_key("ABC，１２３！") == same_text_key("abc,123")
    assert same_text_key("发展年轻党员力度不够") != same_text_key("流动党员管理要跟上")


async def test_a_comment_that_repeats_an_earlier_one_joins_its_item(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger = await make_ledger(client, session, stage=CycleStage.evaluation)
    mid = await _hold_meeting(
        ledger,
        [
            ("members", {"comment": "发展年轻党员力度不够", "comment_category": "党员队伍"}),
            ("members", {"comment": "干部作风有待转变"}),
            ("deputies", {"comment": "发展年轻党员力度不够。", "comment_category": "党员队伍"}),
            ("members", {"comment": "发展 年轻党员力度不够"}),
        ],
    )
    await _close(ledger, mid)
    r = await client.post(f"{opinions_url(ledger.cycle_id)}/from-ballots", headers=ledger.h["clerk"])
    assert r.status_code == 200 and r.json()["created"] == 4
    items = (await client.get(ITEMS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])).json()
    assert items["total"] == 2
    # The item opened by whichever comment came first, joined by the others.
    counts = {same_text_key(i["title"]): i["opinion_count"] for i in items["items"]}
    assert counts == {"发展年轻党员力度不够": 3, "干部作风有待转变": 1}
    joined = next(i for i in items["items"] if i["opinion_count"] == 3)
    detail = (await client.get(f"{ITEMS}/{joined['id']}", headers=ledger.h["clerk"])).json()
    # Every comment stays a source of the one item.
    assert [o["source"] for o in detail["opinions"]] == ["ballot"] * 3
    assert sorted(o["text"] for o in detail["opinions"]) == sorted(
        ["发展年轻党员力度不够", "发展年轻党员力度不够。", "发展 年轻党员力度不够"]
    )
    assert [e["kind"] for e in detail["events"]] == ["created", "opinion_added", "opinion_added"]


async def test_merging_duplicates_keeps_every_source(ledger: Ledger) -> None:
    c, clerk = ledger.client, ledger.h["clerk"]
    first = await ledger.opinion(text="村级活动场所利用率不高", category="服务群众")
    # A clerk's second entry of the same problem: a separate item until merged.
    second = await ledger.opinion(text="村级活动场所利用率不高！", category="服务群众")
    assert second["item_id"] != first["item_id"]
    r = await c.post(f"{ITEMS}/{first['item_id']}/merge", json={"item_ids": [second["item_id"]]}, headers=clerk)
    assert r.status_code == 200, r.text
    assert r.json()["opinion_count"] == 2
    assert (await c.get(f"{ITEMS}/{second['item_id']}", headers=clerk)).status_code == 404
    detail = (await c.get(f"{ITEMS}/{first['item_id']}", headers=clerk)).json()
    # Both sources stay with the item that remains: which opinions, from where, when.
    assert [(o["id"], o["text"], o["source"]) for o in detail["opinions"]] == [
        (first["id"], "村级活动场所利用率不高", "clerk"),
        (second["id"], "村级活动场所利用率不高！", "clerk"),
    ]
    assert [e["kind"] for e in detail["events"]] == ["created", "created", "merged"]


COMMENTS = ["发展年轻党员力度不够", "干部作风有待转变", "发展年轻党员力度不够。", "干部作风有待转变", None]


async def _published_with_comments(client: httpx.AsyncClient, session: AsyncSession) -> tuple[Ledger, dict[str, Any]]:
    """A cycle whose paper ballots, each report's carrying the same comments several times, are counted
    and published: the ledger and the flagged report's result."""
    ledger = await make_ledger(client, session, stage=CycleStage.assessment)
    ev, admin = ledger.ev, ledger.h["admin"]
    meeting = await ended_meeting(session, ev, ev.reports)
    for i, report in enumerate(ev.reports):
        for group in ev.groups.values():
            for n, comment in enumerate(COMMENTS):
                session.add(
                    paper_ballot(
                        meeting.id,
                        report.id,
                        group.id,
                        {"duty": str(10 + 5 * i), "overall": "good"},
                        total=Decimal(70 + 5 * i + n),
                        first_tier="good",
                        comment=comment,
                    )
                )
    await session.flush()
    assert (await client.post(f"/api/v1/cycles/{ev.cycle.id}/results/compute", headers=admin)).status_code == 200
    r = await client.post(
        f"/api/v1/cycles/{ev.cycle.id}/results/publish",
        headers=admin,
        json={"missing_indicators_reason": "信访化解率本期未录入"},
    )
    assert r.status_code == 200, r.text
    items = (await client.get(f"/api/v1/cycles/{ev.cycle.id}/results", headers=admin)).json()["items"]
    return ledger, next(i for i in items if i["flagged"])


async def _notice(ledger: Ledger, report_id: int, measures: str) -> dict[str, Any]:
    deadline = (date.today() + timedelta(days=60)).isoformat()
    r = await ledger.client.post(
        f"/api/v1/cycles/{ledger.cycle_id}/notices",
        headers=ledger.h["admin"],
        json={"report_id": report_id, "measures": measures, "deadline_date": deadline},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def _points(lines: list[str]) -> list[str]:
    """The numbered lines, their text compared as opinions are (an item keeps its first comment's wording)."""
    return [
        re.sub(r"^(\d+\. )(.*?)(（.*)?$", lambda m: m[1] + same_text_key(m[2]) + (m[3] or ""), line)
        for line in lines
        if re.match(r"\d+\. ", line)
    ]


async def test_a_notice_lists_each_comment_once_before_the_ledger_has_them(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger, flagged = await _published_with_comments(client, session)
    notice = await _notice(ledger, flagged["report_id"], "限期整改")
    points = _points(notice["findings"].splitlines())
    groups = len(ledger.ev.groups)
    assert points == [
        f"1. 发展年轻党员力度不够（{2 * groups} 条意见）",
        f"2. 干部作风有待转变（{2 * groups} 条意见）",
    ]


async def test_a_notice_lists_the_surviving_ledger_items_numbered_as_an_official_document(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger, flagged = await _published_with_comments(client, session)
    clerk = ledger.h["clerk"]
    r = await client.post(f"{opinions_url(ledger.cycle_id)}/from-ballots", headers=clerk)
    assert r.status_code == 200 and r.json()["created"] == 4 * len(ledger.ev.groups) * len(ledger.ev.reports)
    # A clerk's own entry of a problem already raised opens an item of its own; merging folds it in.
    mine = await ledger.opinion(
        next(i for i, rep in enumerate(ledger.ev.reports) if rep.id == flagged["report_id"]),
        text="干部作风 有待转变！",
        category="作风建设",
    )
    listed = (await client.get(ITEMS, params={"cycle_id": ledger.cycle_id}, headers=clerk)).json()["items"]
    survivor = next(
        i["id"]
        for i in listed
        if i["id"] != mine["item_id"] and i["org"]["id"] == flagged["org_id"] and i["title"] == "干部作风有待转变"
    )
    r = await client.post(f"{ITEMS}/{survivor}/merge", json={"item_ids": [mine["item_id"]]}, headers=clerk)
    assert r.status_code == 200, r.text
    detail = (await client.get(f"{ITEMS}/{survivor}", headers=clerk)).json()
    assert {o["source"] for o in detail["opinions"]} == {"ballot", "clerk"}
    notice = await _notice(
        ledger, flagged["report_id"], "一、召开专题民主生活会\n二、整改台账逐项销号\n三、年底专题汇报"
    )
    groups = len(ledger.ev.groups)
    assert _points(notice["findings"].splitlines()) == [
        f"1. 干部作风有待转变（{2 * groups + 1} 条意见）",
        f"2. 发展年轻党员力度不够（{2 * groups} 条意见）",
    ]
    doc = await client.get(f"/api/v1/notices/{notice['id']}/document", headers=ledger.h["admin"])
    assert doc.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(doc.content)).paragraphs]
    headings = [p for p in paragraphs if re.match(r"[一二三四五六七八九十]+、", p)]
    assert headings == ["一、存在的问题", "二、整改要求", "三、整改时限"]
    requirements = paragraphs[paragraphs.index("二、整改要求") + 1 : paragraphs.index("三、整改时限")]
    assert requirements == ["1. 召开专题民主生活会", "2. 整改台账逐项销号", "3. 年底专题汇报"]
    problems = paragraphs[paragraphs.index("一、存在的问题") + 1 : paragraphs.index("二、整改要求")]
    assert _points(problems) == [
        f"1. 干部作风有待转变（{2 * groups + 1} 条意见）",
        f"2. 发展年轻党员力度不够（{2 * groups} 条意见）",
    ]
