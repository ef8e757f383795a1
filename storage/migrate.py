"""Apply Alembic migrations from code (`sotong migrate`, and `sotong run` at start)."""

from __future__ import annotations

from pathlib import Path

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

    async with engine.begin() as connection:
        return await connection.run_sync(_run)


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
