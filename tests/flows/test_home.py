"""The home page's to-do list: each role's counts on hand-built data, scoped as the lists they link to."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role, User
from shuping.core.calendar import china_today
from shuping.cycles.models import CycleStage, EvaluatorGroupMember
from shuping.ledger.models import LedgerItem
from shuping.ledger.statemachine import ItemStatus
from shuping.meetings.models import AgendaItem, Meeting, MeetingStatus, Voting
from shuping.orgs.models import Organization, OrgKind
from shuping.petitions.models import SyncKind, SyncRun, SyncStatus
from shuping.reports.models import ReportStatus
from shuping.results.models import NoticeStatus, RectificationNotice
from tests.support.builders import auth_headers, get_user, make_case, make_org, make_user
from tests.support.evaluation import EvaluationCycle, make_evaluation_cycle

TODO = "/api/v1/home/todo"


@dataclass
class World:
    ta: Organization
    tb: Organization
    users: dict[str, User]
    county_cycle: EvaluationCycle
    hosted_a: EvaluationCycle
    voting: EvaluationCycle
    live: Meeting
    scheduled: Meeting

    def h(self, who: str) -> dict[str, str]:
        return auth_headers(self.users[who])


async def _todo(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    r = await client.get(TODO, headers=headers)
    assert r.status_code == 200, r.text
    return {e["key"]: e for e in r.json()["entries"]}


def _counts(entries: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {key: e["count"] for key, e in entries.items()}


def _item(cycle_id: int, org: Organization, title: str, status: ItemStatus, due: date) -> LedgerItem:
    return LedgerItem(
        cycle_id=cycle_id,
        org_id=org.id,
        title=title,
        status=status,
        start_date=due - timedelta(days=30),
        due_days=20,
        due_date=due,
    )


def _meeting(cycle_id: int, status: MeetingStatus, agenda: list[AgendaItem], title: str) -> Meeting:
    return Meeting(
        cycle_id=cycle_id,
        title=title,
        direction="upward",
        starts_at=datetime(2026, 12, 7, 1, tzinfo=UTC),
        status=status,
        screen_key=secrets.token_urlsafe(16),
        agenda=agenda,
    )


@pytest.fixture
async def world(session: AsyncSession) -> World:
    """Two fresh townships 甲乡 and 乙乡 (each with a village), their clerks and secretaries, evaluators,
    and in each township: ledger items, notices, petition cases; reports waiting in three cycles."""
    ta = await make_org(session, name="甲乡")
    tb = await make_org(session, name="乙乡")
    va = await make_org(session, name="甲村", kind=OrgKind.village, parent_id=ta.id)
    vb = await make_org(session, name="乙村", kind=OrgKind.village, parent_id=tb.id)
    county = (await get_user(session, "admin")).org_id
    users = {
        "admin": await get_user(session, "admin"),
        "county_clerk": await get_user(session, "clerk"),
        "clerk_a": await make_user(session, role=Role.clerk, org_id=ta.id),
        "clerk_b": await make_user(session, role=Role.clerk, org_id=tb.id),
        "sec_a": await make_user(session, role=Role.secretary, org_id=ta.id),
        "sec_b": await make_user(session, role=Role.secretary, org_id=tb.id),
        "leader": await make_user(session, role=Role.leader, org_id=county),
        "deputy": await make_user(session, role=Role.deputy, org_id=county),
        "member": await make_user(session, role=Role.member, org_id=county),
        "integration": await make_user(session, role=Role.integration, org_id=county),
    }
    for user in users.values():
        await session.refresh(user, ["org"])

    # The county's cycle in preparation: 甲乡's report returned to its secretary, 乙乡's submitted.
    county_cycle = await make_evaluation_cycle(
        session, stage=CycleStage.preparation, report_codes=[ta.code, tb.code], leaders=[]
    )
    county_cycle.reports[0].status = ReportStatus.returned
    county_cycle.reports[1].status = ReportStatus.submitted
    # Each township hosts its villages' cycle, each with one report submitted.
    hosted_a = await make_evaluation_cycle(
        session, stage=CycleStage.preparation, report_codes=[va.code], leaders=[], host_org_id=ta.id
    )
    hosted_b = await make_evaluation_cycle(
        session, stage=CycleStage.preparation, report_codes=[vb.code], leaders=[], host_org_id=tb.id
    )
    for ev in (hosted_a, hosted_b):
        ev.reports[0].status = ReportStatus.submitted

    # A cycle being evaluated: the leader in its leaders group; one meeting live with a report open for
    # voting, one scheduled. The deputy evaluates only in a cycle with a scheduled meeting.
    voting = await make_evaluation_cycle(session, leaders=[users["leader"].username])
    live = _meeting(
        voting.cycle.id,
        MeetingStatus.live,
        [AgendaItem(report_id=voting.reports[0].id, position=0, voting=Voting.open)],
        "现场大会",
    )
    scheduled = _meeting(voting.cycle.id, MeetingStatus.scheduled, [], "下次大会")
    ended = _meeting(voting.cycle.id, MeetingStatus.ended, [], "已结束的大会")
    deputies = await make_evaluation_cycle(session, leaders=[])
    session.add_all([live, scheduled, ended, _meeting(deputies.cycle.id, MeetingStatus.scheduled, [], "代表的大会")])
    session.add(
        EvaluatorGroupMember(
            cycle_id=deputies.cycle.id, group_id=deputies.groups["deputies"].id, user_id=users["deputy"].id
        )
    )

    today = china_today()
    cycle_id = county_cycle.cycle.id
    session.add_all(
        [
            _item(cycle_id, ta, "甲一", ItemStatus.open, today - timedelta(days=3)),
            _item(cycle_id, ta, "甲二", ItemStatus.in_progress, today - timedelta(days=1)),
            _item(cycle_id, ta, "甲三", ItemStatus.open, today),  # due today: due soon, not overdue
            _item(cycle_id, ta, "甲四", ItemStatus.done, today - timedelta(days=5)),  # done: neither
            _item(cycle_id, tb, "乙一", ItemStatus.open, today - timedelta(days=2)),
        ]
    )

    ra, rb = county_cycle.reports
    # One notice per report: 甲乡's issued, its village's acknowledged, 乙乡's issued.
    village = hosted_a.reports[0]
    for report, number, status in (
        (ra, "甲1", NoticeStatus.issued),
        (village, "甲2", NoticeStatus.acknowledged),
        (rb, "乙1", NoticeStatus.issued),
    ):
        session.add(
            RectificationNotice(
                cycle_id=report.cycle_id,
                report_id=report.id,
                org_id=report.org_id,
                number=number,
                findings="问题",
                measures="措施",
                deadline_date=today + timedelta(days=30),
                status=status,
                issued_by_id=users["admin"].id,
            )
        )

    long_ago = today - timedelta(days=90)
    for org, received in ((ta, long_ago), (ta, long_ago), (ta, today), (tb, long_ago)):
        await make_case(session, org=org, dept=None, received=received)

    # The last pull failed, the last push went through (after one that failed).
    session.add_all(
        [
            SyncRun(kind=SyncKind.pull, status=SyncStatus.ok),
            SyncRun(kind=SyncKind.push, status=SyncStatus.failed),
            SyncRun(kind=SyncKind.pull, status=SyncStatus.failed),
            SyncRun(kind=SyncKind.push, status=SyncStatus.ok),
        ]
    )
    await session.flush()
    return World(ta, tb, users, county_cycle, hosted_a, voting, live, scheduled)


async def test_a_township_clerk_counts_their_township_only(client: httpx.AsyncClient, world: World) -> None:
    entries = await _todo(client, world.h("clerk_a"))
    assert _counts(entries) == {
        "meetings_live": 0,
        "meetings_upcoming": 0,
        # The villages' report in the cycle 甲乡 hosts; not its own report to the county (returned anyway).
        "reports_to_review": 1,
        "ledger_overdue": 2,
        "ledger_due_soon": 1,
        "notices_unsigned": 1,
        "petitions_overdue": 2,
    }  # no sync_failed: a township's clerk does not read the sync log
    review = entries["reports_to_review"]
    assert review["target"] == {"path": f"/cycles/{world.hosted_a.cycle.id}", "query": {}}
    assert [(i["id"], i["count"]) for i in review["items"]] == [(world.hosted_a.cycle.id, 1)]
    assert entries["ledger_overdue"]["target"] == {"path": "/ledger", "query": {"overdue": "true"}}
    # The ledger list has no due-soon filter: the supervision page lists the reminders.
    assert entries["ledger_due_soon"]["target"] == {"path": "/ledger/dashboard", "query": {}}
    assert entries["petitions_overdue"]["target"] == {"path": "/petitions", "query": {"overdue": "true"}}
    assert entries["notices_unsigned"]["target"]["path"] == "/notices"


async def test_the_counts_equal_the_lists_they_link_to(client: httpx.AsyncClient, world: World) -> None:
    for who in ("admin", "county_clerk", "clerk_a", "clerk_b"):
        h = world.h(who)
        entries = await _todo(client, h)
        for key, flag in (("ledger_overdue", "overdue"), ("ledger_due_soon", "due_soon")):
            listed = await client.get("/api/v1/ledger/items", params={flag: "true", "limit": 1}, headers=h)
            assert entries[key]["count"] == listed.json()["total"], (who, key)
        reminders = (await client.get("/api/v1/ledger/reminders", headers=h)).json()
        assert entries["ledger_overdue"]["count"] == len(reminders["overdue"]), who
        cases = await client.get("/api/v1/petitions/cases", params={"overdue": "true", "limit": 1}, headers=h)
        stats = (await client.get("/api/v1/petitions/stats", headers=h)).json()
        assert entries["petitions_overdue"]["count"] == cases.json()["total"] == stats["total"]["overdue"], who
        notices = (await client.get("/api/v1/notices", headers=h)).json()
        assert entries["notices_unsigned"]["count"] == sum(n["status"] == "issued" for n in notices), who
        for thing in entries["reports_to_review"]["items"]:
            params = {"cycle_id": thing["id"], "status": "submitted", "limit": 1}
            listed = await client.get("/api/v1/reports", params=params, headers=h)
            assert thing["count"] == listed.json()["total"], (who, thing)
    admin = await _todo(client, world.h("admin"))
    assert admin["reports_to_review"]["count"] >= 3
    assert admin["ledger_overdue"]["count"] >= 3 and admin["petitions_overdue"]["count"] >= 3


async def test_another_townships_data_is_not_counted(client: httpx.AsyncClient, world: World) -> None:
    b = _counts(await _todo(client, world.h("clerk_b")))
    assert (b["reports_to_review"], b["ledger_overdue"], b["ledger_due_soon"]) == (1, 1, 0)
    assert (b["notices_unsigned"], b["petitions_overdue"]) == (1, 1)
    # The county's clerk reviews the reports of the county's cycles only (乙乡's), not the townships' cycles.
    county = await _todo(client, world.h("county_clerk"))
    reviewed = {i["id"]: i["count"] for i in county["reports_to_review"]["items"]}
    assert reviewed[world.county_cycle.cycle.id] == 1
    assert world.hosted_a.cycle.id not in reviewed


async def test_staff_see_the_sync_failures_and_the_meetings(client: httpx.AsyncClient, world: World) -> None:
    for who in ("admin", "county_clerk"):
        entries = await _todo(client, world.h(who))
        sync = entries["sync_failed"]
        assert sync["count"] == 1
        assert [i["title"] for i in sync["items"]] == ["pull"]
        assert sync["target"] == {"path": "/petitions/sync", "query": {}}
        live = {i["id"]: i for i in entries["meetings_live"]["items"]}
        assert live[world.live.id]["target"] == {"path": f"/meetings/{world.live.id}", "query": {}}
        assert live[world.live.id]["voting_open"] is True
        upcoming = {i["id"] for i in entries["meetings_upcoming"]["items"]}
        assert world.scheduled.id in upcoming and world.live.id not in upcoming
        assert entries["meetings_live"]["count"] == len(live)
        assert entries["meetings_upcoming"]["count"] == len(upcoming)


async def test_a_secretary_sees_their_report_notices_and_items(client: httpx.AsyncClient, world: World) -> None:
    a = await _todo(client, world.h("sec_a"))
    assert _counts(a) == {"my_report": 1, "notices_to_sign": 1, "ledger_overdue": 2, "ledger_due_soon": 1}
    report = world.county_cycle.reports[0]
    assert a["my_report"]["items"] == [
        {
            "id": report.id,
            "title": world.county_cycle.cycle.name,
            "status": "returned",
            "starts_at": None,
            "count": None,
            "voting_open": None,
            "target": {"path": f"/reports/{report.id}", "query": {}},
        }
    ]
    assert a["ledger_overdue"]["target"] == {"path": "/ledger/mine", "query": {"overdue": "true"}}
    mine = await client.get(
        "/api/v1/ledger/items", params={"mine": "true", "overdue": "true"}, headers=world.h("sec_a")
    )
    assert mine.json()["total"] == 2
    b = await _todo(client, world.h("sec_b"))
    # 乙乡's report is submitted: nothing for its secretary to write.
    assert _counts(b) == {"my_report": 0, "notices_to_sign": 1, "ledger_overdue": 1, "ledger_due_soon": 0}
    assert b["my_report"]["items"][0]["status"] == "submitted"


async def test_an_evaluator_is_sent_to_the_ballot(client: httpx.AsyncClient, world: World) -> None:
    leader = await _todo(client, world.h("leader"))
    assert _counts(leader) == {"vote_now": 1, "meetings_upcoming": 1}
    [now] = leader["vote_now"]["items"]
    assert (now["id"], now["voting_open"]) == (world.live.id, True)
    assert now["target"] == {"path": f"/vote/meeting/{world.live.id}", "query": {}}
    mine = (await client.get("/api/v1/vote/meetings", headers=world.h("leader"))).json()
    assert {m["meeting_id"] for m in mine if m["status"] == "live"} == {world.live.id}
    assert {m["meeting_id"] for m in mine if m["status"] == "scheduled"} == {world.scheduled.id}
    deputy = await _todo(client, world.h("deputy"))
    assert _counts(deputy) == {"vote_now": 0, "meetings_upcoming": 1}
    assert _counts(await _todo(client, world.h("member"))) == {"vote_now": 0, "meetings_upcoming": 0}


async def test_who_may_ask(client: httpx.AsyncClient, world: World) -> None:
    assert (await client.get(TODO)).status_code == 401
    assert (await client.get(TODO, headers=world.h("integration"))).status_code == 403


async def test_counts_take_a_fixed_number_of_queries(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    conn = (await session.connection()).sync_connection
    assert conn is not None

    async def queries(who: str) -> int:
        statements.clear()
        event.listen(conn, "before_cursor_execute", count)
        try:
            await _todo(client, world.h(who))
        finally:
            event.remove(conn, "before_cursor_execute", count)
        return len(statements)

    before = {who: await queries(who) for who in ("admin", "sec_a", "leader")}
    assert all(n >= 1 for n in before.values()), before
    today = china_today()
    session.add_all(
        [
            _item(world.county_cycle.cycle.id, world.ta, f"又一{i}", ItemStatus.open, today - timedelta(days=4))
            for i in range(5)
        ]
    )
    session.add_all([_meeting(world.voting.cycle.id, MeetingStatus.scheduled, [], f"又一次大会{i}") for i in range(3)])
    for _ in range(3):
        await make_case(session, org=world.ta, dept=None, received=today - timedelta(days=90))
    await session.flush()
    assert {who: await queries(who) for who in before} == before
