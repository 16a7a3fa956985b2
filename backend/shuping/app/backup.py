"""Back up and restore the database and the files under var_dir, in one checked .tar.gz archive.

SQLite is copied with its online backup API (one consistent snapshot, writers go on meanwhile in WAL
mode); PostgreSQL with `pg_dump --format=custom` inside an exported snapshot, so that the dump and the
manifest's row counts see the same rows. The archive holds the dump, `files/…` (var_dir without the
SQLite database) and `manifest.json` (last): format version, UTC time, database kind, Alembic
revision, rows per table, the audit chain's state at backup time and a SHA-256 per member.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import anyio
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from shuping.audit.service import verify_chain
from shuping.config import REPO_ROOT

FORMAT = "shuping-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
AUDIT_TABLE = "audit_entry"
CHUNK = 1024 * 1024
# A restore waits this long for a lock on the target (a server still running), then gives up.
LOCK_TIMEOUT_SECONDS = 10


class BackupError(Exception):
    """A backup or restore refused or failed; the message tells the operator why (nothing was changed
    when it is raised before the restore starts writing)."""


class VerificationFailed(BackupError):
    """The restore ran, but the restored data does not match the archive's manifest."""


@dataclass(frozen=True)
class DatabaseState:
    revision: str | None
    row_counts: dict[str, int]
    audit_entries: int
    audit_ok: bool


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    audit_entries: int
    files_left: int = 0
    notes: list[str] = field(default_factory=list)


def database_kind(url: str) -> str:
    kind = make_url(url).get_backend_name()
    if kind not in DUMPS:
        raise BackupError(f"backups support SQLite and PostgreSQL databases, not {kind}")
    return kind


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database).resolve()


def _sqlite_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


def var_files(var_dir: Path, exclude: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """The regular files under var_dir as (posix path relative to it, path), symlinks and `exclude` left out."""
    if not var_dir.is_dir():
        return []
    excluded = {p.resolve() for p in exclude}
    found: list[tuple[str, Path]] = []
    for root, dirs, names in os.walk(var_dir):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink() and (here / d).resolve() not in excluded)
        for name in sorted(names):
            path = here / name
            if path.is_symlink() or not path.is_file() or path.resolve() in excluded:
                continue
            found.append((path.relative_to(var_dir).as_posix(), path))
    return found


def _engine(url: str) -> AsyncEngine:
    # A plain engine of its own: no pool to keep, no WAL switch on a snapshot copy.
    return create_async_engine(url, poolclass=NullPool)


