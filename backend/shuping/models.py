"""Import every domain's models so Base.metadata knows all tables (Alembic, tests)."""

from shuping.audit.models import AuditEntry
from shuping.auth.models import User
from shuping.db import Base
from shuping.live.models import LiveChannel, LiveEvent
from shuping.orgs.models import Organization

__all__ = ["AuditEntry", "Base", "LiveChannel", "LiveEvent", "Organization", "User"]
