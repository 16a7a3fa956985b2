"""The Sunshine push: Standard Webhooks signatures, idempotency, stale updates, per-case results."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.config import DEMO_SUNSHINE_SECRET, Mode, get_settings
from shuping.db import utcnow
from shuping.petitions import webhooks
from shuping.petitions.models import PetitionCase, PetitionEvent, SyncRun, WebhookMessage
from tests.petitions.support import SECRET, WEBHOOK_URL, signed, sunshine_case
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import prepare, running_server

# ---------------------------------------------------------------- pure verification

KEY = webhooks.parse_secret(SECRET)
NOW = 1_800_000_000


def _verify(keys: list[bytes], sig: str, *, ts: int = NOW, now: int = NOW, body: bytes = b"{}") -> None:
    webhooks.verify(keys, msg_id="msg_1", timestamp=str(ts), signature=sig, body=body, now=now)


def test_signature_matches_the_standard_webhooks_reference() -> None:
    # The example secret and message of the Standard Webhooks specification.
    secret = webhooks.parse_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    body = b'{"test": 2432232314}'
    sig = webhooks.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ({"sig": "v1,AAAA"}, "does not match"),
        ({"ts": NOW - 301}, "too far"),
        ({"ts": NOW + 301}, "too far"),
        ({"body": b"{} "}, "does not match"),
        ({"sig": "v2," + webhooks.sign(KEY, "msg_1", NOW, b"{}")[3:]}, "does not match"),
    ],
)
def test_verification_refuses(case: dict[str, object], reason: str) -> None:
    good = webhooks.sign(KEY, "msg_1", NOW, b"{}")
    sig = str(case.get("sig", good))
    ts = int(case.get("ts", NOW))  # type: ignore[call-overload]
    if "ts" in case:
        sig = webhooks.sign(KEY, "msg_1", ts, b"{}")
    body = case.get("body", b"{}")
    assert isinstance(body, bytes)
    with pytest.raises(webhooks.InvalidSignature, match=reason):
        _verify([KEY], sig, ts=ts, body=body)


def test_verification_accepts_within_tolerance_and_any_listed_signature() -> None:
    good = webhooks.sign(KEY, "msg_1", NOW - 299, b"{}")
    _verify([KEY], good, ts=NOW - 299)
    _verify([KEY], f"v1,bogus {good}", ts=NOW - 299)


def test_rotated_keys_both_verify() -> None:
    old, new = b"old-secret", b"new-secret"
    _verify([new, old], webhooks.sign(old, "msg_1", NOW, b"{}"))
    _verify([new, old], webhooks.sign(new, "msg_1", NOW, b"{}"))
    with pytest.raises(webhooks.InvalidSignature):
        _verify([new], webhooks.sign(old, "msg_1", NOW, b"{}"))


@pytest.mark.parametrize(
    "headers", [{"msg_id": None}, {"timestamp": None}, {"signature": None}, {"timestamp": "12.5"}, {"timestamp": "-1"}]
)
def test_missing_or_malformed_headers(headers: dict[str, str | None]) -> None:
    args: dict[str, str | None] = {"msg_id": "m", "timestamp": str(NOW), "signature": "v1,x"}
    args.update(headers)
    with pytest.raises(webhooks.InvalidSignature):
        webhooks.verify([KEY], body=b"", now=NOW, **args)  # type: ignore[arg-type]


def test_secret_forms() -> None:
    raw = b"\x00\x01binary-key"
    assert webhooks.parse_secret("whsec_" + base64.b64encode(raw).decode()) == raw
    assert webhooks.parse_secret("plain") == b"plain"
    with pytest.raises(ValueError):
        webhooks.parse_secret("whsec_not base64!")
    with pytest.raises(ValueError):
        webhooks.parse_secret("")


# ---------------------------------------------------------------- the endpoint


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "sunshine_secret", SECRET)
    monkeypatch.setattr(get_settings(), "sunshine_secret_previous", None)


async def _count(session: AsyncSession, model: type, *where: object) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


async def _case(session: AsyncSession, external_id: str) -> PetitionCase | None:
    return (
        await session.execute(
            select(PetitionCase)
            .where(PetitionCase.external_id == external_id)
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


async def test_a_signed_batch_creates_cases_once(client: httpx.AsyncClient, session: AsyncSession) -> None:
    a = sunshine_case(status="in_progress")
    b = sunshine_case(department_code=None, status="transferred", petitioner_phone="0379-8123456")
    body, headers = signed({"cases": [a, b]})
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "duplicate": False,
        "results": [
            {"external_id": a["external_id"], "result": "created", "error": None},
            {"external_id": b["external_id"], "result": "created", "error": None},
        ],
    }
    case_a = await _case(session, a["external_id"])
    assert case_a is not None and case_a.status == "in_progress" and case_a.stage == "handling"
    assert case_a.petitioner_name == "李**" and case_a.petitioner_phone == "139****5678"
    case_b = await _case(session, b["external_id"])
    assert case_b is not None and case_b.status == "transferred" and case_b.petitioner_phone == "*******3456"
    events = await _count(session, PetitionEvent, PetitionEvent.case_id == case_a.id)
    assert events == 2  # created, then accepted → in_progress
    names = (
        await session.execute(select(PetitionEvent.actor_name).where(PetitionEvent.case_id == case_a.id))
    ).scalars()
    assert set(names) == {"阳光信访"}  # the system by its name, not "sunshine:push"

    # The same message again: acknowledged, nothing changed.
    cases_before = await _count(session, PetitionCase)
    again = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert [x["result"] for x in again.json()["results"]] == ["created", "created"]
    assert await _count(session, PetitionCase) == cases_before
    assert await _count(session, PetitionEvent, PetitionEvent.case_id == case_a.id) == 2
    assert await _count(session, WebhookMessage, WebhookMessage.message_id == headers["webhook-id"]) == 1

    # The same case in a new message with no change: unchanged.
    body, headers = signed({"cases": [a]})
    assert (await client.post(WEBHOOK_URL, content=body, headers=headers)).json()["results"][0]["result"] == "unchanged"


async def test_newer_update_moves_on_and_older_one_is_stale(client: httpx.AsyncClient, session: AsyncSession) -> None:
    first = sunshine_case(status="accepted", updated_at="2026-03-03T08:00:00Z")
    body, headers = signed({"cases": [first]})
    await client.post(WEBHOOK_URL, content=body, headers=headers)
    newer = {**first, "status": "resolved", "updated_at": "2026-03-20T08:00:00Z", "note": "已答复"}
    body, headers = signed({"cases": [newer]})
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.json()["results"][0]["result"] == "updated"
    case = await _case(session, first["external_id"])
    assert case is not None and case.status == "resolved" and case.resolved_date is not None
    assert case.holder_org_id != case.owner_org_id  # assigned (交办) to 县信访局 on the way, owner kept

    older = {**first, "status": "in_progress", "updated_at": "2026-03-10T08:00:00Z", "summary": "旧内容"}
    body, headers = signed({"cases": [older]})
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.json()["results"][0]["result"] == "stale"
    case = await _case(session, first["external_id"])
    assert case is not None and case.status == "resolved" and case.summary == first["summary"]


async def test_a_change_dated_in_the_future_is_refused_alone(client: httpx.AsyncClient, session: AsyncSession) -> None:
    first = sunshine_case(status="accepted", updated_at="2026-03-03T08:00:00Z")
    body, headers = signed({"cases": [first]})
    await client.post(WEBHOOK_URL, content=body, headers=headers)
    future = {**first, "status": "resolved", "updated_at": "2099-01-01T00:00:00Z", "summary": "未来的内容"}
    other = sunshine_case()
    body, headers = signed({"cases": [future, other]})
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["result"] for x in results] == ["error", "created"]
    assert results[0]["external_id"] == first["external_id"] and "updated_at" in results[0]["error"]
    case = await _case(session, first["external_id"])
    assert case is not None and case.status == "accepted" and case.summary == first["summary"]
    assert case.external_updated_at is not None and case.external_updated_at.year == 2026
    run = (await session.execute(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))).scalar_one()
    assert (run.status, run.failed, run.created) == ("partial", 1, 1)
    assert run.cursor is not None and run.cursor.year == 2026

    # A real later change is still applied, not taken for stale.
    newer = {**first, "status": "in_progress", "updated_at": "2026-03-20T08:00:00Z"}
    body, headers = signed({"cases": [newer]})
    assert (await client.post(WEBHOOK_URL, content=body, headers=headers)).json()["results"][0]["result"] == "updated"
    # Within the clock skew the webhook timestamps are allowed, a change is taken as it comes.
    soon = (utcnow() + timedelta(seconds=60)).isoformat()
    body, headers = signed({"cases": [{**newer, "note": "稍后", "updated_at": soon}]})
    assert (await client.post(WEBHOOK_URL, content=body, headers=headers)).json()["results"][0]["result"] == "updated"


async def test_a_bad_case_fails_alone(client: httpx.AsyncClient, session: AsyncSession) -> None:
    good = sunshine_case()
    unknown_org = sunshine_case(org_code="999999")
    village = sunshine_case(org_code="410326104201")
    no_org = sunshine_case(org_code=None, department_code=None)
    naive_time = sunshine_case(updated_at="2026-03-02T10:00:00")
    bad_status = sunshine_case(status="lost")
    not_an_object = ["x"]
    body, headers = signed({"cases": [good, unknown_org, village, no_org, naive_time, bad_status, not_an_object]})
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["result"] for x in results] == ["created"] + ["error"] * 6
    assert "999999" in results[1]["error"] and "township" in results[2]["error"]
    assert "updated_at" in results[4]["error"] and "status" in results[5]["error"]
    assert results[6]["external_id"] is None
    assert await _case(session, good["external_id"]) is not None
    assert await _case(session, unknown_org["external_id"]) is None
    run = (await session.execute(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))).scalar_one()
    assert (run.kind, run.status, run.created, run.failed, run.received) == ("push", "partial", 1, 6, 7)

    # A case cannot be pushed back to an earlier status, even with a newer timestamp.
    resolved = sunshine_case(status="resolved")
    body, headers = signed({"cases": [resolved]})
    await client.post(WEBHOOK_URL, content=body, headers=headers)
    back = {**resolved, "status": "accepted", "updated_at": "2026-04-01T00:00:00Z"}
    body, headers = signed({"cases": [back]})
    result = (await client.post(WEBHOOK_URL, content=body, headers=headers)).json()["results"][0]
    assert result["result"] == "error" and "cannot become accepted" in result["error"]


@pytest.mark.parametrize(
    "tamper",
    ["wrong-secret", "old-timestamp", "future-timestamp", "body-changed", "no-signature", "no-id", "bad-timestamp"],
)
async def test_bad_signatures_get_401_and_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tamper: str
) -> None:
    case = sunshine_case()
    payload = {"cases": [case]}
    now = int(time.time())
    if tamper == "wrong-secret":
        body, headers = signed(payload, secret="another-secret")
    elif tamper == "old-timestamp":
        body, headers = signed(payload, timestamp=now - 6 * 60)
    elif tamper == "future-timestamp":
        body, headers = signed(payload, timestamp=now + 6 * 60)
    else:
        body, headers = signed(payload)
    if tamper == "body-changed":
        body = body.replace(b"accepted", b"resolved")
    elif tamper == "no-signature":
        del headers["webhook-signature"]
    elif tamper == "no-id":
        del headers["webhook-id"]
    elif tamper == "bad-timestamp":
        headers["webhook-timestamp"] = "yesterday"
    messages = await _count(session, WebhookMessage)
    runs = await _count(session, SyncRun)
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/invalid-signature")
    assert "www-authenticate" not in r.headers
    assert await _case(session, case["external_id"]) is None
    assert await _count(session, WebhookMessage) == messages
    assert await _count(session, SyncRun) == runs


async def test_rotated_secrets_are_both_accepted(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = "whsec_" + base64.b64encode(b"brand-new-secret-bytes").decode()
    monkeypatch.setattr(get_settings(), "sunshine_secret", new)
    monkeypatch.setattr(get_settings(), "sunshine_secret_previous", SECRET)
    for secret in (new, SECRET):
        body, headers = signed({"cases": [sunshine_case()]}, secret=secret)
        r = await client.post(WEBHOOK_URL, content=body, headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["result"] == "created"
    # Once the rotation is over the old secret stops working.
    monkeypatch.setattr(get_settings(), "sunshine_secret_previous", None)
    body, headers = signed({"cases": [sunshine_case()]}, secret=SECRET)
    assert (await client.post(WEBHOOK_URL, content=body, headers=headers)).status_code == 401


async def test_malformed_bodies_and_missing_configuration(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    for raw in (b"not json", b'{"cases": {}}', b'{"cases": [], "extra": 1}', b"[]"):
        body, headers = signed(None, raw=raw)
        r = await client.post(WEBHOOK_URL, content=body, headers=headers)
        assert r.status_code == 422, raw
        assert await _count(session, WebhookMessage, WebhookMessage.message_id == headers["webhook-id"]) == 0
    body, headers = signed({"cases": [sunshine_case()] * 501})
    assert (await client.post(WEBHOOK_URL, content=body, headers=headers)).status_code == 422
    monkeypatch.setattr(get_settings(), "sunshine_secret", None)
    body, headers = signed({"cases": []}, secret=DEMO_SUNSHINE_SECRET)
    assert (await client.post(WEBHOOK_URL, content=body, headers=headers)).status_code == 200  # demo mode
    monkeypatch.setattr(get_settings(), "mode", Mode.production)
    body, headers = signed({"cases": []}, secret=DEMO_SUNSHINE_SECRET)
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.status_code == 409 and r.json()["type"].endswith("/integration-not-configured")


def test_concurrent_pushes_of_one_case_make_one_case(base_database_url: str | None) -> None:
    url = plan_database(base_database_url, "push")
    create_database(url)
    try:
        prepare(url)
        with running_server(url, extra_env={"SHUPING_SUNSHINE_SECRET": SECRET}) as base:
            case = sunshine_case(status="accepted")

            async def push_all() -> list[httpx.Response]:
                async with httpx.AsyncClient(base_url=base, timeout=30) as c:
                    posts = []
                    for i in range(12):
                        item = {**case, "updated_at": f"2026-03-02T10:00:{i:02d}Z", "note": f"第{i}次"}
                        body, headers = signed({"cases": [item]})
                        posts.append(c.post(WEBHOOK_URL, content=body, headers=headers))
                    # The same message delivered twice at once is applied once.
                    body, headers = signed({"cases": [sunshine_case()]}, msg_id="msg_twice")
                    posts += [c.post(WEBHOOK_URL, content=body, headers=headers) for _ in range(2)]
                    return list(await asyncio.gather(*posts))

            responses = asyncio.run(push_all())
            assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
            kinds = [r.json()["results"][0]["result"] for r in responses[:12]]
            assert kinds.count("created") == 1
            assert set(kinds) <= {"created", "updated", "stale"}
            assert sorted(r.json()["duplicate"] for r in responses[12:]) == [False, True]
            token = httpx.post(
                f"{base}/api/v1/auth/token", data={"username": "admin", "password": "shuping-demo"}
            ).json()["access_token"]
            found = httpx.get(
                f"{base}/api/v1/petitions/cases",
                params={"q": case["external_id"]},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            assert found["total"] == 1
            assert found["items"][0]["note"] == "第11次"
    finally:
        drop_database(url)


def test_json_helper_roundtrip() -> None:
    body, headers = signed({"cases": []}, msg_id="m1", timestamp=NOW)
    assert json.loads(body) == {"cases": []}
    webhooks.verify(
        [KEY],
        msg_id="m1",
        timestamp=str(NOW),
        signature=headers["webhook-signature"],
        body=body,
        now=NOW,
    )
