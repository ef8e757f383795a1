"""A proposal going viral, through webhook processes: N endorsements of one proposal from N
distinct residents, posted over HTTP as Telegram calls the webhook (secret header, one update a
request, answered once handled), to 1, 2 and 4 `sotong run --webhook` processes on PostgreSQL
and Redis. The proposal's goal is N: the last endorsement moves it to discussion. Checks, in
each configuration, that the final count is exactly N and that it moved to discussion exactly
once; prints updates/s per configuration and the ratio of each to one process.

The processes' Bot API is an instant one in this script (every call answered at once), so
the figures price the bot, PostgreSQL and Redis, not Telegram. Residents exist beforehand
(seeded), as in bench/endorse.py.

    python bench/endorse_scale.py [--endorsements 10000] [--processes 1 2 4] [--in-flight 64]
        [--per-process 10] [--postgres URL] [--redis redis://127.0.0.1:6379/14]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bench.endorse import fresh_postgres  # noqa: E402
from handlers.callbacks import ItemCb  # noqa: E402
from storage.database import create_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Item, Resident  # noqa: E402
from storage.types import utcnow  # noqa: E402

TOKEN = "4242:BENCH-SCALE"
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Sotong", "username": "sotong_bench_bot"}
SECRET = "bench-secret"
FIRST_RESIDENT = 1_000_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- an instant Bot API ------------------------------------------------------------------------
async def instant_api(request: web.Request) -> web.Response:
    method = request.match_info["method"].lower()
    form = await request.post()
    if method == "getme":
        result: object = BOT_USER
    elif method.startswith("send") or method in ("editmessagetext", "editmessagecaption"):
        chat = int(str(form.get("chat_id") or 0) or 0)
        result = {"message_id": int(str(form.get("message_id") or 1)), "date": int(time.time()),
                  "chat": {"id": chat, "type": "private"}, "from": BOT_USER, "text": str(form.get("text") or "")}
    else:
        result = True
    return web.json_response({"ok": True, "result": result})


async def start_api() -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_route("POST", "/bot{token}/{method}", instant_api)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


# -- the database ------------------------------------------------------------------------------
async def seed(url: str, residents: int) -> int:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        now = utcnow()
        async with engine.begin() as connection:
            await connection.execute(insert(Resident.__table__), [
                dict(telegram_id=FIRST_RESIDENT + n, language="ko", full_name="Resident", blocked=False,
                     created_at=now, updated_at=now) for n in range(residents + 1)])
            filer = (await connection.exec_driver_sql("SELECT min(id) FROM residents")).scalar()
            await connection.execute(insert(Item.__table__), [dict(
                public_number="GJ-2026-000001", public_token="viral", kind="proposal", category="roads",
                district="dong", title="A viral proposal", body="Everyone wants this.", is_anonymous=False,
                is_private=False, status="collecting", resident_id=filer, endorsement_count=0, participant_count=0,
                endorsement_goal=residents, participant_goal=100, discussion_days=30,
                stage_deadline=now + dt.timedelta(days=30), submission_key="viral",
                created_at=now, updated_at=now)])
            return int((await connection.exec_driver_sql("SELECT id FROM items")).scalar() or 0)
    finally:
        await engine.dispose()


async def outcome(url: str, item_id: int) -> tuple[int, int, int]:
    """(endorsement_count, endorsement rows, moves to discussion)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            count = (await connection.exec_driver_sql(
                f"SELECT endorsement_count FROM items WHERE id = {item_id}")).scalar()
            rows = (await connection.exec_driver_sql(
                f"SELECT count(*) FROM endorsements WHERE item_id = {item_id}")).scalar()
            moves = (await connection.exec_driver_sql(
                f"SELECT count(*) FROM status_events WHERE item_id = {item_id} AND to_status = 'discussion'")).scalar()
        return int(count or 0), int(rows or 0), int(moves or 0)
    finally:
        await engine.dispose()


