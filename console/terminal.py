"""`sotong console` on real streams: stdin (a terminal or a script piped in) and stdout."""

from __future__ import annotations

import asyncio
import threading
from typing import TextIO

from bot.settings import Settings

from .runtime import console_storage, start_runtime
from .session import Console, ReadLine, Write


def line_reader(stream: TextIO) -> ReadLine:
    """Lines of a blocking stream, read by a daemon thread so the event loop never waits on it."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def deliver(line: str | None) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        except RuntimeError:  # the loop is closed: the console has ended
            pass

    def pump() -> None:
        try:
            for line in iter(stream.readline, ""):
                deliver(line)
        finally:
            deliver(None)

    threading.Thread(target=pump, name="sotong-console-stdin", daemon=True).start()
    return queue.get


def stream_writer(stream: TextIO) -> Write:
    def write(text: str) -> None:
        stream.write(text)
        stream.flush()

    return write


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


async def run_console(settings: Settings, stdin: TextIO, stdout: TextIO,
                      language: str | None = None, database_url: str | None = None,
                      redis_url: str | None = None) -> None:
    """Starts the bot against the fake Telegram and chats on stdin/stdout until /quit or EOF.
    Without `database_url` it uses a throwaway database (see console_storage)."""
    with console_storage(settings, database_url, redis_url) as own:
        await _chat(own, stdin, stdout, language)


async def _chat(settings: Settings, stdin: TextIO, stdout: TextIO, language: str | None) -> None:
    write = stream_writer(stdout)
    write("Starting the bot...\n")
    runtime = await start_runtime(settings)
    try:
        console = Console(runtime, line_reader(stdin), write,
                          language=language or settings.default_locale,
                          echo=not _is_terminal(stdin))
        await console.run()
    finally:
        await runtime.stop()
