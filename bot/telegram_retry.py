"""Telegram's errors on the bot's replies, handled as Telegram means them, for every call the
handlers make (a bot session request middleware):

- 429 "retry after N s": wait N s and send it again;
- 5xx, and a timeout or lost connection: try again shortly, at most twice (a timed-out send is
  not repeated: it may have reached the resident; edits, answers and deletions are safe to repeat);
- 400 for a callback answer that came too late, an edit that would change nothing or a message
  already deleted: done, nothing to retry or report.

The waiting is bounded per update (each update is handled in its own task, hence its own
context): a resident whose replies are throttled waits a few seconds, and an update is never held
for long. What is still failing then reaches the errors handler (handlers/errors.py), which tells
the resident the service is briefly unavailable. A 403 (the resident blocked the bot) is the
errors handler's too. Each 429 and 403 is counted in the process's /metrics (sender="replies").
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    Response,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from bot.observability import Metrics

log = logging.getLogger(__name__)

WAIT_PER_UPDATE_SECONDS = 5.0
TRANSIENT_RETRIES = 2  # after a 5xx or a timeout
TRANSIENT_BACKOFF = 0.5  # seconds before the first of them; doubled for the next

# Calls whose repetition changes nothing the resident sees twice.
IDEMPOTENT = (AnswerCallbackQuery, EditMessageText, EditMessageReplyMarkup, EditMessageCaption, DeleteMessage)
# 400s that mean the call has nothing left to do (Telegram's descriptions, lower case).
ALREADY_DONE: tuple[tuple[type, str], ...] = (
    (AnswerCallbackQuery, "query is too old"),  # answered after Telegram stopped waiting
    (AnswerCallbackQuery, "query id is invalid"),
    (EditMessageText, "message is not modified"),
    (EditMessageReplyMarkup, "message is not modified"),
    (EditMessageCaption, "message is not modified"),
    (DeleteMessage, "message to delete not found"),
)

# Seconds already waited in this update (this task's context); a list so the value is shared
# by every call made within the update once it has been set.
_waited: ContextVar[list[float] | None] = ContextVar("telegram_retry_waited", default=None)


def _waited_here() -> list[float]:
    waited = _waited.get()
    if waited is None:
        waited = [0.0]
        _waited.set(waited)
    return waited


def already_done(method: TelegramMethod, exc: TelegramBadRequest) -> bool:
    description = exc.message.lower()
    return any(isinstance(method, kind) and words in description for kind, words in ALREADY_DONE)


class RetryAfter(BaseRequestMiddleware):
    def __init__(self, budget: float = WAIT_PER_UPDATE_SECONDS, backoff: float = TRANSIENT_BACKOFF,
                 metrics: Metrics | None = None) -> None:
        self.budget = budget
        self.backoff = backoff
        self.metrics = metrics

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        transient = 0
        while True:
            began = time.monotonic()
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if self.metrics:
                    self.metrics.throttled.labels(sender="replies").inc()
                await self._wait(method, exc.retry_after, exc, "Telegram asked to slow down")
            except TelegramForbiddenError:
                if self.metrics:
                    self.metrics.forbidden.labels(sender="replies").inc()
                raise
            except TelegramBadRequest as exc:
                if not already_done(method, exc):
                    raise
                log.debug("%s: %s; nothing left to do", type(method).__name__, exc.message)
                done: Response[Any] = Response(ok=True, result=True)  # what Telegram says to a call that did it
                return done
            except (TelegramServerError, TelegramNetworkError) as exc:
                if transient >= TRANSIENT_RETRIES or (
                        isinstance(exc, TelegramNetworkError) and not isinstance(method, IDEMPOTENT)):
                    raise
                _waited_here()[0] += time.monotonic() - began  # a timeout's own wait counts too
                await self._wait(method, self.backoff * 2 ** transient, exc, "Telegram failed")
                transient += 1

    async def _wait(self, method: TelegramMethod, seconds: float, exc: Exception, what: str) -> None:
        """Waits before the call goes again, or raises `exc` when the update has waited enough."""
        waited = _waited_here()
        if waited[0] + seconds > self.budget:
            raise exc
        if not waited[0]:  # one warning per update, however many replies wait
            log.warning("%s: %s retried in %s s", what, type(method).__name__, seconds)
        waited[0] += seconds
        await asyncio.sleep(seconds)
