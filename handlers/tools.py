"""The buttons that open the tools for talking to residents (a new broadcast, a new poll),
offered under /inbox to those who may use them (read in the database now)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.broadcasts.callbacks import ComposeAction, ComposeCb
from handlers.polls.create import PollAction, PollCreateCb


async def tool_buttons(services: Services, i18n: I18nContext, resident_id: int) -> list[InlineKeyboardButton]:
    buttons = []
    if await services.broadcast_reads.may_broadcast(resident_id):
        buttons.append(InlineKeyboardButton(text=i18n.get("broadcast-btn-new"),
                                            callback_data=ComposeCb(action=ComposeAction.START).pack()))
    if await services.poll_reads.may_create(resident_id):
        buttons.append(InlineKeyboardButton(text=i18n.get("poll-create-btn-new"),
                                            callback_data=PollCreateCb(action=PollAction.START).pack()))
    return buttons


def with_tools(markup: InlineKeyboardMarkup | None, buttons: list[InlineKeyboardButton]) -> InlineKeyboardMarkup | None:
    """`markup` with the tools in a row of their own below it."""
    if not buttons:
        return markup
    rows = list(markup.inline_keyboard) if markup else []
    return InlineKeyboardMarkup(inline_keyboard=[*rows, buttons])
