"""Every operation of the OpenAPI document × every principal × an own and a foreign object (DESIGN §8).

The expected answers live in `tests/authorization_table.py`, one row per operation; the README's
authorization table is rendered from it (and checked here). An operation without a row fails
`test_every_operation_has_a_row`; a row whose answers differ from the server's fails its own test.

Answers: `ok` (the caller passes: 2xx, or a 4xx about the body or the state such as 400, 409, 413,
422), `401`, `403` (an object the caller may know exists), `404` (one they may not know of).

The world: the demo county with its evaluation (the county cycle K, published, and 小店镇's village
cycle VA, in evaluation), plus a village cycle VB hosted by 三屯镇. Each principal has an own and a
foreign context (see `CONTEXTS`): the objects of their organisation and cycles, and those of another
one. Every request runs in a savepoint that is rolled back, so one never changes another's world.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import selectinload
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shuping.auth import tokens
from shuping.auth.models import Role, User
from shuping.config import get_settings
from shuping.cycles.models import Cycle, EvaluatorGroup, EvaluatorGroupMember
from shuping.db import database
from shuping.demo import cycle as demo_cycle
from shuping.demo.evaluation import VILLAGE_CYCLE_NAME
from shuping.demo.seed import load_demo
from shuping.flows import cycle_import
from shuping.ledger.models import LedgerEvidence, LedgerItem, OpinionImport
from shuping.ledger.statemachine import ItemStatus
from shuping.main import app
from shuping.meetings import voters
from shuping.meetings.models import AgendaItem, Direction, Meeting, MeetingStatus, Voting
from shuping.orgs.models import Organization
from shuping.petitions.models import Appointment, PetitionCase, SyncKind, SyncRun, SyncStatus
from shuping.reports.models import Report, ReportAttachment
from shuping.results.models import Interview, NoticeStatus, RectificationNotice
from shuping.targets.models import (
    MeasureBasis,
    ProjectStage,
    SupervisionBody,
    TargetBulletin,
    TargetFinding,
    TargetMeasure,
    TargetMonthlyReport,
    TargetProgramme,
    TargetProject,
    TargetSupervisionRound,
    TargetTeam,
)
from tests.authorization_table import PRINCIPALS, TABLE, parse_row, render_markdown, row_text
from tests.support.databases import app_on
from tests.support.evaluation import make_evaluation_cycle
from tests.support.languages import ENGLISH

REPO = Path(__file__).resolve().parents[1]
DEBUG = os.environ.get("SHUPING_MATRIX_DEBUG")  # part of an operation: print its answers
# Set to a file to write the answers observed instead of checking them (when writing new rows).
OBSERVE = Path(os.environ["SHUPING_MATRIX_OBSERVE"]) if os.environ.get("SHUPING_MATRIX_OBSERVE") else None
A, B, C = "410326104", "410326105", "410326101"  # 小店镇, 三屯镇, 城关镇
A1, B1 = "410326104201", "410326105201"  # a village of each
PDF = b"%PDF-1.4\n%matrix\n"


def operations() -> list[str]:
    doc = app.openapi()
    return [f"{method.upper()} {path}" for path, ops in doc["paths"].items() for method in ops]


# --- the world -------------------------------------------------------------------------------


@dataclass
class Context:
    """The objects one side of a principal's world offers for each path parameter."""

    cycle: int
    rubric: int
    meeting: int
    report: int
    attachment: int
    org: int
    case: int
    appointment: int
    item: int
    evidence: int
    notice: int
    opinion_import: int
    member: int
    interview: int
    programme: int = 0
    measure: int = 0
    team: int = 0
    project: int = 0
    bulletin: int = 0  # a draft monthly bulletin of the context's programme
    monthly_report: int = 0
    supervision_round: int = 0
    finding: int = 0


@dataclass
class World:
    conn: AsyncConnection
    var_dir: Path
    users: dict[str, User | None]
    contexts: dict[str, Context]
    run: int
    sheets: dict[int, str] = field(default_factory=dict)  # user id → an error sheet token of theirs


