"""What the big screen reads about who is speaking: someone only while the meeting is live."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import CycleStage
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import make_evaluation_cycle, started_meeting


async def test_an_ended_meeting_has_no_current_speaker_on_the_screen(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev = await make_evaluation_cycle(session, stage=CycleStage.evaluation)
    admin = auth_headers(await get_user(session, "admin"))
    meeting = await started_meeting(client, ev, admin)
    url, screen = f"/api/v1/meetings/{meeting['id']}", {"key": meeting["screen_key"]}
    live = (await client.get(f"{url}/tally", params=screen)).json()
    assert live["status"] == "live" and live["current_report_id"] == ev.reports[0].id
    assert (await client.post(f"{url}/end", headers=admin)).status_code == 200
    ended = (await client.get(f"{url}/tally", params=screen)).json()
    assert ended["status"] == "ended" and ended["current_report_id"] is None
    assert [r["report_id"] for r in ended["reports"]] == [r.id for r in ev.reports]
