"""Problems in the reader's language: one bad request per domain, in Chinese and in English, same code."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.main import app
from tests.support.builders import auth_headers, get_user, make_cycle
from tests.support.languages import CHINESE, ENGLISH


@dataclass(frozen=True)
class Case:
    domain: str
    status: int
    code: str
    english: str
    chinese: str
    # The text compared: the detail, or the first located error's message.
    field: str = "detail"


Send = Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[httpx.Response]]


async def _cycle_without_results(session: AsyncSession) -> int:
    return int((await make_cycle(session)).cycle_id)


CASES: list[tuple[Case, Callable[[AsyncSession], Awaitable[Send]]]] = []


def case(c: Case) -> Callable[[Callable[[AsyncSession], Awaitable[Send]]], None]:
    def register(make: Callable[[AsyncSession], Awaitable[Send]]) -> None:
        CASES.append((c, make))

    return register


async def _admin(session: AsyncSession) -> dict[str, str]:
    return auth_headers(await get_user(session, "admin"))


@case(Case("auth", 401, "invalid-credentials", "Invalid username or password", "用户名或密码错误"))
async def _auth(session: AsyncSession) -> Send:
    return lambda c, h: c.post("/api/v1/auth/token", data={"username": "admin", "password": "wrong-one"}, headers=h)


@case(Case("orgs", 422, "validation-error", "Field required", "此项必填", field="msg"))
async def _orgs(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.post("/api/v1/orgs", json={"name": "新镇"}, headers={**admin, **h})


@case(Case("audit", 422, "validation-error", "Input should be greater than or equal to 1", "不能小于 1", field="msg"))
async def _audit(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/audit", params={"limit": 0}, headers={**admin, **h})


@case(Case("rubrics", 404, "not-found", "Rubric 999999 does not exist", "测评表 999999 不存在"))
async def _rubrics(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/rubrics/999999", headers={**admin, **h})


@case(Case("cycles", 404, "not-found", "Cycle 999999 does not exist", "评议周期 999999 不存在"))
async def _cycles(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/cycles/999999", headers={**admin, **h})


@case(
    Case(
        "flows",
        404,
        "not-found",
        "No such error sheet (they are kept for a day, for the user who uploaded the workbook)",
        "找不到该错误清单（错误清单只保留一天，且只有上传者可以下载）",
    )
)
async def _flows(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/cycles/import/error-sheets/" + "a" * 32, headers={**admin, **h})


@case(Case("reports", 404, "not-found", "Report 999999 does not exist", "述职报告 999999 不存在"))
async def _reports(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/reports/999999", headers={**admin, **h})


@case(Case("meetings", 404, "not-found", "Meeting 999999 does not exist", "会议 999999 不存在"))
async def _meetings(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/meetings/999999", headers={**admin, **h})


@case(Case("results", 404, "not-found", "No results computed for this cycle yet", "本评议周期尚未计算结果"))
async def _results(session: AsyncSession) -> Send:
    admin = await _admin(session)
    cycle_id = await _cycle_without_results(session)
    return lambda c, h: c.get(f"/api/v1/cycles/{cycle_id}/results", headers={**admin, **h})


@case(Case("ledger", 404, "not-found", "Ledger item 999999 does not exist", "台账事项 999999 不存在"))
async def _ledger(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/ledger/items/999999", headers={**admin, **h})


@case(Case("targets", 404, "not-found", "No programme 999999", "没有编号为 999999 的目标责任方案"))
async def _targets(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.get("/api/v1/targets/programmes/999999", headers={**admin, **h})


@case(
    Case(
        "petitions",
        409,
        "integration-not-configured",
        "Set SHUPING_SUNSHINE_EXPORT_URL to pull from the Sunshine system",
        "尚未配置阳光信访系统的导出地址（SHUPING_SUNSHINE_EXPORT_URL），无法拉取数据，请联系系统管理员",
    )
)
async def _petitions(session: AsyncSession) -> Send:
    admin = await _admin(session)
    return lambda c, h: c.post("/api/v1/petitions/sync/pull", headers={**admin, **h})


@pytest.fixture
async def bare_client(session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends no Accept-Language of its own (the suite's default client asks for English)."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def _text(body: dict[str, Any], field: str) -> str:
    return str(body["detail"] if field == "detail" else body["errors"][0]["msg"])


def test_every_domain_has_a_case() -> None:
    domains = {"auth", "orgs", "audit", "rubrics", "cycles", "flows", "reports", "meetings", "results", "ledger"}
    assert {c.domain for c, _ in CASES} == domains | {"petitions", "targets"}


@pytest.mark.parametrize(("c", "make"), CASES, ids=[c.domain for c, _ in CASES])
async def test_a_problem_in_each_language(
    bare_client: httpx.AsyncClient, session: AsyncSession, c: Case, make: Callable[[AsyncSession], Awaitable[Send]]
) -> None:
    send = await make(session)
    answers = {}
    for name, headers in (("zh", CHINESE), ("en", ENGLISH), ("none", {})):
        r = await send(bare_client, headers)
        assert r.status_code == c.status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["code"] == c.code and body["type"].endswith("/" + c.code)
        assert r.headers["content-language"] == ("en-US" if name == "en" else "zh-CN")
        answers[name] = body
    assert _text(answers["zh"], c.field) == c.chinese
    assert _text(answers["en"], c.field) == c.english
    assert _text(answers["none"], c.field) == c.chinese  # no Accept-Language: Chinese
    assert answers["zh"]["title"] != answers["en"]["title"]


async def test_titles_fit_the_refusal(bare_client: httpx.AsyncClient, session: AsyncSession) -> None:
    """Not configured is not a data conflict; a state refusal is not either."""
    admin = await _admin(session)
    r = await bare_client.post("/api/v1/petitions/sync/pull", headers=admin)
    assert r.status_code == 409 and r.json()["title"].startswith("尚未配置"), r.text
    r = await bare_client.post("/api/v1/petitions/sync/pull", headers={**admin, **ENGLISH})
    assert r.json()["title"].endswith("not configured")
    cycle_id = await _cycle_without_results(session)
    r = await bare_client.post(f"/api/v1/cycles/{cycle_id}/results/publish", json={}, headers=admin)
    assert r.status_code == 409 and r.json()["code"] == "invalid-state", r.text
    assert r.json()["title"] == "当前状态不允许此操作"


async def test_parameters_travel_with_the_code(bare_client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await _admin(session)
    r = await bare_client.get("/api/v1/meetings/999999", headers=admin)
    assert r.json()["params"] == {"meeting_id": 999999}
