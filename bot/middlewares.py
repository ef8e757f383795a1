"""Update middlewares: a database session per update, then the resident behind it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.services import Services
from storage.city import CityConfig
from storage.clock import Clock
from storage.services.residents import ResidentCache, TelegramPerson

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseMiddleware(BaseMiddleware):
    def __init__(
        self, session_factory: async_sessionmaker, city: CityConfig, default_language: str, clock: Clock,
        resident_cache_seconds: float = 60.0,
    ) -> None:
        self.session_factory = session_factory
        self.city = city
        self.default_language = default_language
        self.clock = clock
        self.residents = ResidentCache(ttl=resident_cache_seconds)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        services = Services(self.session_factory, self.city, self.default_language, self.clock, self.residents)
        data["services"] = services
        try:
            return await handler(event, data)
        finally:
            await services.close()


class ResidentMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        # Blocking or unblocking the bot is not the resident writing to us (handlers.membership).
        membership = isinstance(event, Update) and event.my_chat_member is not None
        if user is not None and not user.is_bot and not membership:
            person = TelegramPerson(user.id, user.full_name, user.username, user.language_code)
            data["resident"], data["new_resident"] = await data["services"].identify(person)
        return await handler(event, data)
