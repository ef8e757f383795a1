from __future__ import annotations

import asyncio
import random
from contextlib import asynccontextmanager

import pytest

from fakeapi import FakeTelegram
from storage.city import load_city_config
from storage.clock import ManualClock
from storage.database import create_engine
from storage.migrate import upgrade
from tests.backends import postgres_database, redis_server, sqlite_url
from tests.harness import TEST_CITY, BotHarness


@pytest.fixture
def clock():
    """The time the bot and services see; tests move it forward."""
    return ManualClock()


@pytest.fixture
def city():
    return load_city_config(TEST_CITY)


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    async with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def loop_and_database(request, tmp_path):
    """An event loop of its own and a database URL on it, for synchronous tests: hypothesis
    drives each example itself, outside pytest's event loop."""
    loop = asyncio.new_event_loop()
    if request.param == "sqlite":
        yield loop, sqlite_url(tmp_path)
    else:
        context = postgres_database()
        url = loop.run_until_complete(context.__aenter__())
        try:
            yield loop, url
        finally:
            loop.run_until_complete(context.__aexit__(None, None, None))
    loop.close()


@pytest.fixture
async def engine(database_url):
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def fake_telegram():
    # A bot id of its own per test: state kept in Redis under one test's bot never meets another's.
    fake = FakeTelegram(token=f"{random.randint(10**8, 10**9)}:TEST-TOKEN")
    await fake.start()
    yield fake
    await fake.stop()
    assert fake.server_errors == [], "the fake Bot API server itself failed"


BACKENDS = ["sqlite", "postgres", "postgres+redis"]


@pytest.fixture(params=BACKENDS)
async def harness(request, tmp_path, fake_telegram, clock):
    """The running bot on each backend: SQLite and PostgreSQL, memory and Redis state."""
    async with _backend(request.param, tmp_path) as (database_url, redis_url):
        bot = BotHarness(fake_telegram, database_url, redis_url, clock)
        await bot.start()
        try:
            yield bot
        finally:
            await bot.stop()


@asynccontextmanager
async def _backend(name: str, tmp_path):  # type: ignore[no-untyped-def]
    if name == "sqlite":
        yield sqlite_url(tmp_path), None
    elif name == "postgres":
        async with postgres_database() as url:
            yield url, None
    else:
        async with postgres_database() as url, redis_server() as redis_url:
            yield url, redis_url
