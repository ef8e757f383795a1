"""A burst of updates is handled at most SOTONG_MAX_CONCURRENT_UPDATES at a time."""

from __future__ import annotations

import asyncio

from bot.app import create_application
from bot.runner import run_polling
from tests.backends import sqlite_url
from tests.harness import BotHarness


async def test_burst_is_bounded(fake_telegram, tmp_path):
    settings = BotHarness(fake_telegram, sqlite_url(tmp_path), None).settings
    app = create_application(settings.model_copy(update={"max_concurrent_updates": 3}))
    running, most = 0, 0

    async def slow(handler, event, data):  # type: ignore[no-untyped-def]
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            await asyncio.sleep(0.3)
            return await handler(event, data)
        finally:
            running -= 1

    app.dispatcher.update.outer_middleware(slow)
    polling = asyncio.create_task(run_polling(app, handle_signals=False))
    try:
        residents = [fake_telegram.user(100 + n, first_name=f"R{n}", language_code="en") for n in range(10)]
        await asyncio.gather(*(resident.send_text("/help") for resident in residents))
        await asyncio.gather(*(resident.expect("", timeout=30) for resident in residents))
    finally:
        await app.dispatcher.stop_polling()
        await asyncio.wait_for(polling, 15)
    assert most == 3
