"""Pacing the sender: at most `rate` messages a second in all, as Telegram counts them.

Telegram counts a message when it receives it, which is some time after the sender starts it.
So a send may start only while the sends still in flight plus those that finished within the
last second are fewer than the rate: any second of arrivals then holds at most `rate` of them
(every other send that arrived in that second was either still in flight when the last one
started, or finished within the second before it). Pausing stops new starts until a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque


class Pacer:
    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("the send rate must be positive")
        # Below one a second: one send per 1/rate seconds.
        self.capacity = max(1, math.floor(rate))
        self.window = self.capacity / rate
        self.in_flight = 0
        self.finished: deque[float] = deque()
        self.paused_until = 0.0
        self._changed = asyncio.Event()

    @staticmethod
    def now() -> float:
        return asyncio.get_running_loop().time()

    async def acquire(self) -> None:
        """Waits until a send may start; the caller must `release()` when it has its answer."""
        while True:
            now = self.now()
            while self.finished and now - self.finished[0] >= self.window:
                self.finished.popleft()
            if now < self.paused_until:
                await self._wait(self.paused_until - now)
            elif self.in_flight + len(self.finished) >= self.capacity:
                await self._wait(self.finished[0] + self.window - now if self.finished else None)
            else:
                self.in_flight += 1
                return

    def release(self) -> None:
        self.in_flight -= 1
        self.finished.append(self.now())
        self._notify()

    def pause(self, seconds: float) -> None:
        """No send starts within `seconds` from now (Telegram's retry_after)."""
        self.paused_until = max(self.paused_until, self.now() + seconds)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait(self, timeout: float | None) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)
