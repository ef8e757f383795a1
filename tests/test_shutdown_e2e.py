"""Stopping the bot lets the updates it is handling finish before it closes what they use
(aiogram stops polling without waiting for them)."""

from __future__ import annotations

import asyncio
import logging

from tests.backends import sqlite_url
from tests.harness import BotHarness


async def test_an_update_being_handled_finishes_before_the_bot_closes(fake_telegram, tmp_path, clock, caplog):
    bot = BotHarness(fake_telegram, sqlite_url(tmp_path), None, clock)
    await bot.start()
    resident = fake_telegram.user(7101, first_name="Late", language_code="en")
    fake_telegram.delay_replies(7101, 1.5)
    await resident.send_text("/start")
    for _ in range(100):  # until the bot has taken the update and is waiting for Telegram
        if bot.app is not None and bot.app.updates_in_flight():
            break
        await asyncio.sleep(0.02)
    assert bot.app is not None and bot.app.updates_in_flight(), "the update was never seen in flight"
    with caplog.at_level(logging.ERROR):
        await bot.stop()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "Gwangju" in (await resident.expect("Gwangju")).text
