"""evaluation setup: rubrics, cycles, groups, reports

Revision ID: 5581f70eba59
Revises: e0e265ff8890
Create Date: 2026-11-26 22:03:49.984454+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5581f70eba59"
down_revision: str | None = "e0e265ff8890"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rubric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("tier_good", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("tier_fairly_good", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("tier_average", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("tier_poor", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["rubric.id"], name=op.f("fk_rubric_previous_id_rubric"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric")),
    )
    with op.batch_alter_table("rubric", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rubric_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_rubric_previous_id"), ["previous_id"], unique=False)

    op.create_table(
        "cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("host_org_id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=True),
        sa.Column(
            "stage",
            sa.Enum(
                "preparation",
                "evaluation",
                "assessment",
                "rectification",
                "closed",
                name="cyclestage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stage_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_due_date", sa.Date(), nullable=True),
        sa.Column(
            "grading_method",
            sa.Enum("thresholds", "quota", name="gradingmethod", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("grade_good", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("grade_fairly_good", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("grade_average", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("poor_vote_share", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("consequence_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_org_id"], ["organization.id"], name=op.f("fk_cycle_host_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["rubric_id"], ["rubric.id"], name=op.f("fk_cycle_rubric_id_rubric"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle")),
    )
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cycle_host_org_id"), ["host_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cycle_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_cycle_rubric_id"), ["rubric_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cycle_stage"), ["stage"], unique=False)

    op.create_table(
        "rubric_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column(
            "source", sa.Enum("ballot", "indicator", name="itemsource", native_enum=False, length=16), nullable=False
        ),
        sa.Column("kind", sa.Enum("score", "tier", name="itemkind", native_enum=False, length=16), nullable=True),
        sa.Column("max_points", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("formula", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rubric_id"], ["rubric.id"], name=op.f("fk_rubric_item_rubric_id_rubric"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric_item")),
        sa.UniqueConstraint("rubric_id", "key", name=op.f("uq_rubric_item_rubric_id_key")),
    )
    with op.batch_alter_table("rubric_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rubric_item_rubric_id"), ["rubric_id"], unique=False)

    op.create_table(
        "rubric_veto",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["rubric_id"], ["rubric.id"], name=op.f("fk_rubric_veto_rubric_id_rubric"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rubric_veto")),
        sa.UniqueConstraint("rubric_id", "key", name=op.f("uq_rubric_veto_rubric_id_key")),
    )
    with op.batch_alter_table("rubric_veto", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rubric_veto_rubric_id"), ["rubric_id"], unique=False)

    op.create_table(
        "evaluator_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("weight", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column(
            "aggregation",
            sa.Enum("mean", "trimmed_mean", name="aggregation", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("trim", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_evaluator_group_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluator_group")),
        sa.UniqueConstraint("cycle_id", "key", name=op.f("uq_evaluator_group_cycle_id_key")),
    )
    with op.batch_alter_table("evaluator_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluator_group_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "opinion_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_opinion_category_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_category")),
        sa.UniqueConstraint("cycle_id", "name", name=op.f("uq_opinion_category_cycle_id_name")),
    )
    with op.batch_alter_table("opinion_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opinion_category_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column(
            "status",
            sa.Enum("draft", "submitted", "returned", "accepted", name="reportstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycle.id"], name=op.f("fk_report_cycle_id_cycle"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_report_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["user_account.id"],
            name=op.f("fk_report_reviewed_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("cycle_id", "org_id", name=op.f("uq_report_cycle_id_org_id")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_status"), ["status"], unique=False)

    op.create_table(
        "evaluator_group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_evaluator_group_member_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["evaluator_group.id"],
            name=op.f("fk_evaluator_group_member_group_id_evaluator_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_evaluator_group_member_user_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluator_group_member")),
        sa.UniqueConstraint("cycle_id", "user_id", name=op.f("uq_evaluator_group_member_cycle_id_user_id")),
    )
    with op.batch_alter_table("evaluator_group_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluator_group_member_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluator_group_member_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluator_group_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "report_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_path", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_attachment_report_id_report"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_report_attachment_uploaded_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_attachment")),
        sa.UniqueConstraint("storage_path", name=op.f("uq_report_attachment_storage_path")),
    )
    with op.batch_alter_table("report_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_attachment_report_id"), ["report_id"], unique=False)

    op.create_table(
        "report_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=64), nullable=False),
        sa.Column("points", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_indicator_report_id_report"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["user_account.id"],
            name=op.f("fk_report_indicator_set_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_indicator")),
        sa.UniqueConstraint("report_id", "item_key", name=op.f("uq_report_indicator_report_id_item_key")),
    )
    with op.batch_alter_table("report_indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_indicator_report_id"), ["report_id"], unique=False)

    op.create_table(
        "report_veto",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("veto_key", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_veto_report_id_report"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["user_account.id"], name=op.f("fk_report_veto_set_by_id_user_account"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_veto")),
        sa.UniqueConstraint("report_id", "veto_key", name=op.f("uq_report_veto_report_id_veto_key")),
    )
    with op.batch_alter_table("report_veto", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_veto_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_veto", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_veto_report_id"))

    op.drop_table("report_veto")
    with op.batch_alter_table("report_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_indicator_report_id"))

    op.drop_table("report_indicator")
    with op.batch_alter_table("report_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_attachment_report_id"))

    op.drop_table("report_attachment")
    with op.batch_alter_table("evaluator_group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluator_group_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_evaluator_group_member_group_id"))
        batch_op.drop_index(batch_op.f("ix_evaluator_group_member_cycle_id"))

    op.drop_table("evaluator_group_member")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_status"))
        batch_op.drop_index(batch_op.f("ix_report_org_id"))
        batch_op.drop_index(batch_op.f("ix_report_cycle_id"))

    op.drop_table("report")
    with op.batch_alter_table("opinion_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opinion_category_cycle_id"))

    op.drop_table("opinion_category")
    with op.batch_alter_table("evaluator_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluator_group_cycle_id"))

    op.drop_table("evaluator_group")
    with op.batch_alter_table("rubric_veto", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_veto_rubric_id"))

    op.drop_table("rubric_veto")
    with op.batch_alter_table("rubric_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_item_rubric_id"))

    op.drop_table("rubric_item")
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_stage"))
        batch_op.drop_index(batch_op.f("ix_cycle_rubric_id"))
        batch_op.drop_index(batch_op.f("ix_cycle_name"))
        batch_op.drop_index(batch_op.f("ix_cycle_host_org_id"))

    op.drop_table("cycle")
    with op.batch_alter_table("rubric", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rubric_previous_id"))
        batch_op.drop_index(batch_op.f("ix_rubric_name"))

    op.drop_table("rubric")
