"""Command line: migrate, load the demo county, verify the audit chain, print OpenAPI."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from shuping.config import REPO_ROOT, Mode, get_settings


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    if database_url:
        cfg.attributes["database_url"] = database_url
    return cfg


def migrate(database_url: str | None = None) -> None:
    url = database_url or get_settings().database_url
    if url.startswith("sqlite"):
        db_path = url.split(":///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url), "head")


async def _seed_demo(force: bool, only_in_demo_mode: bool) -> None:
    from shuping.db import database
    from shuping.demo.seed import load_demo
    from shuping.wiring import wire

    wire()  # the demo computes results with the indicator formulas, and steps through stages
    settings = get_settings()
    if settings.mode == Mode.production and not force:
        if only_in_demo_mode:
            print("production mode: the demo county is not loaded")
            return
        sys.exit("refusing to load demo data outside demo/dev mode (pass --force to insist)")
    try:
        async with database.session() as session:
            summary = await load_demo(session)
            await session.commit()
    finally:
        await database.dispose()
    print(summary)


async def _verify_audit() -> int:
    from shuping.audit.service import verify_chain
    from shuping.db import database

    try:
        async with database.session(read_only=True) as session:
            check = await verify_chain(session)
    finally:
        await database.dispose()
    if check.ok:
        print(f"audit chain ok: {check.entries} entries")
        return 0
    print(f"audit chain BROKEN at entry {check.first_broken_id}: {check.reason}")
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shuping")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("migrate", help="upgrade the database to the latest migration")
    seed = sub.add_parser("seed-demo", help="load the demo county (idempotent)")
    seed.add_argument("--force", action="store_true", help="load even outside demo/dev mode")
    seed.add_argument("--only-in-demo-mode", action="store_true", help="outside demo/dev mode, skip quietly")
    sub.add_parser("verify-audit", help="verify the audit hash chain")
    sub.add_parser("openapi", help="print the OpenAPI document")
    args = parser.parse_args(argv)

    if args.cmd == "migrate":
        migrate()
    elif args.cmd == "seed-demo":
        asyncio.run(_seed_demo(args.force, args.only_in_demo_mode))
    elif args.cmd == "verify-audit":
        return asyncio.run(_verify_audit())
    elif args.cmd == "openapi":
        from shuping.main import app

        print(json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
