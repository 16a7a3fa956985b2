"""Target-responsibility programmes (目标责任, issue #19): a programme hosted by a district or county,
its measures, each unit's targets, the industrial-chain teams and their member units, and the project
pipeline with each project's stage moves. New tables only.

Revision ID: 37e9631a0ade
Revises: 9d4e2b7c1a60
Create Date: 2026-12-10 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "37e9631a0ade"
down_revision: str | None = "9d4e2b7c1a60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "target_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("host_org_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "active", "closed", name="programmestatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_org_id"],
            ["organization.id"],
            name=op.f("fk_target_programme_host_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_programme")),
    )
    with op.batch_alter_table("target_programme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_programme_host_org_id"), ["host_org_id"], unique=False)

    op.create_table(
        "target_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("more_is_better", sa.Boolean(), nullable=False),
        sa.Column("weight", sa.Numeric(precision=8, scale=4), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "negotiating",
                "signed",
                "landed",
                "started",
                "producing",
                name="projectstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "basis",
            sa.Enum("projects", "contract_amount", "funds_in_place", name="measurebasis", native_enum=False, length=32),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_measure_programme_id_target_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_measure")),
        sa.UniqueConstraint("programme_id", "key", name=op.f("uq_target_measure_programme_id_key")),
    )
    with op.batch_alter_table("target_measure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_measure_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "target_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("leader_name", sa.String(length=100), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_team_programme_id_target_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_team")),
    )
    with op.batch_alter_table("target_team", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_team_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["target_measure.id"], name=op.f("fk_target_measure_id_target_measure"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_target_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_programme_id_target_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("measure_id", "org_id", name=op.f("uq_target_measure_id_org_id")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_measure_id"), ["measure_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "target_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("origin_region", sa.String(length=100), nullable=False),
        sa.Column(
            "ranking",
            sa.Enum("none", "global_500", "china_500", "industry_100", name="ranking", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("contract_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("funds_in_place", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "negotiating",
                "signed",
                "landed",
                "started",
                "producing",
                name="projectstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("negotiating_date", sa.Date(), nullable=False),
        sa.Column("signed_date", sa.Date(), nullable=True),
        sa.Column("landed_date", sa.Date(), nullable=True),
        sa.Column("started_date", sa.Date(), nullable=True),
        sa.Column("producing_date", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_target_project_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_project_programme_id_target_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["target_team.id"], name=op.f("fk_target_project_team_id_target_team"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_project")),
    )
    with op.batch_alter_table("target_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_project_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_project_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_project_team_id"), ["team_id"], unique=False)

    op.create_table(
        "target_team_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_target_team_member_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["target_team.id"], name=op.f("fk_target_team_member_team_id_target_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_team_member")),
        sa.UniqueConstraint("team_id", "org_id", name=op.f("uq_target_team_member_team_id_org_id")),
    )
    with op.batch_alter_table("target_team_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_team_member_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_team_member_team_id"), ["team_id"], unique=False)

    op.create_table(
        "target_project_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "negotiating",
                "signed",
                "landed",
                "started",
                "producing",
                name="projectstage",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "negotiating",
                "signed",
                "landed",
                "started",
                "producing",
                name="projectstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_target_project_stage_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["target_project.id"],
            name=op.f("fk_target_project_stage_project_id_target_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_project_stage")),
    )
    with op.batch_alter_table("target_project_stage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_project_stage_project_id"), ["project_id"], unique=False)
    op.create_table(
        "target_cycle_freeze",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_target_cycle_freeze_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["target_programme.id"],
            name=op.f("fk_target_cycle_freeze_programme_id_target_programme"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("cycle_id", name=op.f("pk_target_cycle_freeze")),
    )
    op.create_table(
        "target_cycle_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("weighted_completion", sa.Numeric(precision=12, scale=8), nullable=True),
        sa.Column("landed_projects", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["target_cycle_freeze.cycle_id"],
            name=op.f("fk_target_cycle_figure_cycle_id_target_cycle_freeze"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
            name=op.f("fk_target_cycle_figure_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_cycle_figure")),
        sa.UniqueConstraint("cycle_id", "org_id", name=op.f("uq_target_cycle_figure_cycle_id_org_id")),
    )
    with op.batch_alter_table("target_cycle_figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_cycle_figure_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_cycle_figure_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("target_cycle_figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_cycle_figure_org_id"))
        batch_op.drop_index(batch_op.f("ix_target_cycle_figure_cycle_id"))

    op.drop_table("target_cycle_figure")
    op.drop_table("target_cycle_freeze")
    with op.batch_alter_table("target_project_stage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_project_stage_project_id"))

    op.drop_table("target_project_stage")
    with op.batch_alter_table("target_team_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_team_member_team_id"))
        batch_op.drop_index(batch_op.f("ix_target_team_member_org_id"))

    op.drop_table("target_team_member")
    with op.batch_alter_table("target_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_project_team_id"))
        batch_op.drop_index(batch_op.f("ix_target_project_programme_id"))
        batch_op.drop_index(batch_op.f("ix_target_project_org_id"))

    op.drop_table("target_project")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_programme_id"))
        batch_op.drop_index(batch_op.f("ix_target_org_id"))
        batch_op.drop_index(batch_op.f("ix_target_measure_id"))

    op.drop_table("target")
    with op.batch_alter_table("target_team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_team_programme_id"))

    op.drop_table("target_team")
    with op.batch_alter_table("target_measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_measure_programme_id"))

    op.drop_table("target_measure")
    with op.batch_alter_table("target_programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_programme_host_org_id"))

    op.drop_table("target_programme")
