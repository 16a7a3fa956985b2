"""Several ledger items moved in one step, all or none, each as the single step moves it (its checks, its
history entry, its audit entry)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.core.batch import apply_all
from shuping.core.i18n import N_, Msg
from shuping.ledger import items as ledger_items
from shuping.ledger import service
from shuping.ledger import statemachine as sm
from shuping.ledger.models import LedgerItem


def item_label(item_id: int) -> Msg:
    return N_("Ledger item {item_id}", item_id=item_id)


async def transition_all(
    session: AsyncSession, *, item_ids: Sequence[int], to: sm.ItemStatus, note: str | None, actor: User
) -> list[LedgerItem]:
    """Move every item to `to`; if any may not move (out of sight, not the caller's, not a legal step), none does."""

    async def one(item_id: int) -> LedgerItem:
        # As the single route loads it: out of the caller's sight is "does not exist", then theirs to act on.
        item = await service.get_item(session, item_id, user=actor)
        service.require_party(actor, item, await service.get_cycle(session, item.cycle_id))
        return await ledger_items.transition(session, item=item, to=to, note=note, actor=actor)

    return await apply_all(session, item_ids, "item_ids", item_label, one)
