"""A programme's office and the units' monthly reports (月报) over the API."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from tests.support.builders import auth_headers, get_org, make_user
from tests.support.languages import CHINESE
from tests.targets.test_api import API, XIAODIAN, make_world

OFFICE = "410326-D29"  # stands in for the district's commerce bureau (区商务局)


async def test_the_office_publishes_when_set(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    base = f"{API}/programmes/{w.programme}"
    office = (await get_org(session, OFFICE)).id
    r = await client.get(base, headers=w.h["clerk"])
    assert (r.json()["office"], r.json()["may_manage"], r.json()["may_publish"]) == (None, True, True)
    r = await client.patch(base, json={"office_org_id": office}, headers=w.h["clerk"])
    assert r.status_code == 200, r.text
    assert r.json()["office"]["code"] == OFFICE
    # The host's clerk still manages it, but the office's clerk (and an administrator) publish.
    assert (r.json()["may_manage"], r.json()["may_publish"]) == (True, False)
    office_clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=office))
    r = await client.get(base, headers=office_clerk)
    assert r.json()["may_publish"] is True
    assert (await client.get(base, headers=w.h["admin"])).json()["may_publish"] is True
    assert (await client.get(base, headers=w.h[f"s{XIAODIAN}"])).json()["may_publish"] is False
    # The office is an organisation below the host.
    for headers, msg in (
        (w.h["clerk"], "No organisation {} below the programme's host"),
        ({**w.h["clerk"], **CHINESE}, "计划主办单位下没有编号为 {} 的组织"),
    ):
        r = await client.patch(base, json={"office_org_id": 2_000_000}, headers=headers)
        assert r.status_code == 400, r.text
        assert r.json()["errors"] == [{"loc": ["body", "office_org_id"], "msg": msg.format(2_000_000)}]
    r = await client.patch(base, json={"office_org_id": None}, headers=w.h["clerk"])
    assert r.status_code == 200 and r.json()["office"] is None
    entries = (
        await session.execute(
            select(AuditEntry.data).where(
                AuditEntry.action == "target_programme.update", AuditEntry.entity_id == str(w.programme)
            )
        )
    ).scalars()
    offices = [(d["office_org_id_before"], d["office_org_id"]) for d in entries if "office_org_id" in d]
    assert offices == [(None, office), (office, None)]