async def _one(session: AsyncSession, stmt: Any) -> Any:
    return (await session.execute(stmt.limit(1))).scalar_one()


async def _org(session: AsyncSession, code: str) -> Organization:
    return await _one(session, select(Organization).where(Organization.code == code))


async def _user(session: AsyncSession, username: str) -> User:
    return await _one(session, select(User).options(selectinload(User.org)).where(User.username == username))


async def _new_user(session: AsyncSession, role: Role, org: Organization) -> User:
    user = User(username=f"m{uuid.uuid4().hex[:8]}", full_name="矩阵测试", password_hash="x", role=role, org_id=org.id)
    session.add(user)
    await session.flush()
    return await _user(session, user.username)


async def _village_cycle(session: AsyncSession, host: Organization, village: Organization) -> Cycle:
    """A village cycle hosted by `host`: the village's accepted report, leader07 as its one
    evaluator and a scheduled meeting."""
    ev = await make_evaluation_cycle(session, host_org_id=host.id, report_codes=[village.code], leaders=["leader07"])
    session.add(
        Meeting(
            cycle_id=ev.cycle.id,
            title="村党组织书记述职评议大会",
            direction=Direction.upward,
            starts_at=datetime(2013, 7, 12, 1, tzinfo=UTC),
            status=MeetingStatus.scheduled,
            screen_key=secrets.token_urlsafe(24),
            agenda=[AgendaItem(report_id=ev.reports[0].id, position=1, voting=Voting.pending)],
        )
    )
    await session.flush()
    return ev.cycle


STORED: list[Path] = []  # the world's files: a removal deletes its file once "committed", so they come back


def _restore_files() -> None:
    for path in STORED:
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(PDF)


async def _stored(var_dir: Path, folder: str, suffix: str) -> tuple[str, int, str]:
    relative = f"{folder}/{uuid.uuid4().hex}{suffix}"
    STORED.append(var_dir / relative)
    _restore_files()
    return relative, len(PDF), hashlib.sha256(PDF).hexdigest()


