"""/healthz and /metrics (bot/observability.py) in this process: the checks with the database or
Redis refusing or silent, updates counted through the real bot polling the fake Bot API, the
outbox's depth and age read at scrape time, and the sender's counts of sent messages, 429s and
403s."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from aiohttp import test_utils, web
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.notify import plain_status
from bot.notices import RENDERERS, load_renderers
from bot.observability import HEALTH_TIMEOUT, Metrics, add_routes
from bot.outbox import SendPolicy, create_sender, sending_bot
from storage.clock import Clock, ManualClock, system_clock
from storage.database import create_engine, create_session_factory
from storage.models import OutboxMessage
from storage.repositories import delivery
from storage.repositories.outbox import Notice, enqueue
from storage.vocabulary import NoticeKind
from tests.backends import redis_server, sqlite_url
from tests.harness import BotHarness
from tests.test_operator import free_port
from tests.test_outbox_sender import queue

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@asynccontextmanager
async def monitoring(engine: AsyncEngine, redis_url: str | None, metrics: Metrics | None = None,
                     clock: Clock = system_clock) -> AsyncIterator[test_utils.TestClient]:
    """An aiohttp app with nothing but add_routes, served on a local port."""
    web_app = web.Application()
    add_routes(web_app, engine=engine, redis_url=redis_url, metrics=metrics or Metrics(), clock=clock)
    async with test_utils.TestClient(test_utils.TestServer(web_app)) as client:
        yield client


async def health(client: test_utils.TestClient) -> tuple[int, dict]:
    response = await client.get("/healthz")
    return response.status, await response.json()


async def scrape(client: test_utils.TestClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(await response.text()) for sample in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def wait_for(client: test_utils.TestClient, holds: Callable[[Samples], bool], timeout: float = 30) -> Samples:
    deadline = time.monotonic() + timeout
    while True:
        samples = await scrape(client)
        if holds(samples):
            return samples
        assert time.monotonic() < deadline, sorted((k, v) for k, v in samples.items() if k[0].startswith("sotong"))
        await asyncio.sleep(0.05)


@asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A port that accepts connections and never says a word: a hung database or Redis."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()


# -- /healthz ---------------------------------------------------------------------------

async def test_healthz_names_each_check_when_all_answer(engine):
    async with redis_server() as redis_url, monitoring(engine, redis_url) as client:
        assert await health(client) == (200, {"status": "ok", "checks": {"database": "ok", "redis": "ok"}})


async def test_healthz_without_redis_configured_is_ok(tmp_path):
    engine = create_engine(sqlite_url(tmp_path))
    try:
        async with monitoring(engine, None) as client:
            assert await health(client) == (200, {"status": "ok",
                                                  "checks": {"database": "ok", "redis": "not configured"}})
    finally:
        await engine.dispose()


async def test_healthz_is_503_naming_the_database_when_it_refuses(tmp_path):
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/sotong")
    try:
        async with redis_server() as redis_url, monitoring(engine, redis_url) as client:
            assert await health(client) == (503, {"status": "unavailable",
                                                  "checks": {"database": "unreachable", "redis": "ok"}})
    finally:
        await engine.dispose()


async def test_healthz_is_503_naming_redis_when_it_refuses(tmp_path):
    engine = create_engine(sqlite_url(tmp_path))
    try:
        async with monitoring(engine, f"redis://127.0.0.1:{free_port()}/0") as client:
            assert await health(client) == (503, {"status": "unavailable",
                                                  "checks": {"database": "ok", "redis": "unreachable"}})
    finally:
        await engine.dispose()


async def test_healthz_does_not_hang_on_a_silent_database_and_redis():
    async with silent_server() as database_port, silent_server() as redis_port:
        engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{database_port}/sotong")
        try:
            async with monitoring(engine, f"redis://127.0.0.1:{redis_port}/0") as client:
                began = time.monotonic()
                status, body = await health(client)
                took = time.monotonic() - began
                # /metrics is served meanwhile, the outbox's gauges unknown (NaN) rather than stale.
                samples = await scrape(client)
        finally:
            await engine.dispose()
    assert (status, body) == (503, {"status": "unavailable", "checks": {"database": "timeout", "redis": "timeout"}})
    assert HEALTH_TIMEOUT <= took < HEALTH_TIMEOUT + 5, f"/healthz took {took:.1f} s"  # both checks at once
    assert value(samples, "sotong_outbox_pending") != value(samples, "sotong_outbox_pending")  # NaN


# -- /metrics: updates -----------------------------------------------------------------

async def test_updates_are_counted_by_type_with_their_time_and_errors(tmp_path, fake_telegram):
    bot = BotHarness(fake_telegram, sqlite_url(tmp_path), None)
    await bot.start()
    try:
        assert bot.app is not None
        async with monitoring(bot.app.engine, None, bot.app.metrics) as client:
            before = await scrape(client)
            assert value(before, "sotong_updates_total", type="message") == 0
            resident = fake_telegram.user(7001, language_code="en")
            await resident.send_text("/start")
            await resident.expect("", timeout=30)
            await resident.send_text("/help")
            await resident.expect("", timeout=30)
            samples = await wait_for(client, lambda s: value(s, "sotong_updates_total", type="message") >= 2)
            assert value(samples, "sotong_update_duration_seconds_count", type="message") >= 2
            assert value(samples, "sotong_update_duration_seconds_sum", type="message") > 0
            assert value(samples, "sotong_update_errors_total", type="message") == 0

            # Telegram's 429 and 403 on replies: counted apart from the outbox's sender.
            fake_telegram.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
            await resident.send_text("/help")
            await resident.expect("", timeout=30)  # the reply waited and went again
            fake_telegram.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
            await resident.send_text("/help")
            samples = await wait_for(client, lambda s: value(s, "sotong_telegram_403_total", sender="replies") == 1)
            assert value(samples, "sotong_telegram_429_total", sender="replies") == 1
            assert value(samples, "sotong_telegram_429_total", sender="outbox") == 0
            await resident.send_text("/help")  # a resident who writes again has unblocked the bot
            await resident.expect("", timeout=30)
            errors = value(samples, "sotong_update_errors_total", type="message")

            # A search that fails in the database: the resident is told, the error is counted.
            async with bot.app.engine.begin() as connection:
                await connection.exec_driver_sql("ALTER TABLE items RENAME TO items_elsewhere")
            await resident.send_text("/search water")
            await resident.expect("briefly unavailable", timeout=30)
            samples = await wait_for(client, lambda s: value(s, "sotong_update_errors_total", type="message") == errors + 1)
            assert value(samples, "sotong_updates_total", type="message") == 6
    finally:
        await bot.stop()


# -- /metrics: the outbox ---------------------------------------------------------------

async def test_outbox_depth_and_oldest_age_are_read_at_scrape_time(engine):
    queued_at = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    clock = ManualClock(queued_at)
    async with monitoring(engine, None, clock=clock) as client:
        samples = await scrape(client)
        assert value(samples, "sotong_outbox_pending") == 0
        assert value(samples, "sotong_outbox_oldest_pending_age_seconds") == 0

        async with create_session_factory(engine)() as session:
            notices = [Notice(800_000 + n, None, "en", NoticeKind.STATUS, {"number": str(n), "to_status": "answered"})
                       for n in range(4)]
            await enqueue(session, notices[:3], queued_at)
            await enqueue(session, notices[3:], queued_at + dt.timedelta(seconds=30))
            await session.commit()
        async with create_session_factory(engine)() as session:
            oldest = (await session.execute(select(OutboxMessage.id).order_by(OutboxMessage.id))).scalars().first()
            await delivery.mark_sent(session, [oldest], queued_at)  # sent: it no longer counts
        clock.advance(seconds=90)
        samples = await scrape(client)
        assert value(samples, "sotong_outbox_pending") == 3
        assert value(samples, "sotong_outbox_oldest_pending_age_seconds") == 90


# -- /metrics: the sender ---------------------------------------------------------------

@pytest.fixture
def status_renderer(monkeypatch):
    load_renderers()
    monkeypatch.setitem(RENDERERS, NoticeKind.STATUS, plain_status)


async def test_the_sender_counts_sent_messages_429s_and_403s(engine, fake_telegram, city, status_renderer):
    fake = fake_telegram
    kept, other, gone = 810_001, 810_002, 810_003
    await queue(engine, fake, [(kept, "A"), (other, "B"), (gone, "C")])
    fake.block(gone, notify=False)
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    metrics = Metrics()
    sender = await create_sender(create_session_factory(engine), city, sending_bot(fake.token, fake.base_url), "en",
                                 policy=SendPolicy(concurrency=1), metrics=metrics)
    async with monitoring(engine, None, metrics) as client:
        try:
            assert await sender.send_due() == 2
        finally:
            await sender.close()
        samples = await scrape(client)
    assert value(samples, "sotong_messages_sent_total") == 2
    assert value(samples, "sotong_telegram_429_total", sender="outbox") == 1
    assert value(samples, "sotong_telegram_403_total", sender="outbox") == 1
    assert value(samples, "sotong_outbox_pending") == 0
