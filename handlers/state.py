"""Each conversation's own part of a resident's conversation state, typed.

aiogram keeps one dict of data per resident. Every conversation reads and writes only
its own key through these sections, so starting a filing keeps the browse filters and a
pending share link, and cancelling a filing drops the draft and nothing else.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from aiogram.fsm.context import FSMContext
from pydantic import BaseModel, ValidationError


class Section(BaseModel):
    key: ClassVar[str]

    @classmethod
    async def load(cls, state: FSMContext) -> Self:
        """This section as stored, or a fresh one when absent or no longer readable
        (state written by an older release)."""
        raw: Any = (await state.get_data()).get(cls.key)
        try:
            return cls.model_validate(raw or {})
        except ValidationError:
            return cls()

    async def save(self, state: FSMContext) -> None:
        await state.update_data({self.key: self.model_dump(mode="json")})

    @classmethod
    async def drop(cls, state: FSMContext) -> None:
        data = await state.get_data()
        if cls.key in data:
            del data[cls.key]
            await state.set_data(data)
