"""Cycle import: one document (JSON, or an Excel workbook read into the same shape) creates a
cycle with its rubric, evaluator groups and reports — all of it, or nothing.

A flow through three domains (rubrics, cycles, reports): each checks and builds its own part."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.config import get_settings
from shuping.core.errors import FieldErrors, FileTooLarge, Forbidden, NotFound, UnsupportedFile
from shuping.core.files import UploadLike
from shuping.core.i18n import N_
from shuping.cycles import groups as cycles_groups
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage
from shuping.flows import cycle_template, cycle_workbook
from shuping.flows.schemas import CycleImport, CycleImportResult, ImportedReport
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.scope import may_host
from shuping.reports import service as reports_service
from shuping.reports.models import Report, ReportStatus
from shuping.rubrics import formulas
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import ItemSource, Rubric, Tier
from shuping.rubrics.schemas import RubricIn

Loc = list[str | int]
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
ERROR_SHEET_DIR = "import-errors"
ERROR_SHEET_TTL_SECONDS = 24 * 3600
API_ERROR_SHEETS = "/api/v1/cycles/import/error-sheets/"


async def _orgs_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Organization]:
    if not codes:
        return {}
    rows = (await session.execute(select(Organization).where(Organization.code.in_(set(codes))))).scalars()
    return {o.code: o for o in rows}


async def check_document(session: AsyncSession, doc: CycleImport, actor: User, prefix: Loc) -> list[dict[str, Any]]:
    """Every rule the document breaks, located by its JSON path under prefix.

    Raises Forbidden when the host is one the actor may not host cycles for."""
    errors: list[dict[str, Any]] = []
    orgs = await _orgs_by_code(session, [doc.host_org_code, *(r.org_code for r in doc.reports)])
    host = orgs.get(doc.host_org_code)
    if host is None:
        errors.append(
            {
                "loc": [*prefix, "host_org_code"],
                "msg": N_("No organisation has the code {host_org_code!r}", host_org_code=doc.host_org_code),
            }
        )
    elif not may_host(actor, host.id):
        raise Forbidden(
            N_("You may not host a cycle for {name}", name=host.name),
            errors=[{"loc": [*prefix, "host_org_code"], "msg": N_("not an organisation you host cycles for")}],
        )
    if doc.period_end < doc.period_start:
        errors.append({"loc": [*prefix, "period_end"], "msg": N_("The period ends before it starts")})
    errors += rubrics_service.check_rubric(doc.rubric, [*prefix, "rubric"])
    errors += cycles_groups.check_groups(doc.groups, [*prefix, "groups"], full_weight=True)
    errors += cycles_service.check_grading(doc.grading, [*prefix, "grading"])
    errors += cycles_service.check_categories(doc.opinion_categories, [*prefix, "opinion_categories"])
    seen: dict[str, int] = {}
    for i, report in enumerate(doc.reports):
        loc: Loc = [*prefix, "reports", i, "org_code"]
        if report.org_code in seen:
            errors.append(
                {
                    "loc": loc,
                    "msg": N_(
                        "{org_code} is listed twice (already reports[{seen}])",
                        org_code=report.org_code,
                        seen=seen[report.org_code],
                    ),
                }
            )
            continue
        seen[report.org_code] = i
        org = orgs.get(report.org_code)
        if org is None:
            errors.append(
                {"loc": loc, "msg": N_("No organisation has the code {org_code!r}", org_code=report.org_code)}
            )
        elif host is not None and (problem := await reports_service.check_reporting_org(session, host.id, org)):
            errors.append({"loc": loc, "msg": problem})
    return errors


RUBRIC_NAME_MAX = 200


def _content(rubric: Rubric) -> tuple[Any, ...]:
    """What a stored rubric scores by: tiers, items and vetoes, in order (not its name)."""
    return (
        tuple(rubric.tier_fraction(tier) for tier in Tier),
        tuple(
            (i.key, i.title, i.category, i.source, i.kind, i.max_points, i.formula, i.description) for i in rubric.items
        ),
        tuple((v.key, v.title, v.fact) for v in rubric.vetoes),
    )


def _content_in(rubric_in: RubricIn) -> tuple[Any, ...]:
    """The same for a rubric in a document, as `rubrics_service.add_rubric` would store it."""
    return (
        tuple(getattr(rubric_in.tier_fractions, tier.value) for tier in Tier),
        tuple(
            (
                i.key,
                i.title,
                i.category,
                i.source,
                i.kind,
                i.max_points,
                (i.formula or formulas.MANUAL) if i.source == ItemSource.indicator else None,
                i.description,
            )
            for i in rubric_in.items
        ),
        tuple((v.key, v.title, v.fact) for v in rubric_in.vetoes),
    )


async def identical_rubric(session: AsyncSession, rubric_in: RubricIn) -> Rubric | None:
    """A current rubric of the document's name (or that name set apart by an earlier import) with the same content."""
    superseded = select(Rubric.previous_id).where(Rubric.previous_id.is_not(None))
    stmt = (
        select(Rubric)
        .where(
            (Rubric.name == rubric_in.name) | Rubric.name.startswith(f"{rubric_in.name}（", autoescape=True),
            Rubric.id.not_in(superseded),
        )
        .options(selectinload(Rubric.items), selectinload(Rubric.vetoes))
        .order_by(Rubric.id)
    )
    wanted = _content_in(rubric_in)
    return next((r for r in (await session.execute(stmt)).scalars() if _content(r) == wanted), None)


