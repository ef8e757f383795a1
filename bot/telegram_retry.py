"""Telegram's "429 Too Many Requests, retry after N s" on a reply: wait and send it again.

A bot session request middleware, so every call the handlers make is covered. The waiting is
bounded per update (each update is handled in its own task, hence its own context): a resident
whose replies are throttled waits a few seconds, and an update is never held for long.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

WAIT_PER_UPDATE_SECONDS = 5.0

# Seconds already waited in this update (this task's context); a list so the value is shared
# by every call made within the update once it has been set.
_waited: ContextVar[list[float] | None] = ContextVar("telegram_retry_waited", default=None)


def _waited_here() -> list[float]:
    waited = _waited.get()
    if waited is None:
        waited = [0.0]
        _waited.set(waited)
    return waited


class RetryAfter(BaseRequestMiddleware):
    def __init__(self, budget: float = WAIT_PER_UPDATE_SECONDS) -> None:
        self.budget = budget

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                waited = _waited_here()
                if waited[0] + exc.retry_after > self.budget:
                    raise
                if not waited[0]:  # one warning per update, however many replies wait
                    log.warning("Telegram asked to slow down: %s retried in %s s", type(method).__name__,
                                exc.retry_after)
                waited[0] += exc.retry_after
                await asyncio.sleep(exc.retry_after)
