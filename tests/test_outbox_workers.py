"""Several `sotong worker` processes on one PostgreSQL outbox and one Redis send budget.

Three real worker processes drain 600 messages (300 notices, three to each of 100 chats, and a
broadcast to those chats and 200 more) through the fake Bot API, which answers 429 beyond
CAP messages a second in all or one a second to a chat. The workers share a budget of RATE
(SOTONG_SEND_RATE) through Redis: each message arrives exactly once, each chat's in the order
queued (notices before the broadcast), never a 429, never more than RATE in any second. One
worker killed with SIGKILL mid-way: the others take its rows once their claims' lease has
passed and finish, repeating at most the sends it had in flight (SendPolicy().concurrency).
One stopped with SIGTERM frees its claims as it ends: the others finish without waiting out the
lease, and nothing is repeated.
On SQLite a second worker is refused.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import sys
from collections import Counter
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from bench.broadcast import TEXTS, everyone
from bench.broadcast import seed as seed_people
from bench.notify import fan_out, seed
from bot.outbox import SendPolicy
from bot.shared_rate import RedisPacer
from storage.audience import Audience
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import OutboxMessage, table_of
from storage.services.broadcasts import BroadcastService
from storage.types import utcnow
from tests.backends import postgres_database, redis_server, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
outbox = table_of(OutboxMessage)
RATE = 40  # messages a second all workers together may send
CAP = 60  # what the fake takes a second: three workers keeping their own budget each would exceed it
WORKERS = 3
NOTICE_CHATS, ITEMS, OTHERS = 100, 3, 200
TOTAL = NOTICE_CHATS * ITEMS + NOTICE_CHATS + OTHERS
LEASE = 6.0  # seconds (the product's is 30): how long a killed worker's rows wait
IN_FLIGHT = SendPolicy().concurrency
NUMBER = re.compile(r"GJ-\d{4}-\d{6}")


@pytest.fixture
async def database():
    async with postgres_database() as url:
        engine = create_engine(url)
        await upgrade(engine)
        try:
            yield url, engine
        finally:
            await engine.dispose()


@pytest.fixture
async def redis_url():
    async with redis_server() as url:
        yield url


async def queue(engine, fake, city) -> None:
    """300 notices (fanned out as the worker does) and a broadcast to 300 residents."""
    for chat in await seed(engine, NOTICE_CHATS, items=ITEMS):
        fake.user(chat)
    assert await fan_out(engine) == NOTICE_CHATS * ITEMS
    people = everyone(OTHERS, first_chat=960_000)
    await seed_people(engine, people)
    for person in people:
        fake.user(person.chat, language_code=person.language)
    async with create_session_factory(engine)() as session:
        await BroadcastService(session, city).announce(None, TEXTS, Audience(everyone=True))
    assert await states(engine) == {"pending": TOTAL}


async def states(engine) -> dict[str, int]:
    async with engine.connect() as connection:
        query = select(outbox.c.state, func.count()).group_by(outbox.c.state)
        return {state: int(count) for state, count in (await connection.execute(query)).all()}


async def expected(engine) -> dict[int, list[str]]:
    """Each chat's messages in the order they must arrive: notices by id, then the broadcast."""
    async with engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.chat_id, outbox.c.kind, outbox.c.args)
                                         .order_by(outbox.c.chat_id, outbox.c.priority, outbox.c.id))).all()
    out: dict[int, list[str]] = {}
    for chat, kind, args in rows:
        out.setdefault(chat, []).append(args["number"] if kind == "status" else "broadcast")
    return out


def received(fake, chat: int) -> list[str]:
    """What the chat got: each notice as its item's number, the broadcast as "broadcast"."""
    return ["broadcast" if m.text.startswith("📢") else NUMBER.search(m.text).group()
            for m in fake.chats[chat].transcript() if m.from_bot]


def accepted(fake) -> int:
    return sum(len(times) for times in fake.limits.sends.values())