async def distinct_rubric_name(session: AsyncSession, rubric_name: str, cycle_name: str) -> str:
    """The imported rubric's name, or when a rubric already bears it, the name with the cycle's: no two alike."""

    async def taken(name: str) -> bool:
        return await session.scalar(select(Rubric.id).where(Rubric.name == name).limit(1)) is not None

    if not await taken(rubric_name):
        return rubric_name
    n = 1
    while True:
        suffix = f"（{cycle_name}）" if n == 1 else f"（{cycle_name}，{n}）"
        # The rubric's own name gives way, not the cycle's: the suffix is what tells the two apart.
        name = rubric_name[: max(1, RUBRIC_NAME_MAX - len(suffix))] + suffix
        if not await taken(name[:RUBRIC_NAME_MAX]):
            return name[:RUBRIC_NAME_MAX]
        n += 1


async def create_from_document(session: AsyncSession, doc: CycleImport, actor: User, source: str) -> CycleImportResult:
    orgs = await _orgs_by_code(session, [doc.host_org_code, *(r.org_code for r in doc.reports)])
    # An identical rubric is reused; a different one of the same name gets a name of its own (no two alike).
    rubric = await identical_rubric(session, doc.rubric)
    created = rubric is None
    if rubric is None:
        name = await distinct_rubric_name(session, doc.rubric.name, doc.name)
        rubric = await rubrics_service.add_rubric(session, doc.rubric.model_copy(update={"name": name}))
    cycle = Cycle(
        name=doc.name,
        period_start=doc.period_start,
        period_end=doc.period_end,
        report_due_date=doc.report_due_date,
        host_org_id=orgs[doc.host_org_code].id,
        rubric_id=rubric.id,
        stage=CycleStage.preparation,
        groups=[cycles_groups.build_group(g, i) for i, g in enumerate(doc.groups)],
        opinion_categories=cycles_service.build_categories(doc.opinion_categories),
    )
    cycles_service.apply_grading(cycle, doc.grading)
    session.add(cycle)
    await session.flush()
    reports = []
    for i, r in enumerate(doc.reports, start=1):
        org = orgs[r.org_code]
        report = Report(
            cycle_id=cycle.id,
            org_id=org.id,
            position=i,
            title=r.title or reports_service.default_title(org),
            status=ReportStatus.draft,
        )
        session.add(report)
        reports.append((report, org))
    await session.flush()
    if created:
        await audit.record(
            session,
            actor=actor,
            action="rubric.create",
            entity_type="rubric",
            entity_id=rubric.id,
            data={"name": rubric.name, "items": [i.key for i in doc.rubric.items], "via": "cycle.import"},
        )
    await audit.record(
        session,
        actor=actor,
        action="cycle.import",
        entity_type="cycle",
        entity_id=cycle.id,
        data={
            "source": source,
            "name": doc.name,
            "host_org_code": doc.host_org_code,
            "rubric_id": rubric.id,
            "groups": [g.key for g in doc.groups],
            "reports": [r.org_code for r in doc.reports],
        },
    )
    return CycleImportResult(
        cycle_id=cycle.id,
        rubric_id=rubric.id,
        reports=[ImportedReport(id=rep.id, org_code=o.code, org_name=o.name, status=rep.status) for rep, o in reports],
    )


async def import_json(session: AsyncSession, *, doc: CycleImport, actor: User) -> CycleImportResult:
    errors = await check_document(session, doc, actor, ["body"])
    if errors:
        raise FieldErrors(
            errors, detail=N_("Nothing was imported: {count} error(s) in the document", count=len(errors))
        )
    return await create_from_document(session, doc, actor, "json")


