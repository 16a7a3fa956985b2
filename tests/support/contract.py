"""Run schemathesis against a real server on a fresh database: the contract test and `make fuzz`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import REPO, prepare, running_server

# The contract run's seed: fixed so that a red CI run is the same run on a laptop.
CONTRACT_SEED = 20261204
# schemathesis logs in with random names many times.
GENEROUS_LOGIN_LIMITS = {"SHUPING_LOGIN_MAX_ATTEMPTS": "100000", "SHUPING_LOGIN_IP_MAX_ATTEMPTS": "100000"}
_STATUS_5XX = re.compile(r'" (5\d\d) ')
_CURL = re.compile(r"^\s*(curl .+)$", re.MULTILINE)


@dataclass
class Run:
    """One schemathesis run: its settings, outcome and what the server answered with 5xx."""

    seed: int
    database: str
    returncode: int = -1
    seconds: float = 0.0
    output: str = ""
    server_log: str = ""
    server_errors: list[str] = field(default_factory=list)

    @property
    def curls(self) -> list[str]:
        """The reproducing commands schemathesis printed for its failures."""
        return [c.strip() for c in _CURL.findall(self.output)]

    @property
    def failures(self) -> list[str]:
        """Every failure schemathesis reported, each a block of its output."""
        blocks = re.split(r"\n(?=_{3,} )", self.output)[1:]
        return [b.split("\n=====", 1)[0].strip() for b in blocks]

    @property
    def failures_5xx(self) -> list[str]:
        """Failures schemathesis reported as server errors."""
        return [b for b in self.failures if "Server error" in b]


def config_text(*, max_examples: int, seed: int, deterministic: bool, stateful_steps: int) -> str:
    """The schemathesis.toml of a run."""
    # A live event stream never ends: schemathesis reads one until its request timeout (10 s by
    # default), which made the event route alone cost minutes; one second shows that it opens
    # and speaks text/event-stream.
    return (
        f"seed = {seed}\n"
        "[generation]\n"
        f"max-examples = {max_examples}\n"
        f"deterministic = {'true' if deterministic else 'false'}\n"
        # Strings may hold NUL: PostgreSQL refuses it in text, so a server must refuse it first.
        "allow-x00 = true\n"
        # No example database: a failure stored by an earlier run must not change the next one.
        'database = "none"\n'
        "[phases.stateful]\n"
        "enabled = true\n"
        f"max-steps = {stateful_steps}\n"
        "[[operations]]\n"
        'include-path = "/api/v1/meetings/{meeting_id}/events"\n'
        "request-timeout = 1.0\n"
    )


def run_schemathesis(
    base_database_url: str | None,
    work_dir: Path,
    *,
    seed: int,
    max_examples: int,
    deterministic: bool,
    stateful_steps: int = 10,
    workers: int = 2,
    max_failures: int = 20,
    phases: str | None = None,
    timeout: float = 1800,
) -> Run:
    """Migrate and seed a new database, serve it, run schemathesis as the admin; drop it after."""
    url = plan_database(base_database_url, "contract")
    run = Run(seed=seed, database="postgresql" if url.startswith("postgresql") else "sqlite")
    create_database(url)
    log_path = work_dir / f"server-{run.database}-{seed}.log"
    try:
        prepare(url)
        with running_server(url, extra_env=GENEROUS_LOGIN_LIMITS, log_path=log_path) as base:
            token = httpx.post(
                f"{base}/api/v1/auth/token", data={"username": "admin", "password": "shuping-demo"}
            ).json()["access_token"]
            exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
            config = work_dir / f"schemathesis-{seed}.toml"
            config.write_text(
                config_text(
                    max_examples=max_examples, seed=seed, deterministic=deterministic, stateful_steps=stateful_steps
                ),
                encoding="utf-8",
            )
            started = time.monotonic()
            result = subprocess.run(
                [
                    exe,
                    "--config-file",
                    str(config),
                    "run",
                    f"{base}/api/v1/openapi.json",
                    "--checks",
                    "all",
                    "--exclude-checks",
                    "ignored_auth,positive_data_acceptance",
                    "-H",
                    f"Authorization: Bearer {token}",
                    "--workers",
                    str(workers),
                    "--max-failures",
                    str(max_failures),
                    *(["--phases", phases] if phases else []),
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**os.environ, "NO_COLOR": "1"},
            )
            run.seconds = time.monotonic() - started
            run.returncode = result.returncode
            run.output = result.stdout + result.stderr
    finally:
        drop_database(url)
    run.server_log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    run.server_errors = [line for line in run.server_log.splitlines() if _STATUS_5XX.search(line)]
    return run
