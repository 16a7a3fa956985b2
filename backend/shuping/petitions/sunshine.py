"""Cases from the Sunshine Petition system (阳光信访): the one idempotent upsert that push, pull
(`sync`) and the spreadsheet import (`importer`) all use, the signed push's batch, and the sync log."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.config import get_settings
from shuping.core import calendar as cal
from shuping.core import metrics
from shuping.core.errors import AppError, NotFound
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.db import utcnow
from shuping.live import service as live
from shuping.orgs.models import Organization, OrgKind
from shuping.petitions import calendar as clocks
from shuping.petitions import repository, service
from shuping.petitions.masking import mask_name, mask_phone
from shuping.petitions.models import (
    SOURCE_NAMES,
    EventKind,
    PetitionCase,
    SyncKind,
    SyncRun,
    SyncStatus,
    Via,
    WebhookMessage,
)
from shuping.petitions.schemas import CaseResult, PushResult, SunshineCase
from shuping.petitions.statemachine import Action, CaseStatus, path

MAX_PUSH_CASES = 500


class MalformedPayload(AppError):
    status, code, title = 422, "validation-error", N_("Validation failed")


class ExternalCaseError(Exception):
    """One external case cannot be applied; the others go on."""


# ---------------------------------------------------------------- the upsert


class OrgLookup:
    """Resolve organisation codes once per batch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._cache: dict[str, Organization | None] = {}

    async def get(self, code: str) -> Organization | None:
        if code not in self._cache:
            self._cache[code] = (
                await self.session.execute(select(Organization).where(Organization.code == code))
            ).scalar_one_or_none()
        return self._cache[code]

    async def resolve(self, item: SunshineCase) -> tuple[Organization | None, Organization | None]:
        if not item.org_code and not item.department_code:
            raise ExternalCaseError("org_code or department_code is required")
        org = dept = None
        if item.org_code:
            org = await self.get(item.org_code)
            if org is None or org.kind not in service.TOWNSHIP_KINDS:
                raise ExternalCaseError(f"org_code {item.org_code!r} is not a township")
        if item.department_code:
            dept = await self.get(item.department_code)
            if dept is None or dept.kind != OrgKind.department:
                raise ExternalCaseError(f"department_code {item.department_code!r} is not a county department")
        return org, dept


def _received(item: SunshineCase) -> date:
    value = item.received_at
    return cal.china_date(value) if isinstance(value, datetime) else value


