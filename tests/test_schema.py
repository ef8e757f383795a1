"""The migrations build exactly the schema the models describe, on both databases.

Alembic's comparison covers tables, columns, types and plain indexes, but not CHECK
constraints or the predicates of partial indexes: a value added to an enum in code, or an
index predicate changed, would pass it while the migrated database disagrees. So the test
also builds a second database straight from the models and compares what each database
itself says about its CHECK constraints and indexes.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage import models  # noqa: F401
from storage.database import create_engine
from storage.migrate import pending
from tests.backends import postgres_database


async def test_migrations_match_models(engine):
    def on_this_engine(obj, _name, _type, _reflected, _compare_to):  # type: ignore[no-untyped-def]
        return models.built_on(obj, engine.dialect.name)

    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": on_this_engine})
        return compare_metadata(context, SQLModel.metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []
    assert await pending(engine) == []


def catalog(connection: Connection) -> dict[str, dict[str, str]]:
    """CHECK constraints and indexes of the models' tables, as the database states them."""
    tables = set(SQLModel.metadata.tables)
    inspector = inspect(connection)
    checks = {f"{table}.{check['name']}": check["sqltext"]
              for table in sorted(tables) for check in inspector.get_check_constraints(table)}
    if connection.dialect.name == "sqlite":
        rows = connection.execute(text("SELECT name, sql, tbl_name FROM sqlite_master "
                                       "WHERE type = 'index' AND sql IS NOT NULL"))
    else:
        rows = connection.execute(text("SELECT indexname, indexdef, tablename FROM pg_indexes "
                                       "WHERE schemaname = current_schema()"))
    indexes = {name: " ".join(sql.split()) for name, sql, table in rows if table in tables}
    return {"checks": checks, "indexes": indexes}


@asynccontextmanager
async def modelled_database(database_url: str, tmp_path):
    """A database built straight from the models (create_all), on the same engine kind."""
    if database_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{tmp_path / 'modelled.db'}"
        return
    async with postgres_database() as url:
        yield url


async def read_catalog(url: str, build: bool = False) -> dict[str, dict[str, str]]:
    engine = create_engine(url)
    try:
        if build:
            async with engine.begin() as connection:
                await connection.run_sync(SQLModel.metadata.create_all)
        async with engine.connect() as connection:
            return await connection.run_sync(catalog)
    finally:
        await engine.dispose()


async def test_migrations_match_models_checks_and_partial_indexes(engine, database_url, tmp_path):
    async with engine.connect() as connection:
        migrated = await connection.run_sync(catalog)
    async with modelled_database(database_url, tmp_path) as url:
        modelled = await read_catalog(url, build=True)
    assert migrated["checks"] == modelled["checks"]
    assert migrated["indexes"] == modelled["indexes"]
    # The comparison has something to compare: the status CHECK and the browse indexes' predicates.
    assert "items.ck_items_status" in migrated["checks"]
    assert "WHERE" in migrated["indexes"]["ix_items_public_created"]
