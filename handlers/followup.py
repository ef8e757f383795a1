""""Is it fixed?": the filer's Yes or No, some days after their complaint was resolved."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.callbacks import FollowupCb
from handlers.replies import pressed, retire_buttons
from storage.models import Resident
from storage.services.followups import FollowupOutcome


async def answer_followup(callback: CallbackQuery, callback_data: FollowupCb, services: Services,
                          i18n: I18nContext, resident: Resident) -> None:
    followups = services.followups
    if callback_data.fixed:
        outcome = await followups.confirm_fixed(callback_data.item, resident)
    else:
        outcome = await followups.reopen(callback_data.item, resident)
    if outcome is FollowupOutcome.NOT_YOURS:
        await callback.answer(i18n.get("followup-not-yours"), show_alert=True)
        return
    message = pressed(callback)
    if outcome is FollowupOutcome.ALREADY:
        await callback.answer(i18n.get("followup-already"), show_alert=True)
        await retire_buttons(message)
        return
    await callback.answer()
    await retire_buttons(message)
    await message.answer(i18n.get("followup-thanks" if callback_data.fixed else "followup-reopened"))


def build_router() -> Router:
    router = Router(name="followup")
    router.callback_query.register(answer_followup, FollowupCb.filter())
    return router
