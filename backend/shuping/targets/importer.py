"""Excel/CSV import of a programme's targets and of the month's project progress sheet (dry run, errors
located by row and column, all or nothing), and the templates to fill in.

Targets: one row per unit (its code or name), one column per measure (its name, with or without the
unit in brackets, or its key); an empty cell is no target. The units in the sheet get exactly the
targets of their row; units the sheet leaves out keep theirs. Only the programme's managers import them.

Monthly figures: the progress sheet units keep today, one row per project. A row whose unit and company
match a project of the programme updates it and, when its stage differs, moves it there on the date
reached (back only with a reason); any other row registers a new lead, moved at once to the stage
reached. Everything goes through the pipeline's service (`projects`), so the stage history and the
audit log are as if each move had been entered by hand. A unit's secretary (or a clerk reaching the
unit) may import rows of the units they reach only; the programme's managers any unit's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core import tables
from shuping.core.calendar import china_today
from shuping.core.errors import AppError
from shuping.core.i18n import N_, message_of
from shuping.core.schemas import ReaderText, Schema
from shuping.core.tables import Table, cell_text
from shuping.core.xlsx import Cell, Style, Workbook
from shuping.orgs.models import Organization
from shuping.orgs.scope import reaches
from shuping.targets import projects, service
from shuping.targets.models import (
    STAGE_ORDER,
    ProjectStage,
    Ranking,
    TargetMeasure,
    TargetProgramme,
    TargetProject,
    TargetTeam,
)
from shuping.targets.schemas import (
    FIRST_DAY,
    LAST_DAY,
    ProjectCreate,
    ProjectUpdate,
    StageMoveIn,
    TargetIn,
    TargetsPut,
)

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
MAX_ERRORS = 2_000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_AMOUNT = Decimal("999999999999.99")  # what Numeric(14, 2) holds

STAGE_LABELS: dict[ProjectStage, str] = {
    ProjectStage.negotiating: "洽谈",
    ProjectStage.signed: "签约",
    ProjectStage.landed: "落地",
    ProjectStage.started: "开工",
    ProjectStage.producing: "投产",
}
RANKING_LABELS: dict[Ranking, str] = {
    Ranking.none: "无",
    Ranking.global_500: "世界500强",
    Ranking.china_500: "国内500强",
    Ranking.industry_100: "行业100强",
}
_STAGES = {label: s for s, label in STAGE_LABELS.items()} | {s.value: s for s in ProjectStage}
_RANKINGS = (
    {label: r for r, label in RANKING_LABELS.items()}
    | {r.value: r for r in Ranking}
    | {"否": Ranking.none, "-": Ranking.none}
)


class TargetImportRowError(Schema):
    row: int = Field(description="Row number as the spreadsheet shows it (the header is row 1)")
    column: str | None = Field(description="The column's header in the file, if the problem is in one cell")
    message: ReaderText = Field(description="In the request's language (Accept-Language)")


class TargetImportResult(Schema):
    dry_run: bool
    applied: bool
    rows: int = Field(description="Unit rows read")
    units: int = Field(description="Units whose targets are (or would be) set")
    targets: int = Field(description="Targets in the sheet (non-empty cells)")
    errors: list[TargetImportRowError]


class ProjectImportResult(Schema):
    dry_run: bool
    applied: bool
    rows: int
    created: int = Field(description="New leads registered (or that would be)")
    updated: int = Field(description="Existing projects whose details or stage change (or would)")
    moved: int = Field(description="Stage moves recorded (or that would be), new leads' included")
    unchanged: int
    errors: list[TargetImportRowError]


@dataclass
class _Errors:
    items: list[TargetImportRowError] = field(default_factory=list)

    def add(self, row: int, column: str | None, message: str) -> None:
        self.items.append(TargetImportRowError(row=row, column=column, message=message))

    def sorted(self) -> list[TargetImportRowError]:
        return sorted(self.items, key=lambda e: e.row)[:MAX_ERRORS]


async def _read(content: bytes, filename: str) -> Table:
    if len(content) > MAX_IMPORT_BYTES:
        raise tables.UnreadableFile(N_("A file may have at most {value} MiB", value=MAX_IMPORT_BYTES // (1024 * 1024)))
    return await tables.read(content, filename, max_rows=MAX_IMPORT_ROWS)


def _norm(header: str) -> str:
    """A header as compared: lower case, without blanks, brackets of either width alike."""
    return re.sub(r"\s+", "", header).lower().replace("（", "(").replace("）", ")")


def _amount(value: Cell, column: str, row: int, errors: _Errors) -> Decimal | None:
    """A non-negative amount with at most two decimals, or None (blank); an error otherwise."""
    if value is None:
        return None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        text = cell_text(value).replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors.add(row, column, N_("{value!r} is not a number", value=cell_text(value)))
            return None
    if not number.is_finite():
        errors.add(row, column, N_("{value!r} is not a number", value=cell_text(value)))
        return None
    if number < 0:
        errors.add(row, column, N_("must not be negative ({value})", value=cell_text(value)))
        return None
    if number != number.quantize(Decimal("0.01")) or number > MAX_AMOUNT:
        errors.add(row, column, N_("at most two decimal places and 12 digits before the point"))
        return None
    return number.quantize(Decimal("0.01"))


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value: Cell, column: str, row: int, errors: _Errors) -> date | None:
    if isinstance(value, datetime):
        day: date | None = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = cell_text(value)
        match = _DATE.match(text)
        day = None
        if match:
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                day = None
        if day is None:
            errors.add(row, column, N_("{value!r} is not a date (write it as 2013-09-15)", value=text))
            return None
    assert day is not None
    if not FIRST_DAY <= day <= LAST_DAY:
        errors.add(row, column, N_("{day} is outside the years 2000 to 2099", day=day.isoformat()))
        return None
    if day > china_today():
        errors.add(row, column, N_("{day} is in the future", day=day.isoformat()))
        return None
    return day


def _text(value: Cell, column: str, row: int, errors: _Errors, max_length: int) -> str:
    text = cell_text(value)
    if "\x00" in text:
        errors.add(row, column, N_("contains a NUL character"))
        return ""
    if len(text) > max_length:
        errors.add(row, column, N_("at most {count} characters", count=max_length))
        return ""
    return text


async def programme_units(session: AsyncSession, programme: TargetProgramme) -> list[Organization]:
    """The active organisations up to two levels below the programme's host, by code."""
    children = select(Organization.id).where(Organization.parent_id == programme.host_org_id)
    rows = await session.execute(
        select(Organization)
        .where(
            Organization.is_active.is_(True),
            Organization.id.in_(children)
            | Organization.parent_id.in_(children)
            | (Organization.parent_id == programme.host_org_id),
        )
        .order_by(Organization.code)
    )
    return list(rows.scalars())