async def _find(session: AsyncSession, source: str, external_id: str) -> PetitionCase | None:
    stmt = repository.case_query().where(PetitionCase.source == source, PetitionCase.external_id == external_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=PetitionCase)
    return (await session.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()


async def _apply_status(
    session: AsyncSession, case: PetitionCase, item: SunshineCase, dept: Organization | None, who: service.Who
) -> bool:
    steps = path(case.status, item.status)
    if steps is None:
        raise ExternalCaseError(f"a case that is {case.status.value} cannot become {item.status.value}")
    if not steps:
        return False
    on = cal.china_date(item.updated_at)
    before = case.status
    late = False
    for _, action in steps:
        # The Sunshine system names only the department: that is where a case is assigned or transferred.
        target = dept if dept is not None and action in (Action.assign, Action.transfer) else None
        late = service.apply_step(case, action, on, target, service.clock()) or late
    await session.flush()
    actions = [a.value for _, a in steps]
    service.add_event(
        session,
        case,
        who,
        EventKind.status,
        action=steps[-1][1],
        from_status=before,
        late=late,
        note=item.note if len(steps) == 1 else f"{' → '.join(actions)}" + (f": {item.note}" if item.note else ""),
    )
    await service.audit_case(
        session, who, "petition.status", case, {"from": before.value, "to": case.status.value, "actions": actions}
    )
    return True


def _apply_satisfaction(case: PetitionCase, item: SunshineCase) -> bool:
    """Take the petitioner's rating when the source gives one for a closed case; return whether it changed."""
    if item.satisfaction is None or case.status != CaseStatus.closed or case.satisfaction == item.satisfaction:
        return False
    case.satisfaction = item.satisfaction
    return True


async def apply_external(
    session: AsyncSession, item: SunshineCase, *, source: str, who: service.Who, orgs: OrgLookup
) -> CaseResult:
    """Create or update one case from the Sunshine system, idempotently by (source, external_id)."""
    org, dept = await orgs.resolve(item)
    case = await _find(session, source, item.external_id)
    if case is None:
        new = service.new_case(
            external_id=item.external_id,
            org=org,
            dept=dept,
            category=item.category,
            summary=item.summary,
            name=item.petitioner_name,
            phone=item.petitioner_phone,
            received=_received(item),
            note=item.note,
            external_updated_at=item.updated_at,
            source=source,
        )
        try:
            # A concurrent request may insert the same case first: the unique constraint decides.
            async with session.begin_nested():
                session.add(new)
                await session.flush()
        except IntegrityError:
            case = await _find(session, source, item.external_id)
            if case is None:
                raise
        else:
            service.add_event(session, new, who, EventKind.created, at=utcnow())
            await service.audit_case(session, who, "petition.create", new, {"status": CaseStatus.accepted.value})
            await session.flush()
            loaded = await repository.get_case(session, new.id)
            await _apply_status(session, loaded, item, dept, who)
            _apply_satisfaction(loaded, item)
            await session.flush()
            return CaseResult(external_id=item.external_id, result="created")

    if case.external_updated_at is not None and item.updated_at < case.external_updated_at:
        return CaseResult(external_id=item.external_id, result="stale")
    fields: dict[str, Any] = {
        "org_id": org.id if org else None,
        "department_id": dept.id if dept else None,
        "category": item.category,
        "summary": item.summary,
        "petitioner_name": mask_name(item.petitioner_name),
        "petitioner_phone": mask_phone(item.petitioner_phone),
        "received_date": _received(item),
        "note": item.note,
    }
    changed = {k: v for k, v in fields.items() if getattr(case, k) != v}
    if changed.keys() & {"received_date"} and case.stage == clocks.Stage.acceptance:
        changed["due_date"] = service.clock().due(clocks.Stage.acceptance, fields["received_date"], extended=False)
        changed["stage_started_date"] = fields["received_date"]
    for key, value in changed.items():
        setattr(case, key, value)
    if changed:
        await session.flush()
        service.add_event(session, case, who, EventKind.updated, note=", ".join(sorted(changed)))
    status_changed = await _apply_status(session, case, item, dept, who)
    if _apply_satisfaction(case, item):
        service.add_event(session, case, who, EventKind.updated, note="satisfaction")
        status_changed = True
    case.external_updated_at = item.updated_at
    await session.flush()
    if changed or status_changed:
        return CaseResult(external_id=item.external_id, result="updated")
    return CaseResult(external_id=item.external_id, result="unchanged")


async def apply_one(
    session: AsyncSession, raw: object, *, source: str, who: service.Who, orgs: OrgLookup
) -> tuple[CaseResult, datetime | None]:
    """Validate and apply one raw case in its own savepoint; a failure touches nothing else."""
    external_id = raw.get("external_id") if isinstance(raw, dict) else None
    ext = external_id if isinstance(external_id, str) else None
    try:
        item = SunshineCase.model_validate(raw)
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'case'}: {e['msg']}" for e in exc.errors()[:5])
        return CaseResult(external_id=ext, result="error", error=msgs), None
    # A change dated ahead of our clock (beyond the skew the webhook timestamps are allowed) would
    # make every real later change of the case look stale, for ever: refuse the row instead.
    skew = get_settings().sunshine_webhook_tolerance_seconds
    if item.updated_at > utcnow() + timedelta(seconds=skew):
        error = f"updated_at: {item.updated_at.isoformat()} is more than {skew} s ahead of this server's clock"
        return CaseResult(external_id=item.external_id, result="error", error=error), None
    try:
        async with session.begin_nested():
            result = await apply_external(session, item, source=source, who=who, orgs=orgs)
    except ExternalCaseError as exc:
        return CaseResult(external_id=item.external_id, result="error", error=str(exc)), item.updated_at
    return result, item.updated_at


def count_results(run: SyncRun, results: Sequence[CaseResult]) -> None:
    """Add a batch's results to a run's counts (fresh runs start at zero, not at the column default)."""
    tally = {k: 0 for k in ("created", "updated", "unchanged", "stale", "error")}
    for r in results:
        tally[r.result] += 1
    run.received = (run.received or 0) + len(results)
    run.created = (run.created or 0) + tally["created"]
    run.updated = (run.updated or 0) + tally["updated"]
    run.unchanged = (run.unchanged or 0) + tally["unchanged"]
    run.stale = (run.stale or 0) + tally["stale"]
    run.failed = (run.failed or 0) + tally["error"]