async def _context(
    session: AsyncSession, var_dir: Path, admin: User, cycle: Cycle, org: Organization, case_org: Organization
) -> Context:
    report = await _one(session, select(Report).where(Report.cycle_id == cycle.id, Report.org_id == org.id))
    meeting = await _one(session, select(Meeting.id).where(Meeting.cycle_id == cycle.id).order_by(Meeting.id))
    stored, size, digest = await _stored(var_dir, "attachments", ".pdf")
    attachment = ReportAttachment(
        report_id=report.id,
        filename="述职.pdf",
        content_type="application/pdf",
        size_bytes=size,
        sha256=digest,
        storage_path=stored,
        uploaded_by_id=admin.id,
    )
    session.add(attachment)
    item_id = await session.scalar(
        select(LedgerItem.id).where(LedgerItem.cycle_id == cycle.id, LedgerItem.org_id == org.id).limit(1)
    )
    if item_id is None:
        today = date(2013, 9, 1)
        item = LedgerItem(
            cycle_id=cycle.id,
            org_id=org.id,
            title="班子成员分工不够明确",
            status=ItemStatus.in_progress,
            start_date=today,
            due_days=30,
            due_date=today + timedelta(days=30),
        )
        session.add(item)
        await session.flush()
        item_id = item.id
    stored, size, digest = await _stored(var_dir, "evidence", ".pdf")
    evidence = LedgerEvidence(
        item_id=item_id,
        filename="佐证.pdf",
        content_type="application/pdf",
        size_bytes=size,
        sha256=digest,
        storage_path=stored,
        uploaded_by_id=admin.id,
        uploaded_by_name=admin.full_name,
    )
    session.add(evidence)
    notice_id = await session.scalar(
        select(RectificationNotice.id).where(
            RectificationNotice.cycle_id == cycle.id, RectificationNotice.org_id == org.id
        )
    )
    if notice_id is None:
        notice = RectificationNotice(
            cycle_id=cycle.id,
            report_id=report.id,
            org_id=org.id,
            number=f"矩阵〔2013〕{report.id}号",
            findings="班子建设",
            measures="整改",
            deadline_date=date(2013, 10, 31),
            status=NoticeStatus.issued,
            issued_by_id=admin.id,
        )
        session.add(notice)
        await session.flush()
        notice_id = notice.id
    interview_id = await session.scalar(
        select(Interview.id).where(Interview.cycle_id == cycle.id, Interview.report_id == report.id)
    )
    if interview_id is None:
        interview = Interview(
            cycle_id=cycle.id,
            report_id=report.id,
            held_at=datetime(2013, 8, 1, 2, tzinfo=UTC),
            led_by="组织部部长",
            recorded_by_id=admin.id,
        )
        session.add(interview)
        await session.flush()
        interview_id = interview.id
    case = await _one(
        session, select(PetitionCase.id).where(PetitionCase.org_id == case_org.id).order_by(PetitionCase.id)
    )
    leader = await _user(session, "leader01")
    appointment = Appointment(
        case_id=case,
        leader_id=leader.id,
        starts_at=datetime(2013, 9, 2, 1, tzinfo=UTC),
        ends_at=datetime(2013, 9, 2, 2, tzinfo=UTC),
    )
    opinion_import = OpinionImport(
        cycle_id=cycle.id, file_name="意见.xlsx", dry_run=True, applied=False, rows=1, created=0, errors=[]
    )
    session.add_all([appointment, opinion_import])
    member = await _one(
        session,
        select(EvaluatorGroupMember.user_id)
        .join(EvaluatorGroup, EvaluatorGroup.id == EvaluatorGroupMember.group_id)
        .where(EvaluatorGroupMember.cycle_id == cycle.id, EvaluatorGroup.key == "leaders")
        .order_by(EvaluatorGroupMember.user_id),
    )
    await session.flush()
    return Context(
        cycle=cycle.id,
        rubric=cycle.rubric_id,
        meeting=meeting,
        report=report.id,
        attachment=attachment.id,
        org=org.id,
        case=case,
        appointment=appointment.id,
        item=item_id,
        evidence=evidence.id,
        notice=notice_id,
        opinion_import=opinion_import.id,
        member=member,
        interview=interview_id,
    )


