"""Secret ballots: uses without id or time, evaluator uses apart from ballots, digest-keyed replays,
a minimum of ballots behind any score shown, public-board items chosen by a clerk.

Revision ID: 7a4c2e9b1d63
Revises: 5d7e3b1c9f42
Create Date: 2026-12-03 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a4c2e9b1d63"
down_revision: str | None = "5d7e3b1c9f42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _token_use_v2() -> None:
    op.create_table(
        "token_use",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_token_use_report_id_report"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["token_id"], ["ballot_token.id"], name=op.f("fk_token_use_token_id_ballot_token"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_id", "report_id", name=op.f("pk_token_use")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_token_use_report_id"), "token_use", ["report_id"], unique=False)


def _token_use_v1() -> None:
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
    op.create_index(op.f("ix_token_use_token_id"), "token_use", ["token_id"], unique=False)


def _copy_token_uses(rebuild: object) -> None:
    conn = op.get_bind()
    uses = conn.execute(sa.text("SELECT token_id, report_id FROM token_use ORDER BY token_id, report_id")).all()
    op.drop_table("token_use")
    rebuild()  # type: ignore[operator]
    if uses:
        conn.execute(
            sa.text("INSERT INTO token_use (token_id, report_id) VALUES (:t, :r)"),
            [{"t": t, "r": r} for t, r in uses],
        )


def upgrade() -> None:
    _copy_token_uses(_token_use_v2)

    op.create_table(
        "evaluator_use",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_evaluator_use_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_evaluator_use_report_id_report"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_evaluator_use_user_id_user_account"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("meeting_id", "report_id", "user_id", name=op.f("pk_evaluator_use")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_evaluator_use_report_id"), "evaluator_use", ["report_id"], unique=False)
    op.create_index(op.f("ix_evaluator_use_user_id"), "evaluator_use", ["user_id"], unique=False)
    # Named ballots cast in anonymous groups: "has voted" moves apart, the ballot keeps no name.
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "INSERT INTO evaluator_use (meeting_id, report_id, user_id) "
            "SELECT b.meeting_id, b.report_id, b.evaluator_id FROM ballot b "
            "JOIN evaluator_group g ON g.id = b.group_id WHERE g.anonymous AND b.evaluator_id IS NOT NULL "
            "ORDER BY b.meeting_id, b.report_id, b.evaluator_id"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE ballot SET evaluator_id = NULL, source = 'token' WHERE evaluator_id IS NOT NULL "
            "AND group_id IN (SELECT id FROM evaluator_group WHERE anonymous)"
        )
    )

    # Replay records are kept 48 hours and keyed by what cannot be rebuilt (a code with the client's
    # key): the old ones are dropped, and a retry of such an old request is judged afresh.
    op.drop_table("idempotency_record")
    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_idempotency_record_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("digest", name=op.f("uq_idempotency_record_digest")),
    )
    op.create_index(op.f("ix_idempotency_record_created_at"), "idempotency_record", ["created_at"], unique=False)
    op.create_index(op.f("ix_idempotency_record_meeting_id"), "idempotency_record", ["meeting_id"], unique=False)

    # Plain ALTER TABLE (SQLite has it too): a batch copy of a table others refer to breaks their keys.
    op.add_column("cycle", sa.Column("min_ballots_shown", sa.Integer(), nullable=False, server_default="3"))
    op.add_column("ledger_item", sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("ledger_item", sa.Column("public_title", sa.String(length=200), nullable=True))


def downgrade() -> None:
    for table, column in (("ledger_item", "public_title"), ("ledger_item", "public"), ("cycle", "min_ballots_shown")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")

    op.drop_table("idempotency_record")
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
    op.create_index(op.f("ix_idempotency_record_created_at"), "idempotency_record", ["created_at"], unique=False)

    # The anonymous ballots stay nameless: who cast which is not known, and is not invented back.
    op.drop_table("evaluator_use")
    _copy_token_uses(_token_use_v1)
