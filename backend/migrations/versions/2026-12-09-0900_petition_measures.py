"""The measures petition work is judged by (及时受理率, 按期办结率, 群众满意率, 参评率): on each case the
date of its acceptance decision (`accepted_date`), the end of its first handling stage
(`handled_date`), its latest closing (`closed_date`) and the petitioner's rating on closing
(`satisfaction`, none = not rated); on each frozen statistics snapshot the measures' counts.

Existing cases get their dates from what is stored: a case never reopened started its handling
stage on its acceptance decision and ended it on its resolution; a reopened case takes them from
its history (the Beijing date of the first step out of `accepted`, the first step to `resolved`
or `closed`, the latest to `closed`). No case has a rating yet; old snapshots have no measures.

Revision ID: 9d4e2b7c1a60
Revises: 5c1f7a9e3b24
Create Date: 2026-12-09 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d4e2b7c1a60"
down_revision: str | None = "5c1f7a9e3b24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SNAPSHOT_COUNTS = (
    "acceptance_due",
    "accepted_in_time",
    "handling_due",
    "handled_in_time",
    "closed",
    "rated",
    "satisfied",
)


def upgrade() -> None:
    op.add_column("petition_case", sa.Column("accepted_date", sa.Date(), nullable=True))
    op.add_column("petition_case", sa.Column("handled_date", sa.Date(), nullable=True))
    op.add_column("petition_case", sa.Column("closed_date", sa.Date(), nullable=True))
    op.add_column(
        "petition_case",
        sa.Column(
            "satisfaction",
            sa.Enum(
                "satisfied", "basically_satisfied", "dissatisfied", name="satisfaction", native_enum=False, length=32
            ),
            nullable=True,
        ),
    )
    for name in SNAPSHOT_COUNTS:
        op.add_column("petition_stats_snapshot", sa.Column(name, sa.Integer(), nullable=True))

    beijing = (
        "CAST((e.at AT TIME ZONE 'Asia/Shanghai') AS DATE)"
        if op.get_bind().dialect.name == "postgresql"
        else "date(e.at, '+8 hours')"
    )
    # Never reopened: the stage clock's start is the acceptance decision, the resolution ends handling.
    op.execute(
        "UPDATE petition_case SET accepted_date = stage_started_date WHERE status <> 'accepted' AND reopen_count = 0"
    )
    op.execute(
        "UPDATE petition_case SET handled_date = resolved_date "
        "WHERE status IN ('resolved', 'closed') AND reopen_count = 0"
    )
    # Reopened: from the history.
    op.execute(
        f"UPDATE petition_case SET accepted_date = (SELECT MIN({beijing}) FROM petition_event e "  # noqa: S608  (a fixed expression per dialect)
        "WHERE e.case_id = petition_case.id AND e.kind = 'status' AND e.from_status = 'accepted') "
        "WHERE status <> 'accepted' AND reopen_count > 0"
    )
    op.execute(
        f"UPDATE petition_case SET handled_date = (SELECT MIN({beijing}) FROM petition_event e "  # noqa: S608  (a fixed expression per dialect)
        "WHERE e.case_id = petition_case.id AND e.kind = 'status' AND e.to_status IN ('resolved', 'closed')) "
        "WHERE reopen_count > 0"
    )
    op.execute(
        f"UPDATE petition_case SET closed_date = (SELECT MAX({beijing}) FROM petition_event e "  # noqa: S608  (a fixed expression per dialect)
        "WHERE e.case_id = petition_case.id AND e.kind = 'status' AND e.to_status = 'closed') "
        "WHERE status = 'closed'"
    )
    op.execute("UPDATE petition_case SET closed_date = resolved_date WHERE status = 'closed' AND closed_date IS NULL")


def downgrade() -> None:
    for name in reversed(SNAPSHOT_COUNTS):
        op.drop_column("petition_stats_snapshot", name)
    for name in ("satisfaction", "closed_date", "handled_date", "accepted_date"):
        op.drop_column("petition_case", name)
