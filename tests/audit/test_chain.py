"""The audit log: append-only hash chain, its verification, the endpoint and the command."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.audit.models import AuditEntry
from tests.support.builders import auth_headers, get_user
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import REPO, prepare


async def _append(session: AsyncSession, n: int) -> list[AuditEntry]:
    admin = await get_user(session, "admin")
    return [
        await audit.record(
            session,
            actor=admin,
            action="test.event",
            entity_type="thing",
            entity_id=i,
            data={"i": i, "名称": "测试", "amount": "12.50"},
        )
        for i in range(n)
    ]


async def test_chain_links_each_entry_to_the_previous(session: AsyncSession) -> None:
    entries = await _append(session, 3)
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    check = await audit.verify_chain(session)
    assert check.ok, check
    assert check.first_broken_id is None


async def test_a_hand_edited_row_is_named_as_broken(session: AsyncSession) -> None:
    entries = await _append(session, 4)
    target = entries[2]
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.id == target.id)
        .values(data={"i": 999})
        .execution_options(synchronize_session=False)
    )
    session.expunge_all()
    check = await audit.verify_chain(session)
    assert not check.ok
    assert check.first_broken_id == target.id
    assert check.reason == "content does not match its hash"


async def test_a_deleted_row_breaks_the_chain_at_its_successor(session: AsyncSession) -> None:
    entries = await _append(session, 3)
    await session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": entries[1].id})
    session.expunge_all()
    check = await audit.verify_chain(session, batch=2)
    assert check.first_broken_id == entries[2].id
    assert check.reason == "prev_hash does not match the previous entry"


async def test_rehashing_one_row_is_still_caught_at_the_next(session: AsyncSession) -> None:
    entries = await _append(session, 3)
    forged = audit.entry_hash(
        prev_hash=entries[0].prev_hash,
        at=entries[0].at,
        actor_id=None,
        actor_name="intruder",
        action=entries[0].action,
        entity_type=entries[0].entity_type,
        entity_id=entries[0].entity_id,
        data=entries[0].data,
    )
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.id == entries[0].id)
        .values(actor_name="intruder", actor_id=None, hash=forged)
        .execution_options(synchronize_session=False)
    )
    session.expunge_all()
    check = await audit.verify_chain(session)
    assert check.first_broken_id == entries[1].id


async def test_verify_endpoint_and_listing(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    await _append(session, 2)
    h = auth_headers(admin)
    r = await client.get("/api/v1/audit/verify", headers=h)
    assert r.status_code == 200
    assert r.json()["ok"] is True
    listed = await client.get("/api/v1/audit", params={"entity_type": "thing", "actor_id": admin.id}, headers=h)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 2
    assert body["items"][0]["data"]["名称"] == "测试"
    assert body["items"][0]["id"] > body["items"][1]["id"]  # newest first
    future = await client.get("/api/v1/audit", params={"since": "2999-01-01T00:00:00Z"}, headers=h)
    assert future.json()["total"] == 0
    last = (await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))).scalar_one()
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.id == last.id)
        .values(action="tampered")
        .execution_options(synchronize_session=False)
    )
    r = await client.get("/api/v1/audit/verify", headers=h)
    assert r.json() == {
        "ok": False,
        "entries": r.json()["entries"],
        "first_broken_id": last.id,
        "reason": "content does not match its hash",
    }


async def test_only_admins_read_the_audit_log(client: httpx.AsyncClient, session: AsyncSession) -> None:
    clerk = await get_user(session, "clerk")
    assert (await client.get("/api/v1/audit", headers=auth_headers(clerk))).status_code == 403
    assert (await client.get("/api/v1/audit/verify", headers=auth_headers(clerk))).status_code == 403
    assert (await client.get("/api/v1/audit")).status_code == 401


def test_verify_command_names_the_broken_entry(base_database_url: str | None) -> None:
    url = plan_database(base_database_url, "audit")
    create_database(url)
    try:
        prepare(url)
        env = {**os.environ, "SHUPING_DATABASE_URL": url}
        cmd = [sys.executable, "-m", "shuping.cli", "verify-audit"]
        ok = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert "audit chain ok" in ok.stdout

        import asyncio

        from shuping.db import make_engine

        async def tamper() -> None:
            engine = make_engine(url)
            async with engine.begin() as conn:
                await conn.execute(text("UPDATE audit_entry SET action = 'edited' WHERE id = 1"))
            await engine.dispose()

        asyncio.run(tamper())
        broken = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True)
        assert broken.returncode == 1
        assert "BROKEN at entry 1" in broken.stdout
    finally:
        drop_database(url)
