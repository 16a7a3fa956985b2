"""The home page's to-do list: each role's counts across domains, each scoped as the page it links to.

Every count is one of its domain's own queries (the ledger's reminders, the petition list's overdue
filter, the notices list, the reports list, the meetings of the cycles one sees, the sync log), so a
number on the home page is the number its page lists. A fixed number of queries per request.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.flows.schemas import HomeTodo, TodoEntry, TodoKey, TodoTarget, TodoThing
from shuping.ledger import stats as ledger_stats
from shuping.meetings import upcoming
from shuping.meetings.models import MeetingStatus
from shuping.orgs.scope import is_county_staff
from shuping.petitions import repository as petitions
from shuping.petitions import sunshine
from shuping.reports import service as reports
from shuping.reports.models import ReportStatus
from shuping.results import consequences
from shuping.results.models import NoticeStatus

EVALUATOR_ROLES = (Role.leader, Role.deputy, Role.member)
TRUE = "true"


def _to(path: str, **query: str) -> TodoTarget:
    return TodoTarget(path=path, query=query)


async def todo(session: AsyncSession, *, user: User) -> HomeTodo:
    """The signed-in user's entries, in the order the home page shows them."""
    if user.role in STAFF_ROLES:
        entries = await _staff(session, user)
    elif user.role == Role.secretary:
        entries = await _secretary(session, user)
    else:
        entries = await _evaluator(session, user)
    return HomeTodo(role=user.role, entries=entries)


async def _meeting_entries(session: AsyncSession, user: User, *, staff: bool) -> list[TodoEntry]:
    meetings = await upcoming.open_meetings(session, user=user)
    live = [m for m in meetings if m.status == MeetingStatus.live]
    scheduled = [m for m in meetings if m.status == MeetingStatus.scheduled]

    def thing(m: upcoming.OpenMeeting, path: str) -> TodoThing:
        return TodoThing(
            id=m.id,
            title=m.title,
            status=m.status.value,
            starts_at=m.starts_at,
            voting_open=m.voting_open if m.status == MeetingStatus.live else None,
            target=_to(path),
        )

    if staff:
        # The host's console for each meeting; the meetings page lists the cycles to find them in.
        return [
            TodoEntry(
                key=TodoKey.meetings_live,
                count=len(live),
                target=_to("/meetings"),
                items=[thing(m, f"/meetings/{m.id}") for m in live],
            ),
            TodoEntry(
                key=TodoKey.meetings_upcoming,
                count=len(scheduled),
                target=_to("/meetings"),
                items=[thing(m, f"/meetings/{m.id}") for m in scheduled],
            ),
        ]
    # An evaluator's ballot is the phone page (/vote/meeting/<id>); their meetings are /my-meetings.
    return [
        TodoEntry(
            key=TodoKey.vote_now,
            count=len(live),
            target=_to("/my-meetings"),
            items=[thing(m, f"/vote/meeting/{m.id}") for m in live],
        ),
        TodoEntry(
            key=TodoKey.meetings_upcoming,
            count=len(scheduled),
            target=_to("/my-meetings"),
            items=[thing(m, "/my-meetings") for m in scheduled],
        ),
    ]


async def _staff(session: AsyncSession, user: User) -> list[TodoEntry]:
    entries = await _meeting_entries(session, user, staff=True)

    review = await reports.counts_by_cycle(session, user=user, status=[ReportStatus.submitted], hosted_only=True)
    # Reports are reviewed in their cycle's page: straight there when one cycle has them all.
    review_target = _to(f"/cycles/{review[0][0]}") if len(review) == 1 else _to("/cycles")
    entries.append(
        TodoEntry(
            key=TodoKey.reports_to_review,
            count=sum(n for _, _, n in review),
            target=review_target,
            items=[
                TodoThing(id=cycle_id, title=name, count=n, target=_to(f"/cycles/{cycle_id}"))
                for cycle_id, name, n in review
            ],
        )
    )

    overdue, due_soon = await ledger_stats.reminder_counts(session, user=user)
    entries += [
        TodoEntry(key=TodoKey.ledger_overdue, count=overdue, target=_to("/ledger", overdue=TRUE)),
        TodoEntry(key=TodoKey.ledger_due_soon, count=due_soon, target=_to("/ledger/dashboard")),
    ]

    unsigned = await consequences.count_notices(session, user=user, status=NoticeStatus.issued)
    entries.append(TodoEntry(key=TodoKey.notices_unsigned, count=unsigned, target=_to("/notices")))

    late_cases = await petitions.count_cases(session, user=user, overdue=True)
    entries.append(TodoEntry(key=TodoKey.petitions_overdue, count=late_cases, target=_to("/petitions", overdue=TRUE)))

    if is_county_staff(user):
        # The sync log is the organisation department's (a township's clerk does not read it).
        failing = await sunshine.failing_kinds(session)
        entries.append(
            TodoEntry(
                key=TodoKey.sync_failed,
                count=len(failing),
                target=_to("/petitions/sync"),
                items=[TodoThing(title=kind.value, status="failed", target=_to("/petitions/sync")) for kind in failing],
            )
        )
    return entries


async def _secretary(session: AsyncSession, user: User) -> list[TodoEntry]:
    latest, _ = await reports.list_reports(
        session, user=user, cycle_id=None, status=None, org_id=None, limit=1, offset=0
    )
    to_write = await reports.counts_by_cycle(session, user=user, status=[ReportStatus.draft, ReportStatus.returned])
    entries = [
        TodoEntry(
            key=TodoKey.my_report,
            count=sum(n for _, _, n in to_write),
            target=_to("/my-reports"),
            items=[
                TodoThing(id=r.id, title=r.cycle_name, status=r.status.value, target=_to(f"/reports/{r.id}"))
                for r in latest
            ],
        )
    ]
    to_sign = await consequences.count_notices(session, user=user, status=NoticeStatus.issued)
    entries.append(TodoEntry(key=TodoKey.notices_to_sign, count=to_sign, target=_to("/notices")))
    overdue, due_soon = await ledger_stats.reminder_counts(session, user=user)
    entries += [
        TodoEntry(key=TodoKey.ledger_overdue, count=overdue, target=_to("/ledger/mine", overdue=TRUE)),
        TodoEntry(key=TodoKey.ledger_due_soon, count=due_soon, target=_to("/ledger/dashboard")),
    ]
    return entries


async def _evaluator(session: AsyncSession, user: User) -> list[TodoEntry]:
    return await _meeting_entries(session, user, staff=False)