def _lookup(units: list[Organization]) -> dict[str, Organization]:
    out: dict[str, Organization] = {}
    for org in units:
        out[org.code] = org
    for org in units:
        out.setdefault(org.name, org)
    return out


# ---------------------------------------------------------------- targets

UNIT_HEADERS = ("单位", "单位代码", "单位名称", "责任单位", "unit", "org")
_UNIT_KEYS = {_norm(h) for h in UNIT_HEADERS}


def _measure_headers(measures: list[TargetMeasure]) -> dict[str, TargetMeasure]:
    out: dict[str, TargetMeasure] = {}
    for m in measures:
        for header in (m.name, f"{m.name}({m.unit})", m.key):
            out[_norm(header)] = m
    return out


def target_header(measure: TargetMeasure) -> str:
    return f"{measure.name}（{measure.unit}）" if measure.unit not in measure.name else measure.name


async def import_targets(
    session: AsyncSession,
    *,
    programme: TargetProgramme,
    content: bytes,
    filename: str,
    dry_run: bool,
    actor: User,
) -> TargetImportResult:
    """Check the whole sheet; set the targets of the units in it, or (dry run, or any error) nothing."""
    service.require_manage(actor, programme)
    service.require_open(programme)
    table = await _read(content, filename)
    errors = _Errors()
    measures = await service.measures_of(session, programme.id)
    by_header = _measure_headers(measures)
    header_row = table.header_row
    unit_columns = [i for i, h in enumerate(table.header) if _norm(h) in _UNIT_KEYS]
    columns: dict[int, TargetMeasure] = {}
    seen_measures: dict[int, str] = {}
    for i, header in enumerate(table.header):
        if i in unit_columns or not header:
            continue
        measure = by_header.get(_norm(header))
        if measure is None:
            errors.add(
                header_row,
                header,
                N_(
                    "The programme has no measure {name!r} (its measures: {names})",
                    name=header,
                    names="、".join(m.name for m in measures),
                ),
            )
        elif measure.id in seen_measures:
            errors.add(header_row, header, N_("The measure's column repeats {other}", other=seen_measures[measure.id]))
        else:
            columns[i] = measure
            seen_measures[measure.id] = header
    if not unit_columns:
        errors.add(header_row, None, N_("The sheet has no column 单位 (the unit's code or name)"))
    units = _lookup(await programme_units(session, programme))
    sheet: dict[int, dict[str, Decimal]] = {}
    seen_units: dict[int, int] = {}
    rows = 0
    for row in table.rows:
        if all(row.cells[i] is None for i in [*unit_columns, *columns]):
            continue
        rows += 1
        org: Organization | None = None
        named = [(table.header[i], cell_text(row.cells[i])) for i in unit_columns if row.cells[i] is not None]
        if unit_columns and not named:
            errors.add(row.number, table.header[unit_columns[0]], N_("required: the unit's code or name"))
        for header, text in named:
            found = units.get(text)
            if found is None:
                errors.add(row.number, header, N_("{unit} is not a unit of the programme's host", unit=text))
            elif org is not None and found.id != org.id:
                errors.add(row.number, header, N_("names another unit than the row's {name}", name=org.name))
            else:
                org = found
        values: dict[str, Decimal] = {}
        for i, measure in columns.items():
            value = _amount(row.cells[i], table.header[i], row.number, errors)
            if value is not None:
                values[measure.key] = value
        if org is None:
            continue
        if org.id in seen_units:
            errors.add(
                row.number,
                named[0][0],
                N_("{name} is also on row {seen}", name=org.name, seen=seen_units[org.id]),
            )
            continue
        seen_units[org.id] = row.number
        sheet[org.id] = values
    if rows == 0:
        errors.add(header_row, None, N_("the sheet has no units"))
    applied = not dry_run and not errors.items
    count = sum(len(v) for v in sheet.values())
    if applied:
        kept = [
            TargetIn(org_id=t.org.id, measure_key=t.measure_key, value=t.value)
            for t in await service.list_targets(session, programme)
            if t.org.id not in sheet
        ]
        new = [TargetIn(org_id=o, measure_key=k, value=v) for o, values in sheet.items() for k, v in values.items()]
        await service.put_targets(session, programme=programme, targets_in=TargetsPut(targets=kept + new), actor=actor)
        await audit.record(
            session,
            actor=actor,
            action="target.import",
            entity_type="target_programme",
            entity_id=programme.id,
            data={"file": filename[:255], "units": len(sheet), "targets": count},
        )
    return TargetImportResult(
        dry_run=dry_run,
        applied=applied,
        rows=rows,
        units=len(sheet) if not errors.items else 0,
        targets=count if not errors.items else 0,
        errors=errors.sorted(),
    )