async def start_worker(database_url: str, fake, redis_url: str | None, log: Path,
                       lease: float = LEASE) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
    env.update(PYTHONPATH=str(ROOT), SOTONG_DATABASE_URL=database_url, SOTONG_BOT_TOKEN=fake.token,
               SOTONG_TELEGRAM_API_URL=fake.base_url, SOTONG_CITY_CONFIG=str(ROOT / "tests/data/city.toml"),
               SOTONG_SEND_RATE=str(RATE), SOTONG_OUTBOX_LEASE=str(lease))
    if redis_url:
        env["SOTONG_REDIS_URL"] = redis_url
    with log.open("w") as out:  # a file, not a pipe nobody reads while it runs
        return await asyncio.create_subprocess_exec(sys.executable, "-m", "tests.worker_process", "worker",
                                                    cwd=ROOT, env=env, stdout=out, stderr=out)


@asynccontextmanager
async def workers(database_url: str, fake, redis_url: str | None, tmp_path: Path, count: int = WORKERS,
                  lease: float = LEASE):
    logs = [tmp_path / f"worker{n}.log" for n in range(count)]
    processes = [await start_worker(database_url, fake, redis_url, log, lease) for log in logs]
    try:
        yield processes, logs
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
            await process.wait()


async def until_all_sent(engine, processes, logs, killed=None) -> None:
    async with asyncio.timeout(240):
        while await states(engine) != {"sent": TOTAL}:
            for process, log in zip(processes, logs, strict=True):
                assert process is killed or process.returncode is None, log.read_text()
            await asyncio.sleep(0.2)


def assert_limits_kept(fake) -> None:
    assert fake.limits.throttles == [], f"{len(fake.limits.throttles)} 429s, e.g. {fake.limits.throttles[:3]}"
    assert fake.limits.busiest_second() <= RATE


async def test_workers_share_the_outbox_and_one_rate_budget(database, redis_url, fake_telegram, city, tmp_path):
    database_url, engine = database
    fake = fake_telegram
    fake.limits.per_second, fake.limits.per_chat = CAP, 1
    await queue(engine, fake, city)
    order = await expected(engine)

    async with workers(database_url, fake, redis_url, tmp_path) as (processes, logs):
        await until_all_sent(engine, processes, logs)

    assert {chat: received(fake, chat) for chat in order} == order  # each once, in order
    assert accepted(fake) == TOTAL
    assert_limits_kept(fake)
    async with engine.connect() as connection:
        senders = Counter((await connection.execute(select(outbox.c.claimed_by))).scalars())
    assert len(senders) >= 2, f"the work was not shared: {senders}"


async def test_a_killed_worker_s_rows_go_to_the_others(database, redis_url, fake_telegram, city, tmp_path):
    database_url, engine = database
    fake = fake_telegram
    fake.limits.per_second, fake.limits.per_chat = CAP, 1
    await queue(engine, fake, city)
    order = await expected(engine)

    async with workers(database_url, fake, redis_url, tmp_path) as (processes, logs):
        async with asyncio.timeout(120):
            while accepted(fake) < TOTAL // 3:
                await asyncio.sleep(0.01)
        victim, held = await busiest(engine, processes)
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        assert held > 0 and accepted(fake) < TOTAL, "nothing was left to take over: nothing was proved"
        await until_all_sent(engine, processes, logs, killed=victim)

    counts = {chat: received(fake, chat) for chat in order}
    assert {chat: list(dict.fromkeys(got)) for chat, got in counts.items()} == order  # none lost, in order
    repeats = accepted(fake) - TOTAL
    assert repeats <= IN_FLIGHT, f"{repeats} repeated messages, more than the {IN_FLIGHT} in flight"
    assert_limits_kept(fake)


