"""The last word: anything no conversation took gets a clear answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from handlers.filters import When
from handlers.keyboards import main_menu
from handlers.quote import COMMAND, command_word, quote


async def unknown_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(
        i18n.get("fallback-unknown-command", command=quote(i18n, command_word(message), COMMAND)),
        reply_markup=main_menu(i18n),
    )


async def not_understood(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-not-understood"), reply_markup=main_menu(i18n))


async def edited(message: Message, i18n: I18nContext) -> None:
    """A sent message the resident changed: the step it answered has taken the first version (or
    moved on), so say so rather than let them think the change counted. The step stays as it is."""
    await message.answer(i18n.get("fallback-edited"))


async def stale_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    """Old buttons, or callback data that was never ours, change nothing."""
    await callback.answer(i18n.get("error-stale-button"), show_alert=True)


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_command, When(F.text.startswith("/")))
    router.message.register(not_understood)
    router.edited_message.register(edited)
    router.callback_query.register(stale_button)
    return router
