"""429 on a call: waited out and retried, but an update never waits more than its budget."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage

from bot import telegram_retry
from bot.telegram_retry import RetryAfter


async def test_waits_are_bounded_per_update(monkeypatch, caplog):
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(telegram_retry.asyncio, "sleep", sleep)
    method = SendMessage(chat_id=1, text="hi")
    refusals = [2, 2, 2]

    async def make_request(bot, method):  # type: ignore[no-untyped-def]
        if not refusals:
            return "sent"
        seconds = refusals.pop()
        raise TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=seconds)

    async def one_update() -> None:
        middleware = RetryAfter(budget=5)
        with pytest.raises(TelegramRetryAfter):  # 2 + 2 waited; a third wait would pass 5 s
            await middleware(make_request, None, method)

    caplog.set_level(logging.WARNING)
    await asyncio.create_task(one_update())
    assert slept == [2, 2]
    assert len(caplog.records) == 1  # one warning for the update, not one per wait

    refusals[:] = [2, 2]

    async def next_update() -> None:  # a new update (task) has its own budget
        assert await RetryAfter(budget=5)(make_request, None, method) == "sent"

    await asyncio.create_task(next_update())
    assert slept == [2, 2, 2, 2]
