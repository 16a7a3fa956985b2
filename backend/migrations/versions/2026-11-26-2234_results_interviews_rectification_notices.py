"""results, interviews, rectification notices

Revision ID: c0ad847fe6e7
Revises: d5f857b59b1a
Create Date: 2026-11-26 22:34:15.798557+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0ad847fe6e7"
down_revision: str | None = "d5f857b59b1a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "result_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("computed", "published", name="resultstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("quorum_override", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["computed_by_id"],
            ["user_account.id"],
            name=op.f("fk_result_set_computed_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_result_set_cycle_id_cycle"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_result_set_published_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_set")),
        sa.UniqueConstraint("cycle_id", name=op.f("uq_result_set_cycle_id")),
    )
    op.create_table(
        "interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("led_by", sa.String(length=100), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_interview_cycle_id_cycle"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_interview_recorded_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_interview_report_id_report"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_report_id"), ["report_id"], unique=False)

    op.create_table(
        "rectification_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("deadline_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("issued", "acknowledged", name="noticestatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["user_account.id"],
            name=op.f("fk_rectification_notice_acknowledged_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_rectification_notice_cycle_id_cycle"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_rectification_notice_issued_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
            name=op.f("fk_rectification_notice_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_rectification_notice_report_id_report"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_notice")),
        sa.UniqueConstraint("cycle_id", "report_id", name=op.f("uq_rectification_notice_cycle_id_report_id")),
        sa.UniqueConstraint("number", name=op.f("uq_rectification_notice_number")),
    )
    with op.batch_alter_table("rectification_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rectification_notice_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rectification_notice_org_id"), ["org_id"], unique=False)

    op.create_table(
        "result_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_result_entry_cycle_id_cycle"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_result_entry_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_result_entry_report_id_report"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_entry")),
        sa.UniqueConstraint("cycle_id", "report_id", name=op.f("uq_result_entry_cycle_id_report_id")),
    )
    with op.batch_alter_table("result_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_result_entry_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_result_entry_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("result_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_entry_org_id"))
        batch_op.drop_index(batch_op.f("ix_result_entry_cycle_id"))

    op.drop_table("result_entry")
    with op.batch_alter_table("rectification_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_notice_org_id"))
        batch_op.drop_index(batch_op.f("ix_rectification_notice_cycle_id"))

    op.drop_table("rectification_notice")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_report_id"))
        batch_op.drop_index(batch_op.f("ix_interview_cycle_id"))

    op.drop_table("interview")
    op.drop_table("result_set")
