"""The order of the domains (README → Layout) holds, and the contract that keeps it bites.

`make lint` runs the same contract (`[tool.importlinter]` in pyproject.toml); this test also shows
that an import from a lower domain to a higher one breaks it, so the contract cannot quietly stop
checking anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def _lint(python_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(python_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(REPO / "pyproject.toml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def test_the_domains_keep_their_order() -> None:
    run = _lint(REPO / "backend")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 1 kept, 0 broken." in run.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("cycles/freeze.py", "from shuping.results import models"),  # a lower domain reaching up
        ("scoring/rules.py", "from shuping.meetings import models"),  # the pure rules reaching up
        ("audit/service.py", "from shuping.auth import models"),  # the lowest domain reaching up
    ],
)
def test_an_import_upward_breaks_the_contract(tmp_path: Path, module: str, upward: str) -> None:
    shutil.copytree(REPO / "backend" / "shuping", tmp_path / "shuping", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "shuping" / module
    # Inside a function, where it would not even run at import time: it still counts.
    target.write_text(target.read_text() + f"\n\ndef _reach_up() -> None:\n    {upward}  # noqa\n")
    run = _lint(tmp_path)
    assert run.returncode == 1, run.stdout
    lower, higher = module.split("/")[0], upward.split()[1]
    assert f"shuping.{lower} is not allowed to import {higher}" in run.stdout
