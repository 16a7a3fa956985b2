"""Reports: who reads and writes them, their life from draft to accepted, attachments, assessment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.config import get_settings
from shuping.core import uploads
from shuping.core.batch import apply_all
from shuping.core.calendar import CHINA_TZ
from shuping.core.errors import Conflict, FieldError, Forbidden, InvalidState, NotFound
from shuping.core.files import UploadLike
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.cycles import holdings
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage, EvaluatorGroupMember
from shuping.cycles.schemas import OrgRef
from shuping.db import utcnow
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.scope import host_org_ids, reaches, within_reach
from shuping.reports.models import Report, ReportAttachment, ReportStatus
from shuping.reports.schemas import (
    AttachmentRead,
    ReportRead,
    ReportSummary,
    ReportUpdate,
)

EDITABLE = (ReportStatus.draft, ReportStatus.returned)
ASSESSABLE_STAGES = (CycleStage.preparation, CycleStage.evaluation, CycleStage.assessment)


# --- who may do what -------------------------------------------------------------------------


def is_own(user: User, report: Report) -> bool:
    return user.role == Role.secretary and user.org_id == report.org_id


async def check_read(session: AsyncSession, user: User, report: Report) -> None:
    """The host's clerks and clerks reaching the organisation read its report; a secretary
    their own organisation's; an evaluator accepted reports of the cycles they evaluate in."""
    if is_own(user, report):
        return
    if user.role in STAFF_ROLES:
        cycle = await cycles_service.get_cycle(session, report.cycle_id)
        if cycles_service.can_manage(user, cycle) or await reaches(session, user, report.org_id):
            return
        raise Forbidden(N_("This report is of an organisation outside your reach"))
    if user.role == Role.secretary:
        raise Forbidden(N_("A secretary may read only their own organisation's report"))
    if user.role in cycles_service.EVALUATOR_ROLES:
        if report.status != ReportStatus.accepted:
            raise Forbidden(N_("Evaluators read reports once the host has accepted them"))
        if await cycles_service.is_member(session, user.id, report.cycle_id):
            return
        raise Forbidden(N_("You are not an evaluator in this report's cycle"))
    raise Forbidden(N_("Your role may not read reports"))


def visibility(user: User) -> ColumnElement[bool]:
    if user.role == Role.admin:
        return true()
    if user.role in STAFF_ROLES:
        hosted = select(Cycle.id).where(Cycle.host_org_id.in_(host_org_ids(user)))
        return or_(within_reach(user, Report.org_id), Report.cycle_id.in_(hosted))
    if user.role == Role.secretary:
        return Report.org_id == user.org_id
    if user.role in cycles_service.EVALUATOR_ROLES:
        member_cycles = select(EvaluatorGroupMember.cycle_id).where(EvaluatorGroupMember.user_id == user.id)
        return and_(Report.status == ReportStatus.accepted, Report.cycle_id.in_(member_cycles))
    return false()


def require_author(user: User, report: Report) -> None:
    if not is_own(user, report):
        raise Forbidden(N_("Only the secretary of the reporting organisation writes its report"))


def require_editable(cycle: Cycle, report: Report, doing: str) -> None:
    cycles_service.require_stage(cycle, CycleStage.preparation, doing=doing)
    if report.status not in EDITABLE:
        raise InvalidState(
            N_(
                "Cannot {doing}: the report is {value}; only a draft or returned report changes",
                doing=doing,
                value=report.status,
            )
        )


# --- loading and reading ---------------------------------------------------------------------


def _with_all() -> Select[Report]:
    return select(Report).options(selectinload(Report.org), selectinload(Report.attachments))


async def get_report(session: AsyncSession, report_id: int) -> Report:
    stmt = _with_all().where(Report.id == report_id).execution_options(populate_existing=True)
    report = (await session.execute(stmt)).scalar_one_or_none()
    if report is None:
        raise NotFound(N_("Report {report_id} does not exist", report_id=report_id))
    return report


async def cycle_of(session: AsyncSession, report: Report) -> Cycle:
    cycle = await session.get(Cycle, report.cycle_id)
    assert cycle is not None
    return cycle


def _due_end(due: date | None) -> datetime | None:
    """A due date ends at its midnight in Beijing (no daylight saving there)."""
    if due is None:
        return None
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=CHINA_TZ).astimezone(UTC)


def _late(report: Report, due: date | None, now: datetime) -> bool:
    end = _due_end(due)
    if end is None:
        return False
    if report.status in (ReportStatus.draft, ReportStatus.returned) or report.submitted_at is None:
        return now > end
    return report.submitted_at > end