async def test_a_worker_stopped_with_sigterm_frees_its_rows_at_once(database, redis_url, fake_telegram, city,
                                                                    tmp_path):
    """A deploy stops workers with SIGTERM: the sends in flight finish and are marked, the claims
    are freed, and the others go on at once, not after the lease (here longer than the test)."""
    database_url, engine = database
    fake = fake_telegram
    fake.limits.per_second, fake.limits.per_chat = CAP, 1
    await queue(engine, fake, city)
    order = await expected(engine)

    async with workers(database_url, fake, redis_url, tmp_path, lease=3600.0) as (processes, logs):
        async with asyncio.timeout(120):
            while accepted(fake) < TOTAL // 3:
                await asyncio.sleep(0.01)
        stopped, held = await busiest(engine, processes)
        stopped.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            assert await stopped.wait() == 0, logs[processes.index(stopped)].read_text()
        assert held > 0 and accepted(fake) < TOTAL, "nothing was left to take over: nothing was proved"
        assert await claimed_by(engine, stopped.pid) == 0
        assert "its unsent rows are free" in logs[processes.index(stopped)].read_text()
        await until_all_sent(engine, processes, logs, killed=stopped)

    assert {chat: received(fake, chat) for chat in order} == order  # each once, in order: nothing repeated
    assert accepted(fake) == TOTAL
    assert_limits_kept(fake)


async def claimed_by(engine, pid: int) -> int:
    """Pending rows on which the worker of `pid` holds a live claim."""
    async with engine.connect() as connection:
        workers = (await connection.execute(
            select(outbox.c.claimed_by).where(outbox.c.state == "pending", outbox.c.claimed_until > utcnow())
        )).scalars().all()
    return sum(1 for worker in workers if int(worker.split(":")[1]) == pid)


async def busiest(engine, processes) -> tuple[asyncio.subprocess.Process, int]:
    """The worker holding live claims on the most pending rows (claimed_by holds its pid)."""
    async with engine.connect() as connection:
        rows = (await connection.execute(
            select(outbox.c.claimed_by, func.count())
            .where(outbox.c.state == "pending", outbox.c.claimed_until > utcnow())
            .group_by(outbox.c.claimed_by))).all()
    by_pid = {int(worker.split(":")[1]): int(count) for worker, count in rows}
    process = max(processes, key=lambda p: by_pid.get(p.pid, 0))
    return process, by_pid.get(process.pid, 0)


async def test_sqlite_takes_one_worker(tmp_path, fake_telegram):
    url = sqlite_url(tmp_path)
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = await start_worker(url, fake_telegram, None, first_log)
    try:
        lock = Path(f"{tmp_path / 'sotong.db'}-worker")
        async with asyncio.timeout(60):
            while not (lock.exists() and lock.read_text().startswith("pid")):
                assert first.returncode is None, first_log.read_text()
                await asyncio.sleep(0.1)
        second = await start_worker(url, fake_telegram, None, second_log)
        assert await asyncio.wait_for(second.wait(), 60) == 2
        said = second_log.read_text()
        assert "another `sotong worker`" in said and f"pid {first.pid}" in said and "PostgreSQL" in said, said
    finally:
        first.kill()
        await first.wait()
    again = await start_worker(url, fake_telegram, None, second_log)  # the lock ended with its holder
    try:
        async with asyncio.timeout(60):
            while lock.read_text() != f"pid {again.pid}":
                assert again.returncode is None, second_log.read_text()
                await asyncio.sleep(0.1)
    finally:
        again.kill()
        await again.wait()


async def test_two_workers_pacers_keep_one_budget_and_one_pause(redis_url):
    """The budget itself: two workers' pacers on one key grant at most `rate` starts a second
    together, and a 429 one of them meets pauses the other."""
    redis = Redis.from_url(redis_url)
    key = f"sotong:send:{secrets.token_hex(4)}:all"
    pacers = [RedisPacer(redis, key, 5), RedisPacer(redis, key, 5)]
    now = asyncio.get_running_loop().time
    starts: list[float] = []

    async def send(pacer: RedisPacer) -> None:
        await pacer.acquire()
        starts.append(now())
        await pacer.release()

    try:
        await asyncio.gather(*(send(pacers[n % 2]) for n in range(15)))
        starts.sort()
        # The sixth start after any one waits for that one's second to pass (less the round trip
        # to Redis by which this process saw the first one late).
        assert min(b - a for a, b in zip(starts, starts[5:])) >= 0.95, starts
        await pacers[0].pause(1.5)
        paused_at = now()
        await send(pacers[1])
        assert starts[-1] - paused_at >= 1.4
    finally:
        await redis.aclose()
