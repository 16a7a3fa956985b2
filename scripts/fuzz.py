"""A longer random exploration of the API than the contract run: many seeds, both databases.

Usage: .venv/bin/python scripts/fuzz.py [--seeds 20] [--first-seed 1] [--examples 25] [--phases fuzzing,stateful]
       [--databases sqlite,postgresql] [--postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Each run migrates and seeds a fresh database, serves it on a free port and lets schemathesis (as the
admin, strings with NUL allowed, not deterministic) explore it with one seed in its random phases,
fuzzing and stateful (the examples and coverage phases do not depend on the seed; the contract run
in `make test` covers them).
Runs go one after another. Prints each run's seed, database and duration, then every 5xx: what
schemathesis reported with its reproducing curl, and the server's own 5xx lines and exceptions.
Exits 1 if any run met a 5xx (or could not run). Repeat one run with
`SHUPING_SCHEMATHESIS_SEED=<seed> SHUPING_SCHEMATHESIS_EXAMPLES=25 SHUPING_SCHEMATHESIS_PHASES=fuzzing,stateful
.venv/bin/pytest -q tests/test_contract.py` (plus SHUPING_TEST_DATABASE_URL for PostgreSQL); the
server's state also depends on the order two workers happen to take, so a repeat is close, not exact.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "backend"))

from tests.support.contract import Run, run_schemathesis  # noqa: E402

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
_EXCEPTION = re.compile(r"^(?:[\w.]+(?:Error|Exception|Violation)[\w.]*): .*$", re.MULTILINE)


def _exceptions(log: str) -> list[str]:
    seen: dict[str, None] = {}
    for line in _EXCEPTION.findall(log):
        seen.setdefault(line[:300], None)
    return list(seen)


def report(run: Run) -> bool:
    """Print one run; answer whether it met a 5xx or failed to run."""
    bad = bool(run.server_errors or run.failures_5xx)
    # schemathesis answers 1 for failed checks and more for errors of its own (a schema it cannot read).
    broken = run.returncode not in (0, 1)
    others = [b for b in run.failures if b not in run.failures_5xx]
    verdict = "5xx" if bad else ("error" if broken else "ok")
    print(
        f"seed {run.seed:>6}  {run.database:<10}  {run.seconds:7.1f} s  {verdict}"
        + (f"  ({len(others)} other check failure(s))" if others else ""),
        flush=True,
    )
    for block in others:
        # The operation and the checks that failed.
        lines = block.splitlines()
        print("    other: " + " ".join([lines[0].strip("_ ")] + [x.strip() for x in lines if x.startswith("- ")]))
    for block in run.failures_5xx:
        # A generated body can be megabytes: its start is enough to tell the case.
        text = block if len(block) <= 6000 else block[:6000] + " …"
        print("    " + text.replace("\n", "\n    "))
    if run.server_errors:
        print(f"    server answered {len(run.server_errors)} request(s) with 5xx, e.g.:")
        for line in run.server_errors[:10]:
            print("      " + line.strip())
        for exc in _exceptions(run.server_log)[:10]:
            print("      ! " + exc)
    if broken:
        print("    " + run.output[-3000:].replace("\n", "\n    "))
    return bad or broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="how many seeds (default 20)")
    parser.add_argument("--first-seed", type=int, default=1, help="the first seed; the others follow (default 1)")
    parser.add_argument("--examples", type=int, default=25, help="schemathesis max examples per operation")
    # The examples and coverage phases do not depend on the seed: the contract run covers them.
    parser.add_argument("--phases", default="fuzzing,stateful", help="schemathesis phases (default fuzzing,stateful)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("SHUPING_TEST_DATABASE_URL") or DEFAULT_POSTGRES, help="a server"
    )
    args = parser.parse_args()
    urls = {"sqlite": None, "postgresql": args.postgres_url}
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - set(urls)
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")

    started = time.monotonic()
    failed: list[tuple[str, int]] = []
    totals = {d: 0.0 for d in databases}
    with tempfile.TemporaryDirectory(prefix="shuping-fuzz-") as tmp:
        # Seed by seed, each on every database: a run cut short has still seen both.
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            for database in databases:
                run = run_schemathesis(
                    urls[database],
                    Path(tmp),
                    seed=seed,
                    max_examples=args.examples,
                    deterministic=False,
                    phases=args.phases,
                )
                totals[database] += run.seconds
                if report(run):
                    failed.append((database, seed))
    print(
        f"\n{args.seeds} seed(s) × {len(databases)} database(s) in {time.monotonic() - started:.0f} s ("
        + ", ".join(f"{d} {t:.0f} s of schemathesis" for d, t in totals.items())
        + ")"
    )
    if failed:
        print("5xx or errors in: " + ", ".join(f"{d} seed {s}" for d, s in failed))
        return 1
    print("no 5xx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
