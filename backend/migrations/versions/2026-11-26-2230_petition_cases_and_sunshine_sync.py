"""petition cases and sunshine sync

Revision ID: d5f857b59b1a
Revises: a1085dfabbd1
Create Date: 2026-11-26 22:04:04.752534+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5f857b59b1a"
down_revision: str | None = "a1085dfabbd1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "petition_webhook_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_webhook_message")),
        sa.UniqueConstraint("source", "message_id", name=op.f("uq_petition_webhook_message_source_message_id")),
    )
    with op.batch_alter_table("petition_webhook_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_webhook_message_received_at"), ["received_at"], unique=False)

    op.create_table(
        "petition_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("owner_org_id", sa.Integer(), nullable=False),
        sa.Column("holder_org_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("petitioner_name", sa.String(length=64), nullable=False),
        sa.Column("petitioner_phone", sa.String(length=32), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "accepted",
                "in_progress",
                "assigned",
                "transferred",
                "resolved",
                "closed",
                name="casestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "acceptance", "handling", "review", "re_review", "done", name="stage", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("stage_started_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("resolved_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("external_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["organization.id"],
            name=op.f("fk_petition_case_department_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["holder_org_id"],
            ["organization.id"],
            name=op.f("fk_petition_case_holder_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_petition_case_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["owner_org_id"],
            ["organization.id"],
            name=op.f("fk_petition_case_owner_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_case")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_petition_case_source_external_id")),
    )
    with op.batch_alter_table("petition_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_case_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_case_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_case_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_case_holder_org_id"), ["holder_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_case_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_case_owner_org_id"), ["owner_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_case_received_date"), ["received_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_case_status"), ["status"], unique=False)

    op.create_table(
        "petition_stats_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column(
            "group_by", sa.Enum("org", "department", name="statsgroup", native_enum=False, length=32), nullable=False
        ),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("assigned_or_transferred", sa.Integer(), nullable=False),
        sa.Column("in_progress", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("resolution_rate", sa.Numeric(precision=7, scale=6), nullable=True),
        sa.Column("median_days_to_resolve", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
            name=op.f("fk_petition_stats_snapshot_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_stats_snapshot")),
        sa.UniqueConstraint(
            "cycle_id", "group_by", "org_id", name=op.f("uq_petition_stats_snapshot_cycle_id_group_by_org_id")
        ),
    )
    with op.batch_alter_table("petition_stats_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_stats_snapshot_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "petition_appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("booked", "held", "missed", "cancelled", name="appointmentstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["petition_case.id"],
            name=op.f("fk_petition_appointment_case_id_petition_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_petition_appointment_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"],
            ["user_account.id"],
            name=op.f("fk_petition_appointment_leader_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_appointment")),
    )
    with op.batch_alter_table("petition_appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_appointment_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_petition_appointment_leader_slot", ["leader_id", "starts_at", "ends_at"], unique=False
        )

    op.create_table(
        "petition_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "status",
                "extended",
                "updated",
                "appointment_booked",
                "appointment_outcome",
                name="eventkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "action",
            sa.Enum(
                "start", "assign", "transfer", "resolve", "close", "reopen", name="action", native_enum=False, length=32
            ),
            nullable=True,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "accepted",
                "in_progress",
                "assigned",
                "transferred",
                "resolved",
                "closed",
                name="casestatus",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "accepted",
                "in_progress",
                "assigned",
                "transferred",
                "resolved",
                "closed",
                name="casestatus",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "acceptance", "handling", "review", "re_review", "done", name="stage", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("holder_org_id", sa.Integer(), nullable=True),
        sa.Column("owner_org_id", sa.Integer(), nullable=True),
        sa.Column(
            "via",
            sa.Enum("manual", "push", "pull", "import", "demo", name="via", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_petition_event_actor_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["petition_case.id"], name=op.f("fk_petition_event_case_id_petition_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["holder_org_id"],
            ["organization.id"],
            name=op.f("fk_petition_event_holder_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_org_id"],
            ["organization.id"],
            name=op.f("fk_petition_event_owner_org_id_organization"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_event")),
    )
    with op.batch_alter_table("petition_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "petition_sync_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column(
            "kind", sa.Enum("push", "pull", "import", name="synckind", native_enum=False, length=32), nullable=False
        ),
        sa.Column(
            "status",
            sa.Enum("running", "ok", "partial", "failed", name="syncstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("updated_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cursor", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("lag_seconds", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_petition_sync_run_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_sync_run")),
    )
    with op.batch_alter_table("petition_sync_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_sync_run_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_sync_run_started_at"), ["started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("petition_sync_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_sync_run_started_at"))
        batch_op.drop_index(batch_op.f("ix_petition_sync_run_kind"))

    op.drop_table("petition_sync_run")
    with op.batch_alter_table("petition_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_event_case_id"))

    op.drop_table("petition_event")
    with op.batch_alter_table("petition_appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_petition_appointment_leader_slot")
        batch_op.drop_index(batch_op.f("ix_petition_appointment_case_id"))

    op.drop_table("petition_appointment")
    with op.batch_alter_table("petition_stats_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_stats_snapshot_cycle_id"))

    op.drop_table("petition_stats_snapshot")
    with op.batch_alter_table("petition_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_case_status"))
        batch_op.drop_index(batch_op.f("ix_petition_case_received_date"))
        batch_op.drop_index(batch_op.f("ix_petition_case_owner_org_id"))
        batch_op.drop_index(batch_op.f("ix_petition_case_org_id"))
        batch_op.drop_index(batch_op.f("ix_petition_case_holder_org_id"))
        batch_op.drop_index(batch_op.f("ix_petition_case_due_date"))
        batch_op.drop_index(batch_op.f("ix_petition_case_department_id"))
        batch_op.drop_index(batch_op.f("ix_petition_case_category"))

    op.drop_table("petition_case")
    with op.batch_alter_table("petition_webhook_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_webhook_message_received_at"))

    op.drop_table("petition_webhook_message")
