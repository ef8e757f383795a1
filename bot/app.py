"""Wiring: builds the bot, the dispatcher with its routers and middlewares, and the database."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

import handlers
from bot import commands, i18n
from bot.dedupe import Ledger, MemoryLedger, OnceOnly, RedisLedger
from bot.guards import BannedResidents, FloodCounter, FloodGuard, MemoryFloodCounter, RedisFloodCounter
from bot.middlewares import DatabaseMiddleware, ResidentMiddleware, UpdatesInFlight
from bot.observability import Metrics, UpdateMetrics
from bot.settings import Settings, require_token
from bot.state_storage import ExpiringMemoryStorage, ResidentLocks
from bot.telegram_retry import RetryAfter
from storage.city import CityConfig, load_city_config
from storage.clock import Clock, system_clock
from storage.database import create_engine, create_session_factory


def create_bot(token: str, api_url: str | None = None, metrics: Metrics | None = None) -> Bot:
    """The handlers' bot: its session retries as Telegram means (bot/telegram_retry.py) and counts
    the 429s and 403s it meets in `metrics`, the process's."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else AiohttpSession()
    session.middleware(RetryAfter(metrics=metrics))
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def create_state_storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation]:
    """Redis when configured, so drafts survive restarts and several workers share them."""
    if not settings.redis_url:
        return ExpiringMemoryStorage(ttl=settings.draft_ttl), ResidentLocks()
    storage = RedisStorage.from_url(
        settings.redis_url,
        key_builder=DefaultKeyBuilder(prefix="sotong", with_bot_id=True),
        state_ttl=settings.draft_ttl,
        data_ttl=settings.draft_ttl,
    )
    return storage, storage.create_isolation()


# How long stopping waits for the updates being handled.
SHUTDOWN_GRACE_SECONDS = 20


def build_dispatcher(
    settings: Settings,
    city: CityConfig,
    session_factory: async_sessionmaker,
    storage: BaseStorage | None = None,
    isolation: BaseEventIsolation | None = None,
    clock: Clock = system_clock,
    metrics: Metrics | None = None,
) -> Dispatcher:
    dp = Dispatcher(
        storage=storage or MemoryStorage(),
        events_isolation=isolation or SimpleEventIsolation(),
        city=city,
        settings=settings,
        clock=clock,
    )
    install_first(dp, OnceOnly(update_ledger(dp.storage)))
    dp["updates_in_flight"] = in_flight = UpdatesInFlight(SHUTDOWN_GRACE_SECONDS)
    dp.update.outer_middleware(in_flight)
    dp.shutdown.register(in_flight.finish)  # before i18n's own shutdown, registered below
    # The process's /metrics (bot/observability.py): every update, its time and its errors.
    dp["metrics"] = metrics = metrics or Metrics()
    dp.update.outer_middleware(UpdateMetrics(metrics))
    # Before the database middleware: an update ignored for flooding costs no database work.
    dp.update.outer_middleware(FloodGuard(flood_counter(dp.storage), city))
    handlers.guard(dp)
    database = DatabaseMiddleware(session_factory, city, settings.default_locale, clock,
                                  settings.resident_cache_seconds)
    dp["resident_cache"] = database.residents
    dp.update.outer_middleware(database)
    dp.update.outer_middleware(ResidentMiddleware())
    i18n.create_middleware(settings.default_locale).setup(dp)
    # After the resident's row and language are known.
    dp.update.outer_middleware(BannedResidents(clock, city))
    handlers.install(dp)
    dp.startup.register(commands.register_commands)
    return dp


def install_first(dp: Dispatcher, middleware: BaseMiddleware) -> None:
    """Puts an update middleware before aiogram's own (error handling, user context,
    conversation state), which the dispatcher registers when it is made."""
    builtins = list(dp.update.outer_middleware)
    for registered in builtins:
        dp.update.outer_middleware.unregister(registered)
    dp.update.outer_middleware(middleware)
    for registered in builtins:
        dp.update.outer_middleware(registered)


def update_ledger(storage: BaseStorage) -> Ledger:
    """Which updates were handled: in Redis, shared by every process, when there is one."""
    if isinstance(storage, RedisStorage):
        return RedisLedger(storage.redis)
    return MemoryLedger()


def flood_counter(storage: BaseStorage) -> FloodCounter:
    """In the Redis the conversation state lives in, when there is one (through the client the
    storage already holds), so every worker of the bot counts together."""
    if isinstance(storage, RedisStorage):
        return RedisFloodCounter(storage.redis)
    return MemoryFloodCounter()


@dataclass
class Application:
    settings: Settings
    city: CityConfig
    engine: AsyncEngine
    session_factory: async_sessionmaker
    bot: Bot
    dispatcher: Dispatcher
    clock: Clock = system_clock

    async def close(self) -> None:
        await self.finish_updates()
        await self.dispatcher.storage.close()
        await self.dispatcher.fsm.events_isolation.close()
        await self.bot.session.close()
        await self.engine.dispose()

    @property
    def metrics(self) -> Metrics:
        """This process's metrics, which /metrics serves (bot/observability.py add_routes)."""
        metrics: Metrics = self.dispatcher["metrics"]
        return metrics

    def updates_in_flight(self) -> list[asyncio.Task]:
        """Updates being handled now (bot.middlewares.UpdatesInFlight)."""
        tracker: UpdatesInFlight = self.dispatcher["updates_in_flight"]
        return list(tracker.tasks)

    async def finish_updates(self) -> None:
        """Lets updates already being handled finish before their storage is closed (the
        dispatcher's shutdown did, when it polled; this covers any other way of stopping)."""
        tracker: UpdatesInFlight = self.dispatcher["updates_in_flight"]
        await tracker.finish()


def create_application(
    settings: Settings, city: CityConfig | None = None, clock: Clock = system_clock
) -> Application:
    token = require_token(settings)
    city = city or load_city_config(settings.city_config)
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    storage, isolation = create_state_storage(settings)
    metrics = Metrics()  # the process's /metrics: the dispatcher's updates and the replies' 429s and 403s
    dispatcher = build_dispatcher(settings, city, session_factory, storage, isolation, clock, metrics)
    bot = create_bot(token, settings.telegram_api_url, metrics)
    return Application(settings, city, engine, session_factory, bot, dispatcher, clock)
