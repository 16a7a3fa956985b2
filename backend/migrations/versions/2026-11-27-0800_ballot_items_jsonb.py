"""Ballot answers as JSONB in PostgreSQL (parsed once when stored, not on every read); SQLite unchanged.

Revision ID: 5d7e3b1c9f42
Revises: 8c1f2a9d4e70
Create Date: 2026-11-27 08:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5d7e3b1c9f42"
down_revision: str | None = "8c1f2a9d4e70"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE ballot ALTER COLUMN items TYPE jsonb USING items::jsonb")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE ballot ALTER COLUMN items TYPE json USING items::json")
