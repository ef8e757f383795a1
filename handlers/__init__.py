"""One router per conversation, assembled fresh for every dispatcher."""

from __future__ import annotations

from aiogram import Dispatcher

from handlers import (
    audience,
    broadcasts,
    browse,
    cancel,
    card,
    discussion,
    errors,
    fallback,
    filing,
    followup,
    membership,
    moderation,
    my_items,
    officials,
    settings,
    start,
    stats,
    thread,
)
from handlers.polls import answer as polls
from handlers.polls import create as poll_create

# Card and discussion first: their buttons are the most pressed, and no other router's
# callback data can match theirs. Fallback last: it answers whatever nobody else took.
CONVERSATIONS = (card, discussion, thread, followup, cancel, filing, browse, start, settings, my_items, membership,
                 officials, stats, moderation, audience, broadcasts, poll_create, polls, fallback)


def install(dp: Dispatcher) -> None:
    """Routers straight under the dispatcher: every level an update passes costs it time."""
    dp.errors.register(errors.on_error)
    dp.include_routers(*(module.build_router() for module in CONVERSATIONS))


def guard(dp: Dispatcher) -> None:
    """Registered before the database and resident middlewares: traffic outside private
    chats never opens a session or creates a resident."""
    dp.update.outer_middleware(membership.PrivateChatsOnly())
