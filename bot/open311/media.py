"""The photos behind media_url: fetched from the Bot API by the API server and passed on.

Telegram keeps residents' photos; downloading one takes the bot's token in the URL (getFile,
then /file/bot<token>/<path>). The API fetches the bytes itself and serves them from its own
address, so a client never sees the token, nor a URL containing it.
"""

from __future__ import annotations

import asyncio
import io
import logging
import mimetypes

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiohttp import ClientError

log = logging.getLogger(__name__)

FETCH_SECONDS = 20


class PhotoGone(Exception):
    """Telegram no longer knows the file."""


class PhotoUnavailable(Exception):
    """Telegram could not be reached, or failed; it may work later."""


class TelegramFiles:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, file_id: str) -> tuple[bytes, str]:
        """The file's bytes and content type."""
        try:
            file = await self.bot.get_file(file_id, request_timeout=FETCH_SECONDS)
            if not file.file_path:
                raise PhotoGone()
            data = io.BytesIO()
            await self.bot.download_file(file.file_path, destination=data, timeout=FETCH_SECONDS)
        except TelegramBadRequest:
            raise PhotoGone() from None
        except (TelegramAPIError, ClientError, asyncio.TimeoutError) as exc:
            # The class only: an exception's text may hold the URL, and the URL the token.
            log.warning("a photo could not be fetched from Telegram (%s)", type(exc).__name__)
            raise PhotoUnavailable() from None
        return data.getvalue(), mimetypes.guess_type(file.file_path)[0] or "image/jpeg"

    async def close(self) -> None:
        await self.bot.session.close()