def count_in_metrics(session: AsyncSession, run: SyncRun, results: Sequence[CaseResult]) -> None:
    """Count a finished pull or push, and its cases by result, in the metrics once it is committed."""
    kind, status = str(run.kind), str(run.status)
    cases = Counter(r.result for r in results)

    def count(_: list[object]) -> None:
        metrics.sunshine_sync_runs.labels(kind, status).inc()
        for result, n in cases.items():
            metrics.sunshine_sync_cases.labels(kind, result).inc(n)

    live.on_commit(session, f"sunshine-sync-metrics-{id(run)}", run, count)


def lag_seconds(newest: datetime | None, at: datetime) -> int | None:
    return None if newest is None else max(0, int((at - newest).total_seconds()))


async def receive_push(session: AsyncSession, *, source: str, message_id: str, body: bytes) -> PushResult:
    """Apply a verified webhook message once; a repeated message id is acknowledged and ignored."""
    try:
        async with session.begin_nested():
            message = WebhookMessage(source=source, message_id=message_id, results=[])
            session.add(message)
            await session.flush()
    except IntegrityError:
        seen = (
            await session.execute(
                select(WebhookMessage).where(WebhookMessage.source == source, WebhookMessage.message_id == message_id)
            )
        ).scalar_one()
        return PushResult(duplicate=True, results=[CaseResult.model_validate(r) for r in seen.results])

    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedPayload(N_("The body is not JSON"), errors=[{"loc": ["body"], "msg": str(exc)}]) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("cases"), list) or set(payload) != {"cases"}:
        raise MalformedPayload(
            N_('The body must be {"cases": [...]}'),
            errors=[{"loc": ["body", "cases"], "msg": N_("a list is required")}],
        )
    raw_cases: list[object] = payload["cases"]
    if len(raw_cases) > MAX_PUSH_CASES:
        raise MalformedPayload(
            N_("At most {MAX_PUSH_CASES} cases per message", MAX_PUSH_CASES=MAX_PUSH_CASES),
            errors=[
                {"loc": ["body", "cases"], "msg": N_("at most {MAX_PUSH_CASES} items", MAX_PUSH_CASES=MAX_PUSH_CASES)}
            ],
        )
    who = service.Who.system(Via.push, SOURCE_NAMES.get(source, source))
    orgs = OrgLookup(session)
    run = SyncRun(source=source, kind=SyncKind.push, status=SyncStatus.running, message_id=message_id)
    results: list[CaseResult] = []
    newest: datetime | None = None
    for raw in raw_cases:
        result, updated_at = await apply_one(session, raw, source=source, who=who, orgs=orgs)
        results.append(result)
        if updated_at is not None and result.result != "error":
            newest = updated_at if newest is None else max(newest, updated_at)
    count_results(run, results)
    run.finished_at = utcnow()
    run.status = SyncStatus.ok if run.failed == 0 else SyncStatus.partial
    run.lag_seconds = lag_seconds(newest, run.finished_at)
    run.cursor = newest
    run.errors = [r.model_dump() for r in results if r.result == "error"][:200]
    session.add(run)
    message.results = [r.model_dump() for r in results]
    await session.flush()
    count_in_metrics(session, run, results)
    return PushResult(duplicate=False, results=results)


# ---------------------------------------------------------------- sync log


async def list_sync_runs(
    session: AsyncSession, *, kind: SyncKind | None, status: SyncStatus | None, limit: int, offset: int
) -> tuple[Sequence[SyncRun], int]:
    stmt = select(SyncRun).order_by(SyncRun.id.desc())
    if kind is not None:
        stmt = stmt.where(SyncRun.kind == kind)
    if status is not None:
        stmt = stmt.where(SyncRun.status == status)
    return await paginate(session, stmt, limit=limit, offset=offset)


async def failing_kinds(session: AsyncSession) -> list[SyncKind]:
    """The kinds of exchange (pull, push) whose latest run failed, in one query."""
    latest = (
        select(func.max(SyncRun.id))
        .where(SyncRun.kind.in_([SyncKind.pull, SyncKind.push]))
        .group_by(SyncRun.kind)
        .scalar_subquery()
    )
    stmt = (
        select(SyncRun.kind).where(SyncRun.id.in_(latest), SyncRun.status == SyncStatus.failed).order_by(SyncRun.kind)
    )
    return list((await session.execute(stmt)).scalars())


async def get_sync_run(session: AsyncSession, run_id: int) -> SyncRun:
    run = await session.get(SyncRun, run_id)
    if run is None:
        raise NotFound(N_("Sync run {run_id} does not exist", run_id=run_id))
    return run