# --- Excel -----------------------------------------------------------------------------------


async def template(session: AsyncSession, *, actor: User) -> bytes:
    """The workbook clerks fill in, pre-filled with the county and the units that report to it."""
    host: Organization | None = None
    if actor.org.kind == OrgKind.department and actor.org.parent_id is not None:
        host = await session.get(Organization, actor.org.parent_id)
    host = host or actor.org
    units = (
        (
            await session.execute(
                select(Organization)
                .where(Organization.parent_id == host.id, Organization.is_active.is_(True))
                .where(Organization.kind.in_([OrgKind.township, OrgKind.working_committee, OrgKind.village]))
                .order_by(Organization.code)
            )
        )
        .scalars()
        .all()
    )
    example = cycle_template.example_document(host.code, [(u.code, u.name) for u in units])
    return await anyio.to_thread.run_sync(cycle_template.build_template, example)


class ExcelImportInvalid(FieldErrors):
    """An Excel import that failed, with the workbook marked up to download."""


def _error_sheet_dir() -> Path:
    return get_settings().var_dir / ERROR_SHEET_DIR


def _store_error_sheet(user_id: int, content: bytes) -> str:
    folder = _error_sheet_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - ERROR_SHEET_TTL_SECONDS
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{user_id}-{token}.xlsx").write_bytes(content)
    return token


def error_sheet_path(user_id: int, token: str) -> Path:
    path = _error_sheet_dir() / f"{user_id}-{token}.xlsx"
    if not path.is_file() or path.stat().st_mtime < time.time() - ERROR_SHEET_TTL_SECONDS:
        raise NotFound(N_("No such error sheet (they are kept for a day, for the user who uploaded the workbook)"))
    return path


def _validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]


async def read_workbook(upload: UploadLike) -> bytes:
    """The uploaded workbook's bytes, refusing what is too big or plainly not an .xlsx file."""
    content = b""
    while chunk := await upload.read(1024 * 1024):
        content += chunk
        if len(content) > MAX_WORKBOOK_BYTES:
            raise FileTooLarge(
                N_("The workbook is larger than {value} MB", value=MAX_WORKBOOK_BYTES // (1024 * 1024)),
                errors=[{"loc": ["body", "file"], "msg": N_("too large")}],
            )
    if not content.startswith(b"PK\x03\x04"):
        raise UnsupportedFile(
            N_("{value} is not an Excel workbook (.xlsx)", value=upload.filename or "The file"),
            errors=[{"loc": ["body", "file"], "msg": N_("not an .xlsx workbook")}],
        )
    return content


async def import_excel(session: AsyncSession, *, upload: UploadLike, actor: User) -> CycleImportResult:
    content = await read_workbook(upload)
    try:
        parsed = await anyio.to_thread.run_sync(cycle_workbook.parse_workbook, content)
    except cycle_workbook.NotAWorkbook as exc:
        raise UnsupportedFile(
            N_("{value} could not be read as an Excel workbook (.xlsx)", value=upload.filename or "The file"),
            errors=[{"loc": ["body", "file"], "msg": N_("not an .xlsx workbook")}],
        ) from exc
    errors = list(parsed.errors)
    doc: CycleImport | None = None
    if not errors:
        try:
            doc = CycleImport.model_validate_json(json.dumps(parsed.document, ensure_ascii=False))
        except ValidationError as exc:
            errors = [parsed.locate(e["loc"], e["msg"]) for e in _validation_errors(exc)]
    if doc is not None:
        errors = [parsed.locate(e["loc"], e["msg"]) for e in await check_document(session, doc, actor, [])]
    if errors:
        extra: dict[str, Any] = {}
        try:
            sheet = await anyio.to_thread.run_sync(cycle_template.error_workbook, content, errors)
        except cycle_workbook.NotAWorkbook:
            pass  # The errors still say where; there is just no marked-up copy.
        else:
            token = await anyio.to_thread.run_sync(_store_error_sheet, actor.id, sheet)
            extra["error_sheet"] = API_ERROR_SHEETS + token
        raise ExcelImportInvalid(
            [{"loc": ["file", *e.loc], "msg": e.msg} for e in errors],
            detail=N_(
                "Nothing was imported: {count} error(s) in the workbook; the error sheet marks each one",
                count=len(errors),
            ),
            extra=extra,
        )
    assert doc is not None
    return await create_from_document(session, doc, actor, "excel")
