"""Monitoring and logs of real processes: `sotong worker --metrics-port` serves /healthz and
/metrics beside its loops; with SOTONG_LOG_JSON=true every line `sotong run` writes is one JSON
object, and neither the bot's token (in a request URL) nor what a resident wrote (in an update
that fails with a traceback) ever appears in its log."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable

import aiohttp
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bench.notify import FIRST_CHAT, seed
from bot.logs import REDACTED, TOKEN_PATTERN, handler
from fakeapi import FakeTelegram
from storage.database import create_engine
from storage.migrate import upgrade
from tests.backends import redis_server, sqlite_url
from tests.harness import TEST_CITY
from tests.test_cli import ROOT
from tests.test_operator import free_port

# Shaped as @BotFather's tokens are, so that the pattern would catch it too.
TOKEN = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
MARKER = "SecretMarker7f3a"  # what a resident types; it must never reach the log
UNREACHABLE = "is unreachable (attempt"


class Process:
    """A `sotong` command in its own process; its stderr collected line by line as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, module: str, *args: str, cwd: object = ROOT, **env: str) -> Process:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
        environment.update(PYTHONPATH=str(ROOT), SOTONG_CITY_CONFIG=str(TEST_CITY), **env)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", module, *args, cwd=cwd, env=environment,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        return cls(process)

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode().rstrip("\n"))

    async def wait_for_line(self, text: str, times: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < times:
            assert self.process.returncode is None, self.output()
            assert time.monotonic() < deadline, self.output()
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.process.wait(), 30)
        await self.reader

    def output(self) -> str:
        return "\n".join(self.lines)


async def get(http: aiohttp.ClientSession, url: str, process: Process, timeout: float = 60) -> tuple[int, str]:
    """GET once the process serves it (it starts serving after its start-up checks)."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.process.returncode is None, process.output()
        try:
            async with http.get(url) as response:
                return response.status, await response.text()
        except aiohttp.ClientConnectionError:
            assert time.monotonic() < deadline, process.output()
            await asyncio.sleep(0.1)


def sample(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for one in family.samples:
            if one.name == name and one.labels == labels:
                return one.value
    return 0.0


async def wait_for_metrics(http: aiohttp.ClientSession, port: int, process: Process,
                           holds: Callable[[str], bool], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        status, text = await get(http, f"http://127.0.0.1:{port}/metrics", process)
        assert status == 200
        if holds(text):
            return text
        assert time.monotonic() < deadline, text
        await asyncio.sleep(0.1)


async def test_worker_serves_healthz_and_metrics_beside_its_loops(tmp_path, fake_telegram):
    database_url, port = sqlite_url(tmp_path), free_port()
    async with redis_server() as redis_url:
        worker = await Process.start("tests.worker_process", "worker", "--metrics-port", str(port),
                                     SOTONG_DATABASE_URL=database_url, SOTONG_REDIS_URL=redis_url,
                                     SOTONG_BOT_TOKEN=fake_telegram.token, SOTONG_TELEGRAM_API_URL=fake_telegram.base_url,
                                     SOTONG_SEND_RATE="100")
        engine = create_engine(database_url)
        try:
            async with aiohttp.ClientSession() as http:
                status, body = await get(http, f"http://127.0.0.1:{port}/healthz", worker)
                assert (status, json.loads(body)) == (200, {"status": "ok",
                                                            "checks": {"database": "ok", "redis": "ok"}})
                # Five residents following a proposal that moved: the worker fans out and sends.
                for chat in range(FIRST_CHAT, FIRST_CHAT + 5):
                    fake_telegram.user(chat)
                await seed(engine, 5)
                text = await wait_for_metrics(http, port, worker, lambda text: (
                    sample(text, "sotong_messages_sent_total") >= 5 and sample(text, "sotong_outbox_pending") == 0))
                assert sample(text, "sotong_messages_sent_total") == len(fake_telegram.calls_of("sendMessage"))
                assert sample(text, "sotong_telegram_429_total", sender="outbox") == 0
                assert sample(text, "process_resident_memory_bytes") > 0
        finally:
            await worker.stop()
            await engine.dispose()
    assert "Traceback" not in worker.output(), worker.output()


async def test_json_logs_keep_out_the_token_and_what_a_resident_wrote(tmp_path):
    """A search fails in the database (its table is gone): the traceback is logged, the
    resident's words are not (SQL parameters are hidden), nor is the token."""
    database_url, port = sqlite_url(tmp_path), free_port()
    engine = create_engine(database_url)
    await upgrade(engine)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("ALTER TABLE items RENAME TO items_elsewhere")
    await engine.dispose()
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    bot = await Process.start("bot.cli", "run", "--metrics-port", str(port), cwd=tmp_path,
                              SOTONG_BOT_TOKEN=TOKEN, SOTONG_TELEGRAM_API_URL=fake.base_url,
                              SOTONG_DATABASE_URL=database_url, SOTONG_POLLING_TIMEOUT="1", SOTONG_LOG_JSON="true")
    try:
        resident = fake.user(7001, language_code="en")
        await resident.send_text("/start")
        await resident.expect("", timeout=60)
        await resident.send_text(f"/search {MARKER}")
        await resident.expect("briefly unavailable", timeout=30)
        async with aiohttp.ClientSession() as http:  # `sotong run --metrics-port` counted both
            await wait_for_metrics(http, port, bot, lambda text: (
                sample(text, "sotong_updates_total", type="message") == 2
                and sample(text, "sotong_update_errors_total", type="message") == 1))
    finally:
        await bot.stop()
        await fake.stop()
    entries = [json.loads(line) for line in bot.lines]  # every line is one JSON object
    assert entries and all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    failures = [entry for entry in entries if "items" in entry.get("exception", "")]
    assert failures and failures[0]["level"] == "ERROR", bot.output()  # the traceback is there
    assert MARKER not in bot.output()
    assert TOKEN not in bot.output() and not TOKEN_PATTERN.search(bot.output())


