"""A cycle knows when its results froze it: `cycle.frozen_at`, set when its results are published and
cleared when an administrator reopens them, so "is this cycle frozen" is asked of the cycle alone.

Revision ID: 4e8b1c6d2a90
Revises: 9c1f3a7e5b28
Create Date: 2026-12-06 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4e8b1c6d2a90"
down_revision: str | None = "9c1f3a7e5b28"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cycle", sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE cycle SET frozen_at = (SELECT result_set.published_at FROM result_set"
        " WHERE result_set.cycle_id = cycle.id AND result_set.status = 'published')"
    )


def downgrade() -> None:
    op.drop_column("cycle", "frozen_at")
