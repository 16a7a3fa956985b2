"""述后整改, first part: interviews (约谈) and rectification notices (整改通知书) for flagged reports."""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Float, Select, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.batch import apply_all
from shuping.core.calendar import china_today
from shuping.core.errors import Conflict, FieldError, Forbidden, InvalidState, NotFound
from shuping.core.i18n import N_
from shuping.core.text import numbered, same_text_key, unnumbered
from shuping.cycles import freeze
from shuping.cycles.models import Cycle
from shuping.db import utcnow
from shuping.meetings.counting import UNITS, to_units
from shuping.meetings.models import Ballot, Meeting
from shuping.orgs import service as orgs_service
from shuping.orgs.models import Organization
from shuping.orgs.scope import reaches, within_reach
from shuping.reports.models import Report
from shuping.results.models import Interview, NoticeStatus, RectificationNotice
from shuping.results.schemas import (
    AveragedItem,
    InterviewCreate,
    InterviewRead,
    ItemAverages,
    NoticeBatchIn,
    NoticeCreate,
    NoticeRead,
    ReportItemAverages,
    ResultItem,
)
from shuping.results.service import ranking as ranking_of
from shuping.results.service import rubric_of, stored_items
from shuping.rubrics.models import ItemSource, tier_name
from shuping.scoring.inputs import scoring_rubric
from shuping.scoring.rules import TIER_ORDER, display_ratio
from shuping.scoring.withholding import Withheld


async def _published_item(session: AsyncSession, cycle: Cycle, report_id: int) -> ResultItem:
    if not await freeze.is_frozen(session, cycle.id):
        raise InvalidState(N_("Interviews and notices follow published results; publish them first"))
    items = await stored_items(session, cycle.id, report_id=report_id)
    if not items:
        raise FieldError(
            ["body", "report_id"], N_("Report {report_id} is not a report of this cycle", report_id=report_id)
        )
    return items[0]


async def _org_name(session: AsyncSession, report_id: int) -> str:
    name = await session.scalar(
        select(Organization.name).join(Report, Report.org_id == Organization.id).where(Report.id == report_id)
    )
    return name or ""


async def record_interview(
    session: AsyncSession, *, cycle: Cycle, interview_in: InterviewCreate, actor: User
) -> InterviewRead:
    item = await _published_item(session, cycle, interview_in.report_id)
    if not item.flagged:
        raise InvalidState(N_("{org_name} is not flagged for an interview in this cycle", org_name=item.org_name))
    interview = Interview(cycle_id=cycle.id, recorded_by_id=actor.id, **interview_in.model_dump())
    session.add(interview)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="interview.record",
        entity_type="interview",
        entity_id=interview.id,
        data={"cycle_id": cycle.id, "report_id": interview.report_id, "led_by": interview.led_by},
    )
    return _interview_read(interview, item.org_name)


def _interview_read(i: Interview, org_name: str) -> InterviewRead:
    return InterviewRead(
        id=i.id,
        cycle_id=i.cycle_id,
        report_id=i.report_id,
        org_name=org_name,
        held_at=i.held_at,
        led_by=i.led_by,
        attendees=i.attendees,
        notes=i.notes,
        created_at=i.created_at,
    )


async def list_interviews(session: AsyncSession, cycle: Cycle) -> list[InterviewRead]:
    rows = (
        await session.execute(
            select(Interview, Organization.name)
            .join(Report, Report.id == Interview.report_id)
            .join(Organization, Organization.id == Report.org_id)
            .where(Interview.cycle_id == cycle.id)
            .order_by(Interview.held_at, Interview.id)
        )
    ).all()
    return [_interview_read(i, name) for i, name in rows]


@dataclass(frozen=True)
class Finding:
    """One problem a notice lists: a ledger item (with how many opinions it holds) or, before the
    comments reach the ledger, a ballot comment."""

    category: str | None
    text: str
    opinions: int = 1


# The ledger sits above results: wiring plugs in how it lists an organisation's items in a cycle.
LedgerFindings = Callable[[AsyncSession, int, int], Awaitable[list[Finding]]]
_ledger_findings: list[LedgerFindings] = []