# ---------------------------------------------------------------- monthly figures (projects)

# (field, the template's header, other headers it may have): the progress sheet's columns, in order.
PROJECT_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("unit", "单位", ("单位代码", "单位名称", "责任单位", "unit", "org")),
    ("company", "企业名称", ("企业", "公司", "项目单位", "company")),
    ("team", "产业链小组", ("产业链招商攻坚小组", "攻坚小组", "小组", "team")),
    ("industry", "产业", ("行业", "所属产业", "industry")),
    ("origin_region", "来源地区", ("来源地", "地区", "origin_region")),
    ("ranking", "500强", ("是否500强", "企业排名", "ranking")),
    ("stage", "所处阶段", ("阶段", "进展阶段", "stage")),
    ("on_date", "到达日期", ("日期", "到达该阶段日期", "on_date")),
    ("contract_amount", "合同金额（万元）", ("合同金额", "contract_amount")),
    ("funds_in_place", "到位资金（万元）", ("到位资金", "funds_in_place")),
    ("evidence", "佐证材料", ("佐证", "备注", "evidence")),
    ("reason", "退回原因", ("原因", "reason")),
]
_PROJECT_REQUIRED = ("unit", "company", "stage", "on_date")
EXAMPLE_MARK = "（示例"  # the template's example row begins so
_PROJECT_HEADERS = {_norm(h): f for f, zh, more in PROJECT_COLUMNS for h in (zh, *more)}


