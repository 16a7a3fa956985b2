"""Schemathesis over every operation of the OpenAPI document, against the real server.

The run is reproducible: a fixed seed, deterministic generation and no example database, so a red
CI run is the same run anywhere. Strings may hold NUL, and the stateful phase chains operations
through the links schemathesis infers from the document. `make fuzz` explores further with other
seeds (scripts/fuzz.py); SHUPING_SCHEMATHESIS_SEED, SHUPING_SCHEMATHESIS_EXAMPLES and
SHUPING_SCHEMATHESIS_PHASES repeat one of its runs here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.contract import CONTRACT_SEED, run_schemathesis


@pytest.mark.skipif(os.environ.get("SHUPING_CONTRACT") == "off", reason="contract run once per CI (on SQLite)")
def test_every_operation_conforms_to_the_schema(base_database_url: str | None, tmp_path: Path) -> None:
    seed = int(os.environ.get("SHUPING_SCHEMATHESIS_SEED", CONTRACT_SEED))
    run = run_schemathesis(
        base_database_url,
        tmp_path,
        seed=seed,
        max_examples=int(os.environ.get("SHUPING_SCHEMATHESIS_EXAMPLES", "25")),
        deterministic="SHUPING_SCHEMATHESIS_SEED" not in os.environ,
        phases=os.environ.get("SHUPING_SCHEMATHESIS_PHASES"),
        timeout=900,
    )
    assert run.returncode == 0, f"seed {seed}, {run.seconds:.0f} s\n" + run.output[-15000:]
