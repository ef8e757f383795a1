"""The worker's job that closes polls whose time has come and queues their results chart."""

from __future__ import annotations

import asyncio
import functools
import logging

from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.i18n import create_core
from bot.notices import Texts
from storage.city import CityConfig
from storage.clock import Clock
from storage.services.polls import PollResults, PollService
from storage.vocabulary import LANGUAGES

log = logging.getLogger(__name__)


@functools.cache
def _core() -> FluentRuntimeCore:
    return create_core(LANGUAGES[0])


async def chart_texts(language: str) -> Texts:
    core = _core()
    if not core.locales:
        await core.startup()
    return Texts(core, language)


async def close_polls(session_factory: async_sessionmaker, city: CityConfig, clock: Clock) -> int:
    """Closes each poll whose time has come and queues its results: the counts are read and the
    charts drawn first, with no transaction open (on SQLite a write would lock out every other
    writer meanwhile); then one short transaction closes the poll (one conditional UPDATE, so a
    poll is closed once) and queues the `poll_results` broadcast to the admins and everyone who
    answered. Returns how many."""
    closed = 0
    while True:
        async with session_factory() as session:
            drawn = await PollService(session, city, clock).due_results()
        if drawn is None:
            return closed
        charts = await _charts(drawn, city)
        async with session_factory() as session:
            service = PollService(session, city, clock)
            results = await service.claim(drawn.poll.id)
            if results is None:  # another worker closed it meanwhile
                continue
            if results != drawn:  # an answer in flight while the counts were read: drawn again
                charts = await _charts(results, city)
            broadcast = await service.send_results(results, charts)
        closed += 1
        log.info("poll %s closed: %d answered; results queued to %d", results.poll.id, results.total.answered,
                 broadcast.audience_size)


async def _charts(results: PollResults, city: CityConfig) -> dict[str, bytes]:
    """The results chart in each language, drawn off the event loop (the sender keeps sending)."""
    # matplotlib only when a poll closes: every start of the worker (and of the console, which
    # runs one) would otherwise pay for importing it.
    from bot.poll_charts import labels, results_png

    charts = {}
    for language in LANGUAGES:
        words = labels(results, city, await chart_texts(language))
        charts[language] = await asyncio.to_thread(results_png, results, words)
    return charts
