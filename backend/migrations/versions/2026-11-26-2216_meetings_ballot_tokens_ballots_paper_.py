"""meetings, ballot tokens, ballots, paper sheets

Revision ID: a1085dfabbd1
Revises: 179c29d5f2ed
Create Date: 2026-11-26 22:16:18.660624+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1085dfabbd1"
down_revision: str | None = "179c29d5f2ed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_idempotency_record_scope_key")),
    )
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_record_created_at"), ["created_at"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "direction", sa.Enum("upward", "downward", name="direction", native_enum=False, length=16), nullable=False
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("scheduled", "live", "ended", name="meetingstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("current_report_id", sa.Integer(), nullable=True),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("screen_key", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["current_report_id"], ["report.id"], name=op.f("fk_meeting_current_report_id_report"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_meeting_cycle_id_cycle"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint("screen_key", name=op.f("uq_meeting_screen_key")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_status"), ["status"], unique=False)

    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "voting", sa.Enum("pending", "open", "closed", name="voting", native_enum=False, length=16), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_agenda_item_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_agenda_item_report_id_report"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
        sa.UniqueConstraint("meeting_id", "report_id", name=op.f("uq_agenda_item_meeting_id_report_id")),
    )
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_item_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agenda_item_report_id"), ["report_id"], unique=False)

    op.create_table(
        "ballot",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("named", "token", "paper", name="ballotsource", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("evaluator_id", sa.Integer(), nullable=True),
        sa.Column("receipt", sa.String(length=16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("total", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("first_tier", sa.String(length=16), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("comment_category", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluator_id"], ["user_account.id"], name=op.f("fk_ballot_evaluator_id_user_account"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["evaluator_group.id"], name=op.f("fk_ballot_group_id_evaluator_group"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_ballot_meeting_id_meeting"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_ballot_report_id_report"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot")),
        sa.UniqueConstraint(
            "meeting_id", "report_id", "evaluator_id", name=op.f("uq_ballot_meeting_id_report_id_evaluator_id")
        ),
        sa.UniqueConstraint("receipt", name=op.f("uq_ballot_receipt")),
    )
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ballot_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ballot_report_id"), ["report_id"], unique=False)

    op.create_table(
        "ballot_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["evaluator_group.id"],
            name=op.f("fk_ballot_token_group_id_evaluator_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_ballot_token_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_ballot_token_token_hash")),
    )
    with op.batch_alter_table("ballot_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_token_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ballot_token_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "paper_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sheet_no", sa.String(length=32), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("entry", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("comment_category", sa.String(length=50), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["user_account.id"],
            name=op.f("fk_paper_sheet_entered_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["evaluator_group.id"],
            name=op.f("fk_paper_sheet_group_id_evaluator_group"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_paper_sheet_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_paper_sheet_report_id_report"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_sheet")),
        sa.UniqueConstraint(
            "meeting_id",
            "sheet_no",
            "report_id",
            "entry",
            name=op.f("uq_paper_sheet_meeting_id_sheet_no_report_id_entry"),
        ),
    )
    with op.batch_alter_table("paper_sheet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_sheet_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "token_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_token_use_report_id_report"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["token_id"], ["ballot_token.id"], name=op.f("fk_token_use_token_id_ballot_token"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token_use")),
        sa.UniqueConstraint("token_id", "report_id", name=op.f("uq_token_use_token_id_report_id")),
    )
    with op.batch_alter_table("token_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_token_use_token_id"), ["token_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("token_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_token_use_token_id"))

    op.drop_table("token_use")
    with op.batch_alter_table("paper_sheet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_sheet_meeting_id"))

    op.drop_table("paper_sheet")
    with op.batch_alter_table("ballot_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_token_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_ballot_token_group_id"))

    op.drop_table("ballot_token")
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_report_id"))
        batch_op.drop_index(batch_op.f("ix_ballot_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_ballot_group_id"))

    op.drop_table("ballot")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_item_report_id"))
        batch_op.drop_index(batch_op.f("ix_agenda_item_meeting_id"))

    op.drop_table("agenda_item")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_status"))
        batch_op.drop_index(batch_op.f("ix_meeting_cycle_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_record_created_at"))

    op.drop_table("idempotency_record")
