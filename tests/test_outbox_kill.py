"""A worker killed with SIGKILL mid-run and started again delivers every queued notification,
repeating at most the sends it had in flight: SendPolicy.concurrency (16) of them."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from sqlalchemy import select

from bench.notify import fan_out, seed
from bot.outbox import SendPolicy
from storage.models import OutboxMessage

ROOT = Path(__file__).resolve().parent.parent
IN_FLIGHT = SendPolicy().concurrency  # the bound on repeats the README states


async def start_worker(database_url: str, fake, *args: str, send_rate: str = "100") -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
    env.update(PYTHONPATH=str(ROOT), SOTONG_DATABASE_URL=database_url, SOTONG_BOT_TOKEN=fake.token,
               SOTONG_TELEGRAM_API_URL=fake.base_url, SOTONG_CITY_CONFIG=str(ROOT / "tests/data/city.toml"),
               SOTONG_SEND_RATE=send_rate, SOTONG_OUTBOX_LEASE="5")  # a killed worker's rows wait 5 s on PostgreSQL
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "tests.worker_process", "worker", *args,
                                                cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)


async def test_a_killed_worker_loses_nothing_and_repeats_only_what_was_in_flight(engine, database_url, fake_telegram):
    fake = fake_telegram
    chats = await seed(engine, 100, items=3)  # 300 notifications, three to each chat
    for chat in chats:
        fake.user(chat)
    assert await fan_out(engine) == 300

    worker = await start_worker(database_url, fake)
    async with asyncio.timeout(60):
        while len(fake.limits.all_sends()) < 100:
            await asyncio.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    await worker.wait()
    before = len(fake.limits.all_sends())
    assert before < 300, "the worker finished before it was killed: nothing was proved"

    again = await start_worker(database_url, fake, "--once")
    out, err = await asyncio.wait_for(again.communicate(), 60)
    assert again.returncode == 0, err.decode()

    async with engine.connect() as connection:
        unsent = (await connection.execute(select(OutboxMessage.id).where(OutboxMessage.state != "sent"))).all()
    assert unsent == []
    counts = [len(fake.chats[chat].transcript()) for chat in chats]
    assert min(counts) >= 3, "a notification was lost"
    repeats = sum(counts) - 300
    assert repeats <= IN_FLIGHT, f"{repeats} repeated messages, more than the {IN_FLIGHT} in flight"