# -- the processes -----------------------------------------------------------------------------
async def start_bots(count: int, database_url: str, redis_url: str, api_url: str, logs: Path,
                     per_process: int) -> list[tuple[asyncio.subprocess.Process, str]]:
    bots = []
    for n in range(count):
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
        env.update(PYTHONPATH=str(ROOT), SOTONG_DATABASE_URL=database_url, SOTONG_REDIS_URL=redis_url,
                   SOTONG_BOT_TOKEN=TOKEN, SOTONG_TELEGRAM_API_URL=api_url, SOTONG_WEBHOOK_SECRET=SECRET,
                   SOTONG_WEBHOOK_URL="https://bench.example/telegram", SOTONG_WEBHOOK_PORT=str(port),
                   SOTONG_LOG_LEVEL="WARNING", SOTONG_CITY_CONFIG=str(ROOT / "config" / "gwangju.toml"),
                   SOTONG_MAX_CONCURRENT_UPDATES=str(per_process))
        with (logs / f"bot{count}-{n}.log").open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", "--webhook", cwd=ROOT, env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=log)
        bots.append((process, f"http://127.0.0.1:{port}/telegram"))
    for process, url in bots:
        port = int(url.split(":")[2].split("/")[0])
        for _ in range(1200):
            if process.returncode is not None:
                raise SystemExit(f"a webhook process exited: see {logs}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # setWebhook and the start-up commands, right after listening
    return bots


async def stop_bots(bots: list[tuple[asyncio.subprocess.Process, str]]) -> None:
    for process, _ in bots:
        process.terminate()
    for process, _ in bots:
        await process.wait()


# -- the load ----------------------------------------------------------------------------------
def endorsement(update_id: int, resident: int, item_id: int) -> bytes:
    message = {"message_id": 7, "date": int(time.time()), "chat": {"id": resident, "type": "private"},
               "from": BOT_USER, "text": "card"}
    return json.dumps({"update_id": update_id, "callback_query": {
        "id": str(update_id), "from": {"id": resident, "is_bot": False, "first_name": "Resident",
                                       "language_code": "ko"},
        "chat_instance": "c", "message": message,
        "data": ItemCb(action="endorse", item=item_id).pack()}}).encode()  # type: ignore[arg-type]


async def drive(targets: list[str], bodies: list[bytes], in_flight: int) -> float:
    """Posts every body, `in_flight` at a time, in turn to the targets, each until answered 2xx
    (as Telegram retries); returns updates per second."""
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    queue: asyncio.Queue[tuple[int, bytes]] = asyncio.Queue()
    for n, body in enumerate(bodies):
        queue.put_nowait((n, body))
    connector = aiohttp.TCPConnector(limit=in_flight)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        async def worker() -> None:
            while not queue.empty():
                n, body = queue.get_nowait()
                attempt = 0
                while True:
                    target = targets[(n + attempt) % len(targets)]
                    try:
                        async with session.post(target, data=body, headers=headers) as response:
                            await response.read()
                            if response.status < 300:
                                break
                    except (aiohttp.ClientError, asyncio.TimeoutError):
                        pass
                    attempt += 1
                    await asyncio.sleep(0.1)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        return len(bodies) / (time.perf_counter() - began)


async def run(processes: int, count: int, in_flight: int, postgres: str, redis_url: str, api_url: str,
              logs: Path, per_process: int) -> float:
    database = await fresh_postgres(postgres, f"sotong_scale_{processes}")
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    item_id = await seed(database, count)
    bots = await start_bots(processes, database, redis_url, api_url, logs, per_process)
    try:
        bodies = [endorsement(n + 1, FIRST_RESIDENT + 1 + n, item_id) for n in range(count)]
        rate = await drive([url for _, url in bots], bodies, in_flight)
    finally:
        await stop_bots(bots)
    counted, rows, moves = await outcome(database, item_id)
    assert counted == rows == count, f"{processes} process(es): count {counted}, rows {rows}, expected {count}; " \
                                     f"logs in {logs}"
    assert moves == 1, f"{processes} process(es): {moves} moves to discussion"
    return rate


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endorsements", type=int, default=10_000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--in-flight", type=int, default=64)
    # Each update being handled holds a PostgreSQL connection: processes x this stays well below the
    # server's max_connections (100 by default), which other clients share.
    parser.add_argument("--per-process", type=int, default=10, help="SOTONG_MAX_CONCURRENT_UPDATES of each process")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    api, api_url = await start_api()
    rates: dict[int, float] = {}
    try:
        folder = tempfile.mkdtemp(prefix="sotong-scale-")  # the processes' logs, kept when a check fails
        for processes in args.processes:
            rates[processes] = await run(processes, args.endorsements, args.in_flight, args.postgres, args.redis,
                                         api_url, Path(folder), args.per_process)
            print(f"{processes} webhook process(es): {args.endorsements} endorsements, count exact, one move "
                  f"to discussion, {rates[processes]:.0f} updates/s, "
                  f"{rates[processes] / rates[args.processes[0]]:.2f} x {args.processes[0]}", flush=True)
        shutil.rmtree(folder)
    finally:
        await api.cleanup()
    if 1 in rates and 2 in rates:
        print(f"ratio 2 processes : 1 = {rates[2] / rates[1]:.2f} (target >= 1.3 on 2 cores)")


if __name__ == "__main__":
    asyncio.run(main())