def _summary_fields(report: Report, cycle: Cycle, now: datetime) -> dict[str, Any]:
    return {
        "id": report.id,
        "cycle_id": report.cycle_id,
        "cycle_name": cycle.name,
        "org": OrgRef.model_validate(report.org),
        "position": report.position,
        "title": report.title,
        "status": report.status,
        "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at,
        "late": _late(report, cycle.report_due_date, now),
        "attachment_count": len(report.attachments),
        "has_video": bool(report.video_url),
    }


async def read(session: AsyncSession, report_id: int, user: User) -> ReportRead:
    report = await get_report(session, report_id)
    cycle = await cycle_of(session, report)
    preparing = cycle.stage == CycleStage.preparation
    return ReportRead(
        **_summary_fields(report, cycle, utcnow()),
        body=report.body,
        video_url=report.video_url,
        review_comment=report.review_comment,
        cycle_stage=cycle.stage,
        report_due_date=cycle.report_due_date,
        attachments=[AttachmentRead.model_validate(a) for a in report.attachments],
        can_edit=preparing and is_own(user, report) and report.status in EDITABLE,
        can_review=preparing
        and cycles_service.can_manage(user, cycle)
        and report.status in (ReportStatus.submitted, ReportStatus.accepted),
        created_at=report.created_at,
        updated_at=report.updated_at,
    )


async def list_reports(
    session: AsyncSession,
    *,
    user: User,
    cycle_id: int | None,
    status: Sequence[ReportStatus] | None,
    org_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[ReportSummary], int]:
    stmt = _with_all().where(visibility(user)).order_by(Report.cycle_id.desc(), Report.position, Report.id)
    if cycle_id is not None:
        stmt = stmt.where(Report.cycle_id == cycle_id)
    if status:
        stmt = stmt.where(Report.status.in_(status))
    if org_id is not None:
        stmt = stmt.where(Report.org_id == org_id)
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    cycles = {
        c.id: c
        for c in (await session.execute(select(Cycle).where(Cycle.id.in_({r.cycle_id for r in rows})))).scalars()
    }
    now = utcnow()
    return [ReportSummary(**_summary_fields(r, cycles[r.cycle_id], now)) for r in rows], total


async def counts_by_cycle(
    session: AsyncSession, *, user: User, status: Sequence[ReportStatus], hosted_only: bool = False
) -> list[tuple[int, str, int]]:
    """(cycle id, cycle name, count) of the reports `list_reports` shows the user in these statuses,
    newest cycle first, in one query; `hosted_only` keeps the cycles the user hosts (reviews)."""
    stmt = (
        select(Cycle.id, Cycle.name, func.count(Report.id))
        .join(Cycle, Cycle.id == Report.cycle_id)
        .where(visibility(user), Report.status.in_(status))
        .group_by(Cycle.id, Cycle.name)
        .order_by(Cycle.id.desc())
    )
    if hosted_only and user.role != Role.admin:
        stmt = stmt.where(Cycle.host_org_id.in_(host_org_ids(user)) if user.role in STAFF_ROLES else false())
    return [(int(cycle_id), name, int(n)) for cycle_id, name, n in (await session.execute(stmt)).all()]


# --- creating and deleting -------------------------------------------------------------------


_SECRETARY_OF = {OrgKind.township: "党委书记", OrgKind.village: "党支部书记"}


def default_title(org: Organization) -> str:
    """ "小店镇党委书记抓基层党建工作述职报告", "工业区委工委书记…", "耿沟村党支部书记…"."""
    return f"{org.name}{_SECRETARY_OF.get(org.kind, '书记')}抓基层党建工作述职报告"


async def check_reporting_org(session: AsyncSession, cycle_host_id: int, org: Organization | None) -> str | None:
    """Why an organisation cannot report in a cycle of this host, or None if it can."""
    if org is None:
        return "No such organisation"
    if not org.is_active:
        return f"{org.name} is deactivated"
    if org.parent_id != cycle_host_id:
        host = await session.get(Organization, cycle_host_id)
        return f"{org.name} ({org.code}) is not directly under the host {host.name if host else cycle_host_id}"
    return None


