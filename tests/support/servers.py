"""Run the real server in a subprocess for tests that need real HTTP or several processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.languages import ENGLISH

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(database_url: str, *, demo: bool = True) -> None:
    """Migrate a database and load the demo county, as `make run` does."""
    env = {**os.environ, "SHUPING_DATABASE_URL": database_url}
    subprocess.run([sys.executable, "-m", "shuping.cli", "migrate"], env=env, check=True, cwd=REPO)
    if demo:
        subprocess.run(
            [sys.executable, "-m", "shuping.cli", "seed-demo"], env=env, check=True, cwd=REPO, stdout=subprocess.DEVNULL
        )


@contextmanager
def running_server(
    database_url: str, *, extra_env: dict[str, str] | None = None, log_path: Path | None = None, port: int | None = None
) -> Iterator[str]:
    """Start uvicorn on `port` (a free one if None); yield its base URL; stop it afterwards. Its output
    (log and access log) goes to `log_path` when given, for tests that read what the server logged."""
    port = port or free_port()
    env = {**os.environ, "SHUPING_DATABASE_URL": database_url, **(extra_env or {})}
    # The server's log goes to a file: a pipe nobody reads would stall the server once it filled.
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "shuping.main:app", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=log if log_path else subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server exited: {log.read().decode(errors='replace')}")
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become healthy in 30 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def open_hall(base: str, cycle_id: int, report_ids: list[int]) -> tuple[int, str, dict[str, str]]:
    """On a running server, as its admin: a meeting on the reports, started, voting open on each.
    Answers the meeting's id, its screen key and the admin's headers."""
    with httpx.Client(base_url=base, timeout=10, headers=ENGLISH) as c:
        token = c.post("/api/v1/auth/token", data={"username": "admin", "password": "shuping-demo"}).json()
        admin = {"Authorization": f"Bearer {token['access_token']}"}
        m = c.post(
            f"/api/v1/cycles/{cycle_id}/meetings",
            headers=admin,
            json={
                "title": "现场测评",
                "direction": "upward",
                "report_ids": report_ids,
                "starts_at": "2013-07-10T01:00:00Z",
            },
        ).json()
        mid = m["id"]
        for path, body in (("start", None), ("speaker", {"report_id": report_ids[0]})):
            assert c.post(f"/api/v1/meetings/{mid}/{path}", headers=admin, json=body).status_code == 200
        for rid in report_ids:
            r = c.post(f"/api/v1/meetings/{mid}/reports/{rid}/voting", headers=admin, json={"open": True})
            assert r.status_code == 200
        return mid, m["screen_key"], admin
