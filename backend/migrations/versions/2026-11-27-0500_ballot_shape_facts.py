"""Ballot shape facts (straight-lined, answers digest) and an index, so a whole cycle is tallied in SQL.

Revision ID: 3b9e51c7a2d4
Revises: f0ea6cd21b63
Create Date: 2026-11-27 05:00:00+00:00
"""

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "3b9e51c7a2d4"
down_revision: str | None = "f0ea6cd21b63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ballot") as batch:
        batch.add_column(sa.Column("straight", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("signature", sa.String(length=32), nullable=False, server_default=""))
    _backfill()
    op.drop_index("ix_ballot_report_id", table_name="ballot")
    op.create_index(
        "ix_ballot_tally",
        "ballot",
        ["report_id", "group_id", "signature"],
        postgresql_include=["total", "first_tier", "straight"],
    )


def _backfill() -> None:
    """Score the stored answers again with their cycle's rubric to learn the two facts."""
    from shuping.scoring import rules  # the rules themselves, so the facts match new ballots exactly

    conn = op.get_bind()
    rubrics: dict[int, rules.Rubric] = {}
    for rid, good, fairly_good, average, poor in conn.execute(
        sa.text("SELECT id, tier_good, tier_fairly_good, tier_average, tier_poor FROM rubric")
    ):
        items = conn.execute(
            sa.text("SELECT key, max_points, source, kind FROM rubric_item WHERE rubric_id = :r ORDER BY position"),
            {"r": rid},
        )
        rubrics[rid] = rules.Rubric(
            items=tuple(rules.Item(k, Decimal(str(m)), s, kind) for k, m, s, kind in items),
            tier_fractions={
                rules.Tier.good: Decimal(str(good)),
                rules.Tier.fairly_good: Decimal(str(fairly_good)),
                rules.Tier.average: Decimal(str(average)),
                rules.Tier.poor: Decimal(str(poor)),
            },
        )
    rows = conn.execute(
        sa.text(
            "SELECT ballot.id, ballot.items, cycle.rubric_id FROM ballot"
            " JOIN meeting ON meeting.id = ballot.meeting_id JOIN cycle ON cycle.id = meeting.cycle_id"
        )
    ).all()
    updates: list[dict[str, Any]] = []
    for ballot_id, raw, rubric_id in rows:
        rubric = rubrics.get(rubric_id)
        answers = json.loads(raw) if isinstance(raw, str) else raw
        try:
            if rubric is None:
                raise rules.ScoringError("no rubric")
            kinds = {i.key: i.kind for i in rubric.ballot_items}
            items = {k: (str(v) if kinds.get(k) == "tier" else Decimal(str(v))) for k, v in answers.items()}
            stored = rules.score_ballot(rubric, "", items).stored()
            updates.append({"i": ballot_id, "s": stored["straight"], "g": stored["signature"]})
        except (rules.ScoringError, ArithmeticError):
            # The rubric no longer fits these answers: a digest of its own (the random id), so the
            # ballot is never counted as identical to another.
            updates.append({"i": ballot_id, "s": False, "g": str(ballot_id)[:32]})
    if updates:
        conn.execute(sa.text("UPDATE ballot SET straight = :s, signature = :g WHERE id = :i"), updates)


def downgrade() -> None:
    op.drop_index("ix_ballot_tally", table_name="ballot")
    op.create_index("ix_ballot_report_id", "ballot", ["report_id"])
    with op.batch_alter_table("ballot") as batch:
        batch.drop_column("signature")
        batch.drop_column("straight")
