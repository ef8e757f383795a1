"""SIGINT and SIGTERM as a stop request: a process (the webhook bot, the worker, the API)
lets what it is doing finish and cleans up, instead of dying where it stands."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_on_signals(stop: asyncio.Event, enabled: bool = True) -> Iterator[asyncio.Event]:
    """While inside, SIGINT and SIGTERM set `stop` (with `enabled` False: nothing changes)."""
    loop = asyncio.get_running_loop()
    signals = SIGNALS if enabled else ()
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        yield stop
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


async def until_stopped(stop: asyncio.Event, handle_signals: bool = True) -> None:
    with stop_on_signals(stop, handle_signals):
        await stop.wait()
