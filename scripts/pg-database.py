"""Create or drop one PostgreSQL database named by a SQLAlchemy URL (for scripts/e2e.sh).

Usage: pg-database.py create|drop postgresql+asyncpg://user@host:port/name
"""

from __future__ import annotations

import asyncio
import sys

import asyncpg
from sqlalchemy.engine import make_url


async def main(action: str, url: str) -> None:
    target = make_url(url)
    name = target.database
    if not name or not name.replace("_", "").isalnum():
        sys.exit(f"refusing the database name {name!r}")
    admin = target.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    try:
        if action == "create":
            await conn.execute(f'CREATE DATABASE "{name}"')
        elif action == "drop":
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            sys.exit(f"unknown action {action!r}")
    finally:
        await conn.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2]))
