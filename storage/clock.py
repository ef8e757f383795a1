"""Where services read the time, so tests can move it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from storage.types import utcnow

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return utcnow()


class ManualClock:
    """A clock that stands still until told to move (tests, the console's time travel)."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or utcnow()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)
