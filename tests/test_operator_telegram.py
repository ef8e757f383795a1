"""`sotong run` as a subprocess against the fake Bot API server: Telegram unreachable at start,
a token Telegram rejects, a network loss while polling."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time

from bot.failures import EXIT_TOKEN_REJECTED
from bot.telegram_retry import TRANSIENT_RETRIES
from fakeapi import FakeTelegram
from tests.harness import TEST_CITY
from tests.test_cli import ROOT
from tests.test_operator import free_port

UNREACHABLE_AT_START = "is unreachable (attempt"


class Sotong:
    """`sotong run` in its own process; its stderr is collected line by line as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, tmp_path, api_url: str, token: str) -> Sotong:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
        env.update(PYTHONPATH=str(ROOT), SOTONG_BOT_TOKEN=token, SOTONG_TELEGRAM_API_URL=api_url,
                   SOTONG_CITY_CONFIG=str(TEST_CITY), SOTONG_POLLING_TIMEOUT="1")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        return cls(process)

    async def _read(self) -> None:
        async for raw in self.process.stderr:
            self.lines.append(raw.decode().rstrip("\n"))

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)

    async def wait_for_line(self, text: str, times: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.count(text) < times:
            assert self.process.returncode is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, "\n".join(self.lines)
            await asyncio.sleep(0.05)

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(self.process.wait(), 30)
        await self.reader
        return status

    def output(self) -> str:
        return "\n".join(self.lines)


async def answers_a_resident(fake: FakeTelegram) -> None:
    resident = fake.user(7001, first_name="Mina", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju Metropolitan City", timeout=30)


async def test_waits_while_telegram_refuses_connections(tmp_path):
    port = free_port()
    bot = await Sotong.start(tmp_path, f"http://127.0.0.1:{port}", "123456:TEST-TOKEN")
    fake = FakeTelegram(token="123456:TEST-TOKEN")
    try:
        await bot.wait_for_line(UNREACHABLE_AT_START, times=3)
        await fake.start(port=port)
        await answers_a_resident(fake)
    finally:
        status = await bot.stop()
        await fake.stop()
    attempts = [line for line in bot.lines if UNREACHABLE_AT_START in line]
    assert f"127.0.0.1:{port}" in attempts[0] and "next attempt in 0.5 s" in attempts[0], bot.output()
    assert "next attempt in 1 s" in attempts[1] and "next attempt in 2 s" in attempts[2], bot.output()
    assert status == 0 and "Traceback" not in bot.output(), bot.output()


async def test_waits_while_telegram_answers_502(tmp_path, fake_telegram):
    # Three attempts at start, each of which the bot's session retries itself (bot/telegram_retry.py).
    fake_telegram.fail("getMe", 502, "Bad Gateway", times=3 * (1 + TRANSIENT_RETRIES))
    bot = await Sotong.start(tmp_path, fake_telegram.base_url, fake_telegram.token)
    try:
        await answers_a_resident(fake_telegram)
    finally:
        status = await bot.stop()
    assert bot.count(UNREACHABLE_AT_START) == 3 and bot.count("Bad Gateway") == 3, bot.output()
    assert status == 0 and "Traceback" not in bot.output(), bot.output()


async def test_token_rejected_by_telegram_ends_at_once(tmp_path, fake_telegram):
    bot = await Sotong.start(tmp_path, fake_telegram.base_url, "999999:REVOKED")
    # It ends by itself (stop() would end it with SIGTERM, and another status) after one try:
    # a rejected token is not retried. Told by what it did, not by a clock a busy machine slows.
    await asyncio.wait_for(bot.process.wait(), 30)
    status = await bot.stop()
    assert status == EXIT_TOKEN_REJECTED, bot.output()
    assert fake_telegram.unauthorized == ["getMe"], bot.output()
    assert [line for line in bot.lines if line.startswith("sotong:")] == [
        "sotong: Telegram rejected SOTONG_BOT_TOKEN (401 Unauthorized): the token was revoked or mistyped; "
        "copy the current one from @BotFather (/mybots, then API Token)"], bot.output()
    assert "Traceback" not in bot.output()


async def test_network_loss_while_polling_is_one_line(tmp_path):
    fake = FakeTelegram(token="123456:TEST-TOKEN")
    await fake.start()
    port = int(fake.base_url.rsplit(":", 1)[1])
    bot = await Sotong.start(tmp_path, fake.base_url, fake.token)
    try:
        await answers_a_resident(fake)
        await fake.stop()
        await asyncio.sleep(6)  # several of aiogram's retries (1 s, growing to 5 s)
        await fake.start(port=port)
        await bot.wait_for_line("Telegram reachable again")
        resident = fake.user(7001)
        await resident.send_text("/help")
        await resident.expect("", timeout=30)
    finally:
        status = await bot.stop()
        await fake.stop()
    assert bot.count("Telegram unreachable while polling") == 1, bot.output()
    assert bot.count("Telegram reachable again") == 1, bot.output()
    assert bot.count("Failed to fetch updates") == 0 and bot.count("Sleep for") == 0, bot.output()
    assert status == 0 and "Traceback" not in bot.output(), bot.output()
