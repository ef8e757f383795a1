"""Private chats only, and the resident's blocked state kept true to Telegram.

Sotong is a conversation with one resident. In a group, supergroup or channel the bot
answers `/start` with one line pointing to its private chat and ignores everything else,
before any resident row, draft or database session exists for that traffic.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter, CommandStart
from aiogram.types import Chat, ChatMemberUpdated, Message, TelegramObject, Update
from aiogram_i18n import I18nMiddleware

from bot.i18n import default_locale
from bot.services import Services
from storage.services.residents import language_from_telegram

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)


class PrivateChatsOnly(BaseMiddleware):
    """Outer update middleware, registered before the database and resident middlewares."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type == ChatType.PRIVATE:
            return await handler(event, data)
        message = event.message if isinstance(event, Update) else None
        if message is not None and await CommandStart()(message, data["bot"]):
            await point_to_private_chat(message, data["bot"], data["i18n_middleware"])
        return None  # nothing else outside a private chat gets an answer


async def point_to_private_chat(message: Message, bot: Bot, i18n_middleware: I18nMiddleware) -> None:
    core = i18n_middleware.core
    user = message.from_user
    locale = language_from_telegram(user.language_code if user else None, default_locale(i18n_middleware))
    me = await bot.me()
    try:
        await message.answer(core.get("membership-private-only", locale, link=f"https://t.me/{me.username}"))
    except TelegramAPIError as exc:  # a group where the bot may not write: nobody to tell
        log.info("could not answer /start in chat %s: %s", message.chat.id, exc)


async def blocked(event: ChatMemberUpdated, services: Services) -> None:
    await services.residents.mark_blocked(event.from_user.id)


async def unblocked(event: ChatMemberUpdated, services: Services) -> None:
    await services.residents.mark_unblocked(event.from_user.id)


def build_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.register(blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED))
    router.my_chat_member.register(unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER))
    return router
