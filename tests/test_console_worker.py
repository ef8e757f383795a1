"""The console runs the whole worker against its own fake Telegram: a status event written to
the database reaches the residents who follow the item, as a message in their chat."""

from __future__ import annotations

import asyncio

import pytest

from bench.notify import FIRST_CHAT, plain_status, seed
from bot.notices import RENDERERS, load_renderers
from bot.settings import Settings
from console import start_runtime
from storage.vocabulary import NoticeKind
from tests.backends import sqlite_url
from tests.harness import TEST_CITY


@pytest.fixture(autouse=True)
def status_renderer(monkeypatch):
    load_renderers()
    if NoticeKind.STATUS not in RENDERERS:  # while the product has none
        monkeypatch.setitem(RENDERERS, NoticeKind.STATUS, plain_status)


async def test_the_console_worker_fans_out_and_sends_notifications(tmp_path):
    settings = Settings(_env_file=None, database_url=sqlite_url(tmp_path), city_config=TEST_CITY, polling_timeout=2)
    runtime = await start_runtime(settings)
    try:
        chats = [FIRST_CHAT + n for n in range(3)]
        for chat in chats:
            runtime.fake.user(chat, language_code="en")
        assert await seed(runtime.app.engine, 3) == chats  # three followers of an item that just moved
        async with asyncio.timeout(15):
            while not all(runtime.fake.chats[chat].transcript() for chat in chats):
                await asyncio.sleep(0.05)
        assert all(len(runtime.fake.chats[chat].transcript()) == 1 for chat in chats)
    finally:
        await runtime.stop()
