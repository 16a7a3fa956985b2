"""Simulate the Sunshine Petition system pushing signed batches to a running Shuping server.

Usage: .venv/bin/python scripts/sunshine_sim.py [--url http://127.0.0.1:8000] [--secret ...] [--cases 20]
The secret defaults to SHUPING_SUNSHINE_SECRET, else the demo-mode secret. Sends: a new batch, the
same message again (a duplicate), newer updates, a stale update, a batch with a bad case, and one
with a wrong signature; prints what the server answered to each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from shuping.config import DEMO_SUNSHINE_SECRET
from shuping.petitions import webhooks

TOWNSHIPS = [f"410326{n}" for n in (101, 102, 103, 104, 105, 106, 107, 201, 202, 203, 204, 205, 206, 301)]
CATEGORIES = ["土地征收", "劳动社保", "城乡建设", "农村农业", "环境保护"]


def case(n: int, run: str, status: str, updated: datetime) -> dict[str, Any]:
    rng = random.Random(n)  # noqa: S311  (simulated data)
    return {
        "external_id": f"SIM-{run}-{n:04d}",
        "org_code": TOWNSHIPS[n % len(TOWNSHIPS)],
        "department_code": f"410326-D{1 + n % 40:02d}",
        "category": CATEGORIES[n % len(CATEGORIES)],
        "summary": f"模拟信访事项 {n}",
        "petitioner_name": "模拟" + "甲乙丙丁戊"[n % 5],
        "petitioner_phone": f"13{rng.randint(100_000_000, 999_999_999)}",
        "received_at": (updated - timedelta(days=3)).date().isoformat(),
        "status": status,
        "updated_at": updated.isoformat(),
        "note": None,
    }


def push(
    client: httpx.Client, secret: str, payload: Any, *, msg_id: str | None = None, sign_with: str | None = None
) -> tuple[httpx.Response, str]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    ts = int(time.time())
    key = webhooks.parse_secret(sign_with or secret)
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": webhooks.sign(key, msg_id, ts, body),
        "content-type": "application/json",
    }
    return client.post("/api/v1/integrations/sunshine/cases", content=body, headers=headers), msg_id


def report(title: str, response: httpx.Response) -> None:
    if response.status_code != 200:
        detail = response.json().get("detail") if "json" in response.headers.get("content-type", "") else response.text
        print(f"{title:<42} HTTP {response.status_code}: {detail}")
        return
    body = response.json()
    counts = Counter(r["result"] for r in body["results"])
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no cases"
    print(f"{title:<42} HTTP 200 duplicate={body['duplicate']}: {summary}")
    for r in body["results"]:
        if r["result"] == "error":
            print(f"{'':<44}{r['external_id']}: {r['error']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("SHUPING_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--secret", default=os.environ.get("SHUPING_SUNSHINE_SECRET") or DEMO_SUNSHINE_SECRET)
    parser.add_argument("--cases", type=int, default=20)
    args = parser.parse_args()
    run = datetime.now(UTC).strftime("%m%d%H%M%S")
    now = datetime.now(UTC).replace(microsecond=0)
    with httpx.Client(base_url=args.url, timeout=30) as client:
        batch = [case(n, run, "accepted", now - timedelta(hours=2)) for n in range(args.cases)]
        r, msg_id = push(client, args.secret, {"cases": batch})
        report(f"1. new batch of {args.cases}", r)
        r, _ = push(client, args.secret, {"cases": batch}, msg_id=msg_id)
        report("2. the same message again", r)
        steps = ["in_progress", "assigned", "transferred", "resolved", "closed", "in_progress"]
        newer = [
            {**c, "status": s, "updated_at": (now - timedelta(hours=1)).isoformat()}
            for c, s in zip(batch, steps, strict=False)
        ]
        r, _ = push(client, args.secret, {"cases": newer})
        report("3. newer updates for 6 cases", r)
        stale = [{**batch[3], "status": "in_progress", "updated_at": (now - timedelta(hours=3)).isoformat()}]
        r, _ = push(client, args.secret, {"cases": stale})
        report("4. an older (stale) update", r)
        bad = [case(900, run, "accepted", now), {**case(901, run, "accepted", now), "org_code": "000000"}]
        r, _ = push(client, args.secret, {"cases": bad})
        report("5. one good case, one with an unknown org", r)
        r, _ = push(client, args.secret, {"cases": [case(902, run, "accepted", now)]}, sign_with="wrong-secret")
        report("6. a wrong signature", r)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
