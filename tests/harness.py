"""The bot as `sotong run` starts it, polling a fake Bot API server over real HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bot.app import Application, create_application
from bot.runner import run_polling
from bot.settings import Settings
from fakeapi import FakeTelegram
from storage.clock import Clock, system_clock
from storage.database import create_engine

TEST_CITY = Path(__file__).parent / "data" / "city.toml"


class BotHarness:
    def __init__(
        self, fake: FakeTelegram, database_url: str, redis_url: str | None, clock: Clock = system_clock
    ) -> None:
        self.fake = fake
        self.clock = clock
        self.settings = Settings(
            _env_file=None,
            bot_token=fake.token,
            telegram_api_url=fake.base_url,
            database_url=database_url,
            redis_url=redis_url,
            city_config=TEST_CITY,
            polling_timeout=2,
        )
        self.app: Application | None = None
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        self.app = create_application(self.settings, clock=self.clock)
        self.task = asyncio.create_task(run_polling(self.app, handle_signals=False))
        await self._wait_until_polling()

    async def _wait_until_polling(self) -> None:
        for _ in range(200):
            if self.fake.calls_of("getUpdates"):
                return
            if self.task.done():
                await self.task  # raises what stopped it
            await asyncio.sleep(0.05)
        raise AssertionError("the bot did not start polling")

    async def stop(self) -> None:
        if self.task is None:
            return
        if not self.task.done():
            await self.app.dispatcher.stop_polling()
        await asyncio.wait_for(self.task, 15)
        self.task = self.app = None

    async def restart(self) -> None:
        await self.stop()
        self.fake.calls.clear()
        await self.start()

    async def sql(self, query: str, **params) -> list[dict]:  # type: ignore[no-untyped-def]
        """Reads the shared database with plain SQL, as the city's main platform would."""
        engine = create_engine(self.settings.database_url)
        try:
            async with engine.connect() as connection:
                result = await connection.execute(text(query), params)
                return [dict(row._mapping) for row in result]
        finally:
            await engine.dispose()
