"""Telegram's send limits, as a test can set them: messages per second in all and per chat.

Every message the fake accepts and every 429 it answers is recorded (on the server's
monotonic clock, `asyncio` loop time), so tests can check a sender against the limits.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from dataclasses import dataclass, field

from .params import ApiError


@dataclass(frozen=True)
class Throttle:
    """One 429 the fake answered."""

    at: float
    chat_id: int
    retry_after: int
    scope: str  # "chat" (the per-chat flood limit), "global" or "injected" (FakeTelegram.fail)


@dataclass
class SendLimits:
    # Messages a second to one chat (Telegram: about 1) and in all (Telegram: 30; 1,000 with
    # paid broadcasts); None: no limit.
    per_chat: float | None = None
    per_second: float | None = None
    throttles: list[Throttle] = field(default_factory=list)
    sends: dict[int, list[float]] = field(default_factory=dict)  # chat id -> accepted send times
    _recent_chat: dict[int, deque[float]] = field(default_factory=dict)
    _recent_all: deque[float] = field(default_factory=deque)

    def check(self, chat_id: int) -> None:
        """Counts one message to `chat_id`, or answers 429 as Telegram does."""
        clock = asyncio.get_running_loop().time()
        chat = self._recent_chat.setdefault(chat_id, deque())
        self._limit(chat, self.per_chat, clock, chat_id, "chat")
        self._limit(self._recent_all, self.per_second, clock, chat_id, "global")
        if self.per_chat:  # a limit counts from when it is set
            chat.append(clock)
        if self.per_second:
            self._recent_all.append(clock)
        self.sends.setdefault(chat_id, []).append(clock)

    def _limit(self, recent: deque[float], limit: float | None, clock: float, chat_id: int, scope: str) -> None:
        while recent and clock - recent[0] >= 1.0:
            recent.popleft()
        if limit and len(recent) >= limit:
            retry_after = max(1, math.ceil(1.0 - (clock - recent[0])))
            self.throttles.append(Throttle(clock, chat_id, retry_after, scope))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    def injected(self, retry_after: int) -> None:
        """A 429 a test asked for (FakeTelegram.fail), recorded like the others."""
        self.throttles.append(Throttle(asyncio.get_running_loop().time(), 0, retry_after, "injected"))

    def all_sends(self) -> list[tuple[float, int]]:
        """Every accepted message as (time, chat id), in time order."""
        return sorted((at, chat_id) for chat_id, times in self.sends.items() for at in times)

    def closest_spacing(self) -> float:
        """The shortest time between two messages to one chat (inf when no chat got two)."""
        gaps = [b - a for times in self.sends.values() for a, b in zip(times, times[1:], strict=False)]
        return min(gaps, default=math.inf)

    def busiest_second(self) -> int:
        """The most messages accepted within any one second."""
        times = [at for at, _ in self.all_sends()]
        best, start = 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best
