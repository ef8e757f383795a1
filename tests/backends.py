"""Real PostgreSQL, Redis and SQLite for the tests.

PostgreSQL and Redis come from SOTONG_TEST_POSTGRES_URL and SOTONG_TEST_REDIS_URL
(defaults: the local servers). When one is down the tests that need it are skipped,
unless SOTONG_TEST_REQUIRE_SERVICES=1 (CI sets it), which makes them fail instead.
"""

from __future__ import annotations

import os
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get(
    "SOTONG_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SOTONG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE = os.environ.get("SOTONG_TEST_REQUIRE_SERVICES") == "1"


def unavailable(what: str, exc: Exception) -> None:
    message = f"{what} is not reachable: {exc}"
    if REQUIRE:
        pytest.fail(message)
    pytest.skip(message)


def _dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


@asynccontextmanager
async def postgres_database():
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    name = f"sotong_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = await asyncpg.connect(_dsn(POSTGRES_URL), timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL", exc)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'sotong.db'}"


@asynccontextmanager
async def redis_server():
    """The test Redis database, emptied before and after."""
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, RedisError) as exc:
        await client.aclose()
        unavailable("Redis", exc)
    await client.flushdb()
    try:
        yield REDIS_URL
    finally:
        await client.flushdb()
        await client.aclose()
