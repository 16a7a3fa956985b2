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
    database_url: str, *, extra_env: dict[str, str] | None = None, log_path: Path | None = None
) -> Iterator[str]:
    """Start uvicorn on a free port; yield its base URL; stop it afterwards. Its output (log and
    access log) goes to `log_path` when given, for tests that read what the server logged."""
    port = free_port()
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
