"""Backup and restore: the demo county backed up and restored into an empty database and var directory
comes back with the same rows per table, the same files byte for byte and a verifying audit chain, on
SQLite and (with SHUPING_TEST_DATABASE_URL) PostgreSQL; a tampered archive, a target holding data and
the other kind of database are refused."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from shuping.app import backup as backup_module
from shuping.app.backup import (
    DUMPS,
    BackupError,
    DatabaseState,
    backup,
    inspect_database,
    restore,
)
from shuping.audit.service import record
from shuping.cli import main, migrate
from shuping.config import REPO_ROOT, get_settings
from tests.support.databases import create_database, drop_database, plan_database

BASE_URL = os.environ.get("SHUPING_TEST_DATABASE_URL")
KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not BASE_URL, reason="no PostgreSQL"))]
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a loop of its own thread (the test session's loop is left alone)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def in_thread(fn: Callable[[], T]) -> T:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def new_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{folder / 'shuping.db'}"
    url = plan_database(BASE_URL, "backup")
    in_thread(lambda: create_database(url))
    return url


async def state_of(url: str) -> DatabaseState:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await inspect_database(conn)
    finally:
        await engine.dispose()


async def append_audit_entry(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with AsyncSession(engine) as session:
            await record(session, actor=None, actor_name="restore-test", action="restore.checked", entity_type="backup")
            await session.commit()
    finally:
        await engine.dispose()


async def execute(url: str, statement: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


def contents(var_dir: Path) -> dict[str, bytes]:
    """Every file under var_dir but a SQLite database's, by relative path."""
    return {
        p.relative_to(var_dir).as_posix(): p.read_bytes()
        for p in sorted(var_dir.rglob("*"))
        if p.is_file() and not p.name.startswith("shuping.db")
    }


@dataclass
class Source:
    kind: str
    url: str
    var_dir: Path
    archive: Path
    manifest: dict[str, Any]
    state: DatabaseState


