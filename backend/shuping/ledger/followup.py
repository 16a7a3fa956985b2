"""The year-end follow-up report (专题汇报) per township."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.errors import NotFound
from shuping.core.i18n import N_
from shuping.core.official_document import Block, Heading, OfficialDocument, Paragraph, Table, chinese_date, render
from shuping.cycles.models import Cycle
from shuping.ledger import items as ledger_items
from shuping.ledger import service, stats
from shuping.ledger import statemachine as sm
from shuping.ledger.importer import STATUS_LABELS
from shuping.ledger.models import LedgerItem, LedgerNote
from shuping.ledger.schemas import CycleRef, Figures, FollowupItem, FollowupReport
from shuping.orgs.models import Organization


async def report(
    session: AsyncSession, *, cycle: Cycle, org: Organization, today: service.Today | None = None
) -> FollowupReport:
    """The organisation's items in the cycle with measures, status and the latest progress note."""
    today = today or service.Today.now()
    items = list(
        (
            await session.execute(
                select(LedgerItem)
                .where(LedgerItem.cycle_id == cycle.id, LedgerItem.org_id == org.id)
                .order_by(LedgerItem.id)
            )
        ).scalars()
    )
    order = {name: i for i, name in enumerate(await service.categories_of(session, cycle.id))}
    items.sort(key=lambda i: (order.get(i.category or "", len(order)), i.category or "", i.id))
    counts = await ledger_items.opinion_counts(session, [i.id for i in items])
    latest: dict[int, str] = {}
    if items:
        notes = await session.execute(
            select(LedgerNote.item_id, LedgerNote.text)
            .where(LedgerNote.item_id.in_([i.id for i in items]))
            .order_by(LedgerNote.note_date, LedgerNote.id)
        )
        for item_id, text in notes.all():
            latest[int(item_id)] = text
    return FollowupReport(
        cycle=CycleRef(id=cycle.id, name=cycle.name),
        org=service.org_ref(org),
        as_of=today.day,
        figures=await stats.figures_of(session, cycle_id=cycle.id, org_id=org.id, today=today),
        items=[
            FollowupItem(
                id=i.id,
                category=i.category,
                title=i.title,
                measures=i.measures,
                status=i.status,
                due_date=i.due_date,
                overdue=i.status in sm.ACTIVE and today.day > i.due_date,
                done_date=i.done_date,
                verified_date=i.verified_date,
                opinion_count=counts.get(i.id, 0),
                latest_note=latest.get(i.id),
            )
            for i in items
        ],
    )


def _percent(figures: Figures) -> str:
    rate = figures.completion_rate
    return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"


def document(data: FollowupReport, organ: str | None = None) -> OfficialDocument:
    """The follow-up report as an official document (a report up: no number, signed by the organisation)."""
    f = data.figures
    org_name = data.org.name
    body: list[Block] = [
        Heading("一、总体情况"),
        Paragraph(
            f"截至{chinese_date(data.as_of)}，{org_name}共有整改事项 {f.total} 项，"
            f"其中已验收 {f.verified} 项、已完成待验收 {f.done} 项、整改中 {f.in_progress} 项、待整改 {f.open} 项、"
            f"不予整改 {f.rejected} 项；超期未完成 {f.overdue} 项；整改完成率 {_percent(f)}。"
        ),
        Heading("二、逐项整改情况"),
    ]
    by_category: dict[str, list[FollowupItem]] = defaultdict(list)
    for item in data.items:
        by_category[item.category or "未分类"].append(item)
    for n, (category, items) in enumerate(by_category.items(), start=1):
        body.append(Paragraph(f"（{n}）{category}（{len(items)} 项）"))
        body.append(
            Table(
                ("序号", "问题", "整改措施", "状态", "截止日期"),
                [
                    (
                        str(i),
                        item.title,
                        item.measures or "",
                        STATUS_LABELS[item.status] + ("（超期）" if item.overdue else ""),
                        item.due_date.isoformat(),
                    )
                    for i, item in enumerate(items, start=1)
                ],
            )
        )
        body.extend(
            Paragraph(f"{i}. 最新进展：{item.latest_note}") for i, item in enumerate(items, start=1) if item.latest_note
        )
    body += [
        Heading("三、下一步打算"),
        Paragraph("对尚未完成的事项，明确责任人和完成时限，逐项跟踪督办，确保件件有着落、事事有回音。"),
    ]
    return OfficialDocument(
        title=f"{org_name}述职评议意见建议整改落实情况专题汇报（{data.cycle.name}）",
        organ=organ or org_name,
        dated=data.as_of,
        body=body,
    )


def docx(data: FollowupReport, organ: str | None = None) -> bytes:
    """The follow-up report as a Word document (blocking: run it in a worker thread)."""
    return render(document(data, organ))


async def get_org(session: AsyncSession, org_id: int) -> Organization:
    org = await session.get(Organization, org_id)
    if org is None:
        raise NotFound(N_("Organisation {org_id} does not exist", org_id=org_id))
    return org
