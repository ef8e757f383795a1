"""A Bot whose API calls are answered in memory, as in aiogram's own tests/mocked_bot.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, User

BOT_USER = User(id=42, is_bot=True, first_name="Sotong", username="sotong_bench_bot")


class InstantSession(BaseSession):
    """Answers every method at once: True for bools, a plausible Message for messages."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None) -> TelegramType:
        self.calls += 1
        returning = method.__returning__
        if returning is bool or getattr(returning, "__origin__", None) is not None and bool in getattr(returning, "__args__", ()):
            return True  # type: ignore[return-value]
        if returning is User:
            return BOT_USER  # type: ignore[return-value]
        chat_id = int(getattr(method, "chat_id", 0) or 0)
        return Message(  # type: ignore[return-value]
            message_id=getattr(method, "message_id", None) or 1,
            date=dt.datetime.now(dt.UTC),
            chat=Chat(id=chat_id, type="private"),
            from_user=BOT_USER,
            text=getattr(method, "text", None),
        )

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536, raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        pass


def mocked_bot() -> Bot:
    return Bot("42:BENCH", session=InstantSession())