async def create_report(
    session: AsyncSession, *, cycle: Cycle, org_id: int, title: str | None, actor: User
) -> ReportRead:
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, CycleStage.preparation, doing=N_("add a report"))
    org = await session.get(Organization, org_id)
    problem = await check_reporting_org(session, cycle.host_org_id, org)
    if problem is not None or org is None:
        raise FieldError(["body", "org_id"], problem or "No such organisation")
    taken = await session.scalar(select(Report.id).where(Report.cycle_id == cycle.id, Report.org_id == org.id))
    if taken is not None:
        raise Conflict(
            N_("{name} already has report {taken} in this cycle", name=org.name, taken=taken),
            errors=[{"loc": ["body", "org_id"], "msg": N_("taken")}],
        )
    position = (await session.scalar(select(func.max(Report.position)).where(Report.cycle_id == cycle.id))) or 0
    report = Report(
        cycle_id=cycle.id,
        org_id=org.id,
        position=position + 1,
        title=title or default_title(org),
        status=ReportStatus.draft,
    )
    session.add(report)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="report.create",
        entity_type="report",
        entity_id=report.id,
        data={"cycle_id": cycle.id, "org_code": org.code, "title": report.title},
    )
    return await read(session, report.id, actor)


async def delete_report(session: AsyncSession, *, report: Report, actor: User) -> None:
    cycle = await cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, CycleStage.preparation, doing=N_("remove a report"))
    # Going back to preparation keeps what was cast: a report holding ballots, results or opinions stays.
    held = await holdings.of(session, holdings.Part.report, {report.id: report.title})
    holdings.refuse(held, doing=N_("remove the report"))
    files = [a.storage_path for a in report.attachments]
    try:
        async with session.begin_nested():
            await session.delete(report)
            await session.flush()
    except IntegrityError:
        # Meetings, ballots, opinions or results still name it (the cycle went back a stage).
        raise Conflict(N_("The report is referenced by meetings, opinions or results; it cannot be removed")) from None
    uploads.delete_after_commit(session, files)
    await audit.record(
        session,
        actor=actor,
        action="report.delete",
        entity_type="report",
        entity_id=report.id,
        data={"cycle_id": cycle.id, "org_id": report.org_id, "title": report.title},
    )


# --- writing and reviewing -------------------------------------------------------------------


async def update_report(session: AsyncSession, *, report: Report, report_in: ReportUpdate, actor: User) -> ReportRead:
    cycle = await cycle_of(session, report)
    changes = report_in.model_dump(exclude_unset=True, mode="json")
    if not is_own(actor, report):
        # The host may correct a title; the text is the secretary's.
        if not cycles_service.can_manage(actor, cycle):
            raise Forbidden(N_("Only the secretary of the reporting organisation writes its report"))
        if set(changes) - {"title"}:
            raise Forbidden(N_("The host may change only the title; the secretary writes the report"))
        cycles_service.require_stage(cycle, CycleStage.preparation, doing=N_("change the title"))
    else:
        require_editable(cycle, report, N_("change the report"))
    for field in ("title", "body"):
        if field in changes and changes[field] is None:
            raise FieldError(["body", field], N_("{field} cannot be null", field=field))
    for field, value in changes.items():
        setattr(report, field, value)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="report.update",
        entity_type="report",
        entity_id=report.id,
        # The audit keeps the size of the text, not the text itself.
        data={k: (len(v) if k == "body" and v is not None else v) for k, v in changes.items()},
    )
    return await read(session, report.id, actor)


async def submit(session: AsyncSession, *, report: Report, actor: User) -> ReportRead:
    require_author(actor, report)
    cycle = await cycle_of(session, report)
    require_editable(cycle, report, N_("submit the report"))
    if not report.body.strip():
        raise InvalidState(N_("Write the report before submitting it: the text is empty"))
    before = report.status
    report.status = ReportStatus.submitted
    report.submitted_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="report.submit",
        entity_type="report",
        entity_id=report.id,
        data={"from": before.value, "late": _late(report, cycle.report_due_date, utcnow())},
    )
    return await read(session, report.id, actor)


async def accept(session: AsyncSession, *, report: Report, actor: User) -> ReportRead:
    cycle = await cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, CycleStage.preparation, doing=N_("accept a report"))
    if report.status != ReportStatus.submitted:
        raise InvalidState(N_("Only a submitted report can be accepted; this one is {value}", value=report.status))
    report.status = ReportStatus.accepted
    report.reviewed_at = utcnow()
    report.reviewed_by_id = actor.id
    report.review_comment = None
    await session.flush()
    await audit.record(session, actor=actor, action="report.accept", entity_type="report", entity_id=report.id)
    return await read(session, report.id, actor)


