"""live event log

Revision ID: 179c29d5f2ed
Revises: 5581f70eba59
Create Date: 2026-11-26 22:01:43.678153+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "179c29d5f2ed"
down_revision: str | None = "5581f70eba59"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_channel",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_live_channel")),
    )
    op.create_table(
        "live_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_event")),
        sa.UniqueConstraint("channel", "seq", name=op.f("uq_live_event_channel_seq")),
    )


def downgrade() -> None:
    op.drop_table("live_event")
    op.drop_table("live_channel")