@pytest.fixture(scope="module", params=KINDS)
def source(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    """The whole demo (its evaluation too) in a database of its own, a few stored files, and one backup."""
    kind: str = request.param
    var_dir = tmp_path_factory.mktemp(f"source-var-{kind}")
    # On SQLite the database lives in the var directory, as by default: the backup leaves it out of files/.
    url = new_database(kind, var_dir)
    env = {**os.environ, "SHUPING_DATABASE_URL": url, "SHUPING_VAR_DIR": str(var_dir), "SHUPING_MODE": "demo"}
    in_thread(lambda: migrate(url))
    subprocess.run(
        [sys.executable, "-m", "shuping.cli", "seed-demo"], env=env, cwd=REPO_ROOT, check=True, capture_output=True
    )
    files = {
        "reports/7/3f2a9c0d.pdf": b"%PDF-1.7\n" + os.urandom(300_000),
        "ledger/12/b81e.jpg": b"\xff\xd8\xff\xe0" + os.urandom(40_000),
        "import-errors/9c1d.xlsx": b"PK\x03\x04" + os.urandom(5_000),
        "notes/述评 说明.txt": "整改台账 ✓\n".encode(),
        "empty.bin": b"",
    }
    for relative, data in files.items():
        (var_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (var_dir / relative).write_bytes(data)
    output = tmp_path_factory.mktemp(f"backups-{kind}")
    result = run(backup(database_url=url, var_dir=var_dir, output_dir=output))
    yield Source(kind, url, var_dir, result.path, result.manifest, run(state_of(url)))
    in_thread(lambda: drop_database(url))


@pytest.fixture
def target(source: Source, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An empty database of the source's kind (on SQLite not even a file yet) and an empty var directory."""
    var_dir = tmp_path / "var"
    url = new_database(source.kind, var_dir)
    yield url, var_dir
    in_thread(lambda: drop_database(url))


def cli(argv: list[str], url: str, var_dir: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(get_settings(), "database_url", url)
    monkeypatch.setattr(get_settings(), "var_dir", var_dir)
    return in_thread(lambda: main(argv))


def test_the_archive_holds_the_dump_the_files_and_a_manifest(source: Source) -> None:
    m = source.manifest
    assert source.archive.name.startswith("shuping-backup-") and source.archive.name.endswith("Z.tar.gz")
    assert source.archive.stat().st_mode & 0o777 == 0o600
    assert m["database"] == source.kind and m["format_version"] == 1 and m["created_at"].endswith("Z")
    assert source.state.revision is not None and m["alembic_revision"] == source.state.revision
    assert m["row_counts"] == source.state.row_counts
    assert m["row_counts"]["audit_entry"] == m["audit"]["entries"] > 0 and m["audit"]["verified"] is True
    assert m["row_counts"]["ballot"] > 0 and m["row_counts"]["petition_case"] > 0
    with tarfile.open(source.archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json"
    assert (
        sorted(names[:-1])
        == sorted(m["members"])
        == sorted([DUMPS[source.kind], *(f"files/{r}" for r in contents(source.var_dir))])
    )
    # The SQLite database under var is the dump, never one of the files.
    assert not [n for n in names if n.startswith("files/shuping.db")]
    assert m["members"]["files/empty.bin"] == {
        "size": 0,
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    }


@pytest.mark.parametrize("migrated", [False, True], ids=["blank", "migrated"])
def test_restore_gives_the_same_rows_files_and_audit_chain(
    source: Source, target: tuple[str, Path], migrated: bool, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    url, var_dir = target
    if migrated:  # the tables there but no rows: still an empty target
        in_thread(lambda: migrate(url))
    assert cli(["restore", str(source.archive)], url, var_dir, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "counts match" in out and "audit chain ok" in out
    restored = run(state_of(url))
    assert restored.row_counts == source.state.row_counts == source.manifest["row_counts"]
    assert restored.revision == source.state.revision
    assert restored.audit_ok and restored.audit_entries == source.state.audit_entries
    assert contents(var_dir) == contents(source.var_dir)
    # The restored database goes on: a new audit entry takes the next id (the sequences came along) and
    # extends the chain, which the command line's own check verifies.
    run(append_audit_entry(url))
    # As an operator runs it: a process of its own, so nothing this test process holds can answer for it.
    verified = subprocess.run(
        [sys.executable, "-m", "shuping.cli", "verify-audit"],
        env={**os.environ, "SHUPING_DATABASE_URL": url, "SHUPING_VAR_DIR": str(var_dir)},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{source.state.audit_entries + 1} entries" in verified.stdout


def test_a_backup_while_a_write_is_open_holds_the_committed_rows(source: Source, tmp_path: Path) -> None:
    if source.kind != "sqlite":
        pytest.skip("the SQLite backup API's snapshot")
    db = Path(source.url.split(":///", 1)[1])
    with closing(sqlite3.connect(db, isolation_level=None, timeout=1)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM alembic_version")
        result = run(backup(database_url=source.url, var_dir=source.var_dir, output_dir=tmp_path))
        writer.execute("ROLLBACK")
    assert result.manifest["alembic_revision"] == source.state.revision
    assert result.manifest["row_counts"] == source.state.row_counts


def _rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes]) -> None:
    """Copy the archive member by member through `change` (None leaves the member out), adding `extra`."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            new = change(member.name, data)
            if new is None:
                continue
            member.size = len(new)
            dst.addfile(member, io.BytesIO(new))
        for name, data in extra.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def _flip_file(name: str, data: bytes) -> bytes | None:
    return data[:-1] + bytes([data[-1] ^ 1]) if name == "files/reports/7/3f2a9c0d.pdf" else data


def _edit_manifest(name: str, data: bytes) -> bytes | None:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["members"]["files/ledger/12/b81e.jpg"]["sha256"] = "0" * 64
    return json.dumps(manifest).encode()


def _newer_migration(name: str, data: bytes) -> bytes | None:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["alembic_revision"] = "deadbeef0000"
    return json.dumps(manifest).encode()


TAMPERING: dict[str, tuple[Callable[[str, bytes], bytes | None], dict[str, bytes], str]] = {
    "file changed": (_flip_file, {}, "does not match its checksums"),
    "dump changed": (lambda n, d: d + b"\0" if n in DUMPS.values() else d, {}, "does not match its checksums"),
    "manifest changed": (_edit_manifest, {}, "does not match its checksums"),
    "file added": (lambda n, d: d, {"files/reports/evil.pdf": b"%PDF-"}, "does not match its manifest"),
    "file removed": (lambda n, d: None if n == "files/empty.bin" else d, {}, "does not match its manifest"),
    "no manifest": (lambda n, d: None if n == "manifest.json" else d, {}, "has no manifest.json"),
    "newer migration": (_newer_migration, {}, "at migration deadbeef0000, which this version of Shuping does not know"),
    "path outside": (lambda n, d: d, {"files/../../etc/cron.d/x": b"x"}, "unexpected member"),
}


@pytest.mark.parametrize("tampering", list(TAMPERING))
def test_a_tampered_archive_is_refused_and_nothing_changes(
    source: Source, tmp_path: Path, tampering: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    if source.kind != "sqlite":
        pytest.skip("checking an archive does not depend on the database")
    change, extra, message = TAMPERING[tampering]
    bad = tmp_path / "bad.tar.gz"
    _rewrite(source.archive, bad, change, extra)
    var_dir = tmp_path / "var"
    url = f"sqlite+aiosqlite:///{var_dir / 'shuping.db'}"
    assert cli(["restore", str(bad)], url, var_dir, monkeypatch) == 2
    err = capsys.readouterr().err
    assert "restore refused" in err and message in err
    assert not var_dir.exists() and not (tmp_path / "etc").exists()


def test_a_manifest_whose_counts_were_edited_restores_but_does_not_verify(
    source: Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    if source.kind != "sqlite":
        pytest.skip("checking an archive does not depend on the database")

    def fewer_ballots(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["row_counts"]["ballot"] -= 1
        return json.dumps(manifest).encode()

    edited = tmp_path / "edited.tar.gz"
    _rewrite(source.archive, edited, fewer_ballots, {})
    var_dir = tmp_path / "var"
    assert cli(["restore", str(edited)], f"sqlite+aiosqlite:///{var_dir / 'x.db'}", var_dir, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "restore NOT verified" in err and "row counts differ from the manifest in ['ballot']" in err


def test_a_cut_short_archive_is_refused(
    source: Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    if source.kind != "sqlite":
        pytest.skip("checking an archive does not depend on the database")
    bad = tmp_path / "short.tar.gz"
    bad.write_bytes(source.archive.read_bytes()[: source.archive.stat().st_size // 2])
    var_dir = tmp_path / "var"
    assert cli(["restore", str(bad)], f"sqlite+aiosqlite:///{var_dir / 'x.db'}", var_dir, monkeypatch) == 2
    assert "not a readable backup archive" in capsys.readouterr().err
    assert not var_dir.exists()


def test_a_target_holding_data_is_refused_without_force(
    source: Source, target: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    url, var_dir = target
    run(restore(source.archive, database_url=url, var_dir=var_dir))
    # Someone's work since: an audit entry gone, a file changed.
    run(execute(url, "DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"))
    (var_dir / "notes/述评 说明.txt").write_text("changed")
    assert cli(["restore", str(source.archive)], url, var_dir, monkeypatch) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "--force" in err
    assert run(state_of(url)).row_counts["audit_entry"] == source.state.row_counts["audit_entry"] - 1
    assert (var_dir / "notes/述评 说明.txt").read_text() == "changed"

    assert cli(["restore", "--force", str(source.archive)], url, var_dir, monkeypatch) == 0
    restored = run(state_of(url))
    assert restored.row_counts == source.manifest["row_counts"] and restored.audit_ok
    assert contents(var_dir) == contents(source.var_dir)


def test_a_database_in_use_is_refused_and_keeps_its_data(
    source: Source, target: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, var_dir = target
    run(restore(source.archive, database_url=url, var_dir=var_dir))
    run(execute(url, "DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)"))
    monkeypatch.setattr(backup_module, "LOCK_TIMEOUT_SECONDS", 1)

    async def restore_while_in_use() -> None:
        # A server's connection: on SQLite merely open, on PostgreSQL inside a transaction that has read.
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT count(*) FROM audit_entry"))
                await restore(source.archive, database_url=url, var_dir=var_dir, force=True)
        finally:
            await engine.dispose()

    with pytest.raises(BackupError, match="the target database is in use: stop the server"):
        run(restore_while_in_use())
    assert run(state_of(url)).row_counts["audit_entry"] == source.state.row_counts["audit_entry"] - 1


def test_a_dump_that_cannot_be_loaded_changes_nothing(source: Source, target: tuple[str, Path], tmp_path: Path) -> None:
    if source.kind != "postgresql":
        pytest.skip("pg_restore's script loaded by psql in one transaction")
    url, var_dir = target
    run(restore(source.archive, database_url=url, var_dir=var_dir))
    with tarfile.open(source.archive) as tar:
        dump = tar.extractfile(DUMPS["postgresql"]).read()  # type: ignore[union-attr]
    # Cut in the middle of the data: the old objects are dropped and half the rows loaded before it fails.
    broken = tmp_path / DUMPS["postgresql"]
    broken.write_bytes(dump[: len(dump) * 2 // 3])
    with pytest.raises(BackupError, match="nothing was changed"):
        run(backup_module._pg_restore(url, broken))
    restored = run(state_of(url))
    assert restored.row_counts == source.state.row_counts and restored.audit_ok


def test_the_other_kind_of_database_is_refused(source: Source, tmp_path: Path) -> None:
    other = (
        "postgresql+asyncpg://nobody@127.0.0.1:1/shuping_test_backup_none"
        if source.kind == "sqlite"
        else f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    )
    with pytest.raises(BackupError, match=r"(SQLite|PostgreSQL) database and the target .* is (PostgreSQL|SQLite)"):
        run(restore(source.archive, database_url=other, var_dir=tmp_path / "var"))
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "var").exists()


def test_the_command_writes_the_archive_to_the_output_directory(
    source: Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    output = tmp_path / "nested" / "backups"
    assert cli(["backup", "--output", str(output)], source.url, source.var_dir, monkeypatch) == 0
    [archive] = output.iterdir()
    assert archive.name.startswith("shuping-backup-") and str(archive) in capsys.readouterr().out
    assert output.stat().st_mode & 0o777 == 0o700
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["row_counts"] == source.state.row_counts