async def accept_all(session: AsyncSession, *, report_ids: Sequence[int], actor: User) -> list[ReportSummary]:
    """Accept every report, each as a single acceptance (read access, the host's, preparation, submitted); if
    any may not be accepted, none is."""

    async def one(report_id: int) -> ReportSummary:
        report = await get_report(session, report_id)
        await check_read(session, actor, report)
        accepted = await accept(session, report=report, actor=actor)
        return ReportSummary.model_validate(accepted.model_dump(include=set(ReportSummary.model_fields)))

    return await apply_all(
        session, report_ids, "report_ids", lambda report_id: N_("Report {report_id}", report_id=report_id), one
    )


async def return_report(session: AsyncSession, *, report: Report, comment: str, actor: User) -> ReportRead:
    cycle = await cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, CycleStage.preparation, doing=N_("return a report"))
    if report.status not in (ReportStatus.submitted, ReportStatus.accepted):
        raise InvalidState(
            N_("Only a submitted or accepted report can be returned; this one is {value}", value=report.status)
        )
    before = report.status
    report.status = ReportStatus.returned
    report.reviewed_at = utcnow()
    report.reviewed_by_id = actor.id
    report.review_comment = comment
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="report.return",
        entity_type="report",
        entity_id=report.id,
        data={"from": before.value, "comment": comment},
    )
    return await read(session, report.id, actor)


# --- attachments -----------------------------------------------------------------------------

SLIDES = (".pdf", ".pptx")
IMAGES = (".png", ".jpg", ".jpeg", ".webp")
ALLOWED_EXTENSIONS = SLIDES + IMAGES


async def add_attachment(session: AsyncSession, *, report: Report, upload: UploadLike, actor: User) -> AttachmentRead:
    require_author(actor, report)
    cycle = await cycle_of(session, report)
    require_editable(cycle, report, N_("add an attachment"))
    settings = get_settings()
    require_room(report)
    incoming = uploads.accept(
        upload.filename, ALLOWED_EXTENSIONS, hint="attach slides as PDF or PPTX, or images as PNG, JPEG or WebP"
    )
    family = "slides" if incoming.extension in SLIDES else "image"
    limit_mb = settings.report_slides_max_mb if family == "slides" else settings.report_image_max_mb
    kept = await uploads.store(upload, incoming, folder=f"reports/{report.id}", limit_mb=limit_mb, limit_of=family)
    return AttachmentRead.model_validate(await keep_attachment(session, report=report, kept=kept, actor=actor))


def require_room(report: Report) -> None:
    """Refuse one more attachment to a report that has as many as it may (409)."""
    limit = get_settings().report_max_attachments
    if len(report.attachments) >= limit:
        raise Conflict(
            N_(
                "A report has at most {report_max_attachments} attachments; remove one first",
                report_max_attachments=limit,
            )
        )


async def keep_attachment(
    session: AsyncSession, *, report: Report, kept: uploads.StoredFile, actor: User
) -> ReportAttachment:
    """Record a stored file as the report's attachment (audited)."""
    attachment = ReportAttachment(
        report_id=report.id,
        filename=kept.filename,
        content_type=kept.content_type,
        size_bytes=kept.size,
        sha256=kept.sha256,
        storage_path=kept.path,
        uploaded_by_id=actor.id,
    )
    session.add(attachment)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="report.attachment_add",
        entity_type="report",
        entity_id=report.id,
        data={"attachment_id": attachment.id, "filename": kept.filename, "size": kept.size, "sha256": kept.sha256},
    )
    return attachment


def find_attachment(report: Report, attachment_id: int) -> ReportAttachment:
    for a in report.attachments:
        if a.id == attachment_id:
            return a
    raise NotFound(N_("Report {id} has no attachment {attachment_id}", id=report.id, attachment_id=attachment_id))


def attachment_path(attachment: ReportAttachment) -> Path:
    return uploads.existing(attachment.storage_path, f"The file of attachment {attachment.id} is missing from storage")


async def delete_attachment(session: AsyncSession, *, report: Report, attachment_id: int, actor: User) -> None:
    require_author(actor, report)
    attachment = find_attachment(report, attachment_id)
    cycle = await cycle_of(session, report)
    require_editable(cycle, report, N_("remove an attachment"))
    report.attachments.remove(attachment)
    await session.flush()
    uploads.delete_after_commit(session, [attachment.storage_path])
    await audit.record(
        session,
        actor=actor,
        action="report.attachment_delete",
        entity_type="report",
        entity_id=report.id,
        data={"attachment_id": attachment.id, "filename": attachment.filename, "sha256": attachment.sha256},
    )
