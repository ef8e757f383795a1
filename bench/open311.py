"""The Open311 API at city scale: 1,000,000 items on PostgreSQL, read over HTTP.

Creates a throwaway database, migrates it, fills it with INSERT ... SELECT generate_series:
1,000,000 items over three years (half complaints, half proposals; 1 in 11 private, 1% hidden),
each complaint routed as the city file routes it (assignments with due dates), an answer on the
answered ones, a photo on one item in five. Then serves the real Open311 app (bot/open311/app.py)
on 127.0.0.1 and times whole HTTP requests (wall clock, and this process's CPU time, which a busy machine
inflates less), each a page of up to 1,000: GET /requests.json with
the default window (the last 90 days; target p99 < 50 ms), the same in XML, with a service_code,
with status=closed, with 200 ids, and one request. Then, on the same data, times
`sotong stats --period 365d --out <png>` as a subprocess when this build has that command.
Drops the database at the end.

    python bench/open311.py [--items 1000000] [--runs 100] [--explain] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import asyncpg  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.browse import drop_database, explain, fresh_database, load, pct, sql_array  # noqa: E402
from bot.app import create_bot  # noqa: E402
from bot.open311.app import PREFIX, build_app, settle_heap, standalone_app  # noqa: E402
from bot.open311.media import TelegramFiles  # noqa: E402
from storage.city import load_city_config  # noqa: E402
from storage.database import create_engine, create_session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.routing import departments_for  # noqa: E402
from storage.services.open311 import Open311Service  # noqa: E402

CITY_FILE = ROOT / "config" / "gwangju.toml"
CITY = load_city_config(CITY_FILE)
DISTRICTS = [d.code for d in CITY.districts]
CATEGORIES = [c.code for c in CITY.categories]
PRIVATE = [c.code for c in CITY.categories if c.private]
RESIDENTS = 100_000
SPAN_SECONDS = 3 * 365 * 24 * 3600  # the items' filing times spread over three years
WARM_UP = 5
TARGET_MS = 50


def routes_sql() -> str:
    """Where the city file sends a complaint of each category in each district, as SQL rows."""
    rows = [f"('{category}', '{district}', '{department.code}', {department.sla_days})"
            for category in CATEGORIES for district in DISTRICTS
            for department in departments_for(CITY, "complaint", category, district)]
    return "(VALUES " + ", ".join(rows) + ") AS r(category, district, department, sla_days)"


def fill_sql(items: int) -> list[str]:
    step = SPAN_SECONDS / items
    complaint_states = ["received", "in_progress", "answered", "resolved", "closed"]
    proposal_states = ["collecting", "collecting", "discussion", "expired", "review", "planned", "policy"]
    return [
        f"""INSERT INTO residents (telegram_id, language, full_name, blocked, created_at, updated_at)
            SELECT 1000000 + n, 'ko', 'Resident ' || n, false, now(), now()
            FROM generate_series(1, {RESIDENTS}) n""",
        f"""INSERT INTO items (public_number, public_token, kind, category, district, title, body, latitude,
                longitude, is_anonymous, is_private, status, resident_id, channel, endorsement_count,
                participant_count, endorsement_goal, participant_goal, discussion_days, stage_deadline,
                submission_key, created_at, updated_at)
            SELECT 'GJ-2026-' || lpad(n::text, 7, '0'), 't' || n, kind, category,
                ({sql_array(DISTRICTS)})[1 + n % {len(DISTRICTS)}],
                'Item ' || n || ': a streetlight is out near the market',
                'Resident report ' || n || '. The streetlight in front of the market has been out for a week; '
                    || 'the crossing is dark at night & people <cannot> see cars. Please repair it soon.',
                CASE WHEN n % 3 = 0 THEN 35.10 + (n % 1000) * 0.0001 END,
                CASE WHEN n % 3 = 0 THEN 126.80 + (n % 997) * 0.0001 END,
                n % 4 = 0, category = ANY({sql_array(PRIVATE)}),
                CASE WHEN n % 100 = 0 THEN 'hidden'
                     WHEN kind = 'complaint' THEN ({sql_array(complaint_states)})[1 + n % 5]
                     ELSE ({sql_array(proposal_states)})[1 + n % 7] END,
                1 + n % {RESIDENTS}, 'telegram', 0, 0,
                CASE WHEN kind = 'proposal' THEN 50 END, CASE WHEN kind = 'proposal' THEN 100 END,
                CASE WHEN kind = 'proposal' THEN 30 END, NULL,
                'k' || n, created, created + interval '3 hours'
            FROM (SELECT n, CASE WHEN n % 2 = 0 THEN 'proposal' ELSE 'complaint' END AS kind,
                         ({sql_array(CATEGORIES)})[1 + (n / 7) % {len(CATEGORIES)}] AS category,
                         now() - n * interval '{step:.3f} seconds' AS created
                  FROM generate_series(1, {items}) n) g""",
        f"""INSERT INTO assignments (item_id, department, state, received_at, due_at, answered_at, updated_at)
            SELECT i.id, r.department,
                CASE i.status WHEN 'received' THEN 'new' WHEN 'in_progress' THEN 'acknowledged' ELSE 'answered' END,
                i.created_at, i.created_at + r.sla_days * interval '1 day',
                CASE WHEN i.status IN ('answered', 'resolved', 'closed') THEN i.created_at + interval '2 days' END,
                i.created_at
            FROM items i JOIN {routes_sql()} ON r.category = i.category AND r.district = i.district
            WHERE i.kind = 'complaint'""",
        """INSERT INTO answers (item_id, department, author, body, created_at, notified_at)
            SELECT a.item_id, a.department, 'department',
                'We replaced the lamp on ' || to_char(a.answered_at, 'YYYY-MM-DD') || '. Thank you for the report.',
                a.answered_at, a.answered_at
            FROM assignments a WHERE a.answered_at IS NOT NULL""",
        """INSERT INTO attachments (item_id, kind, file_id, file_unique_id, position, created_at)
            SELECT id, 'photo', 'AgACAgIAAxk' || id, 'AQAD' || id, 0, created_at FROM items WHERE id % 5 = 0""",
        "VACUUM ANALYZE",
    ]


async def fill(url: str, items: int) -> None:
    await load(url, fill_sql(items),
               "SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM assignments) AS assignments, "
               "(SELECT count(*) FROM answers) AS answers, (SELECT count(*) FROM attachments) AS photos")


@dataclass
class Timed:
    name: str
    timings: list[float] = field(default_factory=list)  # seconds, wall clock
    cpu: list[float] = field(default_factory=list)  # seconds of this process's CPU (server and client)
    results: int = 0  # requests in the last answer

    def line(self) -> str:
        return (f"{self.name:46} {pct(self.timings, 0.5) * 1000:8.1f} {pct(self.timings, 0.99) * 1000:8.1f}"
                f" {pct(self.cpu, 0.5) * 1000:8.1f} {self.results:>8,}")


@dataclass
class Run:
    reads: list[Timed]
    stats_seconds: float | None  # None: this build has no `sotong stats`


async def _numbers(url: str, count: int) -> list[str]:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            "SELECT public_number FROM items WHERE NOT is_private AND status <> 'hidden' ORDER BY id LIMIT $1", count)
    finally:
        await connection.close()
    return [row["public_number"] for row in rows]


async def measure(url: str, runs: int, explain: bool = False) -> list[Timed]:
    engine = create_engine(url)
    files = TelegramFiles(create_bot("123456:BENCH-TOKEN-NEVER-USED"))  # media_url is built, never fetched
    runner = web.AppRunner(standalone_app(build_app(engine, CITY, files=files)), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    settle_heap()  # as `sotong api` does once it is serving
    base = f"http://127.0.0.1:{runner.addresses[0][1]}{PREFIX}"
    ids = ",".join(await _numbers(url, 200))
    paths = {
        "GET /requests.json (last 90 days)": "/requests.json",
        "GET /requests.xml (last 90 days)": "/requests.xml",
        "GET /requests.json?service_code=water": "/requests.json?service_code=water",
        "GET /requests.json?status=closed": "/requests.json?status=closed",
        "GET /requests.json?service_request_id=(200)": f"/requests.json?service_request_id={ids}",
        "GET /requests/{id}.json": f"/requests/{ids.split(',')[0]}.json",
    }
    measured = []
    try:
        async with aiohttp.ClientSession() as http:
            for name, path in paths.items():
                timed = Timed(name)
                for n in range(WARM_UP + runs):
                    started, cpu = time.perf_counter(), time.process_time()
                    async with http.get(base + path) as response:
                        body = await response.read()
                        assert response.status == 200, body[:300]
                    if n >= WARM_UP:
                        timed.timings.append(time.perf_counter() - started)
                        timed.cpu.append(time.process_time() - cpu)
                timed.results = body.count(b'"service_request_id"') or body.count(b"<service_request_id>")
                measured.append(timed)
                print(timed.line(), flush=True)
        measured.append(await _service_only(engine, runs))
        if explain:
            await _explain(engine)
    finally:
        await runner.cleanup()
        await files.close()
        await engine.dispose()
    return measured


async def _service_only(engine, runs: int) -> Timed:  # type: ignore[no-untyped-def]
    """The default list without HTTP and formatting: the SQL and the mapping to the standard."""
    sessions = create_session_factory(engine, reads_only=True)
    timed = Timed("  of which the service (SQL and mapping)")
    for n in range(WARM_UP + runs):
        async with sessions() as session:
            started, cpu = time.perf_counter(), time.process_time()
            found = await Open311Service(session, CITY).requests({})
            if n >= WARM_UP:
                timed.timings.append(time.perf_counter() - started)
                timed.cpu.append(time.process_time() - cpu)
    timed.results = len(found)
    print(timed.line(), flush=True)
    return timed


async def _explain(engine) -> None:  # type: ignore[no-untyped-def]
    print("\n  the default list's statement:")
    await explain(engine, create_session_factory(engine, reads_only=True),
                  lambda session: Open311Service(session, CITY).requests({}))


def stats_available() -> bool:
    result = subprocess.run([sys.executable, "-m", "bot.cli", "stats", "--help"], cwd=ROOT, capture_output=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    return result.returncode == 0


def time_stats(url: str) -> float | None:
    """Seconds `sotong stats --period 365d --out <png>` takes on the data, or None without it."""
    if not stats_available():
        print("stats: not available in this build")
        return None
    with tempfile.TemporaryDirectory() as folder:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}, "PYTHONPATH": str(ROOT),
               "SOTONG_DATABASE_URL": url, "SOTONG_CITY_CONFIG": str(CITY_FILE)}
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "bot.cli", "stats", "--period", "365d",
                                 "--out", str(Path(folder) / "x.png")], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=600)
        seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(f"stats: failed with status {result.returncode}: {result.stderr.strip()[-500:]}")
        return None
    print(f"stats: sotong stats --period 365d --out x.png took {seconds:.1f} s (target < 5 s, process start included)")
    return seconds


async def open311_run(base_url: str, items: int, runs: int, explain: bool = False, stats: bool = True) -> Run:
    name = f"sotong_bench_open311_{uuid.uuid4().hex[:8]}"
    url = await fresh_database(base_url, name)
    try:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        print(f"generating {items:,} items")
        started = time.perf_counter()
        await fill(url, items)
        print(f"generated and analyzed in {time.perf_counter() - started:.0f} s\n")
        print(f"{'read (whole HTTP request)':46} {'p50 ms':>8} {'p99 ms':>8} {'cpu p50':>8} {'results':>8}")
        reads = await measure(url, runs, explain)
        flag = pct(reads[0].timings, 0.99) * 1000
        print(f"\ndefault list p99 {flag:.1f} ms: {'within' if flag < TARGET_MS else 'over'} the {TARGET_MS} ms target")
        return Run(reads, await asyncio.to_thread(time_stats, url) if stats else None)
    finally:
        await drop_database(base_url, name)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--explain", action="store_true", help="print the plan of the default list's statement")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    await open311_run(args.postgres, args.items, args.runs, args.explain)


if __name__ == "__main__":
    asyncio.run(main())