@pytest.fixture(scope="module")
async def world(prepared_database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    var_dir = tmp_path_factory.mktemp("matrix-var")
    settings = get_settings()
    default_var_dir = settings.var_dir
    settings.var_dir = var_dir
    async with database.engine.connect() as conn:
        outer = await conn.begin()
        session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        await load_demo(session)  # the county cycle held and published, the village cycle, the ledger
        admin = await _user(session, "admin")
        a, b, c, a1, b1 = [await _org(session, code) for code in (A, B, C, A1, B1)]
        county_cycle = await _one(session, select(Cycle).where(Cycle.name == demo_cycle.CYCLE_NAME))
        village_a = await _one(session, select(Cycle).where(Cycle.name == VILLAGE_CYCLE_NAME))
        village_b = await _village_cycle(session, b, b1)
        member = await _new_user(session, Role.member, a1)
        members_group = await _one(
            session,
            select(EvaluatorGroup).where(EvaluatorGroup.cycle_id == village_a.id, EvaluatorGroup.key == "members"),
        )
        session.add(EvaluatorGroupMember(cycle_id=village_a.id, group_id=members_group.id, user_id=member.id))
        users: dict[str, User | None] = {
            "admin": admin,
            "county_clerk": await _user(session, "clerk"),
            "township_clerk": await _new_user(session, Role.clerk, a),
            "leader": await _user(session, "leader01"),
            "deputy": await _user(session, "deputy01"),
            "member": member,
            "township_secretary": await _user(session, f"s{A}"),
            "other_secretary": await _user(session, f"s{C}"),
            "village_secretary": await _user(session, f"s{A1}"),
            "integration": await _new_user(session, Role.integration, await _org(session, "410326")),
            "anonymous": None,
        }
        contexts = {
            "K/A": await _context(session, var_dir, admin, county_cycle, a, a),
            "K/B": await _context(session, var_dir, admin, county_cycle, b, b),
            "K/C": await _context(session, var_dir, admin, county_cycle, c, c),
            "VA/a1": await _context(session, var_dir, admin, village_a, a1, a),
            "VB/b1": await _context(session, var_dir, admin, village_b, b1, b),
        }
        await _target_programmes(session, contexts, {"K": await _org(session, "410326"), "VA": a, "VB": b})
        run = SyncRun(kind=SyncKind.import_, status=SyncStatus.ok, file_name="cases.xlsx", errors=[])
        session.add(run)
        await session.flush()
        w = World(conn=conn, var_dir=var_dir, users=users, contexts=contexts, run=run.id)
        for user in users.values():
            if user is not None:
                token = secrets.token_urlsafe(16)
                sheets = cycle_import._error_sheet_dir()
                sheets.mkdir(parents=True, exist_ok=True)
                (sheets / f"{user.id}-{token}.xlsx").write_bytes(b"PK")
                w.sheets[user.id] = token
        await session.commit()

        try:
            with app_on(conn):
                yield w
        finally:
            settings.var_dir = default_var_dir
            await session.close()
            await outer.rollback()


async def _target_programmes(
    session: AsyncSession, contexts: dict[str, Context], hosts: dict[str, Organization]
) -> None:
    """A target programme per host (the county's, 小店镇's, 三屯镇's) with a measure and a team, and in
    each context a project of the context's organisation in its host's programme."""
    made: dict[str, tuple[int, int, int]] = {}
    rounds: dict[str, int] = {}
    bulletins: dict[int, int] = {}
    for name, host in hosts.items():
        programme = TargetProgramme(
            name=f"{host.name}招商引资目标责任",
            host_org_id=host.id,
            period_start=date(2013, 9, 1),
            period_end=date(2013, 12, 31),
        )
        session.add(programme)
        await session.flush()
        measure = TargetMeasure(
            programme_id=programme.id,
            key="signed",
            name="签约项目数",
            unit="个",
            weight=Decimal(1),
            stage=ProjectStage.signed,
            basis=MeasureBasis.projects,
        )
        team = TargetTeam(
            programme_id=programme.id, name="轴承产业链招商攻坚小组", leader_name="王", industries=["轴承"]
        )
        session.add_all([measure, team])
        await session.flush()
        made[name] = (programme.id, measure.id, team.id)
        round_ = TargetSupervisionRound(
            programme_id=programme.id, body=SupervisionBody.congress, title="矩阵督查", started_on=date(2013, 10, 20)
        )
        session.add(round_)
        await session.flush()
        rounds[name] = round_.id
        bulletin = TargetBulletin(
            programme_id=programme.id, month=date(2013, 10, 1), number=1, as_of=date(2013, 10, 31)
        )
        session.add(bulletin)
        await session.flush()
        bulletins[programme.id] = bulletin.id
    for key, ctx in contexts.items():
        programme_id, measure_id, team_id = made[key.split("/")[0]]
        project = TargetProject(
            programme_id=programme_id, org_id=ctx.org, company="矩阵公司", negotiating_date=date(2013, 9, 1)
        )
        session.add(project)
        await session.flush()
        ctx.programme, ctx.measure, ctx.team, ctx.project = programme_id, measure_id, team_id, project.id
        ctx.bulletin = bulletins[programme_id]
        report = TargetMonthlyReport(
            programme_id=programme_id, org_id=ctx.org, month=date(2013, 9, 1), as_of=date(2013, 9, 30), figures=[]
        )
        session.add(report)
        await session.flush()
        ctx.monthly_report = report.id
        finding = TargetFinding(
            round_id=rounds[key.split("/")[0]],
            org_id=ctx.org,
            visited_on=date(2013, 10, 21),
            finding="矩阵发现",
            deadline=date(2013, 11, 30),
        )
        session.add(finding)
        await session.flush()
        ctx.supervision_round, ctx.finding = finding.round_id, finding.id


# Each principal's own and foreign context.
CONTEXTS = {
    "admin": ("K/A", "VB/b1"),
    "county_clerk": ("K/A", "VB/b1"),
    "township_clerk": ("VA/a1", "VB/b1"),
    "leader": ("K/A", "VB/b1"),
    "deputy": ("K/A", "VB/b1"),
    "member": ("VA/a1", "VB/b1"),
    "township_secretary": ("K/A", "K/B"),
    "other_secretary": ("K/C", "K/A"),
    "village_secretary": ("VA/a1", "VB/b1"),
    "integration": ("K/A", "VB/b1"),
    "anonymous": ("K/A", "VB/b1"),
}

# Query strings and bodies an operation needs to reach its authorization; `{cycle}` and the like
# come from the context. Without an entry, a write sends `{}` (the caller passes and gets a 422).
EXTRAS: dict[str, dict[str, Any]] = {
    "GET /api/v1/ledger/followup": {"params": {"cycle_id": "{cycle}", "org_id": "{org}"}},
    "GET /api/v1/ledger/followup.docx": {"params": {"cycle_id": "{cycle}", "org_id": "{org}"}},
    "GET /api/v1/public/ledger-board": {"params": {"cycle_id": "{cycle}"}},
    "GET /api/v1/public/target-board": {"params": {"programme_id": "{programme_id}"}},
    "GET /api/v1/ledger/duplicates": {"params": {"cycle_id": "{cycle}"}},
    "POST /api/v1/ledger/items/batch/transitions": {"json": {"item_ids": ["{item_id}"], "to": "in_progress"}},
    "POST /api/v1/reports/batch/accept": {"json": {"report_ids": ["{report_id}"]}},
    "POST /api/v1/petitions/stats/snapshots": {"json": {"cycle_id": "{cycle}"}},
    "POST /api/v1/targets/programmes": {
        "json": {"name": "矩阵", "host_org_id": "{org}", "period_start": "2013-09-01", "period_end": "2013-12-31"}
    },
    "POST /api/v1/targets/programmes/{programme_id}/projects": {
        "json": {"org_id": "{org}", "company": "矩阵", "negotiating_date": "2013-09-01"}
    },
    "POST /api/v1/targets/programmes/{programme_id}/monthly-reports": {"json": {"org_id": "{org}", "month": "2013-10"}},
    "GET /api/v1/targets/programmes/{programme_id}/monthly-reports/missing": {"params": {"month": "2013-10"}},
    "POST /api/v1/petitions/cases": {
        "json": {
            "external_id": "M-1",
            "org_id": "{case_org}",
            "category": "矛盾纠纷",
            "summary": "矩阵",
            "received_date": "2013-09-02",
        }
    },
}

PARAMS = {
    "cycle_id": "cycle",
    "rubric_id": "rubric",
    "meeting_id": "meeting",
    "report_id": "report",
    "attachment_id": "attachment",
    "org_id": "org",
    "case_id": "case",
    "appointment_id": "appointment",
    "item_id": "item",
    "evidence_id": "evidence",
    "notice_id": "notice",
    "import_id": "opinion_import",
    "interview_id": "interview",
    "programme_id": "programme",
    "measure_id": "measure",
    "team_id": "team",
    "project_id": "project",
    "monthly_report_id": "monthly_report",
    "round_id": "supervision_round",
    "finding_id": "finding",
    "bulletin_id": "bulletin",
}


def _values(world: World, principal: str, side: int, path: str) -> dict[str, Any]:
    ctx = world.contexts[CONTEXTS[principal][side]]
    me = world.users[principal]
    others = [u for name, u in world.users.items() if u is not None and name != principal]
    # /users/{id}: oneself, or someone else; a group member: one of the context cycle's leaders.
    user_id = (me or others[0]).id if side == 0 else others[0].id
    if not path.startswith("/api/v1/users"):
        user_id = ctx.member
    case_org = (
        world.contexts["K/A" if side == 0 else "K/B"].org
        if ctx.org not in {world.contexts[k].org for k in ("K/A", "K/B", "K/C")}
        else ctx.org
    )
    sheet_owner = me if side == 0 and me is not None else others[0]
    values: dict[str, Any] = {param: getattr(ctx, attr) for param, attr in PARAMS.items()}
    values.update(
        user_id=user_id,
        key="leaders",
        run_id=world.run,
        token=world.sheets[sheet_owner.id],
        case_org=case_org,
        **{attr: getattr(ctx, attr) for attr in ("cycle", "org")},
    )
    return values


def _fill(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, str):
        m = re.fullmatch(r"\{(\w+)\}", template)
        return values[m.group(1)] if m else template
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


class StreamsEndAtOnce:
    """The app, except that a live event stream ends as soon as it starts: the test transport answers
    only once a response is complete, and being let in (200, text/event-stream) is all we ask."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        streaming = asyncio.Event()

        async def send_until_streaming(message: Message) -> None:
            if streaming.is_set():
                return
            await send(message)
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/event-stream"):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    streaming.set()

        serving = asyncio.ensure_future(self.app(scope, receive, send_until_streaming))
        started = asyncio.ensure_future(streaming.wait())
        await asyncio.wait({serving, started}, return_when=asyncio.FIRST_COMPLETED)
        started.cancel()
        if not serving.done():
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await serving
        else:
            serving.result()


def _answer(status: int) -> str:
    if status >= 500:
        return f"5xx ({status})"
    return str(status) if status in (401, 403, 404) else "ok"


async def _ask(client: httpx.AsyncClient, world: World, op: str, principal: str, side: int) -> str:
    method, path = op.split(" ", 1)
    values = _values(world, principal, side, path)
    url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values[m.group(1)]), path)
    extra = _fill(EXTRAS.get(op, {}), values)
    user = world.users[principal]
    headers = {}
    if user is not None:
        token, _ = tokens.issue(user.id, tokens.TokenType.access, user.token_version)
        headers["Authorization"] = f"Bearer {token}"
    if method in ("POST", "PUT", "PATCH") and "json" not in extra:
        extra["json"] = {}
    savepoint = await world.conn.begin_nested()
    try:
        response = await client.request(method, url, headers=headers, **extra)
        if DEBUG and DEBUG in op:
            print(principal, side, url, response.status_code, response.text[:300])
        return _answer(response.status_code)
    finally:
        await savepoint.rollback()
        _restore_files()
        voters.settings.clear()
        voters.token_refs.clear()


# --- the tests -------------------------------------------------------------------------------


def test_every_operation_has_a_row() -> None:
    ops = set(operations())
    assert not ops - TABLE.keys(), (
        f"operations without a row in tests/authorization_table.py: {sorted(ops - TABLE.keys())}"
    )
    assert not TABLE.keys() - ops, f"rows for operations that no longer exist: {sorted(TABLE.keys() - ops)}"


def test_the_readme_table_is_the_tests_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- authorization-table:start -->", "<!-- authorization-table:end -->"
    assert start in readme and end in readme, "README.md lacks the authorization table markers"
    shown = readme.split(start, 1)[1].split(end, 1)[0].strip()
    assert shown == render_markdown().strip(), "README's authorization table differs: paste render_markdown()"


@pytest.mark.parametrize("op", sorted(set(operations()) | TABLE.keys()))
async def test_operation(op: str, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "var_dir", world.var_dir)
    transport = httpx.ASGITransport(app=StreamsEndAtOnce(app), client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=10, headers=ENGLISH) as client:
        observed = {}
        for principal in PRINCIPALS:
            own = await asyncio.wait_for(_ask(client, world, op, principal, 0), 10)
            foreign = await asyncio.wait_for(_ask(client, world, op, principal, 1), 10)
            observed[principal] = (own, foreign)
    if OBSERVE:
        with OBSERVE.open("a", encoding="utf-8") as out:
            out.write(f"{op}\t{row_text(observed)}\n")
        return
    assert op in TABLE, f"{op} has no row in tests/authorization_table.py; observed: {row_text(observed)}"
    expected = parse_row(TABLE[op])
    differences = {p: (expected[p], observed[p]) for p in PRINCIPALS if expected[p] != observed[p]}
    assert not differences, f"{op}: principal: (expected, observed) {differences}"
