"""Short waits for typed input outside the filing: a search, a comment."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import TelegramObject


class PendingInput(StatesGroup):
    search = State()
    comment = State()
    official = State()  # an official's answer, transfer note, reason or status note
    reply = State()  # the filer's reply to a department's answer
    broadcast = State()  # composing a broadcast: its texts, its photo (the draft says which step)
    poll = State()  # creating a poll: its question, options, closing date


PENDING = {PendingInput.search.state, PendingInput.comment.state, PendingInput.official.state,
           PendingInput.reply.state, PendingInput.broadcast.state, PendingInput.poll.state}


async def end_pending_input(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    """A resident who goes to another menu section no longer owes us the typed input."""
    state: FSMContext | None = data.get("state")
    if state is not None and data.get("raw_state") in PENDING:
        await state.set_state(None)
    return await handler(event, data)
