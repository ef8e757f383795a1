"""Reaching Telegram: waiting for it at start, and one log line per outage while polling."""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import urlsplit

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import User

from bot.failures import TokenRejected, first_line

log = logging.getLogger(__name__)

TELEGRAM = "https://api.telegram.org"
FIRST_DELAY = 0.5
MAX_DELAY = 60.0
# A network or DNS failure, a proxy's 502 (an HTML page aiogram cannot decode), a 5xx, a 429.
UNREACHABLE = (TelegramNetworkError, TelegramServerError, ClientDecodeError, TelegramRetryAfter)
# Telegram's 400s for an edit of a message the bot can no longer edit (deleted by the chat, or
# not the bot's): retrying cannot help.
MESSAGE_GONE = ("message to edit not found", "message can't be edited")
TOKEN_REJECTED = (
    "Telegram rejected SOTONG_BOT_TOKEN (401 Unauthorized): the token was revoked or mistyped; "
    "copy the current one from @BotFather (/mybots, then API Token)"
)


def message_gone(message: str) -> bool:
    return any(reason in message for reason in MESSAGE_GONE)


def telegram_host(api_url: str | None) -> str:
    return urlsplit(api_url or TELEGRAM).netloc


async def wait_for_telegram(bot: Bot, host: str) -> User:
    """Asks Telegram who the bot is, retrying with a growing delay (capped at a minute) while
    it cannot be reached; a token Telegram rejects ends the wait at once."""
    delay, attempt = FIRST_DELAY, 1
    while True:
        try:
            return await bot.me()
        except TelegramUnauthorizedError as exc:
            raise TokenRejected(TOKEN_REJECTED) from exc
        except UNREACHABLE as exc:
            log.warning("Telegram at %s is unreachable (attempt %d: %s); next attempt in %g s",
                        host, attempt, first_line(exc), delay)
        await asyncio.sleep(delay)
        delay, attempt = min(delay * 2, MAX_DELAY), attempt + 1


async def remove_webhook(bot: Bot) -> None:
    """Telegram refuses getUpdates (409 Conflict) while a webhook is set, and aiogram's polling
    would log that conflict forever: a webhook left by an earlier `sotong run --webhook` is
    removed, its pending updates kept for this process to poll."""
    try:
        if not (await bot.get_webhook_info()).url:
            return
        await bot.delete_webhook(drop_pending_updates=False)
    except (TelegramAPIError, ClientDecodeError) as exc:
        log.warning("could not check for a webhook set earlier (%s); polling goes on", first_line(exc))
        return
    log.warning("removed the webhook an earlier `sotong run --webhook` set: this process polls for the updates")


class PollingOutageLog(logging.Filter):
    """aiogram logs two lines for every failed getUpdates attempt, each retry included; this
    keeps one line when an outage begins (or its cause changes) and one when it ends.
    Put it on the "aiogram.dispatcher" logger."""

    def __init__(self) -> None:
        super().__init__()
        self.cause: str | None = None
        self.since = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("Failed to fetch updates"):
            return self._failed(record)
        if message.startswith("Sleep for"):
            return False
        if message.startswith("Connection established") and self.cause is not None:
            record.msg, record.args = "Telegram reachable again after %.0f s", (time.monotonic() - self.since,)
            self.cause = None
        return True

    def _failed(self, record: logging.LogRecord) -> bool:
        cause = str(record.args[0]) if isinstance(record.args, tuple) and record.args else ""
        if cause == self.cause:
            return False
        if self.cause is None:
            self.since = time.monotonic()
        self.cause = cause
        record.msg = "Telegram unreachable while polling (%s: %s); retrying quietly until it is back"
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
