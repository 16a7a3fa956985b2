"""An organisation's document settings: `organization.doc_prefix` (发文字号 prefix) and
`organization.issuing_organ` (发文机关), which the rectification notices of the cycles it hosts
carry; both nullable, and unset they follow from its name, so existing organisations need no value.

Revision ID: 812eda4be024
Revises: 4e8b1c6d2a90
Create Date: 2026-12-07 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "812eda4be024"
down_revision: str | None = "4e8b1c6d2a90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("organization", sa.Column("doc_prefix", sa.String(length=32), nullable=True))
    op.add_column("organization", sa.Column("issuing_organ", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("organization", "issuing_organ")
    op.drop_column("organization", "doc_prefix")
