"""Opinions and the rectification ledger: items, their opinions, notes, evidence, history; opinion imports.

Revision ID: f0ea6cd21b63
Revises: c0ad847fe6e7
Create Date: 2026-11-26 22:38:10.416226+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f0ea6cd21b63"
down_revision: str | None = "c0ad847fe6e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=50), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open", "in_progress", "done", "verified", "rejected", name="itemstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.Column("verified_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_ledger_item_cycle_id_cycle"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_ledger_item_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["user_account.id"],
            name=op.f("fk_ledger_item_owner_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_item")),
    )
    with op.batch_alter_table("ledger_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_item_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_item_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_item_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_item_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_item_owner_user_id"), ["owner_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_item_status"), ["status"], unique=False)

    op.create_table(
        "opinion_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_opinion_import_actor_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_opinion_import_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_import")),
    )
    with op.batch_alter_table("opinion_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opinion_import_cycle_id"), ["cycle_id"], unique=False)

    op.create_table(
        "ledger_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "status",
                "updated",
                "opinion_added",
                "merged",
                "note",
                "evidence_added",
                "evidence_removed",
                name="eventkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "action",
            sa.Enum(
                "start",
                "complete",
                "verify",
                "send_back",
                "reject",
                "reopen",
                name="action",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "open", "in_progress", "done", "verified", "rejected", name="itemstatus", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "open", "in_progress", "done", "verified", "rejected", name="itemstatus", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_ledger_event_actor_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["ledger_item.id"], name=op.f("fk_ledger_event_item_id_ledger_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_event")),
    )
    with op.batch_alter_table("ledger_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_event_item_id"), ["item_id"], unique=False)

    op.create_table(
        "ledger_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_path", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["ledger_item.id"], name=op.f("fk_ledger_evidence_item_id_ledger_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_ledger_evidence_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_evidence")),
        sa.UniqueConstraint("storage_path", name=op.f("uq_ledger_evidence_storage_path")),
    )
    with op.batch_alter_table("ledger_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_evidence_item_id"), ["item_id"], unique=False)

    op.create_table(
        "ledger_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("note_date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_ledger_note_author_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["ledger_item.id"], name=op.f("fk_ledger_note_item_id_ledger_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_note")),
    )
    with op.batch_alter_table("ledger_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_note_item_id"), ["item_id"], unique=False)

    op.create_table(
        "opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("ballot", "meeting", "clerk", "paper", name="opinionsource", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("ballot_id", sa.String(length=32), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_opinion_author_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballot.id"], name=op.f("fk_opinion_ballot_id_ballot"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_opinion_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_opinion_cycle_id_cycle"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_opinion_meeting_id_meeting"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_opinion_org_id_organization"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion")),
        sa.UniqueConstraint("ballot_id", name=op.f("uq_opinion_ballot_id")),
    )
    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opinion_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_opinion_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_opinion_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_opinion_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_opinion_source"), ["source"], unique=False)

    op.create_table(
        "ledger_item_opinion",
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["ledger_item.id"], name=op.f("fk_ledger_item_opinion_item_id_ledger_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["opinion_id"], ["opinion.id"], name=op.f("fk_ledger_item_opinion_opinion_id_opinion"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("opinion_id", name=op.f("pk_ledger_item_opinion")),
    )
    with op.batch_alter_table("ledger_item_opinion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_item_opinion_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ledger_item_opinion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_item_opinion_item_id"))

    op.drop_table("ledger_item_opinion")
    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opinion_source"))
        batch_op.drop_index(batch_op.f("ix_opinion_org_id"))
        batch_op.drop_index(batch_op.f("ix_opinion_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_opinion_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_opinion_category"))

    op.drop_table("opinion")
    with op.batch_alter_table("ledger_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_note_item_id"))

    op.drop_table("ledger_note")
    with op.batch_alter_table("ledger_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_evidence_item_id"))

    op.drop_table("ledger_evidence")
    with op.batch_alter_table("ledger_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_event_item_id"))

    op.drop_table("ledger_event")
    with op.batch_alter_table("opinion_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opinion_import_cycle_id"))

    op.drop_table("opinion_import")
    with op.batch_alter_table("ledger_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_item_status"))
        batch_op.drop_index(batch_op.f("ix_ledger_item_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_item_org_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_item_due_date"))
        batch_op.drop_index(batch_op.f("ix_ledger_item_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_item_category"))

    op.drop_table("ledger_item")
