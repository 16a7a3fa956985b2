"""Import every domain's models so Base.metadata knows all tables (Alembic, tests)."""

from shuping.audit.models import AuditEntry
from shuping.auth.models import RefreshToken, User
from shuping.cycles.models import Cycle, EvaluatorGroup, EvaluatorGroupMember, OpinionCategory
from shuping.db import Base
from shuping.ledger.models import (
    LedgerEvent,
    LedgerEvidence,
    LedgerItem,
    LedgerItemOpinion,
    LedgerNote,
    Opinion,
    OpinionImport,
)
from shuping.live.models import LiveChannel, LiveEvent
from shuping.meetings.models import (
    AgendaItem,
    Ballot,
    BallotToken,
    EvaluatorUse,
    IdempotencyRecord,
    Meeting,
    PaperSheet,
    TokenUse,
)
from shuping.orgs.models import Organization
from shuping.petitions.models import (
    Appointment,
    PetitionCase,
    PetitionEvent,
    PetitionStatsSnapshot,
    SyncRun,
    WebhookMessage,
)
from shuping.reports.models import Report, ReportAttachment, ReportIndicator, ReportVeto
from shuping.results.models import Interview, RectificationNotice, ResultEntry, ResultSet
from shuping.rubrics.models import Rubric, RubricItem, RubricVeto
from shuping.targets.models import (
    Target,
    TargetCycleFigure,
    TargetCycleFreeze,
    TargetMeasure,
    TargetProgramme,
    TargetProject,
    TargetProjectStage,
    TargetTeam,
    TargetTeamMember,
)

__all__ = [
    "AgendaItem",
    "Appointment",
    "AuditEntry",
    "Ballot",
    "BallotToken",
    "Base",
    "Cycle",
    "EvaluatorGroup",
    "EvaluatorGroupMember",
    "EvaluatorUse",
    "IdempotencyRecord",
    "Interview",
    "LedgerEvent",
    "LedgerEvidence",
    "LedgerItem",
    "LedgerItemOpinion",
    "LedgerNote",
    "LiveChannel",
    "LiveEvent",
    "Meeting",
    "Opinion",
    "OpinionCategory",
    "OpinionImport",
    "Organization",
    "PaperSheet",
    "PetitionCase",
    "PetitionEvent",
    "PetitionStatsSnapshot",
    "RectificationNotice",
    "RefreshToken",
    "Report",
    "ReportAttachment",
    "ReportIndicator",
    "ReportVeto",
    "ResultEntry",
    "ResultSet",
    "Rubric",
    "RubricItem",
    "RubricVeto",
    "SyncRun",
    "Target",
    "TargetCycleFigure",
    "TargetCycleFreeze",
    "TargetMeasure",
    "TargetProgramme",
    "TargetProject",
    "TargetProjectStage",
    "TargetTeam",
    "TargetTeamMember",
    "TokenUse",
    "User",
    "WebhookMessage",
]