async def inspect_database(conn: AsyncConnection) -> DatabaseState:
    """Rows per table, the Alembic revision and the audit chain, as the connection's transaction sees them."""
    tables = sorted(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    quote = conn.dialect.identifier_preparer.quote
    # Table names from the database's own catalogue, quoted: nothing here comes from a user.
    counts = {
        t: int((await conn.execute(text(f"SELECT count(*) FROM {quote(t)}"))).scalar_one())  # noqa: S608
        for t in tables
    }
    revision = None
    if "alembic_version" in tables:
        versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        revision = ",".join(sorted(versions)) or None
    entries, ok = 0, True
    if AUDIT_TABLE in tables:
        session = AsyncSession(bind=conn)
        try:
            check = await verify_chain(session)
        finally:
            await session.close()
        entries, ok = check.entries, check.ok
    return DatabaseState(revision, counts, entries, ok)


def _holds_rows(counts: dict[str, int]) -> int:
    return sum(n for t, n in counts.items() if t != "alembic_version")


# ----------------------------------------------------------------------------------------------- PostgreSQL


def _pg_env(url: str) -> tuple[dict[str, str], str]:
    """The libpq environment for the URL's server (the password only ever here) and the database name."""
    u = make_url(url)
    if not u.database:
        raise BackupError("the PostgreSQL URL names no database")
    # What the URL leaves out (a password in ~/.pgpass, PGSSLROOTCERT, …) libpq takes from the environment.
    env = dict(os.environ)
    host = u.host or u.query.get("host")  # a Unix socket's directory may come as ?host=
    for var, value in (("PGHOST", host), ("PGPORT", u.port), ("PGUSER", u.username), ("PGPASSWORD", u.password)):
        if isinstance(value, str | int):
            env[var] = str(value)
    env["PGDATABASE"] = u.database
    ssl = u.query.get("sslmode") or u.query.get("ssl")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = {"true": "require", "false": "disable"}.get(ssl.lower(), ssl)
    return env, u.database


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools (the server's version or newer)")
    return path


async def _run(args: list[str], env: dict[str, str]) -> None:
    proc = await asyncio.create_subprocess_exec(
        *args, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        said = (err or out).decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{Path(args[0]).name} failed (exit code {proc.returncode}): {said}")


async def _pg_dump(url: str, dump: Path) -> DatabaseState:
    env, _ = _pg_env(url)
    pg_dump = _tool("pg_dump")
    engine = _engine(url)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
            await conn.execute(text("SET TRANSACTION READ ONLY"))
            # pg_dump reads in this transaction's snapshot, so the counts below are the dump's rows.
            snapshot = (await conn.execute(text("SELECT pg_export_snapshot()"))).scalar_one()
            await _run([pg_dump, "--format=custom", f"--file={dump}", f"--snapshot={snapshot}"], env)
            state = await inspect_database(conn)
            await conn.rollback()
    except (DBAPIError, OSError) as exc:
        raise BackupError(f"cannot read the database: {getattr(exc, 'orig', None) or exc}") from exc
    finally:
        await engine.dispose()
    return state


async def _pg_drops(conn: AsyncConnection) -> str:
    """SQL that drops the views, tables, sequences and types of the current schema (the dump brings its own)."""
    quote = conn.dialect.identifier_preparer.quote
    groups = {
        "VIEW": "SELECT viewname FROM pg_views WHERE schemaname = current_schema()",
        "TABLE": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
        "SEQUENCE": "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()",
        "TYPE": (
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'r')"
        ),
    }
    # A server still running holds locks: give up rather than wait behind it.
    statements = [f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s';"]
    for kind, query in groups.items():
        names = (await conn.execute(text(query))).scalars().all()
        if names:
            statements.append(f"DROP {kind} IF EXISTS {', '.join(quote(n) for n in names)} CASCADE;")
    return "\n".join(statements) + "\n"


def _pg_load(env: dict[str, str], drops: Path, dump: Path) -> None:
    """Drop the old objects and load the dump in one transaction: pg_restore's script fed to psql, which
    commits only once pg_restore has finished well (else it is killed, and the server rolls back)."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    # The restoring user owns what it restores: the roles of the backed-up server may not exist here.
    script = [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)]
    load = [
        psql,
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--file={drops}",
        "--file=-",
    ]
    # Tools found on PATH, argument lists, no shell. Their complaints go to files: a full pipe would stall them.
    with (
        tempfile.TemporaryFile() as written_err,
        tempfile.TemporaryFile() as loaded_err,
        subprocess.Popen(script, env=env, stdout=subprocess.PIPE, stderr=written_err) as writer,  # noqa: S603
        subprocess.Popen(load, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=loaded_err) as loader,  # noqa: S603
    ):
        assert writer.stdout is not None and loader.stdin is not None
        try:
            shutil.copyfileobj(writer.stdout, loader.stdin, CHUNK)
        except BrokenPipeError:
            writer.kill()  # psql stopped at an error: the rest of the script is of no use
        if writer.wait() != 0 and loader.poll() is None:
            loader.kill()
        with contextlib.suppress(BrokenPipeError):
            loader.stdin.close()
        loader.wait()
        written_err.seek(0)
        loaded_err.seek(0)
        written = written_err.read().decode(errors="replace").strip()
        said = loaded_err.read().decode(errors="replace").strip()
    if loader.returncode != 0:
        if "lock timeout" in said:
            raise BackupError("the target database is in use: stop the server, then restore")
        raise BackupError(f"the dump could not be loaded, nothing was changed: {(said or written)[-2000:]}")


async def _pg_restore(url: str, dump: Path) -> None:
    env, _ = _pg_env(url)
    engine = _engine(url)
    try:
        async with engine.connect() as conn:
            drops = await _pg_drops(conn)
    finally:
        await engine.dispose()
    path = dump.with_name("drops.sql")
    await anyio.Path(path).write_text(drops)
    await anyio.to_thread.run_sync(_pg_load, env, path, dump)


# ----------------------------------------------------------------------------------------------- SQLite


def _sqlite_snapshot(source: Path, dump: Path) -> None:
    if not source.is_file():
        raise BackupError(f"there is no SQLite database at {source}")
    with closing(sqlite3.connect(source, timeout=LOCK_TIMEOUT_SECONDS)) as src, closing(sqlite3.connect(dump)) as dst:
        src.backup(dst)
        # A self-contained file: no -wal beside it in the archive.
        dst.execute("PRAGMA journal_mode=DELETE")


def _sqlite_restore(dump: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(dump)) as src,
            closing(sqlite3.connect(target, timeout=LOCK_TIMEOUT_SECONDS, isolation_level=None)) as dst,
        ):
            # Through the target's own pager, so its -wal and -shm stay consistent with the new content.
            dst.execute("PRAGMA journal_mode=DELETE")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError("the target database is in use: stop the server, then restore") from exc
        raise


async def _sqlite_state(path: Path) -> DatabaseState | None:
    if not await anyio.Path(path).is_file():
        return None
    engine = _engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as conn:
            return await inspect_database(conn)
    finally:
        await engine.dispose()


async def _target_state(url: str, kind: str) -> DatabaseState | None:
    if kind == "sqlite":
        return await _sqlite_state(sqlite_path(url))
    engine = _engine(url)
    try:
        async with engine.connect() as conn:
            return await inspect_database(conn)
    except (DBAPIError, OSError) as exc:
        raise BackupError(f"cannot reach the target database: {getattr(exc, 'orig', None) or exc}") from exc
    finally:
        await engine.dispose()


# ----------------------------------------------------------------------------------------------- the archive


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path, members: dict[str, dict[str, Any]]) -> None:
    with path.open("rb") as raw:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(raw.fileno()).st_size
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o600
        reader = _Hashing(raw)
        tar.addfile(info, reader)
    members[name] = {"size": reader.size, "sha256": reader.digest.hexdigest()}


def _write_archive(archive: Path, dump: Path, files: list[tuple[str, Path]], manifest: dict[str, Any]) -> None:
    partial = archive.with_name(archive.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
            members: dict[str, dict[str, Any]] = {}
            _add(tar, dump.name, dump, members)
            for relative, path in files:
                _add(tar, FILES + relative, path, members)
            manifest["members"] = members
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            out.flush()
            os.fsync(out.fileno())
        # Only a whole archive ever carries the final name (a scheduled job may be killed half way).
        os.replace(partial, archive)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


async def backup(*, database_url: str, var_dir: Path, output_dir: Path) -> BackupResult:
    """Write shuping-backup-<UTC time>.tar.gz to output_dir: the database, the var files, the manifest."""
    kind = database_kind(database_url)
    created = datetime.now(UTC)
    archive = await anyio.to_thread.run_sync(_archive_path, output_dir, created)
    exclude = [archive.parent]
    with tempfile.TemporaryDirectory(prefix="shuping-backup-") as tmp:
        dump = Path(tmp) / DUMPS[kind]
        if kind == "sqlite":
            source = sqlite_path(database_url)
            exclude += _sqlite_files(source)
            await anyio.to_thread.run_sync(_sqlite_snapshot, source, dump)
            state = await _sqlite_state(dump)
            assert state is not None
        else:
            state = await _pg_dump(database_url, dump)
        # The files after the database: a file stored meanwhile is only one no row names yet.
        files = var_files(var_dir, exclude)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "database": kind,
            "alembic_revision": state.revision,
            "row_counts": state.row_counts,
            "audit": {"entries": state.audit_entries, "verified": state.audit_ok},
            "files": len(files),
        }
        await anyio.to_thread.run_sync(_write_archive, archive, dump, files, manifest)
    return BackupResult(archive, manifest)


def _archive_path(output_dir: Path, created: datetime) -> Path:
    output_dir = output_dir.resolve()
    # Archives hold every ballot and password hash: only their owner reads them.
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    archive = output_dir / f"shuping-backup-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} already exists: wait a second and try again")
    return archive


def _member_path(name: str) -> PurePosixPath | None:
    """The member's path when it is one an archive of ours may hold, else None."""
    path = PurePosixPath(name)
    if name in (MANIFEST, *DUMPS.values()):
        return path
    parts = path.parts
    if (
        name.startswith(FILES)
        and len(parts) > 1
        and not path.is_absolute()
        and all(p not in ("", ".", "..") for p in parts)
        and "\\" not in name
        and "\x00" not in name
    ):
        return path
    return None


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract the archive into `into`, checking every member against the manifest; return the manifest."""
    found: dict[str, dict[str, Any]] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                relative = _member_path(member.name)
                if relative is None or not member.isfile():
                    raise BackupError(
                        f"{archive.name} holds an unexpected member {member.name!r}: not a Shuping backup"
                    )
                if member.name in found:
                    raise BackupError(f"{archive.name} holds {member.name!r} twice")
                dest = into / relative
                dest.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                digest, size = hashlib.sha256(), 0
                with source, dest.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[member.name] = {"size": size, "sha256": digest.hexdigest()}
    except FileNotFoundError as exc:
        raise BackupError(f"there is no archive at {archive}") from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{archive.name} is not a readable backup archive ({exc})") from exc
    if MANIFEST not in found:
        raise BackupError(f"{archive.name} has no {MANIFEST}: not a Shuping backup, or cut short")
    try:
        manifest = json.loads((into / MANIFEST).read_text("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise BackupError(f"the manifest of {archive.name} is not valid JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive.name} is not a Shuping backup (its manifest says no format {FORMAT!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive.name} is in backup format {manifest.get('format_version')!r}; "
            f"this version of Shuping reads format {FORMAT_VERSION}"
        )
    listed, counts = manifest.get("members"), manifest.get("row_counts")
    if (
        manifest.get("database") not in DUMPS
        or not isinstance(listed, dict)
        or not isinstance(counts, dict)
        or not all(isinstance(n, int) for n in counts.values())
        or not isinstance(manifest.get("alembic_revision"), str | None)
    ):
        raise BackupError(f"the manifest of {archive.name} is incomplete")
    del found[MANIFEST]
    if set(listed) != set(found):
        extra, missing = sorted(set(found) - set(listed)), sorted(set(listed) - set(found))
        raise BackupError(
            f"{archive.name} does not match its manifest: "
            f"members not listed {extra[:5]}, listed but missing {missing[:5]}"
        )
    wrong = sorted(name for name, seen in found.items() if listed[name] != seen)
    if wrong:
        raise BackupError(f"{archive.name} does not match its checksums ({len(wrong)} members differ: {wrong[:5]})")
    if DUMPS[manifest["database"]] not in found:
        raise BackupError(f"{archive.name} holds no database dump")
    return manifest


def _check_revision(revision: str | None) -> str | None:
    """A note when the archive's schema is older than this code; refuse one this code does not know."""
    script = ScriptDirectory.from_config(Config(str(REPO_ROOT / "alembic.ini")))
    head = script.get_current_head()
    if revision is None or revision == head:
        return None
    try:
        known = all(r and script.get_revision(r) is not None for r in revision.split(","))
    except (CommandError, AssertionError):
        known = False
    if not known:
        raise BackupError(
            f"the archive's database is at migration {revision}, which this version of Shuping does not know: "
            "restore it with the version that made it (or a newer one)"
        )
    return "the restored database is at an older migration: run `python -m shuping.cli migrate` before starting"


def _place_files(staged: Path, var_dir: Path, names: list[str], protected: set[Path]) -> None:
    root = var_dir.resolve()
    for name in names:
        relative = name[len(FILES) :]
        dest = var_dir / relative
        resolved = dest.resolve()
        if not resolved.is_relative_to(root) or resolved in protected:
            raise BackupError(f"{name!r} would be written outside the var directory or over the database")
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".restoring")
        shutil.copyfile(staged / name, partial)
        os.replace(partial, dest)


def _hash_file(path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


async def restore(archive: Path, *, database_url: str, var_dir: Path, force: bool = False) -> RestoreResult:
    """Restore an archive into the database and var_dir, then check them against its manifest.

    Refused (BackupError, nothing changed) for an archive that does not match its manifest, a backup of
    the other kind of database, or a target that holds data unless `force`. VerificationFailed when the
    restored data does not match the manifest.
    """
    kind = database_kind(database_url)
    archive = Path(await anyio.Path(archive).resolve())
    protected: set[Path] = set()
    if kind == "sqlite":
        protected = {p.resolve() for p in _sqlite_files(sqlite_path(database_url))}
    with tempfile.TemporaryDirectory(prefix="shuping-restore-") as tmp:
        staged = Path(tmp)
        manifest = await anyio.to_thread.run_sync(_unpack, archive, staged)
        if manifest["database"] != kind:
            raise BackupError(
                f"{archive.name} holds a {KIND_NAMES[manifest['database']]} database and the target "
                f"(SHUPING_DATABASE_URL) is {KIND_NAMES[kind]}: restore it into a {KIND_NAMES[manifest['database']]} "
                "database (moving between the two is not a restore)"
            )
        note = _check_revision(manifest.get("alembic_revision"))
        state = await _target_state(database_url, kind)
        # Archives kept under var_dir (beside this one) are not the target's data.
        present = var_files(var_dir, [*protected, archive, archive.parent])
        held = []
        if state is not None and _holds_rows(state.row_counts):
            tables = sum(1 for t, n in state.row_counts.items() if n and t != "alembic_version")
            held.append(f"the database holds {_holds_rows(state.row_counts)} rows in {tables} tables")
        if present:
            held.append(f"{var_dir} holds {len(present)} files")
        if held and not force:
            raise BackupError(f"the target is not empty ({'; '.join(held)}): pass --force to replace it")

        dump = staged / DUMPS[kind]
        if kind == "sqlite":
            await anyio.to_thread.run_sync(_sqlite_restore, dump, sqlite_path(database_url))
        else:
            await _pg_restore(database_url, dump)
        names = sorted(n for n in manifest["members"] if n.startswith(FILES))
        try:
            await anyio.to_thread.run_sync(_place_files, staged, var_dir, names, protected)
        except OSError as exc:
            raise VerificationFailed(
                f"the database was restored, but not the files ({exc}): make room or fix the permissions "
                "of the var directory, then restore again with --force"
            ) from exc

    problems = []
    after = await _target_state(database_url, kind)
    assert after is not None
    if after.row_counts != manifest["row_counts"]:
        differ = sorted(
            t
            for t in set(after.row_counts) | set(manifest["row_counts"])
            if after.row_counts.get(t) != manifest["row_counts"].get(t)
        )
        problems.append(f"row counts differ from the manifest in {differ[:10]}")
    if not after.audit_ok:
        was = manifest.get("audit", {}).get("verified")
        problems.append(
            "the audit chain does not verify" + (" (it did not at backup time either)" if was is False else "")
        )
    for name in names:
        if await anyio.to_thread.run_sync(_hash_file, var_dir / name[len(FILES) :]) != manifest["members"][name]:
            problems.append(f"{name} differs from the manifest")
    if problems:
        raise VerificationFailed("restored, but it does not verify: " + "; ".join(problems))
    restored = {n[len(FILES) :] for n in names}
    left = sum(1 for relative, _ in present if relative not in restored)
    return RestoreResult(manifest, len(names), after.audit_entries, left, [note] if note else [])
