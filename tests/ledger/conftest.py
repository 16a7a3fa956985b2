"""Ledger fixtures."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.ledger.support import Ledger, make_ledger


@pytest.fixture
async def ledger(client: httpx.AsyncClient, session: AsyncSession) -> Ledger:
    return await make_ledger(client, session)
