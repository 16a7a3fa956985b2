"""Reports: who reads and writes them, their life from draft to accepted, attachments, assessment."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import ColumnElement, Select, and_, event, false, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, selectinload

from shuping.audit import service as audit
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.config import get_settings
from shuping.core.errors import Conflict, FieldError, FieldErrors, Forbidden, InvalidState, NotFound
from shuping.core.files import UploadLike
from shuping.core.pagination import paginate
from shuping.core.values import decimal_text
from shuping.cycles import holdings
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage, EvaluatorGroupMember
from shuping.cycles.schemas import OrgRef
from shuping.db import utcnow
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.scope import host_org_ids, reaches, within_reach
from shuping.reports.errors import FileTooLarge, UnsupportedFile
from shuping.reports.models import Report, ReportAttachment, ReportIndicator, ReportStatus, ReportVeto
from shuping.reports.schemas import (
    AssessmentIn,
    AssessmentRead,
    AttachmentRead,
    IndicatorRead,
    ReportRead,
    ReportSummary,
    ReportUpdate,
    VetoRead,
)
from shuping.results import service as results_service
from shuping.rubrics import formulas
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import ItemSource, Rubric

# The county keeps Beijing time (no daylight saving): a due date ends at its midnight there.
BEIJING = timezone(timedelta(hours=8))
EDITABLE = (ReportStatus.draft, ReportStatus.returned)
ASSESSABLE_STAGES = (CycleStage.preparation, CycleStage.evaluation, CycleStage.assessment)
CHUNK = 1024 * 1024
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


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
        raise Forbidden("This report is of an organisation outside your reach")
    if user.role == Role.secretary:
        raise Forbidden("A secretary may read only their own organisation's report")
    if user.role in cycles_service.EVALUATOR_ROLES:
        if report.status != ReportStatus.accepted:
            raise Forbidden("Evaluators read reports once the host has accepted them")
        if await cycles_service.is_member(session, user.id, report.cycle_id):
            return
        raise Forbidden("You are not an evaluator in this report's cycle")
    raise Forbidden("Your role may not read reports")


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
        raise Forbidden("Only the secretary of the reporting organisation writes its report")


def _require_editable(cycle: Cycle, report: Report, doing: str) -> None:
    cycles_service.require_stage(cycle, CycleStage.preparation, doing=doing)
    if report.status not in EDITABLE:
        raise InvalidState(
            f"Cannot {doing}: the report is {report.status.value}; only a draft or returned report changes"
        )


# --- loading and reading ---------------------------------------------------------------------


def _with_all() -> Select[Report]:
    return select(Report).options(selectinload(Report.org), selectinload(Report.attachments))


async def get_report(session: AsyncSession, report_id: int) -> Report:
    stmt = _with_all().where(Report.id == report_id).execution_options(populate_existing=True)
    report = (await session.execute(stmt)).scalar_one_or_none()
    if report is None:
        raise NotFound(f"Report {report_id} does not exist")
    return report


async def _cycle_of(session: AsyncSession, report: Report) -> Cycle:
    cycle = await session.get(Cycle, report.cycle_id)
    assert cycle is not None
    return cycle


def _due_end(due: date | None) -> datetime | None:
    if due is None:
        return None
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=BEIJING).astimezone(UTC)


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
    cycle = await _cycle_of(session, report)
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
    cycles_service.require_stage(cycle, CycleStage.preparation, doing="add a report")
    org = await session.get(Organization, org_id)
    problem = await check_reporting_org(session, cycle.host_org_id, org)
    if problem is not None or org is None:
        raise FieldError(["body", "org_id"], problem or "No such organisation")
    taken = await session.scalar(select(Report.id).where(Report.cycle_id == cycle.id, Report.org_id == org.id))
    if taken is not None:
        raise Conflict(
            f"{org.name} already has report {taken} in this cycle", errors=[{"loc": ["body", "org_id"], "msg": "taken"}]
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


def _remove_files_after_commit(session: AsyncSession, paths: Sequence[Path]) -> None:
    """Delete stored files only once the rows that named them are gone for good."""
    if not paths:
        return

    def remove(_session: Session) -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    event.listen(session.sync_session, "after_commit", remove, once=True)


def _stored(path: str) -> Path:
    return get_settings().var_dir / path


async def delete_report(session: AsyncSession, *, report: Report, actor: User) -> None:
    cycle = await _cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, CycleStage.preparation, doing="remove a report")
    # Going back to preparation keeps what was cast: a report holding ballots, results or opinions stays.
    held = await holdings.of_reports(session, cycle.id, {report.id: (report.title, report.org_id)})
    holdings.refuse(held, doing="remove the report")
    files = [_stored(a.storage_path) for a in report.attachments]
    try:
        async with session.begin_nested():
            await session.delete(report)
            await session.flush()
    except IntegrityError:
        # Meetings, ballots, opinions or results still name it (the cycle went back a stage).
        raise Conflict("The report is referenced by meetings, opinions or results; it cannot be removed") from None
    _remove_files_after_commit(session, files)
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
    cycle = await _cycle_of(session, report)
    changes = report_in.model_dump(exclude_unset=True, mode="json")
    if not is_own(actor, report):
        # The host may correct a title; the text is the secretary's.
        if not cycles_service.can_manage(actor, cycle):
            raise Forbidden("Only the secretary of the reporting organisation writes its report")
        if set(changes) - {"title"}:
            raise Forbidden("The host may change only the title; the secretary writes the report")
        cycles_service.require_stage(cycle, CycleStage.preparation, doing="change the title")
    else:
        _require_editable(cycle, report, "change the report")
    for field in ("title", "body"):
        if field in changes and changes[field] is None:
            raise FieldError(["body", field], f"{field} cannot be null")
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
    cycle = await _cycle_of(session, report)
    _require_editable(cycle, report, "submit the report")
    if not report.body.strip():
        raise InvalidState("Write the report before submitting it: the text is empty")
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
    cycle = await _cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, CycleStage.preparation, doing="accept a report")
    if report.status != ReportStatus.submitted:
        raise InvalidState(f"Only a submitted report can be accepted; this one is {report.status.value}")
    report.status = ReportStatus.accepted
    report.reviewed_at = utcnow()
    report.reviewed_by_id = actor.id
    report.review_comment = None
    await session.flush()
    await audit.record(session, actor=actor, action="report.accept", entity_type="report", entity_id=report.id)
    return await read(session, report.id, actor)


async def return_report(session: AsyncSession, *, report: Report, comment: str, actor: User) -> ReportRead:
    cycle = await _cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, CycleStage.preparation, doing="return a report")
    if report.status not in (ReportStatus.submitted, ReportStatus.accepted):
        raise InvalidState(f"Only a submitted or accepted report can be returned; this one is {report.status.value}")
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

# extension → (content type, slides or image, how the content starts)
_FILE_TYPES: dict[str, tuple[str, str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", "slides", (b"%PDF-",)),
    ".pptx": (PPTX_TYPE, "slides", (b"PK\x03\x04",)),
    ".png": ("image/png", "image", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", "image", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", "image", (b"\xff\xd8\xff",)),
    ".webp": ("image/webp", "image", (b"RIFF",)),
}
ALLOWED_EXTENSIONS = tuple(_FILE_TYPES)


def clean_filename(raw: str) -> str:
    """A display name safe to send back: the last path part, no control characters, ≤ 255 chars."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    name = name.strip(". ") or "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 250 - len(ext)] + dot + ext) if dot else name[:255]
    return name


