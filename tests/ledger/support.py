"""Helpers for ledger tests: a cycle whose reports take opinions, and opinions entered over the API."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import Cycle, CycleStage
from shuping.db import utcnow
from shuping.results.models import ResultSet, ResultStatus
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import EvaluationCycle, make_evaluation_cycle

ITEMS = "/api/v1/ledger/items"


def opinions_url(cycle_id: int) -> str:
    return f"/api/v1/cycles/{cycle_id}/opinions"


class Ledger:
    """A cycle in rectification with three reporting townships, and headers for the people involved."""

    def __init__(self, client: httpx.AsyncClient, ev: EvaluationCycle, headers: dict[str, dict[str, str]]) -> None:
        self.client, self.ev, self.h = client, ev, headers

    @property
    def cycle_id(self) -> int:
        return self.ev.cycle.id

    def org(self, i: int = 0) -> int:
        return self.ev.reports[i].org_id

    async def opinion(self, i: int = 0, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"org_id": self.org(i), "category": "班子建设", "text": "班子成员分工不够明确"}
        body.update(overrides)
        r = await self.client.post(opinions_url(self.cycle_id), json=body, headers=self.h["clerk"])
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def item(self, i: int = 0, **overrides: Any) -> dict[str, Any]:
        opinion = await self.opinion(i, **overrides)
        r = await self.client.get(f"{ITEMS}/{opinion['item_id']}", headers=self.h["clerk"])
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def show(
        self, item_id: int, public_title: str | None, *, public: bool = True, who: str = "clerk"
    ) -> httpx.Response:
        """Mark an item public on the board under `public_title` (or withdraw it)."""
        body = {"public": public, "public_title": public_title}
        return await self.client.put(f"{ITEMS}/{item_id}/publicity", json=body, headers=self.h[who])

    async def move(self, item_id: int, to: str, who: str, note: str | None = None) -> httpx.Response:
        body: dict[str, Any] = {"to": to} | ({"note": note} if note is not None else {})
        return await self.client.post(f"{ITEMS}/{item_id}/transitions", json=body, headers=self.h[who])


async def make_ledger(
    client: httpx.AsyncClient, session: AsyncSession, stage: CycleStage = CycleStage.rectification
) -> Ledger:
    ev = await make_evaluation_cycle(session, stage=stage)
    headers = {
        name: auth_headers(await get_user(session, username))
        for name, username in (
            ("admin", "admin"),
            ("clerk", "clerk"),
            ("leader", "leader01"),
            ("deputy", "deputy01"),
            # The secretaries of the cycle's first two townships (城关镇, 小店镇).
            ("owner", "s410326101"),
            ("other", "s410326104"),
        )
    }
    return Ledger(client, ev, headers)


async def publish(session: AsyncSession, cycle_id: int) -> None:
    """The cycle's results, published (the board shows nothing of a cycle before)."""
    session.add(ResultSet(cycle_id=cycle_id, status=ResultStatus.published, document={"items": []}, hash="0" * 64))
    await session.execute(update(Cycle).where(Cycle.id == cycle_id).values(frozen_at=utcnow()))
    await session.flush()