@dataclass
class _ProjectRow:
    number: int
    org: Organization
    company: str
    team: TargetTeam | None
    team_given: bool
    industry: str
    origin_region: str
    ranking: Ranking | None
    stage: ProjectStage
    on_date: date
    contract_amount: Decimal | None
    funds_in_place: Decimal | None
    evidence: str
    reason: str


def _key(company: str) -> str:
    return " ".join(company.split()).casefold()


async def _programme_projects(session: AsyncSession, programme: TargetProgramme) -> dict[tuple[int, str], Any]:
    rows = await session.execute(
        select(TargetProject)
        .options(selectinload(TargetProject.history))
        .where(TargetProject.programme_id == programme.id)
        .order_by(TargetProject.id)
    )
    out: dict[tuple[int, str], TargetProject] = {}
    for p in rows.scalars():
        out.setdefault((p.org_id, _key(p.company)), p)
    return out


def _last_move(project: TargetProject) -> date:
    return max((h.on_date for h in project.history), default=project.negotiating_date)


async def import_projects(
    session: AsyncSession,
    *,
    programme: TargetProgramme,
    content: bytes,
    filename: str,
    dry_run: bool,
    actor: User,
) -> ProjectImportResult:
    """Check every row; register and move every project of the sheet, or (dry run, or any error) none."""
    service.require_open(programme)
    programme_id = programme.id
    table = await _read(content, filename)
    headers = {f: h for h in table.header if (f := _PROJECT_HEADERS.get(_norm(h))) is not None}
    rows = table.keyed(
        {h.lower(): f for h in table.header if (f := _PROJECT_HEADERS.get(_norm(h))) is not None},
        [(f, zh) for f, zh, _ in PROJECT_COLUMNS if f in _PROJECT_REQUIRED],
    )
    name = {f: headers.get(f, zh) for f, zh, _ in PROJECT_COLUMNS}
    errors = _Errors()
    manager = service.may_manage(actor, programme)
    units = _lookup(await programme_units(session, programme))
    teams = {
        t.name: t
        for t in (await session.execute(select(TargetTeam).where(TargetTeam.programme_id == programme_id))).scalars()
    }
    existing = await _programme_projects(session, programme)
    reachable: dict[int, bool] = {}
    checked: list[_ProjectRow] = []
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        v = row.values
        n = row.number
        bad = len(errors.items)
        for f, value in v.items():
            if "\x00" in cell_text(value):
                errors.add(n, name[f], N_("contains a NUL character"))
        unit_text = cell_text(v.get("unit"))
        org = units.get(unit_text)
        if not unit_text:
            errors.add(n, name["unit"], N_("required: the unit's code or name"))
        elif org is None:
            errors.add(n, name["unit"], N_("{unit} is not a unit of the programme's host", unit=unit_text))
        elif not manager:
            if org.id not in reachable:
                reachable[org.id] = await reaches(session, actor, org.id)
            if not reachable[org.id]:
                errors.add(n, name["unit"], N_("You may import the projects of your own unit only"))
        company = " ".join(_text(v.get("company"), name["company"], n, errors, 200).split())
        if not company and not cell_text(v.get("company")):
            errors.add(n, name["company"], N_("required: the company's name"))
        elif company.startswith(EXAMPLE_MARK):
            errors.add(n, name["company"], N_("the template's example row: delete it"))
        team_text = _text(v.get("team"), name["team"], n, errors, 200)
        team = teams.get(team_text) if team_text else None
        if team_text and team is None:
            errors.add(
                n,
                name["team"],
                N_("The programme has no team {name!r}", name=team_text),
            )
        industry = _text(v.get("industry"), name["industry"], n, errors, 100)
        origin = _text(v.get("origin_region"), name["origin_region"], n, errors, 100)
        ranking_text = cell_text(v.get("ranking"))
        ranking = _RANKINGS.get(ranking_text) if ranking_text else None
        if ranking_text and ranking is None:
            errors.add(
                n,
                name["ranking"],
                N_(
                    "{value!r} is none of {choices}",
                    value=ranking_text,
                    choices="、".join(RANKING_LABELS.values()),
                ),
            )
        stage_text = cell_text(v.get("stage"))
        stage = _STAGES.get(stage_text)
        if stage is None:
            errors.add(
                n,
                name["stage"],
                N_(
                    "{value!r} is not a stage: write one of {choices}",
                    value=stage_text,
                    choices="、".join(STAGE_LABELS.values()),
                )
                if stage_text
                else N_("required: the stage reached ({choices})", choices="、".join(STAGE_LABELS.values())),
            )
        on_date: date | None = None
        if v.get("on_date") is None:
            errors.add(n, name["on_date"], N_("required: the day the stage was reached"))
        else:
            on_date = _date(v.get("on_date"), name["on_date"], n, errors)
        contract = _amount(v.get("contract_amount"), name["contract_amount"], n, errors)
        funds = _amount(v.get("funds_in_place"), name["funds_in_place"], n, errors)
        evidence = _text(v.get("evidence"), name["evidence"], n, errors, 4000)
        reason = _text(v.get("reason"), name["reason"], n, errors, 1000)
        if org is not None and company:
            key = (org.id, _key(company))
            if key in seen:
                errors.add(
                    n,
                    name["company"],
                    N_("{company} of {unit} is also on row {seen}", company=company, unit=org.name, seen=seen[key]),
                )
            else:
                seen[key] = n
            project = existing.get(key)
            if project is not None and stage is not None and on_date is not None and stage != project.stage:
                last = _last_move(project)
                if on_date < last:
                    errors.add(
                        n,
                        name["on_date"],
                        N_(
                            "A stage move must not be dated before the project's last one ({day})",
                            day=last.isoformat(),
                        ),
                    )
                if STAGE_ORDER[stage] < STAGE_ORDER[project.stage] and not reason:
                    errors.add(
                        n,
                        name["reason"],
                        N_(
                            "The project stands at {stage}: give the reason for moving it back",
                            stage=STAGE_LABELS[project.stage],
                        ),
                    )
        if len(errors.items) > bad or org is None or stage is None or on_date is None:
            continue
        checked.append(
            _ProjectRow(
                n,
                org,
                company,
                team,
                bool(team_text),
                industry,
                origin,
                ranking,
                stage,
                on_date,
                contract,
                funds,
                evidence,
                reason,
            )
        )
    if not rows:
        errors.add(table.header_row, None, N_("the sheet has no projects"))

    counts = {"created": 0, "updated": 0, "moved": 0, "unchanged": 0}
    if not errors.items:
        # Applied in a savepoint even for a dry run: the dry run then says exactly what the import would do.
        savepoint = await session.begin_nested()
        try:
            for c in checked:
                try:
                    await _apply_row(session, programme, existing, c, actor, counts)
                except AppError as exc:
                    errors.add(c.number, None, message_of(exc))
        except BaseException:
            await savepoint.rollback()
            raise
        applied = not dry_run and not errors.items
        if applied:
            await savepoint.commit()
            await audit.record(
                session,
                actor=actor,
                action="target_project.import",
                entity_type="target_programme",
                entity_id=programme_id,
                data={"file": filename[:255], "rows": len(rows), **counts},
            )
        else:
            await savepoint.rollback()
    else:
        applied = False
    ok = not errors.items
    return ProjectImportResult(
        dry_run=dry_run,
        applied=applied,
        rows=len(rows),
        created=counts["created"] if ok else 0,
        updated=counts["updated"] if ok else 0,
        moved=counts["moved"] if ok else 0,
        unchanged=counts["unchanged"] if ok else 0,
        errors=errors.sorted(),
    )


