"""Webhook bots for the tests: `sotong run --webhook` in processes of their own (or in the
test's own loop), behind the fake Telegram's stand-in for a load balancer; and a TCP proxy
that takes PostgreSQL or Redis away from them and brings it back."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text

from bot.app import Application, create_application
from bot.settings import Settings
from bot.webhook import run_webhook
from fakeapi import FakeTelegram
from storage.database import create_engine
from tests.harness import TEST_CITY

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret_0123456789"
PUBLIC_URL = "https://sotong.example/telegram"
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_env(fake: FakeTelegram, database_url: str, redis_url: str | None, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
    env.update(PYTHONPATH=str(ROOT), SOTONG_DATABASE_URL=database_url, SOTONG_BOT_TOKEN=fake.token,
               SOTONG_TELEGRAM_API_URL=fake.base_url, SOTONG_CITY_CONFIG=str(TEST_CITY),
               SOTONG_WEBHOOK_URL=PUBLIC_URL, SOTONG_WEBHOOK_SECRET=SECRET, SOTONG_WEBHOOK_PORT=str(port))
    if redis_url:
        env["SOTONG_REDIS_URL"] = redis_url
    return env


class WebhookProcess:
    """One `sotong run --webhook`, listening on a port of its own."""

    def __init__(self, fake: FakeTelegram, database_url: str, redis_url: str | None) -> None:
        self.fake, self.database_url, self.redis_url = fake, database_url, redis_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/telegram"
        self.process: asyncio.subprocess.Process | None = None
        # Its log, in a file: a pipe nobody reads would fill and stop the process.
        self.log = Path(tempfile.mkstemp(prefix="sotong-webhook-", suffix=".log")[1])

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", "--webhook", cwd=ROOT,
                env=webhook_env(self.fake, self.database_url, self.redis_url, self.port),
                stdout=asyncio.subprocess.DEVNULL, stderr=log)
        async with asyncio.timeout(START_SECONDS):
            while not await self._listening():
                if self.process.returncode is not None:
                    raise AssertionError(f"the webhook process exited: {await self._stderr()}")
                await asyncio.sleep(0.1)
            while self.fake.webhook.url != PUBLIC_URL:  # setWebhook follows the listening socket
                await asyncio.sleep(0.05)

    async def _listening(self) -> bool:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        return True

    async def _stderr(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> str:
        """SIGTERM, as a supervisor stops it; returns what it wrote to stderr."""
        if self.process is None:
            return ""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        return await self._stderr()


class WebhookFleet:
    """N webhook processes behind one address (the fake's load balancer)."""

    def __init__(self, fake: FakeTelegram, database_url: str, redis_url: str | None, count: int) -> None:
        self.fake = fake
        self.bots = [WebhookProcess(fake, database_url, redis_url) for _ in range(count)]
        fake.webhook.backends = [bot.url for bot in self.bots]

    async def __aenter__(self) -> WebhookFleet:
        await asyncio.gather(*(bot.start() for bot in self.bots))
        return self

    async def __aexit__(self, failure: object, *_: object) -> None:
        logs = await asyncio.gather(*(bot.stop() for bot in self.bots))
        for bot, log in zip(self.bots, logs, strict=True):
            if failure is not None:  # pytest shows it with the failure
                print(f"--- {bot.url} ---\n{log[-6000:]}")
            assert "Sotong is serving" in log, f"{bot.url}:\n{log}"
            bot.log.unlink(missing_ok=True)


class InProcessWebhook:
    """The webhook server in the test's own loop, for checks that need no process of its own."""

    def __init__(self, fake: FakeTelegram, database_url: str, redis_url: str | None) -> None:
        self.fake = fake
        self.settings = Settings(_env_file=None, bot_token=fake.token, telegram_api_url=fake.base_url,
                                 database_url=database_url, redis_url=redis_url, city_config=TEST_CITY,
                                 webhook_url=PUBLIC_URL, webhook_secret=SECRET, webhook_port=free_port())
        self.app: Application | None = None
        self.url = f"http://127.0.0.1:{self.settings.webhook_port}/telegram"
        fake.webhook.backends = [self.url]
        self.stopping = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        self.app = create_application(self.settings)
        ready = asyncio.Event()

        def started(address: str) -> None:
            assert address == self.url
            ready.set()

        self.task = asyncio.create_task(run_webhook(self.app, stop=self.stopping, started=started,
                                                    handle_signals=False))
        done, _ = await asyncio.wait([self.task, asyncio.ensure_future(ready.wait())], timeout=START_SECONDS,
                                     return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            await self.task
        assert ready.is_set(), "the webhook server did not start"

    async def stop(self) -> None:
        if self.task is not None:
            self.stopping.set()
            await asyncio.wait_for(self.task, 30)
            self.task = None


async def sql(database_url: str, query: str, **params: object) -> list[dict]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text(query), params)
            return [dict(row._mapping) for row in result]
    finally:
        await engine.dispose()


class TcpProxy:
    """A port in front of a server (PostgreSQL, Redis): `down()` closes it and cuts the
    connections through it, as a server that went away; `up()` opens the same port again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def down(self) -> None:
        if self.server is not None:
            self.server.close()
            for writer in list(self.writers):
                writer.transport.abort()
            await self.server.wait_closed()
            self.server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.writers |= {writer, upstream_writer}
        try:
            await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))
        finally:
            for end in (writer, upstream_writer):
                end.transport.abort()
                self.writers.discard(end)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, ConnectionError):
            pass
        finally:
            writer.transport.abort()