def plug_ledger_findings(source: LedgerFindings) -> None:
    """Let notices list the ledger's items (idempotent: the last one plugged is used)."""
    _ledger_findings[:] = [source]


async def _comment_findings(session: AsyncSession, cycle: Cycle, report_id: int) -> list[Finding]:
    """The report's ballot comments, each said once however many wrote it."""
    rows = (
        await session.execute(
            select(Ballot.comment_category, Ballot.comment)
            .join(Meeting, Meeting.id == Ballot.meeting_id)
            .where(Meeting.cycle_id == cycle.id, Ballot.report_id == report_id, Ballot.comment.is_not(None))
            .order_by(Ballot.comment_category, Ballot.comment)
        )
    ).all()
    seen: dict[str, Finding] = {}
    for category, comment in rows:
        text = (comment or "").strip()
        key = same_text_key(text)
        if not key:
            continue
        if key in seen:
            seen[key] = replace(seen[key], opinions=seen[key].opinions + 1)
        else:
            seen[key] = Finding(category=category, text=text)
    # The most raised first: the notice's 主要意见 lead with what most evaluators said.
    return sorted(seen.values(), key=lambda f: -f.opinions)


async def findings_for(session: AsyncSession, cycle: Cycle, item: ResultItem) -> str:
    lines = [
        f"在{cycle.name}中，你单位党组织书记述职评议综合得分 {item.total}（满分 {item.max_total}），"
        f"位次第 {item.rank} 名，等次为“{tier_name(item.tier)}”。",
    ]
    if item.vetoed:
        lines.append("存在一票否决情形。")
    for g in item.groups:
        if g.withheld == Withheld.few_ballots:
            lines.append(f"{g.name}有效票 {g.ballots} 张，不足 {g.hidden_below} 张，满意率不予显示。")
        elif g.withheld is not None:
            lines.append(f"{g.name}有效票 {g.ballots} 张，为免推算出票数过少评议组的评价，满意率不予显示。")
        elif g.approval_rate is not None:
            lines.append(f"{g.name}满意率 {float(g.approval_rate) * 100:.1f}%（有效票 {g.ballots} 张）。")
    # Each problem once: the ledger's items (duplicates merged there), else the comments not yet filed.
    findings = await _ledger_findings[0](session, cycle.id, item.org_id) if _ledger_findings else []
    if not findings:
        findings = await _comment_findings(session, cycle, item.report_id)
    if findings:
        lines.append("评议中提出的主要意见建议：")
        lines += [
            f"{n}. {'【' + f.category + '】' if f.category else ''}{f.text}"
            + (f"（{f.opinions} 条意见）" if f.opinions > 1 else "")
            for n, f in enumerate(findings, start=1)
        ]
    return "\n".join(lines)


async def _host_documents(session: AsyncSession, host_org_id: int) -> orgs_service.DocumentSettings:
    """The number prefix and the signer of a cycle's notices: its host organisation's."""
    return orgs_service.document_settings(await orgs_service.get_org(session, host_org_id))


async def issue_notice(session: AsyncSession, *, cycle: Cycle, notice_in: NoticeCreate, actor: User) -> NoticeRead:
    item = await _published_item(session, cycle, notice_in.report_id)
    if not item.flagged:
        raise InvalidState(
            N_("{org_name} is not flagged for a rectification notice in this cycle", org_name=item.org_name)
        )
    if notice_in.deadline_date <= china_today():
        raise FieldError(["body", "deadline_date"], N_("The deadline must lie in the future"))
    exists = await session.scalar(
        select(RectificationNotice.id).where(
            RectificationNotice.cycle_id == cycle.id, RectificationNotice.report_id == notice_in.report_id
        )
    )
    if exists is not None:
        raise Conflict(N_("{org_name} already has a notice for this cycle", org_name=item.org_name))
    # One sequence per prefix and year, whichever organisation's cycles share the prefix.
    head = f"{(await _host_documents(session, cycle.host_org_id)).prefix}〔{cycle.period_end.year}〕"
    count = await session.scalar(
        select(func.count())
        .select_from(RectificationNotice)
        .where(RectificationNotice.number.startswith(head, autoescape=True))
    )
    notice = RectificationNotice(
        cycle_id=cycle.id,
        report_id=notice_in.report_id,
        org_id=item.org_id,
        number=f"{head}{int(count or 0) + 1}号",
        findings=notice_in.findings or await findings_for(session, cycle, item),
        measures=notice_in.measures,
        deadline_date=notice_in.deadline_date,
        status=NoticeStatus.issued,
        issued_by_id=actor.id,
    )
    session.add(notice)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="notice.issue",
        entity_type="notice",
        entity_id=notice.id,
        data={"number": notice.number, "report_id": notice.report_id, "deadline": notice.deadline_date.isoformat()},
    )
    return _notice_read(notice, item.org_name)