async def _apply_row(
    session: AsyncSession,
    programme: TargetProgramme,
    existing: dict[tuple[int, str], TargetProject],
    c: _ProjectRow,
    actor: User,
    counts: dict[str, int],
) -> None:
    project = existing.get((c.org.id, _key(c.company)))
    if project is None:
        created = await projects.create_project(
            session,
            programme=programme,
            project_in=ProjectCreate(
                org_id=c.org.id,
                team_id=c.team.id if c.team else None,
                company=c.company,
                industry=c.industry,
                origin_region=c.origin_region,
                ranking=c.ranking or Ranking.none,
                contract_amount=c.contract_amount or Decimal(0),
                funds_in_place=c.funds_in_place or Decimal(0),
                negotiating_date=c.on_date,
                evidence=c.evidence,
            ),
            actor=actor,
        )
        counts["created"] += 1
        if c.stage != ProjectStage.negotiating:
            project = await projects.get_project(session, created.id, user=actor)
            await projects.move_stage(
                session, project=project, move_in=StageMoveIn(to=c.stage, on_date=c.on_date), actor=actor
            )
            counts["moved"] += 1
        return
    changes: dict[str, Any] = {}
    wanted: dict[str, Any] = {
        "industry": c.industry or None,
        "origin_region": c.origin_region or None,
        "ranking": c.ranking,
        "contract_amount": c.contract_amount,
        "funds_in_place": c.funds_in_place,
        "evidence": c.evidence or None,
    }
    for name, value in wanted.items():
        if value is not None and getattr(project, name) != value:
            changes[name] = value
    if c.team_given and c.team is not None and project.team_id != c.team.id:
        changes["team_id"] = c.team.id
    moved = c.stage != project.stage
    if changes:
        await projects.update_project(session, project=project, project_in=ProjectUpdate(**changes), actor=actor)
    if moved:
        await projects.move_stage(
            session,
            project=project,
            move_in=StageMoveIn(to=c.stage, on_date=c.on_date, reason=c.reason),
            actor=actor,
        )
        counts["moved"] += 1
    if changes or moved:
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1


