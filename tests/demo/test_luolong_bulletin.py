"""The Luolong demo's December bulletin, downloaded as a unit reads it: the .docx of the commerce bureau,
its units in rank order."""

from __future__ import annotations

import asyncio
import io
from urllib.parse import unquote

import httpx
from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth import tokens
from shuping.auth.models import User
from shuping.db import make_engine
from shuping.demo import luolong as ll
from shuping.main import app
from shuping.targets.models import TargetBulletin, TargetProgramme
from tests.support.databases import app_on
from tests.support.languages import ENGLISH

GUCHENG = f"{ll.DISTRICT_CODE}105"


def test_demo_december_bulletin_docx(demo_url: str) -> None:
    async def download() -> tuple[bytes, dict[str, object]]:
        engine = make_engine(demo_url)
        try:
            async with engine.connect() as conn:
                async with AsyncSession(bind=conn) as s:
                    bulletin = (
                        await s.execute(
                            select(TargetBulletin)
                            .join(TargetProgramme, TargetProgramme.id == TargetBulletin.programme_id)
                            .where(TargetProgramme.name == ll.PROGRAMME_NAME, TargetBulletin.number == 4)
                        )
                    ).scalar_one()
                    # 古城办's secretary: a unit reads the published bulletin (last in it, vetoed in the year).
                    user = (await s.execute(select(User).where(User.username == f"s{GUCHENG}"))).scalar_one()
                    token, _ = tokens.issue(user.id, tokens.TokenType.access, user.token_version)
                    bulletin_id, snapshot = bulletin.id, bulletin.snapshot
                    assert snapshot is not None
                    await s.rollback()
                with app_on(conn):
                    transport = httpx.ASGITransport(app=app)
                    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=ENGLISH) as c:
                        r = await c.get(
                            f"/api/v1/targets/bulletins/{bulletin_id}/document.docx",
                            headers={"Authorization": f"Bearer {token}"},
                        )
                assert r.status_code == 200, r.text
                assert unquote(r.headers["content-disposition"]).endswith(
                    "洛龙商务〔2013〕4号-关于2013年12月份招商引资目标责任完成情况的通报.docx"
                )
                return r.content, snapshot
        finally:
            await engine.dispose()

    content, snapshot = asyncio.run(download())
    doc = Document(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    assert lines[:3] == [
        ll.COMMERCE_ISSUING_ORGAN,
        f"{ll.COMMERCE_DOC_PREFIX}〔2013〕4号",
        "关于2013年12月份招商引资目标责任完成情况的通报",
    ]
    assert lines[-2:] == [ll.COMMERCE_ISSUING_ORGAN, "2014年1月9日"]
    rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert rows[0][:2] == ["排名", "单位"]
    units = snapshot["units"]
    assert isinstance(units, list)
    # The table lists the units as the frozen bulletin ranks them: 李楼镇 first, 安乐镇 second, 古城办 last.
    assert [(row[0], row[1]) for row in rows[1:]] == [(str(u["rank"]), u["org"]["name"]) for u in units]
    assert [row[1] for row in rows[1:3]] == ["李楼镇", "安乐镇"] and rows[-1][:2] == ["10", "古城办"]
    ranks = [int(row[0]) for row in rows[1:]]
    assert ranks == sorted(ranks)
