"""Target supervision (issue #19): each unit's monthly reports, supervision rounds and their findings
(each put right by a ledger item, `ledger_item_finding`), the monthly bulletins, the office that runs
a programme (`target_programme.office_org_id`) and veto facts (`rubric_veto.fact`: a veto decided from
the cycle's data). New tables and two nullable columns.

Revision ID: 5a1f0c2d7e31
Revises: 37e9631a0ade
Create Date: 2026-12-11 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5a1f0c2d7e31"
down_revision: str | None = "37e9631a0ade"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "target_bulletin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column(
            "status", sa.Enum("draft", "published", name="bulletinstatus", native_enum=False, length=32), nullable=False
        ),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_bulletin_programme_id_target_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["user_account.id"],
            name=op.f("fk_target_bulletin_published_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_bulletin")),
        sa.UniqueConstraint("programme_id", "month", name=op.f("uq_target_bulletin_programme_id_month")),
        sa.UniqueConstraint("programme_id", "number", name=op.f("uq_target_bulletin_programme_id_number")),
    )
    with op.batch_alter_table("target_bulletin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_bulletin_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "target_monthly_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("weighted_completion", sa.Numeric(precision=12, scale=8), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
            name=op.f("fk_target_monthly_report_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_monthly_report_programme_id_target_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["user_account.id"],
            name=op.f("fk_target_monthly_report_submitted_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_monthly_report")),
        sa.UniqueConstraint(
            "programme_id", "org_id", "month", name=op.f("uq_target_monthly_report_programme_id_org_id_month")
        ),
    )
    with op.batch_alter_table("target_monthly_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_monthly_report_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_monthly_report_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "target_supervision_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column(
            "body",
            sa.Enum("congress", "cppcc", "office", "other", name="supervisionbody", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_target_supervision_round_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_supervision_round_programme_id_target_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_supervision_round")),
    )
    with op.batch_alter_table("target_supervision_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_supervision_round_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "target_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_target_finding_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_target_finding_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["target_supervision_round.id"],
            name=op.f("fk_target_finding_round_id_target_supervision_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_finding")),
    )
    with op.batch_alter_table("target_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_finding_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_finding_round_id"), ["round_id"], unique=False)

    op.create_table(
        "ledger_item_finding",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["target_finding.id"],
            name=op.f("fk_ledger_item_finding_finding_id_target_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["ledger_item.id"], name=op.f("fk_ledger_item_finding_item_id_ledger_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_ledger_item_finding")),
        sa.UniqueConstraint("item_id", name=op.f("uq_ledger_item_finding_item_id")),
    )
    with op.batch_alter_table("rubric_veto", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fact", sa.String(length=64), nullable=True))

    with op.batch_alter_table("target_programme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_org_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_target_programme_office_org_id"), ["office_org_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_target_programme_office_org_id_organization"),
            "organization",
            ["office_org_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("target_programme", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_target_programme_office_org_id_organization"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_target_programme_office_org_id"))
        batch_op.drop_column("office_org_id")

    with op.batch_alter_table("rubric_veto", schema=None) as batch_op:
        batch_op.drop_column("fact")

    op.drop_table("ledger_item_finding")
    with op.batch_alter_table("target_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_finding_round_id"))
        batch_op.drop_index(batch_op.f("ix_target_finding_org_id"))

    op.drop_table("target_finding")
    with op.batch_alter_table("target_supervision_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_supervision_round_programme_id"))

    op.drop_table("target_supervision_round")
    with op.batch_alter_table("target_monthly_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_monthly_report_programme_id"))
        batch_op.drop_index(batch_op.f("ix_target_monthly_report_org_id"))

    op.drop_table("target_monthly_report")
    with op.batch_alter_table("target_bulletin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_bulletin_programme_id"))

    op.drop_table("target_bulletin")