# ---------------------------------------------------------------- templates (worker thread)


def _notes(book: Workbook, lines: Sequence[Sequence[Cell]]) -> None:
    notes = book.sheet("说明", widths=[24, 40])
    for line in lines:
        notes.row(line)


def targets_template(measures: list[tuple[str, str]], units: list[tuple[str, str, list[Cell]]]) -> bytes:
    """The targets sheet: 单位代码, 单位名称 and a column per measure, a row per unit with its targets."""
    out = io.BytesIO()
    with Workbook(out) as book:
        sheet = book.sheet(
            "目标任务", widths=[14, 24, *[16] * len(measures)], styles=[Style.text, Style.plain], freeze="C2"
        )
        sheet.row(["单位代码", "单位名称", *[header for header, _ in measures]], style=Style.banner)
        for code, unit_name, values in units:
            sheet.row([code, unit_name, *values])
        _notes(
            book,
            [
                ["填写说明"],
                ["单位代码、单位名称", "填其一即可；两者都填时须为同一单位"],
                ["指标列", "每个指标一列，列名为指标名称；空白表示该单位没有该项目标"],
                ["数值", "不小于0，最多两位小数（金额以万元计）"],
                ["未列出的单位", "保持原有目标不变"],
                [],
                ["指标", "计量单位"],
                *[[header, unit] for header, unit in measures],
            ],
        )
    return out.getvalue()


