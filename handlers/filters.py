"""Filters checked on the event loop.

aiogram runs a plain callable filter (a bare `F.text`, a bare State) in a worker thread
on every update; wrapped like this they cost a function call instead.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from magic_filter import MagicFilter


class When(Filter):
    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: Any) -> bool:
        return bool(self.magic.resolve(event))
