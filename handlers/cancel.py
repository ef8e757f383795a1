"""/cancel and the Cancel button: confirm, then drop the draft."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from handlers.callbacks import CancelCb, FilingAction, FilingCb
from handlers.filing.conversation import Conversation, end_filing
from handlers.filing.steps import Filing, Step
from handlers.keyboards import main_menu
from handlers.pending_input import PENDING
from handlers.replies import delete_pressed, edit_in_place, pressed


def _confirm_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("cancel-yes"), callback_data=CancelCb(confirm=True))
    builder.button(text=i18n.get("cancel-no"), callback_data=CancelCb(confirm=False))
    builder.adjust(2)
    return builder.as_markup()


async def cancel_command(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    current = await state.get_state()
    if current is None or current in PENDING:
        await state.set_state(None)
        key = "cancel-nothing" if current is None else "cancel-input-done"
        await message.answer(i18n.get(key), reply_markup=main_menu(i18n))
        return
    await message.answer(i18n.get("cancel-confirm"), reply_markup=_confirm_markup(i18n))


async def cancel_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    await edit_in_place(callback, i18n.get("cancel-confirm"), _confirm_markup(i18n))


async def confirmed(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await callback.answer()
    await end_filing(state)
    message = pressed(callback)
    await delete_pressed(message)
    await message.answer(i18n.get("cancel-done"), reply_markup=main_menu(i18n))


async def kept(callback: CallbackQuery, state: FSMContext, i18n: I18nContext, **data: Any) -> None:
    conv = Conversation(callback, state, i18n, data["city"], data["resident"], data["services"])
    step = await conv.current_step() or Step.KIND
    await conv.show(step, await conv.draft())


async def nothing_to_cancel(callback: CallbackQuery, i18n: I18nContext) -> None:
    await callback.answer(i18n.get("cancel-nothing"), show_alert=True)
    await delete_pressed(pressed(callback))


def build_router() -> Router:
    router = Router(name="cancel")
    filing = StateFilter(Filing)
    router.message.register(cancel_command, Command("cancel"))
    router.callback_query.register(cancel_button, filing, FilingCb.filter(F.action == FilingAction.CANCEL))
    router.callback_query.register(confirmed, filing, CancelCb.filter(F.confirm))
    router.callback_query.register(kept, filing, CancelCb.filter(~F.confirm))
    router.callback_query.register(nothing_to_cancel, CancelCb.filter())
    return router
