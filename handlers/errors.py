"""When handling an update fails: a clear word to the resident, the details to the log."""

from __future__ import annotations

import logging
from typing import Any

from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import ErrorEvent
from aiogram_i18n import I18nMiddleware
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from bot.i18n import default_locale
from storage.services.residents import language_from_telegram

log = logging.getLogger(__name__)

# A database, Redis or network that is down shows up as one of these.
UNAVAILABLE = (SQLAlchemyError, RedisError, OSError, TimeoutError)
# Telegram still failing after bot.telegram_retry waited what an update may wait: not a bug.
TELEGRAM_DOWN = (TelegramServerError, TelegramNetworkError, TelegramRetryAfter)


def _locale(event: ErrorEvent, data: dict, default: str) -> str:
    resident = data.get("resident")
    if resident is not None:
        return resident.language
    user = data.get("event_from_user")
    return language_from_telegram(user.language_code if user else None, default)


async def on_error(event: ErrorEvent, i18n_middleware: I18nMiddleware, **data: Any) -> bool:
    exc = event.exception
    if isinstance(exc, TelegramForbiddenError):
        log.info("update %s: the resident has blocked the bot", event.update.update_id)
        await _remember_blocked(data)
        return True
    if isinstance(exc, TELEGRAM_DOWN):
        log.warning("update %s: Telegram failed to take a reply: %s", event.update.update_id, exc)
    else:
        log.error("update %s failed", event.update.update_id, exc_info=exc)
    core = i18n_middleware.core
    key = _unavailable_key(data) if isinstance(exc, UNAVAILABLE + TELEGRAM_DOWN) else "error-generic"
    text = core.get(key, _locale(event, data, default_locale(i18n_middleware)))
    try:
        if event.update.callback_query:
            await event.update.callback_query.answer(text, show_alert=True)
        elif event.update.message:
            await event.update.message.answer(text)
    except TelegramAPIError:
        log.warning("could not tell the resident about the failure", exc_info=True)
    return True


def _unavailable_key(data: dict) -> str:
    """Promises a kept draft only when the state storage survives restarts (bot.runner decides)."""
    return "error-unavailable-draft-kept" if data.get("drafts_kept") else "error-unavailable"


async def _remember_blocked(data: dict) -> None:
    """Marks the resident's row, so later broadcasts skip them until they write again."""
    user, services = data.get("event_from_user"), data.get("services")
    if user is None or services is None:
        return
    try:
        await services.residents.mark_blocked(user.id)
    except UNAVAILABLE:
        log.warning("could not mark resident %s as blocked", user.id, exc_info=True)
