"""Command line: migrate, load the demo county, verify the audit chain, back up and restore, print OpenAPI."""

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


async def _backup(output: Path) -> int:
    from shuping.app.backup import BackupError, backup

    settings = get_settings()
    try:
        result = await backup(database_url=settings.database_url, var_dir=settings.var_dir, output_dir=output)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 2
    m = result.manifest
    rows = sum(m["row_counts"].values())
    size = result.path.stat().st_size
    print(
        f"{result.path} ({size / 1024 / 1024:.1f} MiB): {m['database']} at {m['alembic_revision']}, "
        f"{rows} rows in {len(m['row_counts'])} tables, {m['files']} file(s), {m['audit']['entries']} audit entries"
    )
    if not m["audit"]["verified"]:
        print("warning: the audit chain does not verify (backed up as it is)", file=sys.stderr)
    return 0


async def _restore(archive: Path, force: bool) -> int:
    from shuping.app.backup import BackupError, VerificationFailed, restore

    settings = get_settings()
    try:
        result = await restore(archive, database_url=settings.database_url, var_dir=settings.var_dir, force=force)
    except VerificationFailed as exc:
        print(f"restore NOT verified: {exc}", file=sys.stderr)
        return 1
    except BackupError as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 2
    m = result.manifest
    print(
        f"restored the backup of {m['created_at']}: {sum(m['row_counts'].values())} rows in "
        f"{len(m['row_counts'])} tables (counts match), {result.files} file(s) (checksums match), "
        f"audit chain ok ({result.audit_entries} entries)"
    )
    if result.files_left:
        print(f"{result.files_left} files under {settings.var_dir} are not in the backup and were left as they are")
    for note in result.notes:
        print(note)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shuping")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("migrate", help="upgrade the database to the latest migration")
    seed = sub.add_parser("seed-demo", help="load the demo county (idempotent)")
    seed.add_argument("--force", action="store_true", help="load even outside demo/dev mode")
    seed.add_argument("--only-in-demo-mode", action="store_true", help="outside demo/dev mode, skip quietly")
    sub.add_parser("verify-audit", help="verify the audit hash chain")
    sub.add_parser("openapi", help="print the OpenAPI document")
    back = sub.add_parser("backup", help="archive the database and the files under the var directory")
    back.add_argument("--output", type=Path, default=Path("backups"), help="directory of the archives (./backups)")
    rest = sub.add_parser("restore", help="restore a backup archive into an empty database and var directory")
    rest.add_argument("archive", type=Path, help="a shuping-backup-*.tar.gz")
    rest.add_argument("--force", action="store_true", help="replace a database and var directory that hold data")
    args = parser.parse_args(argv)

    if args.cmd == "migrate":
        migrate()
    elif args.cmd == "seed-demo":
        asyncio.run(_seed_demo(args.force, args.only_in_demo_mode))
    elif args.cmd == "verify-audit":
        return asyncio.run(_verify_audit())
    elif args.cmd == "backup":
        return asyncio.run(_backup(args.output))
    elif args.cmd == "restore":
        return asyncio.run(_restore(args.archive, args.force))
    elif args.cmd == "openapi":
        from shuping.main import app

        print(json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