async def issue_notices(
    session: AsyncSession, *, cycle: Cycle, notices_in: NoticeBatchIn, actor: User
) -> list[NoticeRead]:
    """Issue a notice to each report, each as a single notice is issued (numbered in the order given); if any
    may not have one, none is issued."""

    async def one(report_id: int) -> NoticeRead:
        notice_in = NoticeCreate(
            report_id=report_id, measures=notices_in.measures, deadline_date=notices_in.deadline_date
        )
        return await issue_notice(session, cycle=cycle, notice_in=notice_in, actor=actor)

    return await apply_all(
        session,
        notices_in.report_ids,
        "report_ids",
        lambda report_id: N_("Report {report_id}", report_id=report_id),
        one,
    )


def _notice_read(n: RectificationNotice, org_name: str) -> NoticeRead:
    overdue = n.status == NoticeStatus.issued and n.deadline_date < china_today()
    return NoticeRead(
        id=n.id,
        cycle_id=n.cycle_id,
        report_id=n.report_id,
        org_id=n.org_id,
        org_name=org_name,
        number=n.number,
        findings=n.findings,
        measures=n.measures,
        deadline_date=n.deadline_date,
        status=n.status,
        overdue=overdue,
        issued_at=n.issued_at,
        acknowledged_at=n.acknowledged_at,
    )


async def get_notice(session: AsyncSession, notice_id: int, user: User) -> tuple[RectificationNotice, str]:
    row = (
        await session.execute(
            select(RectificationNotice, Organization.name)
            .join(Organization, Organization.id == RectificationNotice.org_id)
            .where(RectificationNotice.id == notice_id)
        )
    ).first()
    if row is None:
        raise NotFound(N_("Notice {notice_id} does not exist", notice_id=notice_id))
    notice, name = row
    if not await reaches(session, user, notice.org_id):
        raise NotFound(N_("Notice {notice_id} does not exist", notice_id=notice_id))
    return notice, name


async def read_notice(session: AsyncSession, notice_id: int, user: User) -> NoticeRead:
    notice, name = await get_notice(session, notice_id, user)
    return _notice_read(notice, name)


async def list_notices(session: AsyncSession, *, cycle_id: int | None, user: User) -> list[NoticeRead]:
    stmt = (
        select(RectificationNotice, Organization.name)
        .join(Organization, Organization.id == RectificationNotice.org_id)
        .order_by(RectificationNotice.id)
    )
    if cycle_id is not None:
        stmt = stmt.where(RectificationNotice.cycle_id == cycle_id)
    stmt = stmt.where(within_reach(user, RectificationNotice.org_id))
    return [_notice_read(n, name) for n, name in (await session.execute(stmt)).all()]


async def count_notices(session: AsyncSession, *, user: User, status: NoticeStatus | None = None) -> int:
    """How many notices `list_notices` shows the user (in this status), in one query."""
    stmt = select(func.count(RectificationNotice.id)).where(within_reach(user, RectificationNotice.org_id))
    if status is not None:
        stmt = stmt.where(RectificationNotice.status == status)
    return int(await session.scalar(stmt) or 0)