async def test_a_token_in_a_request_url_is_redacted(tmp_path):
    """A proxy that redirects in circles: aiohttp's error names the URL, /bot<token>/getMe."""
    async def in_circles(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.path)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", in_circles)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    bot = await Process.start("bot.cli", "run", cwd=tmp_path, SOTONG_BOT_TOKEN=TOKEN,
                              SOTONG_TELEGRAM_API_URL=f"http://127.0.0.1:{port}",
                              SOTONG_DATABASE_URL=sqlite_url(tmp_path), SOTONG_LOG_JSON="true")
    try:
        await bot.wait_for_line(UNREACHABLE, times=2)
    finally:
        await bot.stop()
        await runner.cleanup()
    attempts = [json.loads(line)["message"] for line in bot.lines if UNREACHABLE in line]
    assert all("TooManyRedirects" in line and f"/bot{REDACTED}/getMe" in line for line in attempts), attempts
    assert TOKEN not in bot.output()


def test_the_log_handler_redacts_tokens_in_messages_arguments_and_tracebacks():
    out = io.StringIO()
    log = logging.getLogger("sotong.test.redaction")
    log.propagate = False
    log.setLevel(logging.INFO)
    log.addHandler(handler(json_lines=True, secrets=["42:configured"], stream=out))
    other = "555000111:BBxYzAbCdEfGhIjKlMnOpQrStUvWxYz012345"  # not ours, but shaped like a token
    try:
        log.info("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
        log.warning("the token 42:configured was refused")
        try:
            raise RuntimeError(f"url=http://x/bot{other}/sendMessage")
        except RuntimeError:
            log.exception("failed")
    finally:
        log.handlers.clear()
    entries = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [entry["message"] for entry in entries] == [
        f"calling https://api.telegram.org/bot{REDACTED}/getMe", f"the token {REDACTED} was refused", "failed"]
    assert "Traceback" in entries[2]["exception"] and f"/bot{REDACTED}/sendMessage" in entries[2]["exception"]
    assert TOKEN not in out.getvalue() and other not in out.getvalue() and "42:configured" not in out.getvalue()
