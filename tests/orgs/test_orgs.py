"""The organisation tree: counts of the demo county, filters, writes and their permissions."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.service import DocumentSettings, document_settings
from tests.support.builders import auth_headers, get_org, get_user, make_org, make_user


async def _total(client: httpx.AsyncClient, headers: dict[str, str], **params: object) -> int:
    r = await client.get("/api/v1/orgs", params={**params, "limit": 1}, headers=headers)
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


async def test_demo_county_counts(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "s410326104"))
    assert await _total(client, h, kind="county") == 1
    assert await _total(client, h, kind="township") == 13
    assert await _total(client, h, kind=["township", "working_committee"]) == 14
    assert await _total(client, h, kind="village") == 216
    assert await _total(client, h, kind="department") == 40
    xiaodian = await get_org(session, "410326104")
    assert xiaodian.name == "小店镇"
    assert await _total(client, h, parent_id=xiaodian.id) == 20


async def test_tree_children_counts_and_search(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "clerk"))
    county = (await client.get("/api/v1/orgs", params={"kind": "county"}, headers=h)).json()["items"][0]
    assert county["name"] == "汝阳县委"
    assert county["children_count"] == 14 + 40
    found = (await client.get("/api/v1/orgs", params={"q": "耿沟"}, headers=h)).json()
    assert found["total"] == 1
    assert found["items"][0]["name"] == "耿沟村"
    santun = await get_org(session, "410326105")
    assert found["items"][0]["parent_id"] == santun.id


async def test_paging(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "clerk"))
    first = (await client.get("/api/v1/orgs", params={"kind": "village", "limit": 100}, headers=h)).json()
    second = (
        await client.get("/api/v1/orgs", params={"kind": "village", "limit": 100, "offset": 100}, headers=h)
    ).json()
    third = (
        await client.get("/api/v1/orgs", params={"kind": "village", "limit": 100, "offset": 200}, headers=h)
    ).json()
    ids = [o["id"] for page in (first, second, third) for o in page["items"]]
    assert len(ids) == len(set(ids)) == 216
    r = await client.get("/api/v1/orgs", params={"limit": 0}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "limit"]


async def test_admin_creates_and_edits_an_organisation(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "admin"))
    township = await get_org(session, "410326205")
    r = await client.post(
        "/api/v1/orgs",
        json={"code": "410326205299", "name": "新建村", "kind": "village", "parent_id": township.id},
        headers=h,
    )
    assert r.status_code == 201, r.text
    org = r.json()
    r = await client.patch(f"/api/v1/orgs/{org['id']}", json={"name": "新建村（更名）"}, headers=h)
    assert r.status_code == 200
    assert r.json()["name"] == "新建村（更名）"
    r = await client.patch(f"/api/v1/orgs/{org['id']}", json={"is_active": False}, headers=h)
    assert r.json()["is_active"] is False
    assert (await client.get(f"/api/v1/orgs/{org['id']}", headers=h)).json()["is_active"] is False
    entries = (
        (
            await session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "organization", AuditEntry.entity_id == str(org["id"]))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert entries == ["org.create", "org.update", "org.update"]


async def test_organisation_rules(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "admin"))
    county = await get_org(session, "410326")
    village = await get_org(session, "410326104201")
    r = await client.post(
        "/api/v1/orgs", json={"code": "410326", "name": "重复", "kind": "township", "parent_id": county.id}, headers=h
    )
    assert r.status_code == 409
    assert r.json()["errors"][0]["loc"] == ["body", "code"]
    r = await client.post(
        "/api/v1/orgs", json={"code": "X1", "name": "错层", "kind": "village", "parent_id": county.id}, headers=h
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["loc"] == ["body", "parent_id"]
    r = await client.post(
        "/api/v1/orgs", json={"code": "X2", "name": "村下村", "kind": "village", "parent_id": village.id}, headers=h
    )
    assert r.status_code == 400
    r = await client.post(
        "/api/v1/orgs", json={"code": "X3", "name": "无上级", "kind": "village", "parent_id": 999999}, headers=h
    )
    assert r.status_code == 400
    r = await client.post("/api/v1/orgs", json={"code": "bad code!", "name": "x", "kind": "village"}, headers=h)
    assert r.status_code == 422
    assert ["body", "code"] in [e["loc"] for e in r.json()["errors"]]
    xiaodian = await get_org(session, "410326104")
    r = await client.patch(f"/api/v1/orgs/{xiaodian.id}", json={"is_active": False}, headers=h)
    assert r.status_code == 409
    r = await client.patch(f"/api/v1/orgs/{xiaodian.id}", json={"name": None}, headers=h)
    assert r.status_code == 400
    assert (await client.get("/api/v1/orgs/999999", headers=h)).status_code == 404
    assert (await client.patch("/api/v1/orgs/999999", json={"name": "x"}, headers=h)).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.admin])
async def test_only_admins_write_organisations(client: httpx.AsyncClient, session: AsyncSession, role: Role) -> None:
    own = await make_org(session, name="自己的乡")
    user = await make_user(session, role=role, org_id=own.id)
    h = auth_headers(user)
    # Everyone signed in reads the directory, but an integration account, which calls the sync endpoints only.
    assert (await client.get("/api/v1/orgs", headers=h)).status_code == (403 if role == Role.integration else 200)
    r = await client.post(
        "/api/v1/orgs", json={"code": "Z9", "name": "x", "kind": "department", "parent_id": own.parent_id}, headers=h
    )
    assert r.status_code == 403
    r = await client.patch(f"/api/v1/orgs/{own.id}", json={"name": "改掉"}, headers=h)
    assert r.status_code == 403
    assert (await get_org(session, own.code)).name == "自己的乡"


async def test_anonymous_cannot_read_organisations(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/orgs")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_document_settings_default_to_the_name() -> None:
    town = Organization(code="X", name="小店镇", kind=OrgKind.township)
    assert document_settings(town) == DocumentSettings(prefix="小店镇整改", organ="小店镇")
    town.doc_prefix, town.issuing_organ = "汝小组整改", "中共汝阳县小店镇委员会"
    assert document_settings(town) == DocumentSettings(prefix="汝小组整改", organ="中共汝阳县小店镇委员会")
    long = Organization(code="Y", name="长" * 200, kind=OrgKind.department)
    assert document_settings(long).prefix == "长" * 30 + "整改"  # within the 32 a prefix may have


async def test_admin_sets_and_clears_the_document_settings(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "admin"))
    county = await get_org(session, "410326")
    shown = (await client.get(f"/api/v1/orgs/{county.id}", headers=h)).json()
    assert (shown["doc_prefix"], shown["issuing_organ"]) == ("汝组整改", "中共汝阳县委组织部")
    xiaodian = await get_org(session, "410326104")
    r = await client.patch(
        f"/api/v1/orgs/{xiaodian.id}",
        json={"doc_prefix": " 汝小组整改 ", "issuing_organ": "中共汝阳县小店镇委员会"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["doc_prefix"], r.json()["issuing_organ"]) == ("汝小组整改", "中共汝阳县小店镇委员会")
    r = await client.patch(f"/api/v1/orgs/{xiaodian.id}", json={"doc_prefix": None}, headers=h)
    assert r.status_code == 200
    assert (r.json()["doc_prefix"], r.json()["issuing_organ"]) == (None, "中共汝阳县小店镇委员会")
    listed = (await client.get("/api/v1/orgs", params={"q": "小店镇"}, headers=h)).json()["items"]
    assert [o["issuing_organ"] for o in listed if o["id"] == xiaodian.id] == ["中共汝阳县小店镇委员会"]
    r = await client.post(
        "/api/v1/orgs",
        json={
            "code": "410326-D99",
            "name": "县委某部",
            "kind": "department",
            "parent_id": county.id,
            "doc_prefix": "汝某",
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["doc_prefix"], r.json()["issuing_organ"]) == ("汝某", None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("doc_prefix", "汝小组\n整改"),  # one line of a document
        ("doc_prefix", "汝小组\t整改"),
        ("doc_prefix", "汝小组\x07整改"),  # refused by the input guard already
        ("doc_prefix", "汝小组〔整改"),  # 〔〕 set the year apart in the number
        ("doc_prefix", "汝" * 33),
        ("doc_prefix", "   "),
        ("doc_prefix", 12),
        ("issuing_organ", "中共\u0085小店镇委员会"),  # a C1 control character
        ("issuing_organ", "中共小店镇委员会\r\n"),
        ("issuing_organ", "党" * 101),
        ("issuing_organ", ""),
    ],
)
async def test_bad_document_settings_are_refused_by_name(
    client: httpx.AsyncClient, session: AsyncSession, field: str, value: object
) -> None:
    h = auth_headers(await get_user(session, "admin"))
    xiaodian = await get_org(session, "410326104")
    r = await client.patch(f"/api/v1/orgs/{xiaodian.id}", json={field: value}, headers=h)
    assert r.status_code == 422, r.text
    assert ["body", field] in [e["loc"] for e in r.json()["errors"]]
    shown = (await client.get(f"/api/v1/orgs/{xiaodian.id}", headers=h)).json()
    assert (shown["doc_prefix"], shown["issuing_organ"]) == (None, None)
