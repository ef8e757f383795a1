"""Several `sotong worker` processes run every periodic job at once on PostgreSQL: each piece
of work is still done once. Three workers (each with its own engine, as separate processes
have) start together on a database where every job has work waiting: a proposal whose window
has passed, overdue assignments, a complaint due for "Is it fixed?", a broadcast with a
progress message, a poll past its closing time and an official without a command menu. The
jobs take their work with conditional UPDATEs or queue it under unique dedupe keys; this shows
that it holds when they race (the senders are tested together in test_outbox_workers.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlalchemy import text

from bot.worker import PERIODIC_JOBS, run_worker
from storage.audience import Audience
from storage.clock import ManualClock
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Resident
from storage.services.broadcast_progress import ProgressService
from storage.services.broadcasts import BroadcastService
from storage.services.polls import PollService
from tests.backends import postgres_database
from tests.test_participation_service import _proposal, _residents
from tests.test_polls_service import draft
from tests.test_routing_service import _complaint, _official

WORKERS = 3
RUN_FOR = 3.0  # seconds: every job runs once at each worker's start, the frequent ones again


async def rows(engine, query: str) -> list[tuple]:
    async with engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(text(query))).all()]


async def work_for_every_job(engine, city, clock: ManualClock) -> None:
    factory = create_session_factory(engine)
    filer, *_ = await _residents(factory, 2)
    await _official(factory, 9001, "water")
    await _proposal(factory, city, filer, "Quiet proposal")  # nobody endorses it: it expires
    await _complaint(factory, city, filer)  # water and buk_office: overdue in 31 days
    resolved = await _complaint(factory, city, filer)
    async with factory() as session:
        session.add(Resident(telegram_id=700, language="en", district="nam"))
        await session.commit()
        broadcast = await BroadcastService(session, city, clock).announce(
            None, {"ko": "단수 안내"}, Audience(districts=("nam",)), progress_chat_id=700)
        assert broadcast.id is not None
        await ProgressService(session, clock).remember_message(broadcast.id, 700, 77)
        await PollService(session, city, clock).create(None, draft(clock))
    clock.advance(days=31)
    local = city.local(clock())  # at or after the reminders' hour, the same local day
    clock.advance(hours=(city.routing.reminder_hour - local.hour) % 24 + 1)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE items SET status = 'resolved', followup_due_at = :due WHERE id = :i"),
                                 {"due": clock() - dt.timedelta(minutes=1), "i": resolved.id})


async def test_every_job_of_three_workers_at_once_does_its_work_once(city, caplog):
    clock = ManualClock()
    async with postgres_database() as url:
        engines = [create_engine(url) for _ in range(WORKERS)]
        try:
            await upgrade(engines[0])
            await work_for_every_job(engines[0], city, clock)
            stop = asyncio.Event()
            caplog.set_level(logging.ERROR, logger="bot.worker")
            workers = [asyncio.create_task(run_worker(create_session_factory(engine), city, clock, interval=0.5,
                                                      stop=stop, jobs=PERIODIC_JOBS)) for engine in engines]
            await asyncio.sleep(RUN_FOR)
            stop.set()
            await asyncio.gather(*workers)
            engine = engines[0]

            assert [r.getMessage() for r in caplog.records] == []  # no job failed on a race
            assert await rows(engine, "SELECT to_status, count(*) FROM status_events WHERE actor = 'system' "
                                      "GROUP BY to_status") == [("expired", 1)]
            assert await rows(engine, "SELECT count(*) FROM polls WHERE closed_at IS NOT NULL") == [(1,)]
            assert await rows(engine, "SELECT count(*) FROM broadcasts WHERE kind = 'poll_results'") == [(1,)]
            queued = dict(await rows(engine, "SELECT kind, count(*) FROM outbox WHERE broadcast_id IS NULL "
                                             "GROUP BY kind"))
            assert {kind: queued.get(kind) for kind in ("reminder", "followup", "broadcast_progress",
                                                        "command_menu")} == {
                "reminder": 1, "followup": 1, "broadcast_progress": 1, "command_menu": 1}
            assert await rows(engine, "SELECT kind, chat_id, dedupe_key FROM outbox WHERE dedupe_key IS NOT NULL "
                                      "GROUP BY kind, chat_id, dedupe_key HAVING count(*) > 1") == []
            status_notices = await rows(engine, "SELECT count(*) FROM outbox WHERE kind = 'status'")
            assert status_notices == [(1,)]  # the filer hears once that the proposal expired
        finally:
            for engine in engines:
                await engine.dispose()
