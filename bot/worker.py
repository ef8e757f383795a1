"""`sotong worker`: the periodic jobs (the lifecycle sweep, the fan-out of notifications, ...)
and the outbox's sender (bot/outbox.py), run side by side in one process.

A module adds a periodic job by adding a `PeriodicJob` to PERIODIC_JOBS: an
`async (session_factory, city, clock) -> int` (how much it did) with its own interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.failures import first_line
from bot.outbox import OUTAGE, Sender
from bot.poll_closing import close_polls
from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.services import notifications
from storage.services.broadcast_progress import report_progress
from storage.services.command_menus import queue_menus
from storage.services.followups import ask_followups
from storage.services.notifications import Notifier
from storage.services.reminders import remind_overdue
from storage.services.sweep import BATCH, LifecycleSweep, Move

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 60.0
__all__ = ["OUTAGE", "PERIODIC_JOBS", "PeriodicJob", "run_once", "run_worker", "sweep_once"]

Job = Callable[[async_sessionmaker, CityConfig, Clock], Awaitable[int]]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Job
    interval: float | None = None  # seconds between runs; None: the worker's --interval
    full: int | None = None  # a run that did this much (a full batch) is followed at once by another


async def sweep_once(session_factory: async_sessionmaker, city: CityConfig, clock: Clock = system_clock) -> list[Move]:
    """Moves every proposal whose window has ended, batch after batch until none is left."""
    moved: list[Move] = []
    while True:
        async with session_factory() as session:
            batch = await LifecycleSweep(session, clock, city).run()
        moved += batch
        if len(batch) < BATCH:
            break
    for move in moved:
        log.info("item %s: %s -> %s", move.item_id, move.source, move.target)
    return moved


async def sweep(session_factory: async_sessionmaker, city: CityConfig, clock: Clock) -> int:
    return len(await sweep_once(session_factory, city, clock))


async def fan_out(session_factory: async_sessionmaker, city: CityConfig, clock: Clock) -> int:
    """Queues the notifications of one batch of new status events and answers."""
    async with session_factory() as session:
        done = await Notifier(session, city).run(clock())
    return max(done.events, done.answers)


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("lifecycle sweep", sweep),
    PeriodicJob("notifications", fan_out, interval=1.0, full=notifications.BATCH),
    # Daily, from the city file's reminder_hour; the dedupe key holds the date, so running often is safe.
    PeriodicJob("overdue reminders", remind_overdue, interval=600.0),
    PeriodicJob("is it fixed?", ask_followups, interval=300.0),
    # Marks finished broadcasts done and queues an edit of each progress message whose counts changed.
    PeriodicJob("broadcast progress", report_progress, interval=3.0),
    # Polls whose time has come: closed once each (a conditional UPDATE), results chart queued.
    PeriodicJob("poll closing", close_polls, interval=30.0),
    # Role holders' command menus: queued when their roles or language changed (a few rows a day).
    PeriodicJob("command menus", queue_menus, interval=10.0),
)


class Outage:
    """One log line when the database becomes unreachable, one when it is back, whichever
    of the worker's loops notices."""

    def __init__(self) -> None:
        self.down = False

    def failed(self, exc: BaseException, interval: float) -> None:
        if not self.down:
            log.warning("the database is unreachable (%s); trying again every %g s until it is back",
                        first_line(exc), interval)
        self.down = True

    def ok(self) -> None:
        if self.down:
            log.info("the database is reachable again; the worker resumed")
        self.down = False


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def _periodic(job: PeriodicJob, factory: async_sessionmaker, city: CityConfig, clock: Clock,
                    interval: float, stop: asyncio.Event, outage: Outage) -> None:
    every = job.interval or interval
    while not stop.is_set():
        done = 0
        try:
            done = await job.run(factory, city, clock)
            outage.ok()
        except OUTAGE as exc:  # the next run catches up
            outage.failed(exc, every)
        except Exception:
            log.exception("%s failed", job.name)
        if job.full is None or done < job.full:
            await _pause(stop, every)


async def _sending(sender: Sender, stop: asyncio.Event, outage: Outage) -> None:
    try:
        while not stop.is_set():
            try:
                await sender.step()
                outage.ok()
            except OUTAGE as exc:
                outage.failed(exc, sender.policy.idle_poll)
            except Exception:
                log.exception("reading the outbox failed")
            await _pause(stop, sender.pause())
    finally:
        await sender.close()


async def run_worker(
    session_factory: async_sessionmaker,
    city: CityConfig,
    clock: Clock = system_clock,
    interval: float = DEFAULT_INTERVAL,
    stop: asyncio.Event | None = None,
    sender: Sender | None = None,
    jobs: tuple[PeriodicJob, ...] | None = None,
) -> None:
    """Runs every periodic job, and the sender when given, until `stop` is set (or cancelled).
    A failed run is retried at the next interval; a database outage is logged as one line
    when it begins and one when it ends."""
    stop = stop or asyncio.Event()
    outage = Outage()
    loops = [_periodic(job, session_factory, city, clock, interval, stop, outage)
             for job in (PERIODIC_JOBS if jobs is None else jobs)]
    if sender is not None:
        loops.append(_sending(sender, stop, outage))
    await asyncio.gather(*loops)


async def run_once(session_factory: async_sessionmaker, city: CityConfig, clock: Clock = system_clock,
                   sender: Sender | None = None) -> dict[str, int]:
    """Each periodic job once (again while it finds full batches), then sends what is due:
    what `sotong worker --once` does. Returns how much each did."""
    done: dict[str, int] = {}
    for job in PERIODIC_JOBS:
        done[job.name] = count = await job.run(session_factory, city, clock)
        while job.full is not None and count >= job.full:
            count = await job.run(session_factory, city, clock)
            done[job.name] += count
    if sender is not None:
        try:
            done["sent"] = await sender.send_due()
        finally:
            await sender.close()
    return done
