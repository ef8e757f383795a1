"""Wiring: builds the bot, the dispatcher with its routers and middlewares, and the database."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
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
from bot.guards import BannedResidents, FloodCounter, FloodGuard, MemoryFloodCounter, RedisFloodCounter
from bot.middlewares import DatabaseMiddleware, ResidentMiddleware, UpdatesInFlight
from bot.settings import Settings, require_token
from bot.state_storage import ExpiringMemoryStorage, ResidentLocks
from bot.telegram_retry import RetryAfter
from storage.city import CityConfig, load_city_config
from storage.clock import Clock, system_clock
from storage.database import create_engine, create_session_factory


def create_bot(token: str, api_url: str | None = None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else AiohttpSession()
    session.middleware(RetryAfter())
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
) -> Dispatcher:
    dp = Dispatcher(
        storage=storage or MemoryStorage(),
        events_isolation=isolation or SimpleEventIsolation(),
        city=city,
        settings=settings,
        clock=clock,
    )
    dp["updates_in_flight"] = in_flight = UpdatesInFlight(SHUTDOWN_GRACE_SECONDS)
    dp.update.outer_middleware(in_flight)
    dp.shutdown.register(in_flight.finish)  # before i18n's own shutdown, registered below
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
    dispatcher = build_dispatcher(settings, city, session_factory, storage, isolation, clock)
    bot = create_bot(token, settings.telegram_api_url)
    return Application(settings, city, engine, session_factory, bot, dispatcher, clock)
