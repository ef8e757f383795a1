"""The filer's reply to a department's answer: Reply under the answer, then the typed text."""

from __future__ import annotations

from typing import ClassVar

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.callbacks import ReplyCb
from handlers.card_view import department_name
from handlers.filters import When
from handlers.keyboards import typed_text
from handlers.pending_input import PendingInput
from handlers.replies import pressed
from handlers.state import Section
from storage.city import CityConfig
from storage.drafts import clean_lines
from storage.models import Resident
from storage.rules import REPLY_MAX
from storage.services.thread import ReplyOutcome


class ReplyState(Section):
    """The thread's part of the conversation state: what the typed reply answers."""

    key: ClassVar[str] = "reply"
    item: int | None = None
    department: str | None = None


async def ask_reply(callback: CallbackQuery, callback_data: ReplyCb, state: FSMContext, services: Services,
                    i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    target = await services.thread.reply_target(callback_data.answer, resident)
    if target is None:
        await callback.answer(i18n.get("reply-not-yours"), show_alert=True)
        return
    await state.set_state(PendingInput.reply)
    await ReplyState(item=target.item_id, department=target.department).save(state)
    await callback.answer()
    await pressed(callback).answer(i18n.get(
        "reply-prompt", department=department_name(city, target.department, i18n.locale),
        number=target.number, max=REPLY_MAX))


async def reply_typed(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                      city: CityConfig, resident: Resident) -> None:
    body = clean_lines(message.text or "")
    if not body or len(body) > REPLY_MAX:
        await message.answer(i18n.get("reply-length", max=REPLY_MAX, length=len(body)))
        return
    pending = await ReplyState.load(state)
    await state.set_state(None)
    await ReplyState.drop(state)
    if pending.item is None or pending.department is None:  # state from an older release
        await message.answer(i18n.get("error-stale-button"))
        return
    outcome = await services.thread.reply(pending.item, pending.department, resident, body)
    if outcome is not ReplyOutcome.DONE:
        await message.answer(i18n.get("reply-not-yours"))
        return
    await message.answer(i18n.get("reply-sent", department=department_name(city, pending.department, i18n.locale)))


async def reply_not_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("reply-expect", max=REPLY_MAX))


def build_router() -> Router:
    router = Router(name="thread")
    router.message.register(reply_typed, StateFilter(PendingInput.reply), typed_text)
    router.message.register(reply_not_text, StateFilter(PendingInput.reply), When(~F.text))
    router.callback_query.register(ask_reply, ReplyCb.filter())
    return router