async def acknowledge(session: AsyncSession, *, notice_id: int, user: User) -> NoticeRead:
    notice, name = await get_notice(session, notice_id, user)
    if notice.org_id != user.org_id or user.role != Role.secretary:
        raise Forbidden(N_("Only the secretary of the notified organisation acknowledges the notice"))
    if notice.status == NoticeStatus.acknowledged:
        raise Conflict(N_("The notice is already acknowledged"))
    notice.status = NoticeStatus.acknowledged
    notice.acknowledged_at = utcnow()
    notice.acknowledged_by_id = user.id
    await session.flush()
    await audit.record(
        session,
        actor=user,
        action="notice.acknowledge",
        entity_type="notice",
        entity_id=notice.id,
        data={"number": notice.number},
    )
    return _notice_read(notice, name)


def section_lines(text: str) -> list[str]:
    """A notice section's paragraphs, its points numbered 1. 2. 3. as an official document numbers them
    under a heading 一、二、三: the lines that came numbered (in any style) are the points, renumbered
    in order; when none did, each of several lines is a point and a single line stays a sentence."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    is_point: Callable[[str], bool]
    if any(numbered(line) for line in lines):
        is_point = numbered
    elif len(lines) > 1:
        is_point = bool
    else:
        return lines
    out: list[str] = []
    n = 0
    for line in lines:
        if is_point(line):
            n += 1
            line = f"{n}. {unnumbered(line)}"
        out.append(line)
    return out


# On SQLite a tier item's answers are counted in one sum, each tier in its own TIER_BITS bits of it.
TIER_BITS = 16


def _item_sums(cycle: Cycle, *, sqlite: bool, packed_tiers: bool = False) -> Select[*tuple[Any, ...]]:
    """Per report of the cycle: its ballots, each score item's answers summed in whole 1/10,000 units,
    and each tier item's answers counted per tier in TIER_ORDER (packed into one sum if asked)."""
    rubric = scoring_rubric(rubric_of(cycle))
    columns: list[ColumnElement[int]] = [func.count()]
    for item in rubric.ballot_items:
        # On SQLite, JSON_EXTRACT itself: an answer is text already, and a CAST of each one cost 8 %.
        answer = (
            func.json_extract(Ballot.items, f"$.{json.dumps(item.key)}")
            if sqlite
            else Ballot.items[item.key].as_string()
        )
        if item.kind == "tier" and packed_tiers:
            # The answer taken out once, not once per tier: SQLite parses the ballot again each time.
            packing = {t.value: 1 << (TIER_BITS * i) for i, t in enumerate(TIER_ORDER)}
            columns.append(func.sum(case(packing, value=answer, else_=0)))
        elif item.kind == "tier":
            columns += [func.sum(case((answer == t.value, 1), else_=0)) for t in TIER_ORDER]
        else:
            # Answers carry at most 2 decimals (`score_ballot` refuses more), so a report's float sum is within
            # 1e-9 of the exact one and rounds to the exact whole units: 2.5× quicker than NUMERIC here.
            columns.append(to_units(func.sum(cast(answer, Float))))
    return (
        select(Ballot.report_id, *columns)
        .where(Ballot.report_id.in_(select(Report.id).where(Report.cycle_id == cycle.id)))
        .group_by(Ballot.report_id)
    )


async def _sqlite_item_sums(session: AsyncSession, cycle: Cycle) -> list[list[Any]]:
    """`_item_sums` on SQLite, as one row holding every report's figures as JSON: the whole query is
    then one step of SQLite's, run without the GIL. Row by row, each step waited for the GIL between
    two reports while the export's sheet writer held it, so the two ran mostly one after the other.

    Tiers are counted packed, and unpacked here; should a report have 2**TIER_BITS ballots or more
    (a tier's count might not fit), they are counted again one sum per tier.
    """
    tiers = [item.kind == "tier" for item in scoring_rubric(rubric_of(cycle)).ballot_items]
    for packed in (True, False):
        query = _item_sums(cycle, sqlite=True, packed_tiers=packed).subquery()
        text = await session.scalar(select(func.json_group_array(func.json_array(*query.c))))
        rows: list[list[Any]] = orjson.loads(text or "[]")
        if not packed:
            return rows
        if all(n < 1 << TIER_BITS for _, n, *_ in rows):
            mask = (1 << TIER_BITS) - 1
            out = []
            for rid, n, *figures in rows:
                row = [rid, n]
                for tier, figure in zip(tiers, figures, strict=True):
                    if tier:
                        row += [(figure >> (TIER_BITS * i)) & mask for i in range(len(TIER_ORDER))]
                    else:
                        row.append(figure)
                out.append(row)
            return out
    raise AssertionError("unreachable")


