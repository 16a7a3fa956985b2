"""Schemathesis over every operation of the OpenAPI document, against the real server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import REPO, prepare, running_server


@pytest.mark.skipif(os.environ.get("SHUPING_CONTRACT") == "off", reason="contract run once per CI (on SQLite)")
def test_every_operation_conforms_to_the_schema(base_database_url: str | None, tmp_path: Path) -> None:
    url = plan_database(base_database_url, "contract")
    create_database(url)
    try:
        prepare(url)
        # Generous login limits: schemathesis logs in with random names many times.
        env = {"SHUPING_LOGIN_MAX_ATTEMPTS": "100000", "SHUPING_LOGIN_IP_MAX_ATTEMPTS": "100000"}
        with running_server(url, extra_env=env) as base:
            token = httpx.post(
                f"{base}/api/v1/auth/token", data={"username": "admin", "password": "shuping-demo"}
            ).json()["access_token"]
            exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
            max_examples = os.environ.get("SHUPING_SCHEMATHESIS_EXAMPLES", "25")
            config = tmp_path / "schemathesis.toml"
            # A live event stream never ends: schemathesis reads one until its request timeout (10 s by
            # default), which made the event route alone cost minutes; one second shows that it opens
            # and speaks text/event-stream.
            config.write_text(
                f"[generation]\nmax-examples = {max_examples}\n[phases.stateful]\nenabled = false\n"
                '[[operations]]\ninclude-path = "/api/v1/meetings/{meeting_id}/events"\nrequest-timeout = 1.0\n',
                encoding="utf-8",
            )
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
                    "2",
                    "--max-failures",
                    "20",
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
    finally:
        drop_database(url)
