"""Drafts in Redis survive a Redis restart only if Redis keeps data on disk: `sotong run`
says so at start when the configured Redis keeps none. Each case runs a Redis of its own."""

from __future__ import annotations

import asyncio
import logging
import shutil
from contextlib import asynccontextmanager

import pytest
from aiogram.fsm.storage.redis import RedisStorage
from redis.exceptions import RedisError

from bot.startup import check_redis
from tests.backends import sqlite_url
from tests.harness import BotHarness
from tests.test_operator import free_port

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")


@asynccontextmanager
async def own_redis(tmp_path, *options: str):
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        "redis-server", "--port", str(port), "--dir", str(tmp_path), *options,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    storage = RedisStorage.from_url(url)
    try:
        for _ in range(100):
            try:
                await storage.redis.ping()
                break
            except (OSError, RedisError):
                await asyncio.sleep(0.05)
        yield storage, url, process
    finally:
        await storage.close()
        if process.returncode is None:
            process.terminate()
            await process.wait()


async def messages_at_start(tmp_path, caplog, *options: str) -> list[tuple[int, str]]:
    async with own_redis(tmp_path, *options) as (storage, url, _process):
        with caplog.at_level(logging.INFO, logger="bot.startup"):
            await check_redis(storage, url)
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "bot.startup"]


async def test_warns_when_redis_keeps_nothing_on_disk(tmp_path, caplog):
    messages = await messages_at_start(tmp_path, caplog, "--save", "", "--appendonly", "no")
    assert len(messages) == 1 and messages[0][0] == logging.WARNING
    assert "drafts are lost when it restarts" in messages[0][1] and "appendonly yes" in messages[0][1]


@pytest.mark.parametrize("options", [("--save", "", "--appendonly", "yes"), ("--save", "900 1", "--appendonly", "no")])
async def test_quiet_when_redis_keeps_data(tmp_path, caplog, options):
    assert await messages_at_start(tmp_path, caplog, *options) == []


async def test_redis_that_forbids_config(tmp_path, caplog):
    messages = await messages_at_start(tmp_path, caplog, "--save", "", "--rename-command", "CONFIG", "")
    assert messages and messages[0][0] == logging.INFO and "does not let us check" in messages[0][1]


@pytest.mark.parametrize(("options", "promise"), [(("--save", "", "--appendonly", "no"), False),
                                                  (("--save", "", "--appendonly", "yes"), True)])
async def test_redis_down_promises_only_what_it_keeps(tmp_path, fake_telegram, options, promise):
    """The outage answer says the draft is kept only when Redis keeps it on disk."""
    async with own_redis(tmp_path, *options) as (_storage, url, process):
        bot = BotHarness(fake_telegram, sqlite_url(tmp_path), url)
        await bot.start()
        try:
            resident = fake_telegram.user(9009, first_name="Yuna", language_code="en")
            await resident.send_text("/start")
            await resident.expect("Gwangju")
            process.terminate()
            await process.wait()
            await resident.send_text("/help")
            answer = await resident.expect("briefly unavailable", timeout=15)
        finally:
            await bot.stop()
    assert ("Nothing you entered is lost" in answer.text) is promise