def _is_pptx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "ppt/presentation.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _content_matches(ext: str, head: bytes) -> bool:
    _, _, magics = _FILE_TYPES[ext]
    if not any(head.startswith(m) for m in magics):
        return False
    return ext != ".webp" or head[8:12] == b"WEBP"


async def add_attachment(session: AsyncSession, *, report: Report, upload: UploadLike, actor: User) -> AttachmentRead:
    require_author(actor, report)
    cycle = await _cycle_of(session, report)
    _require_editable(cycle, report, "add an attachment")
    settings = get_settings()
    if len(report.attachments) >= settings.report_max_attachments:
        raise Conflict(f"A report has at most {settings.report_max_attachments} attachments; remove one first")
    filename = clean_filename(upload.filename or "")
    ext = Path(filename).suffix.lower()
    if ext not in _FILE_TYPES:
        raise UnsupportedFile(
            f"{filename}: attach slides as PDF or PPTX, or images as PNG, JPEG or WebP",
            errors=[{"loc": ["body", "file"], "msg": f"{ext or 'no extension'} is not accepted"}],
        )
    content_type, family, _ = _FILE_TYPES[ext]
    limit_mb = settings.report_slides_max_mb if family == "slides" else settings.report_image_max_mb
    limit = limit_mb * 1024 * 1024

    relative = f"reports/{report.id}/{uuid.uuid4().hex}{ext}"
    path = settings.var_dir / relative
    await anyio.Path(path.parent).mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        async with await anyio.open_file(path, "wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FileTooLarge(
                        f"{filename} is larger than the limit of {limit_mb} MB for {family}",
                        errors=[{"loc": ["body", "file"], "msg": f"larger than {limit_mb} MB"}],
                    )
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                await out.write(chunk)
        if size == 0:
            raise FieldError(["body", "file"], f"{filename} is empty")
        ok = _content_matches(ext, head) and (ext != ".pptx" or await anyio.to_thread.run_sync(_is_pptx, path))
        if not ok:
            raise UnsupportedFile(
                f"{filename} does not contain what its name says ({ext[1:].upper()})",
                errors=[{"loc": ["body", "file"], "msg": "content does not match the file type"}],
            )
    except BaseException:
        await anyio.Path(path).unlink(missing_ok=True)
        raise
    attachment = ReportAttachment(
        report_id=report.id,
        filename=filename,
        content_type=content_type,
        size_bytes=size,
        sha256=digest.hexdigest(),
        storage_path=relative,
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
        data={"attachment_id": attachment.id, "filename": filename, "size": size, "sha256": attachment.sha256},
    )
    return AttachmentRead.model_validate(attachment)


