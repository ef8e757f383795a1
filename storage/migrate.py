"""Apply Alembic migrations from code (`sotong migrate`, and `sotong run` at start)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Serialises upgrades started at once (a bot and a worker) on PostgreSQL; SQLite's
# BEGIN IMMEDIATE already does. Any constant shared by every Sotong process will do.
MIGRATION_LOCK = 0x50706F6E67
T = TypeVar("T")


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def _label(heads: set[str]) -> str | None:
    return ", ".join(sorted(heads)) or None


async def upgrade(engine: AsyncEngine, revision: str = "head") -> tuple[str | None, str | None]:
    """Applies pending migrations; returns the revision before and after (None: no schema)."""
    def _run(connection: Connection) -> tuple[str | None, str | None]:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        before = _label(_current(connection))
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        return before, _label(_current(connection))

    return await _migrating(engine, _run)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Steps the schema back to `revision` (the tests of a migration's way back)."""
    def _run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    await _migrating(engine, _run)


async def _migrating(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Runs `work` in one transaction; on SQLite with foreign keys off around it (see below)."""
    if engine.dialect.name != "sqlite":
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    async with engine.connect() as connection:
        await connection.run_sync(_foreign_keys, False)
        try:
            async with connection.begin():
                result = await connection.run_sync(work)
                await connection.run_sync(_check_foreign_keys)
            return result
        finally:
            await connection.run_sync(_foreign_keys, True)


def _foreign_keys(connection: Connection, enforced: bool) -> None:
    """SQLite rebuilds a table to change a column (Alembic's batch mode: copy, drop, rename),
    and with foreign keys enforced, dropping the old table deletes what references it (ON DELETE
    CASCADE). SQLite's own procedure turns them off around the change; the switch is ignored
    inside a transaction, so it goes to the driver before SQLAlchemy begins one."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    finally:
        cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    """What the migrations left must still hold together, as if the keys had been enforced."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows whose foreign keys point nowhere: {broken[:5]}")


def all_revisions() -> list[str]:
    """Every revision, oldest first: what a database without the schema lacks."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.iterate_revisions("head", "base")))]


async def pending(engine: AsyncEngine) -> list[str]:
    """Revisions not yet applied to the database, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())

    async with engine.connect() as connection:
        current = await connection.run_sync(_current)
    revisions = list(script.iterate_revisions("head", "base"))
    applied: set[str] = set()
    for rev in current:
        applied.update(r.revision for r in script.iterate_revisions(rev, "base"))
    return [r.revision for r in reversed(revisions) if r.revision not in applied]
