"""Monthly bulletins (月度通报) of a target programme, and the public board's read of them (图板展示).

A bulletin reports a month: numbered 第 n 期 within the programme in the order they are made, as of
the month's last day clamped to the programme's period. While a draft it is computed live from the
pipeline; publishing (once that day is over) freezes what it says (every unit's measures, weighted
completion, rank, light, change and the veto fact) as its snapshot, audited. A published bulletin
never changes: a correction is either the next month's bulletin or an explicit withdrawal (audited
with its reason and what was withdrawn), which returns it to a draft to be published again.

The month-on-month change compares with the latest earlier published bulletin of the programme, as
that bulletin printed it; without one, with the completion computed at the previous month's end
(when that falls in the period).

Who: the programme's office (区商务局), or its managers where it has none, makes, publishes, withdraws
and deletes bulletins and sees drafts (`service.may_publish`, and the managers see drafts too);
everyone signed in reads published ones; the public board (no login) shows each programme's latest
published bulletin, never a draft.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.calendar import china_date, china_today
from shuping.core.errors import Conflict, FieldError, InvalidState, NotFound
from shuping.core.i18n import N_
from shuping.core.official_document import Heading, OfficialDocument, Paragraph, Table, chinese_date
from shuping.core.values import decimal_text
from shuping.core.xlsx import Style, Workbook
from shuping.db import utcnow
from shuping.orgs.models import Organization
from shuping.orgs.service import document_settings
from shuping.targets import completion as calc
from shuping.targets import progress, service
from shuping.targets.bulletin_schemas import (
    BulletinContent,
    BulletinCreate,
    BulletinMeasure,
    BulletinPrevious,
    BulletinRead,
    BulletinSummary,
    BulletinUnit,
    BulletinUnitMeasure,
    LightCounts,
    ProgrammeRef,
    PublicBulletin,
    TargetBoard,
)
from shuping.targets.models import BulletinStatus, TargetBulletin, TargetProgramme

LIGHT_WORDS = {calc.Light.green: "绿灯", calc.Light.yellow: "黄灯", calc.Light.red: "红灯"}
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")


class BulletinMonthTaken(Conflict):
    code, title = "bulletin-month-taken", N_("The programme already has a bulletin for that month")


class BulletinPublished(InvalidState):
    code, title = "bulletin-published", N_("The bulletin is published")


class BulletinTooEarly(InvalidState):
    code, title = "bulletin-too-early", N_("The bulletin's month is not over")


class BulletinNotPublished(InvalidState):
    code, title = "bulletin-not-published", N_("The bulletin is not published")


# ---------------------------------------------------------------- access


def may_see_drafts(user: User, programme: TargetProgramme) -> bool:
    return service.may_publish(user, programme) or service.may_manage(user, programme)


async def get_bulletin(
    session: AsyncSession, bulletin_id: int, *, user: User
) -> tuple[TargetBulletin, TargetProgramme]:
    """The bulletin and its programme; a draft is 404 to whom may not see drafts (as if it were not there)."""
    bulletin = await session.get(TargetBulletin, bulletin_id)
    programme = await session.get(TargetProgramme, bulletin.programme_id) if bulletin is not None else None
    if (
        bulletin is None
        or programme is None
        or (bulletin.status == BulletinStatus.draft and not may_see_drafts(user, programme))
    ):
        raise NotFound(N_("No bulletin {id}", id=bulletin_id))
    return bulletin, programme


# ---------------------------------------------------------------- what a bulletin says


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def as_of_for(programme: TargetProgramme, month: date) -> date:
    """The month's last day, within the programme's period."""
    return max(programme.period_start, min(month_end(month), programme.period_end))


def title_for(programme: TargetProgramme, month: date) -> str:
    """关于2013年10月份招商引资目标责任完成情况的通报 (the programme's name without its year)."""
    topic = _YEAR_PREFIX.sub("", programme.name) or programme.name
    return f"关于{month.year}年{month.month}月份{topic}完成情况的通报"


async def _organ(session: AsyncSession, programme: TargetProgramme, year: int, number: int) -> tuple[str, str]:
    """The issuing organ and the document number: the office's settings, else the host's."""
    org = await session.get(Organization, programme.office_org_id or programme.host_org_id)
    assert org is not None
    settings = document_settings(org)
    return settings.organ, f"{settings.bulletin_prefix}〔{year}〕{number}号"


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{(value * 100).quantize(Decimal('0.1'))}%"


def _points(change: Decimal | None) -> str:
    if change is None:
        return "—"
    points = (change * 100).quantize(Decimal("0.1"))
    return f"+{points}个百分点" if points > 0 else (f"{points}个百分点" if points < 0 else "持平")


def _summary(as_of: date, pace: Decimal, units: list[BulletinUnit], counts: LightCounts) -> str:
    ranked = [u for u in units if u.rank is not None]
    if not ranked:
        return f"截至{chinese_date(as_of)}，尚无单位有目标任务。"
    text = (
        f"截至{chinese_date(as_of)}（时序进度{_percent(pace)}），{len(ranked)}个责任单位中，"
        f"绿灯{counts.green}个、黄灯{counts.yellow}个、红灯{counts.red}个。"
    )
    top = [u for u in ranked if u.rank == ranked[0].rank]
    bottom = [u for u in ranked if u.rank == ranked[-1].rank]
    text += f"综合完成率居首的是{'、'.join(u.org.name for u in top)}（{_percent(top[0].weighted_completion)}）"
    if len(ranked) > len(top):
        text += f"，居末的是{'、'.join(u.org.name for u in bottom)}（{_percent(bottom[0].weighted_completion)}）"
    text += "。"
    idle = [u.org.name for u in ranked if u.no_project_landed]
    if idle:
        text += f"尚无项目落地的单位有{'、'.join(idle)}，项目落地实行一票否决，请抓紧推进。"
    return text


async def _previous(
    session: AsyncSession, programme: TargetProgramme, known: progress.Facts, month: date
) -> tuple[BulletinPrevious | None, dict[int, Decimal | None]]:
    """What the change compares with, and each unit's weighted completion there."""
    earlier = (
        await session.execute(
            select(TargetBulletin)
            .where(
                TargetBulletin.programme_id == programme.id,
                TargetBulletin.status == BulletinStatus.published,
                TargetBulletin.month < month,
            )
            .order_by(TargetBulletin.month.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if earlier is not None and earlier.snapshot is not None:
        said = BulletinContent.model_validate(earlier.snapshot)
        return (
            BulletinPrevious(month=earlier.month, as_of=earlier.as_of, number=earlier.number),
            {u.org.id: u.weighted_completion for u in said.units},
        )
    day = calc.previous_month_end(month)
    if day < programme.period_start:
        return None, {}
    before = progress.results_on(programme, known, day)
    return (
        BulletinPrevious(month=day.replace(day=1), as_of=day, number=None),
        {org_id: calc.rounded(u.weighted) for org_id, u in before.items()},
    )


async def compute(session: AsyncSession, programme: TargetProgramme, bulletin: TargetBulletin) -> BulletinContent:
    """What the bulletin says today, from the pipeline (a draft's read; frozen when published)."""
    known = await progress.facts(session, programme)
    measures = known[0]
    now = progress.results_on(programme, known, bulletin.as_of)
    previous, before = await _previous(session, programme, known, bulletin.month)
    orgs = await service.orgs_by_id(session, set(now))
    units: list[BulletinUnit] = []
    for org_id, unit in sorted(now.items(), key=lambda kv: (kv[1].rank is None, kv[1].rank or 0, orgs[kv[0]].code)):
        weighted = calc.rounded(unit.weighted)
        prev = before.get(org_id)
        units.append(
            BulletinUnit(
                org=service.org_ref(orgs[org_id]),
                measures=[
                    BulletinUnitMeasure(
                        measure_key=m.key,
                        target=r.target,
                        actual=r.actual,
                        completion=calc.rounded(r.completion),
                        light=r.light,
                    )
                    for m in measures
                    for r in [unit.measures[m.key]]
                ],
                weighted_completion=weighted,
                rank=unit.rank,
                light=unit.light,
                previous_weighted_completion=prev,
                change=None if prev is None or weighted is None else weighted - prev,
                landed_projects=unit.landed_projects,
                no_project_landed=unit.no_project_landed,
            )
        )
    counts = LightCounts(
        green=sum(u.light == calc.Light.green for u in units),
        yellow=sum(u.light == calc.Light.yellow for u in units),
        red=sum(u.light == calc.Light.red for u in units),
        unranked=sum(u.rank is None for u in units),
    )
    pace = calc.rounded(calc.expected_pace(programme.period_start, programme.period_end, bulletin.as_of)) or Decimal(0)
    organ, doc_number = await _organ(session, programme, bulletin.month.year, bulletin.number)
    return BulletinContent(
        programme=ProgrammeRef(id=programme.id, name=programme.name),
        month=bulletin.month,
        number=bulletin.number,
        as_of=bulletin.as_of,
        organ=organ,
        doc_number=doc_number,
        title=title_for(programme, bulletin.month),
        expected_pace=pace,
        red_below=calc.RED_BELOW,
        previous=previous,
        measures=[
            BulletinMeasure(key=m.key, name=m.name, unit=m.unit, weight=m.weight, more_is_better=m.more_is_better)
            for m in measures
        ],
        units=units,
        counts=counts,
        summary=_summary(bulletin.as_of, pace, units, counts),
    )


async def content(session: AsyncSession, programme: TargetProgramme, bulletin: TargetBulletin) -> BulletinContent:
    """What it says: the snapshot once published, else computed now."""
    if bulletin.status == BulletinStatus.published and bulletin.snapshot is not None:
        return BulletinContent.model_validate(bulletin.snapshot)
    return await compute(session, programme, bulletin)


async def read(session: AsyncSession, bulletin: TargetBulletin, programme: TargetProgramme, user: User) -> BulletinRead:
    said = await content(session, programme, bulletin)
    return BulletinRead(
        **said.model_dump(),
        id=bulletin.id,
        programme_id=programme.id,
        status=bulletin.status,
        published_at=bulletin.published_at,
        may_publish=service.may_publish(user, programme),
        created_at=bulletin.created_at,
        updated_at=bulletin.updated_at,
    )


def _summary_row(bulletin: TargetBulletin, programme: TargetProgramme) -> BulletinSummary:
    return BulletinSummary(
        id=bulletin.id,
        programme_id=programme.id,
        month=bulletin.month,
        number=bulletin.number,
        as_of=bulletin.as_of,
        title=title_for(programme, bulletin.month),
        status=bulletin.status,
        published_at=bulletin.published_at,
        created_at=bulletin.created_at,
        updated_at=bulletin.updated_at,
    )


async def list_bulletins(session: AsyncSession, *, programme: TargetProgramme, user: User) -> list[BulletinSummary]:
    """The programme's bulletins, newest month first; drafts only to those who may see them."""
    stmt = select(TargetBulletin).where(TargetBulletin.programme_id == programme.id)
    if not may_see_drafts(user, programme):
        stmt = stmt.where(TargetBulletin.status == BulletinStatus.published)
    rows = await session.execute(stmt.order_by(TargetBulletin.month.desc()))
    return [_summary_row(b, programme) for b in rows.scalars()]


# ---------------------------------------------------------------- making and publishing


async def create_bulletin(
    session: AsyncSession, *, programme: TargetProgramme, bulletin_in: BulletinCreate, actor: User
) -> BulletinRead:
    service.require_publish(actor, programme)
    month = bulletin_in.month.replace(day=1)
    if month_end(month) < programme.period_start or month > programme.period_end:
        raise FieldError(
            ["body", "month"],
            N_(
                "The month lies outside the programme's period ({start} to {end})",
                start=programme.period_start.isoformat(),
                end=programme.period_end.isoformat(),
            ),
        )
    taken = await session.scalar(
        select(TargetBulletin.number).where(TargetBulletin.programme_id == programme.id, TargetBulletin.month == month)
    )
    if taken is not None:
        raise BulletinMonthTaken(
            N_("The programme already has bulletin No. {number} for {month}", number=taken, month=f"{month:%Y-%m}")
        )
    last = await session.scalar(
        select(func.max(TargetBulletin.number)).where(TargetBulletin.programme_id == programme.id)
    )
    bulletin = TargetBulletin(
        programme_id=programme.id, month=month, number=(last or 0) + 1, as_of=as_of_for(programme, month)
    )
    session.add(bulletin)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_bulletin.create",
        entity_type="target_bulletin",
        entity_id=bulletin.id,
        data={"programme_id": programme.id, "month": f"{month:%Y-%m}", "number": bulletin.number},
    )
    await session.refresh(bulletin)
    return await read(session, bulletin, programme, actor)


def _digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(snapshot, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _ranking(said: BulletinContent) -> list[dict[str, Any]]:
    return [
        {
            "org_id": u.org.id,
            "rank": u.rank,
            "weighted_completion": None if u.weighted_completion is None else decimal_text(u.weighted_completion),
            "light": u.light,
        }
        for u in said.units
    ]


async def publish(
    session: AsyncSession, *, bulletin: TargetBulletin, programme: TargetProgramme, actor: User
) -> BulletinRead:
    """Freeze what the draft says now and publish it (the public board shows it from now on)."""
    service.require_publish(actor, programme)
    if bulletin.status == BulletinStatus.published:
        raise BulletinPublished(
            N_("Bulletin No. {number} is already published: it does not change", number=bulletin.number)
        )
    if china_today() <= bulletin.as_of:
        raise BulletinTooEarly(
            N_("The bulletin reports up to {day}: publish it once that day is over", day=bulletin.as_of.isoformat())
        )
    said = await compute(session, programme, bulletin)
    snapshot = said.model_dump(mode="json")
    bulletin.snapshot = snapshot
    bulletin.status = BulletinStatus.published
    bulletin.published_at = utcnow()
    bulletin.published_by = actor.id
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_bulletin.publish",
        entity_type="target_bulletin",
        entity_id=bulletin.id,
        data={
            "programme_id": programme.id,
            "month": f"{bulletin.month:%Y-%m}",
            "number": bulletin.number,
            "sha256": _digest(snapshot),
            "ranking": _ranking(said),
        },
    )
    await session.refresh(bulletin)
    return await read(session, bulletin, programme, actor)


async def withdraw(
    session: AsyncSession, *, bulletin: TargetBulletin, programme: TargetProgramme, reason: str, actor: User
) -> BulletinRead:
    """Withdraw a published bulletin (a mistake found after publishing): back to a draft, off the public
    board; the audit log keeps the reason and what was withdrawn."""
    service.require_publish(actor, programme)
    if bulletin.status != BulletinStatus.published or bulletin.snapshot is None:
        raise BulletinNotPublished(
            N_("Bulletin No. {number} is a draft: there is nothing to withdraw", number=bulletin.number)
        )
    withdrawn = bulletin.snapshot
    await audit.record(
        session,
        actor=actor,
        action="target_bulletin.withdraw",
        entity_type="target_bulletin",
        entity_id=bulletin.id,
        data={
            "programme_id": programme.id,
            "month": f"{bulletin.month:%Y-%m}",
            "number": bulletin.number,
            "reason": reason,
            "published_at": bulletin.published_at.isoformat() if bulletin.published_at else None,
            "sha256": _digest(withdrawn),
            "ranking": _ranking(BulletinContent.model_validate(withdrawn)),
        },
    )
    bulletin.snapshot = None
    bulletin.status = BulletinStatus.draft
    bulletin.published_at = None
    bulletin.published_by = None
    await session.flush()
    await session.refresh(bulletin)
    return await read(session, bulletin, programme, actor)


async def delete_bulletin(
    session: AsyncSession, *, bulletin: TargetBulletin, programme: TargetProgramme, actor: User
) -> None:
    """Delete a draft (a published bulletin is withdrawn first)."""
    service.require_publish(actor, programme)
    if bulletin.status == BulletinStatus.published:
        raise BulletinPublished(
            N_("Bulletin No. {number} is published: withdraw it before deleting it", number=bulletin.number)
        )
    await audit.record(
        session,
        actor=actor,
        action="target_bulletin.delete",
        entity_type="target_bulletin",
        entity_id=bulletin.id,
        data={"programme_id": programme.id, "month": f"{bulletin.month:%Y-%m}", "number": bulletin.number},
    )
    await session.delete(bulletin)
    await session.flush()


# ---------------------------------------------------------------- the public board


async def public_board(session: AsyncSession, *, programme_id: int | None) -> TargetBoard:
    """The programmes with a published bulletin (latest first) and the chosen one's latest published
    bulletin. Drafts are never shown; a programme without a published bulletin is 404, as one that is not."""
    # Ids first, the one snapshot shown after: years of bulletins are not read to show one.
    rows = (
        await session.execute(
            select(TargetBulletin.id, TargetBulletin.programme_id, TargetProgramme.name)
            .join(TargetProgramme, TargetProgramme.id == TargetBulletin.programme_id)
            .where(TargetBulletin.status == BulletinStatus.published)
            .order_by(TargetBulletin.month.desc(), TargetBulletin.id.desc())
        )
    ).all()
    latest: dict[int, int] = {}
    names: dict[int, str] = {}
    for bulletin_id, pid, name in rows:
        latest.setdefault(pid, bulletin_id)
        names[pid] = name
    programmes = [ProgrammeRef(id=pid, name=names[pid]) for pid in latest]
    if programme_id is not None and programme_id not in latest:
        raise NotFound(N_("Programme {id} has no published bulletin", id=programme_id))
    chosen_id = latest.get(programme_id) if programme_id is not None else (rows[0][0] if rows else None)
    chosen = await session.get(TargetBulletin, chosen_id) if chosen_id is not None else None
    if chosen is None or chosen.snapshot is None or chosen.published_at is None:
        return TargetBoard(programmes=programmes, bulletin=None)
    said = BulletinContent.model_validate(chosen.snapshot)
    return TargetBoard(
        programmes=programmes,
        bulletin=PublicBulletin(**said.model_dump(), id=chosen.id, published_at=chosen.published_at),
    )


# ---------------------------------------------------------------- the .docx and the sheet


def issued_on(bulletin: TargetBulletin) -> date:
    """The document's date: the day it was published (Beijing), today for a draft."""
    return china_date(bulletin.published_at) if bulletin.published_at is not None else china_today()


def _measure_cell(m: BulletinUnitMeasure) -> str:
    if m.target is None:
        return "—"
    return f"{decimal_text(m.actual)}/{decimal_text(m.target)}\n{_percent(m.completion)}"


def document(said: BulletinContent, dated: date) -> OfficialDocument:
    """The bulletin in the official layout: masthead, number, title, summary, the ranked table, the lights."""
    topic = _YEAR_PREFIX.sub("", said.programme.name) or said.programme.name
    header = ["排名", "单位"] + [f"{m.name}（{m.unit}）\n完成/目标" for m in said.measures]
    header += ["综合完成率", "较上月", "亮灯"]
    rows = [
        [str(u.rank) if u.rank is not None else "—", u.org.name]
        + [_measure_cell(m) for m in u.measures]
        + [_percent(u.weighted_completion), _points(u.change), LIGHT_WORDS[u.light] if u.light else "—"]
        for u in said.units
    ]
    red = _percent(said.red_below)
    return OfficialDocument(
        title=said.title,
        organ=said.organ,
        dated=dated,
        number=said.doc_number,
        addressee="各责任单位：",
        body=[
            Paragraph(f"现将{said.month.year}年{said.month.month}月份{topic}完成情况（第{said.number}期）通报如下："),
            Heading("一、总体情况"),
            Paragraph(said.summary),
            Heading("二、各单位完成情况"),
            Table(header=header, rows=rows),
            Paragraph(
                "说明：完成率为完成数除以目标数；综合完成率按各项指标权重加权计算，单项最高按100%计；"
                f"亮灯按时序进度评定，达到时序进度为绿灯，低于时序进度为黄灯，低于时序进度的{red}为红灯；"
                "“—”表示该单位无此项目标任务。"
                + (
                    f"较上月为与第{said.previous.number}期通报相比。"
                    if said.previous is not None and said.previous.number is not None
                    else ""
                )
            ),
            Heading("三、有关要求"),
            Paragraph(
                "各责任单位要对照目标任务，查找差距，加大工作力度；亮红灯、黄灯的单位要认真分析原因，"
                "制定切实可行的措施，确保按时序进度完成目标任务。项目落地实行一票否决。"
            ),
        ],
    )


def sheet(said: BulletinContent) -> bytes:
    """The same rows as an Excel sheet: numbers as numbers (completions as fractions, 0.6 for 60 %)."""
    header: list[str] = ["排名", "单位编码", "单位"]
    for m in said.measures:
        header += [f"{m.name}目标（{m.unit}）", f"{m.name}完成（{m.unit}）", f"{m.name}完成率"]
    header += ["综合完成率", "上期综合完成率", "较上期变化", "亮灯", "落地项目数"]
    out = io.BytesIO()
    with Workbook(out) as book:
        page = book.sheet(
            "月度通报", widths=[6, 14, 20] + [12] * (3 * len(said.measures)) + [12, 14, 12, 8, 10], freeze="D4"
        )
        page.row([said.title], style=Style.title)
        page.row(
            [f"{said.organ}  {said.doc_number}  截至{said.as_of.isoformat()}  时序进度{_percent(said.expected_pace)}"]
        )
        page.row(header, style=Style.header)
        for u in said.units:
            cells: list[Any] = [u.rank, u.org.code, u.org.name]
            for figure in u.measures:
                cells += [figure.target, figure.actual, figure.completion]
            cells += [
                u.weighted_completion,
                u.previous_weighted_completion,
                u.change,
                LIGHT_WORDS[u.light] if u.light else None,
                u.landed_projects,
            ]
            page.row(cells)
    return out.getvalue()
