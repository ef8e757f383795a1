"""Update middlewares: database sessions per update, then the resident behind it; and a
request middleware on the bot that ends the update's transactions before each Bot API call."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update, User
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.services import Services
from storage.city import CityConfig
from storage.clock import Clock
from storage.database import create_session_factory
from storage.services.residents import ResidentCache, TelegramPerson

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The services of the update this task is handling (aiogram handles each update in its own task).
CURRENT_SERVICES: ContextVar[Services | None] = ContextVar("sotong_services", default=None)


class EndTransactionsBeforeRequest(BaseRequestMiddleware):
    """A slow Telegram must not hold a database transaction (on SQLite, a lock) open."""

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        services = CURRENT_SERVICES.get()
        if services is not None:
            await services.end_transactions()
        return await make_request(bot, method)


class UpdatesInFlight(BaseMiddleware):
    """The tasks handling updates right now (aiogram handles each update in a task of its
    own). aiogram stops polling without waiting for them, then runs the shutdown handlers,
    which close the texts (i18n) the updates still use: `finish` is the first of those
    handlers. Registered first among the middlewares, so a task counts from its first step."""

    def __init__(self, grace: float = 20.0) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()
        self.grace = grace

    async def finish(self) -> None:
        """Waits, `grace` seconds at most, for the updates being handled to end."""
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=self.grace)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        task = asyncio.current_task()
        if task is None:
            return await handler(event, data)
        self.tasks.add(task)
        try:
            return await handler(event, data)
        finally:
            self.tasks.discard(task)


class DatabaseMiddleware(BaseMiddleware):
    def __init__(
        self, session_factory: async_sessionmaker, city: CityConfig, default_language: str, clock: Clock,
        resident_cache_seconds: float = 60.0,
    ) -> None:
        self.session_factory = session_factory
        self.reading_factory = create_session_factory(session_factory.kw["bind"], reads_only=True)
        self.city = city
        self.default_language = default_language
        self.clock = clock
        self.residents = ResidentCache(ttl=resident_cache_seconds)
        self._watched: weakref.WeakSet[BaseSession] = weakref.WeakSet()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        services = Services(self.session_factory, self.city, self.default_language, self.clock, self.residents,
                            self.reading_factory)
        data["services"] = services
        self._watch_requests(data.get("bot"))
        token = CURRENT_SERVICES.set(services)
        try:
            return await handler(event, data)
        finally:
            CURRENT_SERVICES.reset(token)
            await services.close()

    def _watch_requests(self, bot: Bot | None) -> None:
        """Installs EndTransactionsBeforeRequest once on each bot session met."""
        if bot is not None and bot.session not in self._watched:
            bot.session.middleware(EndTransactionsBeforeRequest())
            self._watched.add(bot.session)


class ResidentMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        # Blocking or unblocking the bot is not the resident writing to us (handlers.membership).
        membership = isinstance(event, Update) and event.my_chat_member is not None
        if user is not None and not user.is_bot and not membership:
            person = TelegramPerson(user.id, user.full_name, user.username, user.language_code)
            data["resident"], data["new_resident"] = await data["services"].identify(person)
        return await handler(event, data)
