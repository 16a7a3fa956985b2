"""The benchmark's floor route, mounted only when `SHUPING_BENCH_ENDPOINTS` is on."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)


@router.post("/_bench/echo", status_code=201)
async def bench_echo(body: dict[str, Any]) -> dict[str, str]:
    """The benchmark's floor: parse a body of a ballot's size and answer, touching nothing else."""
    return {"receipt": "FLOOR00000", "report_id": str(body.get("report_id")), "group_key": "floor"}
