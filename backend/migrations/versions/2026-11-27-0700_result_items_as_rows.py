"""Result items stored one per ranking row (served a page at a time), not in one document.

The result set keeps a summary (max total, number of reports, blockers); each `result_entry` row holds
its item as the canonical JSON that the result hash covers, and its place in the ranking.

Revision ID: 8c1f2a9d4e70
Revises: 3b9e51c7a2d4
Create Date: 2026-11-27 07:00:00+00:00
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "8c1f2a9d4e70"
down_revision: str | None = "3b9e51c7a2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _blockers(items: list[dict[str, Any]]) -> list[str]:
    out = [f"{i['org_name']}: no ballot in any group (incomplete)" for i in items if i["incomplete"]]
    out += [f"{i['org_name']}: a group misses its quorum" for i in items if not i["incomplete"] and not i["quorum_ok"]]
    return out


def upgrade() -> None:
    with op.batch_alter_table("result_entry") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("item", sa.Text(), nullable=True))
    conn = op.get_bind()
    for set_id, cycle_id, raw in conn.execute(sa.text("SELECT id, cycle_id, document FROM result_set")).all():
        document = json.loads(raw) if isinstance(raw, str) else raw
        items = document.get("items", [])
        for position, item in enumerate(items):
            conn.execute(
                sa.text("UPDATE result_entry SET position = :p, item = :i WHERE cycle_id = :c AND report_id = :r"),
                {"p": position, "i": _canonical(item), "c": cycle_id, "r": item["report_id"]},
            )
        summary = {"max_total": document["max_total"], "reports": len(items), "blockers": _blockers(items)}
        conn.execute(
            sa.text("UPDATE result_set SET document = :d WHERE id = :id"), {"d": _canonical(summary), "id": set_id}
        )
    with op.batch_alter_table("result_entry") as batch:
        batch.alter_column("position", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("item", existing_type=sa.Text(), nullable=False)
        batch.create_unique_constraint(op.f("uq_result_entry_cycle_id_position"), ["cycle_id", "position"])


def downgrade() -> None:
    conn = op.get_bind()
    for set_id, cycle_id, raw in conn.execute(sa.text("SELECT id, cycle_id, document FROM result_set")).all():
        document = json.loads(raw) if isinstance(raw, str) else raw
        items = [
            json.loads(item)
            for (item,) in conn.execute(
                sa.text("SELECT item FROM result_entry WHERE cycle_id = :c ORDER BY position"), {"c": cycle_id}
            )
        ]
        conn.execute(
            sa.text("UPDATE result_set SET document = :d WHERE id = :id"),
            {"d": _canonical({"max_total": document["max_total"], "items": items}), "id": set_id},
        )
    with op.batch_alter_table("result_entry") as batch:
        batch.drop_constraint(op.f("uq_result_entry_cycle_id_position"), type_="unique")
        batch.drop_column("item")
        batch.drop_column("position")
