"""Browse at city scale: 1,000,000 items and 10,000,000 endorsements on PostgreSQL.

Creates a throwaway database, migrates it, fills it with INSERT ... SELECT generate_series
(about two to four minutes on two busy cores; the time is printed), runs VACUUM ANALYZE,
then times each read a resident makes through the real services (storage/services/browse.py
and items.py): each browse order, each filtered by a district, a search, My submissions,
My endorsements and opening a card. Prints p50 and p99 in ms; the target is p99 < 20 ms.
With --explain it also prints PostgreSQL's plan of each statement once. Drops the database.

    python bench/browse.py [--items 1000000] [--endorsements 10000000] [--runs 200] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from storage import rules  # noqa: E402
from storage.city import load_city_config  # noqa: E402
from storage.database import create_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Resident  # noqa: E402
from storage.services.browse import BrowseFilter, BrowseService, Sort  # noqa: E402
from storage.services.items import ItemQueries  # noqa: E402
from storage.types import utcnow  # noqa: E402

CITY = load_city_config(ROOT / "config" / "gwangju.toml")
DISTRICTS = [d.code for d in CITY.districts]
CATEGORIES = [c.code for c in CITY.categories]
PRIVATE = [c.code for c in CITY.categories if c.private]
WORDS = ["도로", "가로등", "주차", "공원", "버스", "쓰레기", "소음", "보도", "횡단보도", "놀이터",
         "streetlight", "parking", "pothole", "bicycle", "library", "market", "drainage", "noise"]
RESIDENTS = 100_000
# Words about 30% of items contain, two of them together (about 9%), and numbers few titles contain.
SEARCHES = ["가로등", "pothole", "놀이터 소음", "library parking", "54321", "횡단보도 7777"]
WARM_UP = 10


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"


def fill_sql(items: int, endorsements: int) -> list[str]:
    """Items: half proposals (mostly collecting or discussion), 2% private, 1% hidden; the
    endorsements per proposal are skewed (cube of a uniform), summing to about `endorsements`."""
    # Proposals are half the items; about 9% of them (private or hidden) get none; floor() loses ~0.5.
    mean = endorsements / (items / 2) / 0.91 + 0.5
    word = f"({sql_array(WORDS)})[1 + (random() * {len(WORDS) - 1})::int]"
    return [
        f"""INSERT INTO residents (telegram_id, language, full_name, blocked, created_at, updated_at)
            SELECT 1000000 + n, 'ko', 'Resident ' || n, false, now(), now()
            FROM generate_series(1, {RESIDENTS}) n""",
        f"""INSERT INTO items (public_number, public_token, kind, category, district, title, body,
                is_anonymous, is_private, status, resident_id, endorsement_count, participant_count,
                endorsement_goal, participant_goal, discussion_days, stage_deadline, submission_key,
                created_at, updated_at)
            SELECT 'GJ-2026-' || lpad(n::text, 7, '0'), 't' || n, kind, category,
                ({sql_array(DISTRICTS)})[1 + n % {len(DISTRICTS)}],
                'Item ' || n || ' ' || {word} || ' ' || {word},
                'About ' || {word} || ' near ' || {word} || ', ' || {word} || ' and ' || {word}
                    || '. Please look into it, this has gone on for a long time.',
                false, category = ANY({sql_array(PRIVATE)}),
                CASE WHEN n % 100 = 0 THEN 'hidden'
                     WHEN kind = 'complaint' THEN ({sql_array(['received', 'in_progress', 'answered', 'resolved', 'closed'])})[1 + n % 5]
                     ELSE ({sql_array(['collecting', 'collecting', 'collecting', 'discussion', 'expired', 'review', 'policy'])})[1 + n % 7] END,
                1 + n % {RESIDENTS},
                CASE WHEN kind = 'proposal' THEN floor(power(random(), 3) * {4 * mean})::int ELSE 0 END,
                0, 50, 20, 14,
                CASE WHEN kind = 'proposal' THEN now() + (random() * 60 - 30) * interval '1 day' END,
                'k' || n,
                now() - n * interval '30 seconds', now()
            FROM (SELECT n, CASE WHEN n % 2 = 0 THEN 'proposal' ELSE 'complaint' END AS kind,
                         ({sql_array(CATEGORIES)})[1 + (n / 7) % {len(CATEGORIES)}] AS category
                  FROM generate_series(1, {items}) n) g""",
        # Only public proposals get endorsements; distinct residents per item by construction.
        """UPDATE items SET endorsement_count = 0 WHERE is_private OR status = 'hidden'""",
        f"""INSERT INTO endorsements (item_id, resident_id, created_at)
            SELECT i.id, 1 + (i.id::bigint * 7919 + k * 13) % {RESIDENTS}, i.created_at + k * interval '1 minute'
            FROM items i, generate_series(1, i.endorsement_count) k
            WHERE i.endorsement_count > 0""",
        "VACUUM ANALYZE",
    ]


async def fresh_database(base_url: str, name: str) -> str:
    dsn = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(base_url: str, name: str) -> None:
    dsn = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


async def load(url: str, statements: list[str], counted: str) -> None:
    """Runs `statements` (the last one VACUUM ANALYZE) with the indexes dropped, recreating them
    before the last: loading first and indexing after is several times faster than maintaining
    the indexes row by row; they are recreated from their own definitions, unchanged. Prints each
    step's time, then what `counted` (one row of counts) finds."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    indexes = await connection.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)")
    try:
        for name, _ in indexes:
            await connection.execute(f'DROP INDEX "{name}"')
        for statement in [*statements[:-1], *(definition for _, definition in indexes), statements[-1]]:
            started = time.perf_counter()
            await connection.execute(statement)
            print(f"  {' '.join(statement.split()[:4])[:60]:60} {time.perf_counter() - started:6.1f} s", flush=True)
        counts = await connection.fetchrow(counted)
        print("  " + ", ".join(f"{value:,} {name}" for name, value in counts.items()))
    finally:
        await connection.close()


