"""Two outer update middlewares that stop an update before any handler sees it.

FloodGuard, registered before the database middleware, so that a flood costs no database
work: past `flood_updates` updates within `flood_seconds` (the city file's [moderation]), a
resident's updates are ignored, and they are told to slow down once a minute at most. The
counters are fixed windows, in Redis when the bot keeps its state there (shared by every
worker), in this process's memory otherwise.

BannedResidents, registered after the resident and i18n middlewares: a banned resident's
updates reach no handler (nothing they send is stored or shown); once a day at most they
are told until when, and how to appeal.
"""

from __future__ import annotations

import html
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, TelegramObject, Update, User
from aiogram_i18n import I18nMiddleware
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.i18n import default_locale
from bot.services import Services
from handlers.limits import local_moment
from storage.city import CityConfig
from storage.clock import Clock
from storage.models import Resident, stored_id
from storage.services.bans import is_banned, is_forever
from storage.services.residents import language_from_telegram

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)

# At most one "slow down" a resident in this many seconds.
SLOW_DOWN_EVERY = 60


class FloodCounter(Protocol):
    async def hit(self, who: str, seconds: int) -> int:
        """Counts one update of `who`; returns their updates in the current window."""

    async def may_warn(self, who: str) -> bool:
        """True at most once per SLOW_DOWN_EVERY seconds for `who`."""


class MemoryFloodCounter:
    """One process's counters; the least recently seen residents are dropped past `size`."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._windows: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._warned: OrderedDict[str, float] = OrderedDict()

    async def hit(self, who: str, seconds: int) -> int:
        window = int(time.monotonic() // seconds)
        started, count = self._windows.get(who, (window, 0))
        count = count + 1 if started == window else 1
        self._remember(self._windows, who, (window, count))
        return count

    async def may_warn(self, who: str) -> bool:
        now = time.monotonic()
        last = self._warned.get(who)
        if last is not None and now - last < SLOW_DOWN_EVERY:
            return False
        self._remember(self._warned, who, now)
        return True

    def _remember(self, entries: OrderedDict[str, Any], who: str, value: Any) -> None:
        entries[who] = value
        entries.move_to_end(who)
        while len(entries) > self.size:
            entries.popitem(last=False)


class RedisFloodCounter:
    """Counters shared by every worker of the bot: INCR of a key per resident and window."""

    def __init__(self, redis: Redis, prefix: str = "sotong:flood") -> None:
        self.redis = redis
        self.prefix = prefix

    async def hit(self, who: str, seconds: int) -> int:
        key = f"{self.prefix}:{who}:{int(time.time() // seconds)}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, seconds * 2)
            count, _ = await pipe.execute()
        return int(count)

    async def may_warn(self, who: str) -> bool:
        return bool(await self.redis.set(f"{self.prefix}:warned:{who}", 1, nx=True, ex=SLOW_DOWN_EVERY))


class FloodGuard(BaseMiddleware):
    def __init__(self, counter: FloodCounter, city: CityConfig) -> None:
        self.counter = counter
        self.limit = city.moderation.flood_updates
        self.seconds = city.moderation.flood_seconds

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        bot: Bot | None = data.get("bot")
        if user is None or user.is_bot or bot is None:
            return await handler(event, data)
        who = f"{bot.id}:{user.id}"
        try:
            if await self.counter.hit(who, self.seconds) <= self.limit:
                return await handler(event, data)
            if await self.counter.may_warn(who):
                await self._slow_down(bot, user, data)
        except RedisError as exc:  # the guard must not take the bot down with Redis
            log.warning("flood guard skipped: %s", exc)
            return await handler(event, data)
        return None

    async def _slow_down(self, bot: Bot, user: User, data: dict[str, Any]) -> None:
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        i18n: I18nMiddleware = data["i18n_middleware"]
        locale = language_from_telegram(user.language_code, default_locale(i18n))
        try:
            await bot.send_message(chat.id, i18n.core.get("limits-slow-down", locale))
        except TelegramAPIError as exc:
            log.info("could not ask %s to slow down: %s", user.id, exc)


class BannedResidents(BaseMiddleware):
    def __init__(self, clock: Clock, city: CityConfig) -> None:
        self.clock = clock
        self.city = city

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        resident: Resident | None = data.get("resident")
        now = self.clock()
        if resident is None or not is_banned(resident, now):
            return await handler(event, data)
        bot: Bot = data["bot"]
        i18n: I18nMiddleware = data["i18n_middleware"]
        callback = event.callback_query if isinstance(event, Update) else None
        try:
            if callback is not None:  # stops the button's spinner; the button does nothing
                await bot.answer_callback_query(callback.id, i18n.core.get("ban-pressed", resident.language))
            services: Services = data["services"]
            if await services.bans.should_tell(stored_id(resident), now):
                await bot.send_message(resident.telegram_id, self._notice(i18n, resident))
        except TelegramAPIError as exc:
            log.info("could not tell banned resident %s: %s", resident.id, exc)
        return None

    def _notice(self, i18n: I18nMiddleware, resident: Resident) -> str:
        language, until = resident.language, resident.banned_until
        if is_forever(until) or until is None:
            notice = i18n.core.get("ban-notice-forever", language)
        else:
            notice = i18n.core.get("ban-notice-until", language, until=local_moment(until, self.city))
        appeal = self.city.moderation.appeal
        appeal_text = html.escape(appeal) if appeal else i18n.core.get("ban-appeal-default", language)
        return f"{notice}\n\n{i18n.core.get('ban-appeal', language, appeal=appeal_text)}"
