"""Pacing the sender: at most `rate` messages a second in all, as Telegram counts them, and one
a second to any one chat.

Telegram counts a message when it receives it, which is some time after the sender starts it.
So a send may start only while the sends still in flight plus those that finished within the
last second are fewer than the rate: any second of arrivals then holds at most `rate` of them
(every other send that arrived in that second was either still in flight when the last one
started, or finished within the second before it). Pausing stops new starts until a time.

`Pacer` and `ChatSpacing` keep this in the process: right for one worker. With several workers
they share one budget through Redis (bot/shared_rate.py), with the same reasoning on Redis's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque
from dataclasses import dataclass
from typing import Protocol

CHAT_SPACING = 1.0  # seconds between the answer to one message and the next to the same chat


class Budget(Protocol):
    """Messages a second in all: `acquire` before a send starts, `release` once it has its answer."""

    async def acquire(self) -> None: ...

    async def release(self) -> None: ...

    async def pause(self, seconds: float) -> None: ...


class Spacing(Protocol):
    """One message a second to one chat."""

    async def wait(self, chat_id: int) -> float:
        """Seconds until `chat_id` may get its next message (0: now)."""
        ...

    async def answered(self, chat_id: int) -> None:
        """Telegram answered a message to `chat_id` just now."""
        ...


@dataclass
class Pacing:
    """What the sender keeps to: the rate in all, paid broadcasts' own rate (None: off), chats."""

    pacer: Budget
    paid_pacer: Budget | None
    chats: Spacing

    @classmethod
    def local(cls, rate: float, paid_rate: float | None) -> Pacing:
        return cls(Pacer(rate), Pacer(paid_rate) if paid_rate else None, ChatSpacing())


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

    async def release(self) -> None:
        self.in_flight -= 1
        self.finished.append(self.now())
        self._notify()

    async def pause(self, seconds: float) -> None:
        """No send starts within `seconds` from now (Telegram's retry_after)."""
        self.paused_until = max(self.paused_until, self.now() + seconds)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait(self, timeout: float | None) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)


class ChatSpacing:
    def __init__(self, spacing: float = CHAT_SPACING) -> None:
        self.spacing = spacing
        self.free_at: dict[int, float] = {}  # (loop time) when a chat may get its next message

    async def wait(self, chat_id: int) -> float:
        return max(0.0, self.free_at.get(chat_id, 0.0) - Pacer.now())

    async def answered(self, chat_id: int) -> None:
        now = Pacer.now()
        if len(self.free_at) > 10_000:  # forget chats whose second has passed
            self.free_at = {chat: at for chat, at in self.free_at.items() if at > now}
        self.free_at[chat_id] = now + self.spacing
