"""Notification throughput: one status event on an item with 20,000 followers, fanned out into
the outbox by the worker's Notifier, then delivered by the worker's sender through the fake Bot
API server, which allows 1,000 messages a second in all (Telegram's paid-broadcast rate) and
one a second per chat. Prints the fan-out time, the achieved messages per second, its ratio to
the cap and the number of 429s, on PostgreSQL and SQLite.

    python bench/notify.py [--followers 20000] [--cap 1000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram.methods import SendMessage, TelegramMethod  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from bench.endorse import fresh_postgres  # noqa: E402
from bot.notices import RENDERERS, Outgoing, load_renderers  # noqa: E402
from bot.outbox import SendPolicy, create_sender, sending_bot  # noqa: E402
from fakeapi import FakeTelegram  # noqa: E402
from storage.city import load_city_config  # noqa: E402
from storage.database import create_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Follow, Item, OutboxMessage, Resident, StatusEvent  # noqa: E402
from storage.services.notifications import Notifier  # noqa: E402
from storage.types import utcnow  # noqa: E402
from storage.vocabulary import NoticeKind  # noqa: E402

CITY = load_city_config(ROOT / "config" / "gwangju.toml")
FIRST_CHAT = 500_000


def plain_status(out: Outgoing) -> TelegramMethod:
    """A stand-in for the STATUS renderer while the product has none."""
    return SendMessage(chat_id=out.chat_id, text=f"{out.args['number']}: {out.texts('status-' + out.args['to_status'])}")


def ensure_status_renderer() -> None:
    load_renderers()
    RENDERERS.setdefault(NoticeKind.STATUS, plain_status)


async def seed(engine: AsyncEngine, residents: int, items: int = 1, first_chat: int = FIRST_CHAT) -> list[int]:
    """`residents` residents (ko and en) each following every one of `items` proposals, and one
    status event (collecting -> discussion) on each item, not yet fanned out. Returns the chats."""
    now = utcnow()
    chats = [first_chat + n for n in range(residents)]
    async with engine.begin() as connection:
        await connection.execute(insert(Resident.__table__), [  # type: ignore[attr-defined]
            dict(telegram_id=chat, language=("ko", "en")[n % 2], full_name="Resident", blocked=False,
                 notify="all", created_at=now, updated_at=now) for n, chat in enumerate(chats)])
        ids = (await connection.execute(select(Resident.id).where(Resident.telegram_id >= first_chat)
                                        .order_by(Resident.id))).scalars().all()  # type: ignore[arg-type]
        await connection.execute(insert(Item.__table__), [  # type: ignore[attr-defined]
            dict(public_number=f"GJ-2026-{first_chat + n:06d}", public_token=f"n{first_chat + n}", kind="proposal",
                 category="roads", district="dong", title=f"Proposal {n}", body="A proposal for the benchmark.",
                 is_anonymous=False, is_private=False, status="discussion", resident_id=ids[0], endorsement_count=50,
                 participant_count=0, endorsement_goal=50, participant_goal=100, discussion_days=30,
                 stage_deadline=now + dt.timedelta(days=30), submission_key=f"n{first_chat + n}",
                 created_at=now, updated_at=now) for n in range(items)])
        item_ids = (await connection.execute(select(Item.id).where(Item.submission_key.startswith("n"))  # type: ignore[union-attr]
                                             .order_by(Item.id))).scalars().all()  # type: ignore[arg-type]
        await connection.execute(insert(Follow.__table__), [  # type: ignore[attr-defined]
            dict(item_id=item, resident_id=resident, reason="endorsed", created_at=now)
            for item in item_ids for resident in ids])
        await connection.execute(insert(StatusEvent.__table__), [  # type: ignore[attr-defined]
            dict(item_id=item, from_status="collecting", to_status="discussion", actor="system", created_at=now)
            for item in item_ids])
    return chats


async def fan_out(engine: AsyncEngine) -> int:
    """Runs the Notifier until nothing is left; returns the outbox rows queued."""
    factory = create_session_factory(engine)
    while True:
        async with factory() as session:
            done = await Notifier(session, CITY).run(utcnow())
        if not done.events and not done.answers:
            break
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(OutboxMessage))).scalar_one())


@dataclass
class NotifyRun:
    fan_out: float  # seconds
    queued: int
    sent: int
    rate: float  # messages a second, first to last accepted by the fake
    throttles: int  # 429s the fake answered
    busiest_second: int
    closest_spacing: float  # seconds between two messages to one chat


def serve_fake(connection: Connection, chats: list[int], cap: int) -> None:
    """The fake Bot API in a process of its own (as Telegram is), so that it does not share a CPU
    with the sender it measures; sends back its record when told to stop."""
    async def serve() -> None:
        fake = FakeTelegram()
        await fake.start()
        for chat in chats:
            fake.user(chat)
        fake.limits.per_second, fake.limits.per_chat = cap, 1
        connection.send((fake.token, fake.base_url))
        await asyncio.get_running_loop().run_in_executor(None, connection.recv)
        limits = fake.limits
        connection.send(([at for at, _ in limits.all_sends()], len(limits.throttles), limits.busiest_second(),
                         limits.closest_spacing()))
        await fake.stop()

    asyncio.run(serve())


async def notify_run(url: str, followers: int, cap: int, send_rate: float | None = None) -> NotifyRun:
    ensure_status_renderer()
    engine = create_engine(url)
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    server: BaseProcess | None = None
    try:
        await upgrade(engine)
        chats = await seed(engine, followers)
        process = multiprocessing.get_context("spawn").Process(target=serve_fake, args=(theirs, chats, cap))
        process.start()
        server = process
        began = time.perf_counter()
        queued = await fan_out(engine)
        fanned = time.perf_counter() - began
        token, base_url = await asyncio.to_thread(ours.recv)
        policy = SendPolicy(rate=send_rate or cap, concurrency=64)
        sender = await create_sender(create_session_factory(engine), CITY, sending_bot(token, base_url), "ko",
                                     policy=policy)
        try:
            sent = await sender.send_due()
        finally:
            await sender.close()
        ours.send("stop")
        sends, throttles, busiest, closest = await asyncio.to_thread(ours.recv)
        span = sends[-1] - sends[0] if len(sends) > 1 else 0.0
        return NotifyRun(fanned, queued, sent, (len(sends) - 1) / span if span else 0.0, throttles, busiest, closest)
    finally:
        await engine.dispose()
        if server is not None:
            server.join(10)
            if server.is_alive():
                server.kill()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--followers", type=int, default=20_000)
    parser.add_argument("--cap", type=int, default=1000, help="the fake's messages a second in all")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(f"{'backend':<12}{'fan-out s':>10}{'queued':>8}{'sent':>8}{'msg/s':>8}{'ratio':>7}{'429s':>6}"
          f"{'max/s':>7}{'chat gap s':>11}")
    with tempfile.TemporaryDirectory() as folder:
        backends = [("PostgreSQL", await fresh_postgres(args.postgres, "sotong_bench_notify")),
                    ("SQLite", f"sqlite+aiosqlite:///{folder}/notify.db")]
        for label, url in backends:
            run = await notify_run(url, args.followers, args.cap)
            assert run.sent == run.queued == args.followers, f"{label}: {run}"
            print(f"{label:<12}{run.fan_out:>10.2f}{run.queued:>8}{run.sent:>8}{run.rate:>8.0f}"
                  f"{run.rate / args.cap:>7.2f}{run.throttles:>6}{run.busiest_second:>7}{run.closest_spacing:>11.2f}")
    print(f"target: ratio >= 0.90 of {args.cap} messages/s with zero 429s")


if __name__ == "__main__":
    asyncio.run(main())
