"""`sotong worker`: the periodic lifecycle sweep. Safe to run in several processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.failures import first_line
from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.services.sweep import BATCH, LifecycleSweep, Move

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 60.0
# A database that is down, restarting or unreachable (not a bug: no traceback for these).
OUTAGE = (OSError, TimeoutError, OperationalError, InterfaceError)


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


async def run_worker(
    session_factory: async_sessionmaker,
    city: CityConfig,
    clock: Clock = system_clock,
    interval: float = DEFAULT_INTERVAL,
    stop: asyncio.Event | None = None,
) -> None:
    """Sweeps every `interval` seconds until `stop` is set; a failed sweep is retried next time.
    A database outage is logged as one line when it begins and one when it ends."""
    stop = stop or asyncio.Event()
    down = False
    while not stop.is_set():
        try:
            await sweep_once(session_factory, city, clock)
            if down:
                log.info("the database is reachable again; sweeping resumed")
            down = False
        except OUTAGE as exc:  # the next sweep catches up
            if not down:
                log.warning("the database is unreachable (%s); sweeping again every %g s until it is back",
                            first_line(exc), interval)
            down = True
        except Exception:
            log.exception("lifecycle sweep failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