async def fill(url: str, items: int, endorsements: int) -> None:
    await load(url, fill_sql(items, endorsements),
               "SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM endorsements) AS endorsements")


Read = Callable[[object], Awaitable[object]]


def reads(now, items: int) -> dict[str, Callable[[random.Random], Read]]:  # type: ignore[no-untyped-def]
    """Each read a resident makes, as a function of a random source giving a session call."""
    page = rules.BROWSE_PAGE

    def browse(sort: str, district: bool = False, query: str | None = None):  # type: ignore[no-untyped-def]
        def make(rng: random.Random) -> Read:
            wanted = BrowseFilter(sort=sort, district=rng.choice(DISTRICTS) if district else None,
                                  query=query or None)
            return lambda session: BrowseService(session, lambda: now).page(wanted, 0, page)
        return make


    def resident(rng: random.Random) -> Resident:
        return Resident(id=rng.randint(1, RESIDENTS), telegram_id=0, language="ko")

    def mine(rng: random.Random) -> Read:
        who = resident(rng)
        return lambda session: ItemQueries(session).my_submissions(who, 0, rules.MY_ITEMS_PAGE)

    def endorsed(rng: random.Random) -> Read:
        who = resident(rng)
        return lambda session: ItemQueries(session).my_endorsements(who, 0, rules.MY_ITEMS_PAGE)

    def card(rng: random.Random) -> Read:
        who, item = resident(rng), rng.randint(1, items)
        return lambda session: ItemQueries(session).card(item, who)

    return {
        "newest": browse(Sort.NEWEST), "newest, district": browse(Sort.NEWEST, True),
        "most endorsed": browse(Sort.MOST_ENDORSED), "most endorsed, district": browse(Sort.MOST_ENDORSED, True),
        "ending soon": browse(Sort.ENDING_SOON), "ending soon, district": browse(Sort.ENDING_SOON, True),
        **{f"search {words!r}": browse(Sort.NEWEST, query=words) for words in SEARCHES},
        "My submissions": mine, "My endorsements": endorsed, "opening a card": card,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def explain(engine, sessions, read: Read) -> None:  # type: ignore[no-untyped-def]
    """Runs the read once, then EXPLAIN ANALYZE of each statement it sent."""
    sent: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if not statement.startswith("EXPLAIN"):
            sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with sessions() as session:
            await read(session)
            connection = await session.connection()
            for statement, parameters in sent:
                plan = await connection.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                for (line,) in plan.all():
                    print("      " + line)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)


async def measure(url: str, items: int, runs: int, show_plans: bool) -> None:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    rng = random.Random(7)
    now = utcnow()
    print(f"{'read':34} {'p50 ms':>8} {'p99 ms':>8}")
    for name, make in reads(now, items).items():
        timings = []
        for _ in range(WARM_UP):
            async with sessions() as session:
                await make(rng)(session)
        for _ in range(runs):
            read = make(rng)
            async with sessions() as session:
                started = time.perf_counter()
                await read(session)
                timings.append((time.perf_counter() - started) * 1000)
        flag = "" if pct(timings, 0.99) < 20 else "  (over the 20 ms target)"
        print(f"{name:34} {pct(timings, 0.5):8.2f} {pct(timings, 0.99):8.2f}{flag}", flush=True)
        if show_plans:
            await explain(engine, sessions, make(rng))
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--endorsements", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="print the plan of each statement once")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    name = f"sotong_bench_browse_{uuid.uuid4().hex[:8]}"
    url = await fresh_database(args.postgres, name)
    try:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        print(f"generating {args.items:,} items and about {args.endorsements:,} endorsements")
        started = time.perf_counter()
        await fill(url, args.items, args.endorsements)
        print(f"generated and analyzed in {time.perf_counter() - started:.0f} s\n")
        await measure(url, args.items, args.runs, args.explain)
    finally:
        await drop_database(args.postgres, name)


if __name__ == "__main__":
    asyncio.run(main())
