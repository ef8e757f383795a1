"""The filing conversation: kind, category, district, title, description, photos,
location, name visibility, preview; Back and Cancel on every step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_i18n import I18nContext, LazyFilter

from handlers.callbacks import FilingAction, FilingCb
from handlers.filing import inputs
from handlers.filing.conversation import Conversation
from handlers.filing.steps import EDITABLE, Filing, applies
from handlers.filters import When
from handlers.keyboards import MENU_KEYS
from handlers.pending_input import PendingInput
from handlers.quote import COMMAND, command_word, quote
from storage.drafts import Draft
from storage.lifecycle import Kind


async def _conversation(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    if isinstance(event, Message | CallbackQuery):  # the only events it is registered for
        data["conv"] = Conversation(
            event, data["state"], data["i18n"], data["city"], data["resident"], data["services"]
        )
    return await handler(event, data)


async def start_complaint(message: Message, conv: Conversation) -> None:
    await conv.start(Draft(kind=Kind.COMPLAINT))


async def start_proposal(message: Message, conv: Conversation) -> None:
    await conv.start(Draft(kind=Kind.PROPOSAL))


async def interrupted(message: Message, conv: Conversation, i18n: I18nContext) -> None:
    """The main menu or /start while filing: keep the draft and show where the resident is."""
    await conv.refuse("filing-in-progress")


async def unknown_command(message: Message, conv: Conversation) -> None:
    await conv.refuse("filing-unknown-command", command=quote(conv.i18n, command_word(message), COMMAND))


async def back(callback: CallbackQuery, conv: Conversation) -> None:
    await conv.back()


async def edit(callback: CallbackQuery, callback_data: FilingCb, conv: Conversation) -> None:
    step = next((s for s in EDITABLE if s.value == callback_data.value), None)
    if step is None or not applies(step, await conv.draft()):  # e.g. a forged "edit location" on a proposal
        await callback.answer(conv.i18n.get("error-stale-button"), show_alert=True)
        return
    await conv.edit(step)


def build_router() -> Router:
    router = Router(name="filing")
    router.message.middleware(_conversation)
    router.callback_query.middleware(_conversation)
    filing = StateFilter(Filing)

    idle = StateFilter(None, PendingInput)
    router.message.register(start_complaint, idle, LazyFilter("menu-complaint"))
    router.message.register(start_proposal, idle, LazyFilter("menu-proposal"))
    router.message.register(interrupted, filing, LazyFilter(*MENU_KEYS))
    router.message.register(interrupted, filing, Command("start", "menu"))
    router.callback_query.register(back, filing, FilingCb.filter(F.action == FilingAction.BACK))
    router.callback_query.register(edit, StateFilter(Filing.preview), FilingCb.filter(F.action == FilingAction.EDIT))
    inputs.register(router)
    router.message.register(unknown_command, filing, When(F.text.startswith("/")))
    inputs.register_refusals(router)
    return router