def projects_template(units: list[tuple[str, str]], teams: list[str], example: list[Cell]) -> bytes:
    """The month's progress sheet: a row per project, the stage reached and the day, the amounts."""
    out = io.BytesIO()
    headers = [zh for _, zh, _ in PROJECT_COLUMNS]
    with Workbook(out) as book:
        sheet = book.sheet(
            "项目进展",
            widths=[16, 30, 24, 16, 12, 12, 10, 12, 16, 16, 30, 24],
            styles=[Style.text],
            freeze="C2",
        )
        sheet.row(headers, style=Style.banner)
        sheet.row(example)
        sheet.choices("F2:F1001", list(RANKING_LABELS.values()))
        sheet.choices("G2:G1001", list(STAGE_LABELS.values()))
        sheet.note("A1", "单位代码或单位名称")
        sheet.note("G1", "洽谈、签约、落地、开工、投产之一")
        sheet.note("H1", "到达该阶段的日期，如 2013-09-15")
        _notes(
            book,
            [
                ["填写说明"],
                ["一行一个项目", "单位和企业名称与已有项目相同的，更新该项目；否则登记为新的招商信息"],
                ["所处阶段", "、".join(STAGE_LABELS.values()) + "；阶段变化时按到达日期记录"],
                ["退回原因", "项目退回到较早阶段时必填"],
                ["金额", "万元，不小于0，最多两位小数；空白表示不变"],
                ["500强", "、".join(RANKING_LABELS.values())],
                [],
                ["产业链小组"],
                *[[t] for t in teams],
                [],
                ["单位代码", "单位名称"],
                *[[code, unit_name] for code, unit_name in units],
            ],
        )
    return out.getvalue()


async def targets_template_data(
    session: AsyncSession, programme: TargetProgramme
) -> tuple[list[tuple[str, str]], list[tuple[str, str, list[Cell]]]]:
    measures = await service.measures_of(session, programme.id)
    current = {(t.org.id, t.measure_key): t.value for t in await service.list_targets(session, programme)}
    units = await programme_units(session, programme)
    with_targets = {org_id for org_id, _ in current}
    # The units holding targets first, then the host's direct units (villages only when they have one).
    shown = [u for u in units if u.id in with_targets or u.parent_id == programme.host_org_id]
    return (
        [(target_header(m), m.unit) for m in measures],
        [(u.code, u.name, [current.get((u.id, m.key)) for m in measures]) for u in shown],
    )


async def projects_template_data(
    session: AsyncSession, programme: TargetProgramme, user: User
) -> tuple[list[tuple[str, str]], list[str], list[Cell]]:
    units = await programme_units(session, programme)
    if not service.may_manage(user, programme):
        units = [u for u in units if await reaches(session, user, u.id)]
    direct = [u for u in units if u.parent_id == programme.host_org_id] or units
    teams = [t.name for t in (await service.list_teams(session, programme))]
    example: list[Cell] = [
        direct[0].code if direct else "",
        f"{EXAMPLE_MARK}，请删除本行）洛阳某轴承有限公司",
        teams[0] if teams else "",
        "轴承",
        "长三角",
        "无",
        "签约",
        programme.period_start,
        1000,
        0,
        "合同扫描件",
        "",
    ]
    return [(u.code, u.name) for u in direct], teams, example
