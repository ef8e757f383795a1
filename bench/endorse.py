"""Endorse path throughput: callback update in -> endorsement row + counter + threshold
check + reply, through the real dispatcher with a mocked Bot API session, beside a
trivial handler that only replies, in the same run. Prints updates/s, p50, p99 and the
ratio to the trivial handler, on PostgreSQL and SQLite.

    python bench/endorse.py [--updates 2000] [--in-flight 50] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from aiogram import Dispatcher, F  # noqa: E402
from aiogram.types import CallbackQuery, Chat, Message, Update, User  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.mocked import BOT_USER, mocked_bot  # noqa: E402
from bot.app import build_dispatcher  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.callbacks import ItemCb  # noqa: E402
from storage.city import Moderation, load_city_config  # noqa: E402
from storage.database import create_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Item, Resident  # noqa: E402
from storage.types import utcnow  # noqa: E402

CITY = load_city_config(ROOT / "config" / "gwangju.toml")  # the real goal: 50 endorsements
ITEMS = 60


def callback_update(update_id: int, telegram_id: int, data: str) -> Update:
    user = User(id=telegram_id, is_bot=False, first_name="Resident", language_code="ko")
    message = Message(message_id=7, date=dt.datetime.now(dt.UTC), chat=Chat(id=telegram_id, type="private"),
                      from_user=BOT_USER, text="card")
    return Update(update_id=update_id, callback_query=CallbackQuery(
        id=str(update_id), from_user=user, chat_instance="c", message=message, data=data))


async def seed(engine, residents: int) -> list[int]:
    now = utcnow()
    async with engine.begin() as connection:
        await connection.execute(insert(Resident.__table__), [
            dict(telegram_id=10_000 + n, language="ko", full_name="Resident", blocked=False,
                 created_at=now, updated_at=now) for n in range(residents + 1)])
        filer_id = (await connection.exec_driver_sql("SELECT min(id) FROM residents")).scalar()
        await connection.execute(insert(Item.__table__), [
            dict(public_number=f"GJ-2026-{n:06d}", public_token=f"t{n}", kind="proposal", category="roads",
                 district="dong", title=f"Proposal {n}", body="A proposal for the benchmark.", is_anonymous=False,
                 is_private=False, status="collecting", resident_id=filer_id, endorsement_count=0,
                 participant_count=0, endorsement_goal=50, participant_goal=100, discussion_days=30,
                 stage_deadline=now + dt.timedelta(days=30), submission_key=f"k{n}", created_at=now, updated_at=now)
            for n in range(1, ITEMS + 1)])
        rows = await connection.exec_driver_sql("SELECT id FROM items ORDER BY id")
        return [r[0] for r in rows]


async def measure(dp: Dispatcher, updates: list[Update], in_flight: int) -> tuple[float, list[float]]:
    bot = mocked_bot()
    context = {**dp.workflow_data, "bot": bot, "bots": [bot], "dispatcher": dp}
    await dp.emit_startup(**context)
    gate = asyncio.Semaphore(in_flight)
    latencies: list[float] = []

    async def one(update: Update) -> None:
        async with gate:
            began = time.perf_counter()
            await dp.feed_update(bot, update)
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(one(u) for u in updates))
    elapsed = time.perf_counter() - began
    await dp.emit_shutdown(**context)
    return len(updates) / elapsed, latencies


def trivial_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.callback_query(F.data)
    async def reply(callback: CallbackQuery) -> None:
        await callback.answer("ok")

    return dp


@dataclass
class EndorseRun:
    rate: float  # updates per second
    latencies: list[float]
    stored: int  # rows in endorsements afterwards
    counted: int  # the sum of items.endorsement_count afterwards


async def endorse_run(url: str, count: int, in_flight: int, **engine_options) -> EndorseRun:  # type: ignore[no-untyped-def]
    pool = {} if url.startswith("sqlite") else {"pool_size": 20, "max_overflow": 10}
    engine = create_engine(url, **pool, **engine_options)
    try:
        await upgrade(engine)
        residents = count // ITEMS + 2
        item_ids = await seed(engine, residents)
        settings = Settings(_env_file=None, database_url=url)
        # Each benchmark resident endorses every item in one burst, which the flood guard would cut
        # to `flood_updates`: the benchmark measures the endorse path, so it lets them all through.
        city = CITY.model_copy(update={"moderation": Moderation(flood_updates=count)})
        dp = build_dispatcher(settings, city, create_session_factory(engine))
        updates = [callback_update(n, 10_001 + n // ITEMS, ItemCb(action="endorse", item=item_ids[n % ITEMS]).pack())
                   for n in range(count)]
        rate, latencies = await measure(dp, updates, in_flight)
        async with engine.connect() as connection:
            stored = (await connection.exec_driver_sql("SELECT count(*) FROM endorsements")).scalar()
            counted = (await connection.exec_driver_sql("SELECT sum(endorsement_count) FROM items")).scalar()
        return EndorseRun(rate, latencies, stored, counted)
    finally:
        await engine.dispose()


async def fresh_postgres(base_url: str, name: str) -> str:
    dsn = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    trivial_updates = [callback_update(n, 20_000 + n, "ping") for n in range(args.updates)]
    await measure(trivial_dispatcher(), trivial_updates[:200], args.in_flight)  # warm-up
    base_rate, base_lat = await measure(trivial_dispatcher(), trivial_updates, args.in_flight)
    print(f"{'path':<22}{'updates/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    print(f"{'trivial reply':<22}{base_rate:>10.0f}{pct(base_lat, .5):>9.2f}{pct(base_lat, .99):>9.2f}{1:>8.2f}")
    with tempfile.TemporaryDirectory() as folder:
        # The last row prices the pool's pre-ping (storage.database), which the product keeps on.
        backends = [("endorse, PostgreSQL", await fresh_postgres(args.postgres, "sotong_bench"), {}),
                    ("endorse, SQLite", f"sqlite+aiosqlite:///{folder}/bench.db", {}),
                    ("  PG without pre-ping", await fresh_postgres(args.postgres, "sotong_bench2"),
                     {"pool_pre_ping": False})]
        for label, url, options in backends:
            run = await endorse_run(url, args.updates, args.in_flight, **options)
            assert run.stored == run.counted == args.updates, f"{label}: {run} for {args.updates} updates"
            print(f"{label:<22}{run.rate:>10.0f}{pct(run.latencies, .5):>9.2f}{pct(run.latencies, .99):>9.2f}"
                  f"{run.rate / base_rate:>8.2f}")
    print("targets: PostgreSQL >= 0.30, SQLite >= 0.20")


if __name__ == "__main__":
    asyncio.run(main())