def find_attachment(report: Report, attachment_id: int) -> ReportAttachment:
    for a in report.attachments:
        if a.id == attachment_id:
            return a
    raise NotFound(f"Report {report.id} has no attachment {attachment_id}")


def attachment_path(attachment: ReportAttachment) -> Path:
    path = _stored(attachment.storage_path)
    if not path.is_file():
        raise NotFound(f"The file of attachment {attachment.id} is missing from storage")
    return path


async def delete_attachment(session: AsyncSession, *, report: Report, attachment_id: int, actor: User) -> None:
    require_author(actor, report)
    attachment = find_attachment(report, attachment_id)
    cycle = await _cycle_of(session, report)
    _require_editable(cycle, report, "remove an attachment")
    report.attachments.remove(attachment)
    await session.flush()
    _remove_files_after_commit(session, [_stored(attachment.storage_path)])
    await audit.record(
        session,
        actor=actor,
        action="report.attachment_delete",
        entity_type="report",
        entity_id=report.id,
        data={"attachment_id": attachment.id, "filename": attachment.filename, "sha256": attachment.sha256},
    )


# --- indicators and vetoes -------------------------------------------------------------------


async def _rubric_of(session: AsyncSession, cycle: Cycle) -> Rubric:
    if cycle.rubric_id is None:
        raise InvalidState("The cycle has no rubric yet, so there is nothing to assess")
    return await rubrics_service.get_rubric(session, cycle.rubric_id)


async def read_assessment(session: AsyncSession, *, report: Report, actor: User) -> AssessmentRead:
    cycle = await _cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    rubric = await _rubric_of(session, cycle)
    indicators = {
        r.item_key: r
        for r in (
            await session.execute(select(ReportIndicator).where(ReportIndicator.report_id == report.id))
        ).scalars()
    }
    vetoes = {
        v.veto_key: v
        for v in (await session.execute(select(ReportVeto).where(ReportVeto.report_id == report.id))).scalars()
    }
    items: list[IndicatorRead] = []
    for i in rubric.items:
        if i.source != ItemSource.indicator:
            continue
        # As the results take them: a formula with a computation gives the points, else what was entered.
        compute = formulas.computing(i.formula)
        entered = None if compute is not None else indicators.get(i.key)
        points: Decimal | None = None
        if compute is not None:
            points = await compute(session, report, i)
        elif entered is not None:
            points = entered.points
        items.append(
            IndicatorRead(
                key=i.key,
                title=i.title,
                max_points=i.max_points,
                formula=i.formula,
                computed=compute is not None,
                points=points,
                missing=points is None,
                set_at=entered.set_at if entered is not None else None,
            )
        )
    return AssessmentRead(
        report_id=report.id,
        indicators=items,
        vetoes=[
            VetoRead(
                key=v.key,
                title=v.title,
                vetoed=v.key in vetoes,
                reason=vetoes[v.key].reason if v.key in vetoes else None,
                set_at=vetoes[v.key].set_at if v.key in vetoes else None,
            )
            for v in rubric.vetoes
        ],
        indicator_total=sum((i.points for i in items if i.points is not None), Decimal(0)),
        missing_count=sum(1 for i in items if i.missing),
    )


