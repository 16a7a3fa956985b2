"""Each opinion once: opinions of one organisation that say the same thing share one ledger item
(every opinion kept as its source), a rectification notice lists the items that remain, and items that
say nearly the same are suggested for merging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import partial
from itertools import combinations

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.core.text import same_text_key
from shuping.cycles.models import Cycle
from shuping.ledger import items as ledger_items
from shuping.ledger import service
from shuping.ledger import statemachine as sm
from shuping.ledger.models import LedgerItem, LedgerItemOpinion, Opinion
from shuping.ledger.schemas import DuplicateGroup, DuplicateSuggestions
from shuping.results.consequences import Finding

# Titles at least this similar (difflib's ratio, 2·matches / total length, over the normalised texts) are
# suggested as one problem. Measured on the demo's opinions: two different problems of one township come
# closest at 0.79 (对困难群众帮扶措施不够精准 / 困难群众帮扶要精准), while the same problem with the
# township's name left off scores 0.92 and one character changed in fifteen 0.93. 0.85 lies between.
SIMILAR = Decimal("0.85")


async def active_items_by_text(session: AsyncSession, cycle_id: int) -> dict[tuple[int, str], int]:
    """(organisation, text key) → the first item still being worked on that holds an opinion saying it."""
    rows = await session.execute(
        select(Opinion.org_id, Opinion.text, LedgerItemOpinion.item_id)
        .join(LedgerItemOpinion, LedgerItemOpinion.opinion_id == Opinion.id)
        .join(LedgerItem, LedgerItem.id == LedgerItemOpinion.item_id)
        .where(LedgerItem.cycle_id == cycle_id, LedgerItem.status.in_(sm.ACTIVE))
        .order_by(LedgerItemOpinion.item_id)
    )
    out: dict[tuple[int, str], int] = {}
    for org_id, text, item_id in rows:
        out.setdefault((org_id, same_text_key(text)), item_id)
    return out


async def notice_findings(session: AsyncSession, cycle_id: int, org_id: int) -> list[Finding]:
    """The organisation's items in the cycle, each once, as a notice lists them: the most raised first,
    not those rejected (不予整改)."""
    rows = (
        await session.execute(
            select(LedgerItem)
            .where(
                LedgerItem.cycle_id == cycle_id,
                LedgerItem.org_id == org_id,
                LedgerItem.status != sm.ItemStatus.rejected,
            )
            .order_by(LedgerItem.id)
        )
    ).scalars()
    items = list(rows)
    counts = await ledger_items.opinion_counts(session, [i.id for i in items])
    findings = [Finding(category=i.category, text=i.title, opinions=counts.get(i.id, 0)) for i in items]
    return sorted(findings, key=lambda f: -f.opinions)  # the most raised first, as with comments


# --- suggestions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarGroup:
    org_id: int
    item_ids: tuple[int, ...]
    similarity: float  # the lowest ratio of the pairs that joined the group


def _root(parent: dict[int, int], x: int) -> int:
    """The representative of x's group (union-find, halving the path as it goes)."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def similar_groups(entries: Sequence[tuple[int, int, str]], threshold: float) -> list[SimilarGroup]:
    """Group (item id, organisation, title) entries of one organisation whose normalised titles are at least
    `threshold` similar, directly or through another member (pure; quadratic per organisation)."""
    by_org: dict[int, list[tuple[int, str]]] = {}
    for item_id, org_id, title in entries:
        key = same_text_key(title)
        if key:
            by_org.setdefault(org_id, []).append((item_id, key))
    out: list[SimilarGroup] = []
    for org_id, keyed in by_org.items():
        parent = {item_id: item_id for item_id, _ in keyed}
        root = partial(_root, parent)
        edges: list[tuple[int, int, float]] = []
        for (a, ka), (b, kb) in combinations(keyed, 2):
            if ka == kb:
                ratio = 1.0
            else:
                m = SequenceMatcher(None, ka, kb, autojunk=False)
                # The cheap upper bounds first: most pairs are told apart by length and letters alone.
                if m.real_quick_ratio() < threshold or m.quick_ratio() < threshold:
                    continue
                ratio = m.ratio()
                if ratio < threshold:
                    continue
            edges.append((a, b, ratio))
            parent[root(a)] = root(b)
        members: dict[int, list[int]] = {}
        for item_id, _ in keyed:
            members.setdefault(root(item_id), []).append(item_id)
        for ids in members.values():
            if len(ids) < 2:
                continue
            low = min(r for a, _, r in edges if root(a) == root(ids[0]))
            out.append(SimilarGroup(org_id, tuple(sorted(ids)), low))
    return sorted(out, key=lambda g: g.item_ids[0])


async def suggestions(session: AsyncSession, *, cycle: Cycle, user: User) -> DuplicateSuggestions:
    """The cycle's active items (open or in progress) that repeat one another, per organisation, each group
    with the item to keep: the one holding most opinions, else the oldest."""
    items = list(
        (
            await session.execute(
                select(LedgerItem)
                .where(
                    LedgerItem.cycle_id == cycle.id,
                    LedgerItem.status.in_(sm.ACTIVE),
                    service.visible_to(user),
                )
                .order_by(LedgerItem.id)
            )
        ).scalars()
    )
    entries = [(i.id, i.org_id, i.title) for i in items]
    groups = await anyio.to_thread.run_sync(similar_groups, entries, float(SIMILAR))
    grouped = {item_id for g in groups for item_id in g.item_ids}
    reads = {r.id: r for r in await ledger_items.reads(session, [i for i in items if i.id in grouped], user=user)}
    out: list[DuplicateGroup] = []
    for g in groups:
        members = [reads[item_id] for item_id in g.item_ids]
        target = min(members, key=lambda r: (-r.opinion_count, r.id))
        out.append(
            DuplicateGroup(
                org=members[0].org,
                target_id=target.id,
                similarity=Decimal(str(round(g.similarity, 2))),
                items=members,
            )
        )
    out.sort(key=lambda g: (g.org.code, g.items[0].id))
    return DuplicateSuggestions(cycle_id=cycle.id, threshold=SIMILAR, groups=out)
