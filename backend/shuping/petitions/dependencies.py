"""Who may do what with petitions, and loading a case or appointment from the path or 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from shuping.auth.dependencies import CurrentUser, RequireRole
from shuping.auth.models import Role, User
from shuping.config import get_settings
from shuping.core.dependencies import SessionDep
from shuping.core.i18n import N_
from shuping.core.schemas import MAX_ID
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage
from shuping.db import utcnow
from shuping.orgs.dependencies import CountyStaffUser, RequireCountyStaff
from shuping.petitions import appointments, repository, webhooks
from shuping.petitions.errors import IntegrationNotConfigured, PayloadTooLarge, WebhookRefused
from shuping.petitions.models import Appointment, PetitionCase
from shuping.petitions.schemas import SnapshotCreate

# Read cases: the org department, leaders (they receive petitioners) and secretaries (their own cases).
CaseReader = Annotated[User, Depends(RequireRole(Role.admin, Role.clerk, Role.leader, Role.secretary))]
# Change cases, book appointments: administrators and clerks, on the cases of the organisations
# they reach (CaseDep finds no other case for them).
CaseManager = Annotated[User, Depends(RequireRole(Role.admin, Role.clerk))]
# Import cases in bulk, freeze figures for a cycle: the organisation department.
CountyCaseManager = CountyStaffUser
# Run a pull: an administrator or the integration account.
SyncOperator = Annotated[User, Depends(RequireRole(Role.admin, Role.integration))]
# Read the sync log: the organisation department and the integration account.
SyncReader = Annotated[User, Depends(RequireCountyStaff(Role.integration))]

MAX_WEBHOOK_BYTES = 5 * 1024 * 1024


async def path_case(
    session: SessionDep, user: CaseReader, case_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> PetitionCase:
    return await repository.get_case(session, case_id, user=user)


CaseDep = Annotated[PetitionCase, Depends(path_case)]


async def path_appointment(
    session: SessionDep, user: CaseReader, appointment_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Appointment:
    appt = await appointments.get_appointment(session, appointment_id)
    await repository.get_case(session, appt.case_id, user=user)  # 404 unless the user may see its case
    return appt


AppointmentDep = Annotated[Appointment, Depends(path_appointment)]


class SignedBody:
    """A webhook body whose Standard Webhooks signature was checked over the raw bytes."""

    def __init__(self, message_id: str, body: bytes) -> None:
        self.message_id = message_id
        self.body = body


def webhook_keys() -> list[bytes]:
    secrets = get_settings().sunshine_secrets
    if not secrets:
        raise IntegrationNotConfigured(N_("Set SHUPING_SUNSHINE_SECRET to accept pushes"))
    try:
        return [webhooks.parse_secret(s) for s in secrets]
    except ValueError as exc:
        raise IntegrationNotConfigured(N_("SHUPING_SUNSHINE_SECRET is unusable: {exc}", exc=exc)) from exc


async def signed_body(request: Request) -> SignedBody:
    """Read the raw body and verify it before anything parses it."""
    keys = webhook_keys()
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_WEBHOOK_BYTES:
        raise PayloadTooLarge(
            N_("A message may have at most {MAX_WEBHOOK_BYTES} bytes", MAX_WEBHOOK_BYTES=MAX_WEBHOOK_BYTES)
        )
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        raise PayloadTooLarge(
            N_("A message may have at most {MAX_WEBHOOK_BYTES} bytes", MAX_WEBHOOK_BYTES=MAX_WEBHOOK_BYTES)
        )
    try:
        message = webhooks.verify(
            keys,
            msg_id=request.headers.get("webhook-id"),
            timestamp=request.headers.get("webhook-timestamp"),
            signature=request.headers.get("webhook-signature"),
            body=body,
            now=int(utcnow().timestamp()),
            tolerance=get_settings().sunshine_webhook_tolerance_seconds,
        )
    except webhooks.InvalidSignature as exc:
        raise WebhookRefused(str(exc)) from exc
    return SignedBody(message.msg_id, body)


SignedBodyDep = Annotated[SignedBody, Depends(signed_body)]


async def snapshot_cycle(session: SessionDep, user: CountyCaseManager, snapshot_in: SnapshotCreate) -> Cycle:
    """The cycle to freeze figures for: one the caller manages, in assessment (where its
    petition indicator is scored); the stage hook takes the same snapshot on entering it."""
    cycle = await cycles_service.get_cycle(session, snapshot_in.cycle_id)
    cycles_service.require_manage(user, cycle)
    cycles_service.require_stage(cycle, CycleStage.assessment, doing=N_("freeze the petition figures"))
    return cycle


SnapshotCycleDep = Annotated[Cycle, Depends(snapshot_cycle)]

__all__ = ["AppointmentDep", "CaseDep", "CaseManager", "CaseReader", "CurrentUser", "SignedBodyDep", "SyncOperator"]
