"""The bot and the fake Telegram it polls, started and stopped together."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import Application, create_application
from bot.outbox import SendPolicy, create_sender, sending_bot
from bot.runner import run_polling
from bot.settings import Settings
from bot.worker import run_worker
from fakeapi import BotEvent, FakeTelegram

QUIET_SECONDS = 0.3  # the bot counts as done once it has been silent this long
SETTLE_CAP_SECONDS = 10.0
STARTUP_SECONDS = 60.0
STOP_SECONDS = 15.0
_TICK = 0.05
CONSOLE_WORKER_SECONDS = 0.2  # the console's worker looks for work this often


def console_settings(settings: Settings, fake: FakeTelegram) -> Settings:
    """The operator's settings, pointed at the fake so nothing reaches Telegram."""
    return settings.model_copy(
        update={"bot_token": SecretStr(fake.token), "telegram_api_url": fake.base_url}
    )


@contextmanager
def console_storage(settings: Settings, database_url: str | None = None,
                    redis_url: str | None = None) -> Iterator[Settings]:
    """The console plays in a database of its own: a temporary SQLite file, migrated on start
    and deleted on exit, with drafts in memory. Another database or Redis only when given
    explicitly: SOTONG_DATABASE_URL and SOTONG_REDIS_URL may be a city's production ones."""
    if database_url:
        yield settings.model_copy(update={"database_url": database_url, "redis_url": redis_url})
        return
    with tempfile.TemporaryDirectory(prefix="sotong-console-") as folder:
        throwaway = f"sqlite+aiosqlite:///{Path(folder) / 'console.db'}"
        yield settings.model_copy(
            update={"database_url": throwaway, "redis_url": redis_url, "auto_migrate": True}
        )


@dataclass
class Runtime:
    fake: FakeTelegram
    app: Application
    polling: asyncio.Task
    # Further loops to run beside the bot (a worker sweep, ...); cancelled on stop.
    background: list[asyncio.Task] = field(default_factory=list)
    last_event: float = 0.0

    def _on_event(self, _event: BotEvent) -> None:
        self.last_event = asyncio.get_running_loop().time()

    async def wait_until_polling(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STARTUP_SECONDS
        while not self.fake.calls_of("getUpdates"):
            if self.polling.done():
                await self.polling  # raises what stopped it
                raise RuntimeError("the bot stopped before it started polling")
            if loop.time() > deadline:
                raise RuntimeError("the bot did not start polling")
            await asyncio.sleep(_TICK)

    def busy(self) -> bool:
        """Updates not yet fetched, or fetched and still being handled."""
        return bool(self.fake.updates.updates) or bool(self.app.updates_in_flight())

    async def settle(self) -> None:
        """Waits until the bot has gone quiet (or SETTLE_CAP_SECONDS passed)."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        while loop.time() - began < SETTLE_CAP_SECONDS:
            await asyncio.sleep(_TICK)
            silent_for = loop.time() - max(began, self.last_event)
            if silent_for >= QUIET_SECONDS and not self.busy():
                return

    async def stop(self) -> None:
        for task in self.background:
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)
        try:
            if not self.polling.done():
                await self.app.dispatcher.stop_polling()
            await asyncio.wait_for(self.polling, STOP_SECONDS)
        finally:
            await self.fake.stop()


async def console_worker(app: Application, fake: FakeTelegram) -> Coroutine[Any, Any, None]:
    """The full worker (sweep, fan-out, sender) against the console's own fake Telegram, with
    short intervals so that pushes and notifications show up while one plays."""
    bot = sending_bot(fake.token, fake.base_url)
    sender = await create_sender(app.session_factory, app.city, bot, app.settings.default_locale, app.clock,
                                 SendPolicy.of(app.settings.send_rate, app.city, idle_poll=CONSOLE_WORKER_SECONDS,
                                               lease=app.settings.outbox_lease))
    return run_worker(app.session_factory, app.city, app.clock, interval=CONSOLE_WORKER_SECONDS, sender=sender)


async def start_runtime(settings: Settings) -> Runtime:
    """Starts the fake Telegram and the real bot polling it; the place to add more loops."""
    fake = FakeTelegram()
    await fake.start()
    runtime: Runtime | None = None
    try:
        app = create_application(console_settings(settings, fake))
        runtime = Runtime(fake, app, asyncio.create_task(run_polling(app, handle_signals=False)))
        fake.subscribe(runtime._on_event)
        await runtime.wait_until_polling()  # migrations are applied by now
        runtime.background.append(asyncio.create_task(await console_worker(app, fake)))
        return runtime
    except BaseException:
        if runtime is not None:
            runtime.polling.cancel()
            await asyncio.gather(runtime.polling, return_exceptions=True)
        await fake.stop()
        raise
