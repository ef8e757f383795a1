"""/moderate and the moderators' decisions. The role is read in the database when a moderator
acts (never trusted from the buttons shown): anyone else's press changes nothing."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.moderation.callbacks import CHOICES, ModCb
from handlers.moderation.views import case_markup, case_text, until_text
from handlers.replies import pressed, retire_buttons
from storage.city import CityConfig
from storage.models import Resident, stored_id
from storage.services.moderation import DecisionOutcome

SHOWN = 5  # cases sent by one /moderate, one message each


async def moderate_command(message: Message, services: Services, i18n: I18nContext, resident: Resident) -> None:
    if not await services.moderation.is_moderator(stored_id(resident)):
        await message.answer(i18n.get("moderation-only"))
        return
    cases, total = await services.moderation.queue(SHOWN)
    await services.end_transactions()
    if not cases:
        await message.answer(i18n.get("moderation-queue-empty"))
        return
    await message.answer(i18n.get("moderation-queue-head", total=total, shown=len(cases)))
    for case in cases:
        args = case.args()
        await message.answer(case_text(i18n.get, args), reply_markup=case_markup(i18n.get, args["target"], args["target_id"]))


async def decide(callback: CallbackQuery, callback_data: ModCb, services: Services, i18n: I18nContext,
                 city: CityConfig, resident: Resident) -> None:
    decision, ban = CHOICES[callback_data.choice]
    result = await services.moderation.decide(stored_id(resident), callback_data.target, callback_data.id, decision, ban)
    if result.outcome is DecisionOutcome.NOT_MODERATOR:
        await callback.answer(i18n.get("moderation-forbidden"), show_alert=True)
        return
    if result.outcome is DecisionOutcome.UNAVAILABLE:
        await callback.answer(i18n.get("moderation-nothing-to-decide"), show_alert=True)
        return
    if result.outcome is DecisionOutcome.DECIDED and result.by is not None:
        by = result.by
        await callback.answer(i18n.get("moderation-already-decided", moderator=by.moderator[:100],
                                        decision=i18n.get(f"moderation-decision-{by.decision}")), show_alert=True)
        return
    await callback.answer()
    await retire_buttons(pressed(callback))
    ban_end = until_text(i18n.get, city, result.until)
    await pressed(callback).answer(i18n.get("moderation-done", decision=i18n.get(f"moderation-decision-{decision}"),
                                            until=ban_end))