async def put_assessment(
    session: AsyncSession, *, report: Report, assessment_in: AssessmentIn, actor: User
) -> AssessmentRead:
    cycle = await _cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, *ASSESSABLE_STAGES, doing="change indicators or vetoes")
    await results_service.require_not_published(session, cycle.id, "change indicators or vetoes")
    rubric = await _rubric_of(session, cycle)
    items = {i.key: i for i in rubric.items}
    veto_titles = {v.key: v.title for v in rubric.vetoes}
    errors: list[dict[str, Any]] = []
    for key, points in assessment_in.indicators.items():
        loc: list[str | int] = ["body", "indicators", key]
        item = items.get(key)
        if item is None:
            errors.append({"loc": loc, "msg": f"The rubric has no item {key!r}"})
        elif item.source != ItemSource.indicator:
            errors.append({"loc": loc, "msg": f"{key!r} is a ballot item: evaluators score it"})
        elif formulas.computing(item.formula) is not None:
            errors.append(
                {"loc": loc, "msg": f"{item.title} is computed by its formula ({item.formula}); it cannot be entered"}
            )
        elif points > item.max_points:
            errors.append(
                {"loc": loc, "msg": f"Points must be between 0 and {decimal_text(item.max_points)} for {item.title}"}
            )
    for key in assessment_in.vetoes:
        if key not in veto_titles:
            errors.append({"loc": ["body", "vetoes", key], "msg": f"The rubric has no veto item {key!r}"})
    if errors:
        raise FieldErrors(errors)

    now = utcnow()
    before = await read_assessment(session, report=report, actor=actor)
    rows = {
        r.item_key: r
        for r in (
            await session.execute(select(ReportIndicator).where(ReportIndicator.report_id == report.id))
        ).scalars()
    }
    for key, old in rows.items():
        if key not in assessment_in.indicators:
            await session.delete(old)
    for key, points in assessment_in.indicators.items():
        row = rows.get(key)
        if row is None:
            session.add(
                ReportIndicator(report_id=report.id, item_key=key, points=points, set_by_id=actor.id, set_at=now)
            )
        elif row.points != points:
            row.points, row.set_by_id, row.set_at = points, actor.id, now
    veto_rows = {
        v.veto_key: v
        for v in (await session.execute(select(ReportVeto).where(ReportVeto.report_id == report.id))).scalars()
    }
    for key, old_veto in veto_rows.items():
        if key not in assessment_in.vetoes:
            await session.delete(old_veto)
    for key, reason in assessment_in.vetoes.items():
        vrow = veto_rows.get(key)
        if vrow is None:
            session.add(ReportVeto(report_id=report.id, veto_key=key, reason=reason, set_by_id=actor.id, set_at=now))
        elif vrow.reason != reason:
            vrow.reason, vrow.set_by_id, vrow.set_at = reason, actor.id, now
    await session.flush()
    after = await read_assessment(session, report=report, actor=actor)
    await audit.record(
        session,
        actor=actor,
        action="report.assessment",
        entity_type="report",
        entity_id=report.id,
        data={
            "before": {
                "indicators": {
                    i.key: str(i.points) for i in before.indicators if i.points is not None and not i.computed
                },
                "vetoes": {v.key: v.reason for v in before.vetoes if v.vetoed},
            },
            "after": assessment_in.model_dump(mode="json"),
        },
    )
    return after
