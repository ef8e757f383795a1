"""/inbox: the open assignments of every department the official serves, eight to a page."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.keyboards import page_arrows
from handlers.officials.callbacks import InboxCb, OfficialAction, OfficialCb
from handlers.replies import edit_in_place
from handlers.tools import tool_buttons, with_tools
from storage.models import Resident, stored_id
from storage.services.officials import Inbox, InboxEntry

BUTTON_TITLE = 40  # characters of a title on a button


def _label(entry: InboxEntry) -> str:
    marks = ("⏰" if entry.overdue else "") + ("🆕" if entry.state == "new" else "")
    title = entry.title if len(entry.title) <= BUTTON_TITLE else entry.title[:BUTTON_TITLE - 1] + "…"
    return f"{marks} {entry.number} {title}".strip()


def inbox_view(i18n: I18nContext, inbox: Inbox) -> tuple[str, InlineKeyboardMarkup | None]:
    if not inbox.total:
        return i18n.get("officials-inbox-empty"), None
    builder = InlineKeyboardBuilder()
    for entry in inbox.entries:
        builder.button(text=_label(entry), callback_data=OfficialCb(action=OfficialAction.VIEW,
                                                                    assignment=entry.assignment_id))
    arrows = page_arrows(builder, inbox.page, inbox.pages, lambda n: InboxCb(page=n))
    builder.adjust(*([1] * len(inbox.entries)), *([arrows] if arrows else []))
    head = i18n.get("officials-inbox-head", total=inbox.total, page=inbox.page + 1, pages=inbox.pages)
    return head, builder.as_markup()


async def inbox_command(message: Message, services: Services, i18n: I18nContext, resident: Resident) -> None:
    """The inbox, with the tools for talking to residents below it for those who may use them
    (an admin without a department gets only the tools)."""
    tools = await tool_buttons(services, i18n, stored_id(resident))
    if not await services.official_reads.is_official(stored_id(resident)):
        if tools:
            await message.answer(i18n.get("broadcast-tools-only"), reply_markup=with_tools(None, tools))
            return
        await message.answer(i18n.get("officials-only"))
        return
    text, markup = inbox_view(i18n, await services.official_reads.inbox(stored_id(resident), 0, services.clock()))
    await message.answer(text, reply_markup=with_tools(markup, tools))


async def inbox_page(callback: CallbackQuery, callback_data: InboxCb, services: Services, i18n: I18nContext,
                     resident: Resident) -> None:
    if not await services.official_reads.is_official(stored_id(resident)):
        await callback.answer(i18n.get("officials-forbidden"), show_alert=True)
        return
    inbox = await services.official_reads.inbox(stored_id(resident), callback_data.page, services.clock())
    text, markup = inbox_view(i18n, inbox)
    await edit_in_place(callback, text, with_tools(markup, await tool_buttons(services, i18n, stored_id(resident))))