async def item_averages(
    session: AsyncSession, cycle: Cycle, report_ids: Sequence[int]
) -> tuple[dict[int, dict[str, str]], dict[str, str]]:
    """Per report, the average points of each ballot item over all its ballots; and the same over
    every ballot of those reports together (the county's average). A report with fewer than the
    cycle's `min_ballots_shown` ballots has none (nor the county, with fewer than that in all).

    The database sums each score item (in whole 1/10,000 units, exactly) and counts each tier item's
    answers per report; a province's ballots never come into Python one by one.
    """
    rubric = scoring_rubric(rubric_of(cycle))
    rows: Iterable[Sequence[Any]]
    if session.get_bind().dialect.name == "sqlite":
        rows = await _sqlite_item_sums(session, cycle)
    else:
        rows = (await session.execute(_item_sums(cycle, sqlite=False))).all()
    # Each item's figures are whole numbers and its points Σ weight × figure / denominator: a score
    # item's summed units over UNITS; a tier item's answers per tier, weighted by the tier's points.
    scales: list[tuple[str, list[int], int]] = []
    for item in rubric.ballot_items:
        if item.kind == "tier":
            tier_points = [Fraction(rubric.tier_fractions[t]) * Fraction(item.max_points) for t in TIER_ORDER]
            den = math.lcm(*(p.denominator for p in tier_points))
            scales.append((item.key, [p.numerator * (den // p.denominator) for p in tier_points], den))
        else:
            scales.append((item.key, [1], UNITS))
    wanted = set(report_ids)
    per_report: dict[int, dict[str, str]] = {}
    together = dict.fromkeys((key for key, _, _ in scales), 0)
    ballots = 0
    k = cycle.min_ballots_shown
    for rid, n, *figures in rows:
        if rid not in wanted:
            continue
        ballots += n
        # Summed into the county's all the same; on its own, fewer than k ballots are never averaged out.
        shown = n >= k
        mine: dict[str, str] = {}
        at = 0
        for key, weights, den in scales:
            part = figures[at : at + len(weights)]
            at += len(weights)
            if part[0] is None:  # no ballot holds this item (a rubric changed under old ballots)
                continue
            points = sum(w * f for w, f in zip(weights, part, strict=True))
            together[key] += points
            if shown:
                mine[key] = display_ratio(points, den * n)
        if shown:
            per_report[rid] = mine
    county = {key: display_ratio(together[key], den * ballots) for key, _, den in scales} if ballots >= k else {}
    return per_report, county


async def item_averages_read(session: AsyncSession, *, cycle: Cycle, user: User) -> ItemAverages:
    """The radar's figures for the reports whose detail `user` may see (a secretary: their own), against
    the average over every report of the cycle."""
    _, ranking = await ranking_of(session, cycle=cycle, user=user)
    per_report, county = await item_averages(session, cycle, ranking.report_ids)
    shown = ranking.detailed_report_ids()
    per_report = {report_id: averages for report_id, averages in per_report.items() if report_id in shown}
    k = cycle.min_ballots_shown
    return ItemAverages(
        cycle_id=cycle.id,
        items=[
            AveragedItem(key=i.key, title=i.title, max_points=f"{i.max_points:.2f}")
            for i in rubric_of(cycle).items
            if i.source == ItemSource.ballot
        ],
        county=county,
        reports=[
            ReportItemAverages(report_id=i["report_id"], org_name=i["org_name"], averages=per_report[i["report_id"]])
            if i["report_id"] in per_report
            else ReportItemAverages(
                report_id=i["report_id"], org_name=i["org_name"], averages={}, withheld=True, hidden_below=k
            )
            for i in ranking
            if i["groups"] and (i["report_id"] in per_report or 0 < sum(g["ballots"] for g in i["groups"]) < k)
        ],
    )
