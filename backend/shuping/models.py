"""Import every domain's models so Base.metadata knows all tables (Alembic, tests)."""

from shuping.audit.models import AuditEntry
from shuping.auth.models import User
from shuping.db import Base
from shuping.orgs.models import Organization
from shuping.petitions.models import (
    Appointment,
    PetitionCase,
    PetitionEvent,
    PetitionStatsSnapshot,
    SyncRun,
    WebhookMessage,
)

__all__ = [
    "Appointment",
    "AuditEntry",
    "Base",
    "Organization",
    "PetitionCase",
    "PetitionEvent",
    "PetitionStatsSnapshot",
    "SyncRun",
    "User",
    "WebhookMessage",
]
