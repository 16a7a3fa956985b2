"""The documents results issue, each an official document (core.official_document): the rectification
notice (整改通知书), the results bulletin (通报) and the interview record (约谈记录)."""

from __future__ import annotations

from datetime import UTC, date

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role, User
from shuping.core.calendar import CHINA_TZ, china_date
from shuping.core.errors import InvalidState, NotFound
from shuping.core.i18n import N_
from shuping.core.official_document import Block, Heading, OfficialDocument, Paragraph, Table, chinese_date, render
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle
from shuping.orgs import service as orgs_service
from shuping.orgs.models import Organization, OrgKind
from shuping.reports.models import Report
from shuping.results.consequences import get_notice, section_lines
from shuping.results.models import Interview, ResultEntry, ResultStatus
from shuping.results.schemas import ResultItem
from shuping.results.service import get_result_set, stored_items
from shuping.rubrics.models import TIER_NAMES, Tier, tier_name

NO_SECRETARY = "（未设书记账号）"


async def _secretary(session: AsyncSession, org_id: int) -> str:
    name = await session.scalar(
        select(User.full_name)
        .where(User.org_id == org_id, User.role == Role.secretary, User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    return name or NO_SECRETARY


async def _settings(session: AsyncSession, host_org_id: int) -> orgs_service.DocumentSettings:
    return orgs_service.document_settings(await orgs_service.get_org(session, host_org_id))


async def _docx(document: OfficialDocument) -> bytes:
    return await anyio.to_thread.run_sync(render, document)


# --- the rectification notice ----------------------------------------------------------------------


async def notice_docx(session: AsyncSession, *, notice_id: int, user: User) -> tuple[bytes, str]:
    notice, org_name = await get_notice(session, notice_id, user)
    cycle_name, host_org_id = (
        await session.execute(select(Cycle.name, Cycle.host_org_id).where(Cycle.id == notice.cycle_id))
    ).one()
    organ = (await _settings(session, host_org_id)).organ
    place = (
        await session.execute(
            select(ResultEntry.rank, ResultEntry.tier).where(
                ResultEntry.cycle_id == notice.cycle_id, ResultEntry.report_id == notice.report_id
            )
        )
    ).first()
    rank, tier = place if place is not None else (None, None)
    body: list[Block] = [
        Paragraph(f"书记：{await _secretary(session, notice.org_id)}"),
        Paragraph(
            f"根据{cycle_name}综合评价结果，你单位位次第 {rank} 名，等次为“{tier_name(tier)}”。"
            "现将有关问题通知如下，请认真抓好整改。"
        ),
        Heading("一、存在的问题"),
        *(Paragraph(line) for line in section_lines(notice.findings)),
        Heading("二、整改要求"),
        *(Paragraph(line) for line in section_lines(notice.measures)),
        Heading("三、整改时限"),
        Paragraph(f"请于 {chinese_date(notice.deadline_date)} 前完成整改，并将整改情况书面报{organ}。"),
    ]
    document = OfficialDocument(
        title="整改通知书",
        organ=organ,
        dated=china_date(notice.issued_at),
        number=notice.number,
        addressee=f"{org_name}党组织：",
        body=body,
    )
    return await _docx(document), f"{notice.number}.docx"


# --- the results bulletin ----------------------------------------------------------------------------

# Whom a bulletin addresses, by the kinds of organisation that reported.
_ADDRESSEES = {
    frozenset({OrgKind.township}): "各乡镇党委：",
    frozenset({OrgKind.township, OrgKind.working_committee}): "各乡镇党委、工业区工委：",
    frozenset({OrgKind.village}): "各村党组织：",
    frozenset({OrgKind.department}): "各县直单位党组织：",
}


def _names(items: list[ResultItem]) -> str:
    return "、".join(i.org_name for i in items) if items else "无"


def bulletin_body(cycle_name: str, organ: str, items: list[ResultItem]) -> list[Block]:
    """The bulletin's text: the ranking with totals and tiers, the units of each tier, those to be interviewed."""
    ranked = [i for i in items if not i.incomplete]
    by_tier = {t: [i for i in ranked if i.tier == t] for t in Tier}
    flagged = [i for i in ranked if i.flagged]
    tiers = "，".join(f"“{TIER_NAMES[t]}”等次 {len(by_tier[t])} 个" for t in Tier)
    body: list[Block] = [
        Paragraph(
            f"按照工作安排，{organ}组织开展了{cycle_name}。经现场述职、测评打分和综合评价，"
            f"{len(ranked)} 个单位党组织书记的评议结果为：{tiers}。现将结果通报如下。"
        ),
        Heading("一、综合评价排名"),
        Table(
            header=("位次", "单位", "综合得分", "等次", "备注"),
            rows=[
                (
                    str(i.rank) if i.rank is not None else "—",
                    i.org_name,
                    i.total or "—",
                    tier_name(i.tier),
                    "；".join(note for note, on in (("需约谈整改", i.flagged), ("一票否决", i.vetoed)) if on),
                )
                for i in items
            ],
        ),
        Heading("二、评议等次"),
        *(Paragraph(f"“{TIER_NAMES[t]}”等次（{len(by_tier[t])} 个）：{_names(by_tier[t])}。") for t in Tier),
        Heading("三、约谈整改"),
        Paragraph(
            f"对综合评价等次为“较差”或排名末位的{_names(flagged)}共 {len(flagged)} 个单位党组织书记进行约谈，"
            "下发整改通知书，限期整改，整改情况纳入整改台账跟踪督办。"
            if flagged
            else "本次评议无需约谈整改的单位。"
        ),
        Heading("四、工作要求"),
        Paragraph(
            "各单位要认真对照评议中提出的意见建议，逐条制定整改措施，明确责任人和完成时限，"
            "切实做到件件有着落、事事有回音；评议结果作为干部考核、选拔任用和评先评优的重要依据。"
        ),
    ]
    return body


async def bulletin_docx(session: AsyncSession, *, cycle: Cycle, number: int, dated: date | None) -> tuple[bytes, str]:
    """The published results as a bulletin numbered `number` of the host's bulletins of the cycle's year."""
    result_set = await get_result_set(session, cycle.id)
    if result_set is None or result_set.status != ResultStatus.published or result_set.published_at is None:
        raise InvalidState(N_("A bulletin reports published results; publish them first"))
    settings = await _settings(session, cycle.host_org_id)
    items = await stored_items(session, cycle.id)
    kinds = frozenset(
        (
            await session.scalars(
                select(Organization.kind)
                .join(Report, Report.org_id == Organization.id)
                .where(Report.cycle_id == cycle.id)
                .distinct()
            )
        ).all()
    )
    doc_number = f"{settings.bulletin_prefix}〔{cycle.period_end.year}〕{number}号"
    document = OfficialDocument(
        title=f"关于{cycle.name}结果的通报",
        organ=settings.organ,
        dated=dated or china_date(result_set.published_at),
        number=doc_number,
        addressee=_ADDRESSEES.get(kinds, "各有关党组织："),
        body=bulletin_body(cycle.name, settings.organ, items),
    )
    return await _docx(document), f"{doc_number}-{cycle.name}结果通报.docx"


# --- the interview record ----------------------------------------------------------------------------


async def get_interview(session: AsyncSession, *, interview_id: int, user: User) -> tuple[Interview, Cycle]:
    """An interview for those who manage its cycle: 404 to whom the cycle is unknown, 403 to its other readers."""
    interview = await session.get(Interview, interview_id)
    missing = NotFound(N_("Interview {interview_id} does not exist", interview_id=interview_id))
    if interview is None or not await cycles_service.can_view(session, user, interview.cycle_id):
        raise missing
    cycle = await cycles_service.get_cycle(session, interview.cycle_id)
    cycles_service.require_manage(user, cycle)
    return interview, cycle


async def interview_docx(session: AsyncSession, *, interview_id: int, user: User) -> tuple[bytes, str]:
    interview, cycle = await get_interview(session, interview_id=interview_id, user=user)
    stored = await stored_items(session, cycle.id, report_id=interview.report_id)
    item = stored[0] if stored else None
    org_id, org_name = (
        await session.execute(
            select(Organization.id, Organization.name)
            .join(Report, Report.org_id == Organization.id)
            .where(Report.id == interview.report_id)
        )
    ).one()
    # Stored in UTC (naive in SQLite); the record says the time in Beijing.
    held = interview.held_at if interview.held_at.tzinfo else interview.held_at.replace(tzinfo=UTC)
    held_local = held.astimezone(CHINA_TZ)
    reason = (
        f"在{cycle.name}中，综合得分 {item.total}（满分 {item.max_total}），位次第 {item.rank} 名，"
        f"等次为“{tier_name(item.tier)}”，列为约谈对象。"
        if item is not None
        else f"{cycle.name}约谈。"
    )
    settings = await _settings(session, cycle.host_org_id)
    fields = [
        ("约谈对象", f"{org_name}党组织书记 {await _secretary(session, org_id)}"),
        ("约谈时间", f"{chinese_date(held_local.date())} {held_local:%H:%M}（北京时间）"),
        ("约谈人", interview.led_by),
        ("参加人员", interview.attendees or "—"),
        ("约谈事由", reason),
        ("约谈内容", interview.notes or "—"),
    ]
    document = OfficialDocument(
        title="约谈记录",
        organ=settings.organ,
        dated=held_local.date(),
        body=[Table(header=("项目", "内容"), rows=fields)],
    )
    return await _docx(document), f"{org_name}约谈记录-{held_local:%Y%m%d}.docx"
