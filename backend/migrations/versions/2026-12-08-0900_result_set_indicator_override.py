"""Which indicators a cycle's computed results lack (`result_set.missing_indicators`: key, title and the
organisations lacking each) and why they were published all the same (`result_set.indicator_override`,
the reason the administrator gave). Both nullable: results computed before, or with every indicator
set, have none.

Revision ID: 5c1f7a9e3b24
Revises: 812eda4be024
Create Date: 2026-12-08 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1f7a9e3b24"
down_revision: str | None = "812eda4be024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("result_set", sa.Column("missing_indicators", sa.JSON(), nullable=True))
    op.add_column("result_set", sa.Column("indicator_override", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("result_set", "indicator_override")
    op.drop_column("result_set", "missing_indicators")
