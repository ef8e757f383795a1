"""Broadcast throughput: an announcement to everyone in a city of 100,000 residents (made by
this script, Korean and English), 2 % of whom have blocked the bot without the bot knowing, so
Telegram answers 403. Times selecting the audience and filling the outbox (one INSERT … SELECT,
BroadcastService.announce), then lets the worker's sender deliver it through the fake Bot API
running in a process of its own, allowing 1,000 messages a second in all and one a second per
chat, and prints the achieved messages a second (first to last accepted), its ratio to the cap,
the 429s and the 403s handled, on PostgreSQL and SQLite.

    python bench/broadcast.py [--residents 100000] [--cap 1000] [--refusing 0.02] [--postgres URL] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from bench.endorse import fresh_postgres  # noqa: E402
from bot.notices import load_renderers  # noqa: E402
from bot.outbox import SendPolicy, create_sender, sending_bot  # noqa: E402
from fakeapi import FakeTelegram  # noqa: E402
from storage.audience import Audience  # noqa: E402
from storage.city import load_city_config  # noqa: E402
from storage.database import create_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import OutboxMessage, Resident, ResidentTopic, table_of  # noqa: E402
from storage.services.broadcasts import BroadcastService  # noqa: E402
from storage.types import utcnow  # noqa: E402

residents_table, topics_table, outbox = table_of(Resident), table_of(ResidentTopic), table_of(OutboxMessage)
CITY = load_city_config(ROOT / "config" / "gwangju.toml")
FIRST_CHAT = 600_000
TEXTS = {"ko": "단수 안내: 내일 09시부터 18시까지 남구 일부 지역의 수돗물 공급이 중단됩니다. <&>",
         "en": "Water cut: tomorrow from 09:00 to 18:00 in parts of Nam-gu. <&>"}


@dataclass(frozen=True)
class Person:
    chat: int
    language: str
    broadcasts: str  # BroadcastScope: all, topics, none
    topic: str | None  # a topic they picked
    blocked: bool  # marked blocked in the database already

    def wants(self, audience: Audience) -> bool:
        """Whether `audience` (everyone and/or topics) reaches them: the rule of storage/audience.py,
        restated plainly for the checks."""
        if self.blocked or self.broadcasts == "none":
            return False
        return (audience.everyone and self.broadcasts == "all") or self.topic in audience.topics


def everyone(count: int, first_chat: int = FIRST_CHAT) -> list[Person]:
    """Residents who take every broadcast, Korean and English by turns."""
    return [Person(first_chat + n, ("ko", "en")[n % 2], "all", None, False) for n in range(count)]


async def seed(engine: AsyncEngine, people: Iterable[Person]) -> None:
    """Writes the residents and their topics in two bulk INSERTs (executemany)."""
    people = list(people)
    now = utcnow()
    async with engine.begin() as connection:
        await connection.execute(insert(residents_table), [
            dict(telegram_id=p.chat, language=p.language, full_name="Resident", district="nam", blocked=p.blocked,
                 notify="all", broadcasts=p.broadcasts, created_at=now, updated_at=now) for p in people])
        picked = {p.chat: p.topic for p in people if p.topic}
        if picked:
            ids = (await connection.execute(select(residents_table.c.telegram_id, residents_table.c.id)
                                            .where(residents_table.c.telegram_id.in_(list(picked))))).all()
            await connection.execute(insert(topics_table), [
                dict(resident_id=resident, topic=picked[chat], created_at=now) for chat, resident in ids])


@dataclass
class BroadcastRun:
    seed: float  # seconds to write the residents
    queue: float  # seconds to select the audience and fill the outbox
    queued: int
    sent: int
    rate: float  # messages a second, first to last accepted by the fake
    throttles: int  # 429s the fake answered
    refused: int  # 403s the fake answered
    blocked: int  # residents the sender marked blocked
    busiest_second: int
    send_time: float  # seconds from the first to the last accepted


def serve_fake(connection: Connection, chats: list[int], refusing: list[int], cap: int) -> None:
    """The fake Bot API in a process of its own (as Telegram is); `refusing` chats have blocked
    the bot (403). Sends back its record when told to stop."""
    async def serve() -> None:
        fake = FakeTelegram()
        await fake.start()
        for chat in chats:
            fake.user(chat)
        for chat in refusing:
            fake.block(chat, notify=False)
        fake.limits.per_second, fake.limits.per_chat = cap, 1
        connection.send((fake.token, fake.base_url))
        await asyncio.get_running_loop().run_in_executor(None, connection.recv)
        limits = fake.limits
        blocked = set(refusing)
        refused = sum(1 for params in fake.calls_of("sendMessage") if int(params["chat_id"]) in blocked)
        connection.send(([at for at, _ in limits.all_sends()], len(limits.throttles), refused,
                         limits.busiest_second()))
        await fake.stop()

    asyncio.run(serve())


async def broadcast_run(url: str, residents: int, cap: int, refusing_share: float = 0.02,
                        concurrency: int = 64) -> BroadcastRun:
    load_renderers()
    engine = create_engine(url)
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    server: BaseProcess | None = None
    try:
        await upgrade(engine)
        people = everyone(residents)
        began = time.perf_counter()
        await seed(engine, people)
        seeded = time.perf_counter() - began
        step = round(1 / refusing_share) if refusing_share else 0
        refusing = [p.chat for p in people[::step]] if step else []
        process = multiprocessing.get_context("spawn").Process(
            target=serve_fake, args=(theirs, [p.chat for p in people], refusing, cap))
        process.start()
        server = process
        began = time.perf_counter()
        async with create_session_factory(engine)() as session:
            broadcast = await BroadcastService(session, CITY).announce(None, TEXTS, Audience(everyone=True))
        queued_in = time.perf_counter() - began
        token, base_url = await asyncio.to_thread(ours.recv)
        sender = await create_sender(create_session_factory(engine), CITY, sending_bot(token, base_url), "ko",
                                     policy=SendPolicy(rate=cap, concurrency=concurrency))
        try:
            sent = await sender.send_due()
        finally:
            await sender.close()
        ours.send("stop")
        sends, throttles, refused, busiest = await asyncio.to_thread(ours.recv)
        async with engine.connect() as connection:
            blocked = int((await connection.execute(select(func.count()).select_from(residents_table)
                                                    .where(residents_table.c.blocked))).scalar_one())
            left = int((await connection.execute(select(func.count()).select_from(outbox)
                                                 .where(outbox.c.state == "pending"))).scalar_one())
        assert left == 0, f"{left} messages still pending"
        span = sends[-1] - sends[0] if len(sends) > 1 else 0.0
        return BroadcastRun(seeded, queued_in, broadcast.audience_size, sent, (len(sends) - 1) / span if span else 0.0,
                            throttles, refused, blocked, busiest, span)
    finally:
        await engine.dispose()
        if server is not None:
            server.join(30)
            if server.is_alive():
                server.kill()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--cap", type=int, default=1000, help="the fake's messages a second in all")
    parser.add_argument("--refusing", type=float, default=0.02, help="share of residents who answer 403")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(f"{'backend':<12}{'seed s':>8}{'queue s':>9}{'queued':>8}{'sent':>8}{'send s':>8}{'msg/s':>8}"
          f"{'ratio':>7}{'429s':>6}{'403s':>6}{'blocked':>8}{'max/s':>7}")
    with tempfile.TemporaryDirectory() as folder:
        backends = [("PostgreSQL", await fresh_postgres(args.postgres, "sotong_bench_broadcast"))]
        if not args.no_sqlite:
            backends.append(("SQLite", f"sqlite+aiosqlite:///{folder}/broadcast.db"))
        for label, url in backends:
            run = await broadcast_run(url, args.residents, args.cap, args.refusing)
            print(f"{label:<12}{run.seed:>8.2f}{run.queue:>9.2f}{run.queued:>8}{run.sent:>8}{run.send_time:>8.1f}"
                  f"{run.rate:>8.0f}{run.rate / args.cap:>7.2f}{run.throttles:>6}{run.refused:>6}{run.blocked:>8}"
                  f"{run.busiest_second:>7}", flush=True)
            assert run.sent + run.blocked == run.queued == args.residents, f"{label}: {run}"
    print(f"target: audience queued in < 10 s; ratio >= 0.90 of {args.cap} messages/s with zero 429s")


if __name__ == "__main__":
    asyncio.run(main())

