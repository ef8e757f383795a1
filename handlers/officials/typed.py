"""What an official types after pressing Answer, a department to transfer to, Not ours or a stage."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.officials.actions import Step
from handlers.officials.callbacks import OfficialAction
from handlers.officials.replies import REFUSALS, send_view, texts
from handlers.officials.views import department_name
from storage.lifecycle import Status
from storage.models import Resident, stored_id
from storage.rules import ANSWER_MAX, NOTE_MAX
from storage.services.officials import Outcome, clean_text


async def text_typed(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                     resident: Resident) -> None:
    step = await Step.load(state)
    if step.action is None or step.assignment is None:  # state from an older release
        await state.set_state(None)
        await message.answer(i18n.get("error-stale-button"))
        return
    limit = ANSWER_MAX if step.action is OfficialAction.ANSWER else NOTE_MAX
    text = clean_text(message.text, limit)
    if text is None:
        await message.answer(i18n.get("officials-text-length", max=limit, length=len((message.text or "").strip())))
        return
    outcome = await _act(step, text, services, resident)
    await state.set_state(None)
    await Step.drop(state)
    if outcome is not Outcome.DONE:
        await message.answer(i18n.get(REFUSALS[outcome]))
        return
    await send_view(message, step.assignment, services, i18n, resident, _done(step, services, i18n))


async def _act(step: Step, text: str, services: Services, resident: Resident) -> Outcome:
    actions, who, now, assignment = services.officials, stored_id(resident), services.clock(), step.assignment
    assert assignment is not None
    if step.action is OfficialAction.ANSWER:
        return await actions.answer(assignment, who, text, now)
    if step.action is OfficialAction.DECLINE:
        return await actions.decline(assignment, who, text, now)
    if step.action is OfficialAction.TRANSFER_TO:
        return await actions.transfer(assignment, who, step.value, text, now)
    return await actions.set_status(assignment, who, step.value, text, now)


def _done(step: Step, services: Services, i18n: I18nContext) -> str:
    if step.action is OfficialAction.ANSWER:
        return i18n.get("officials-answered")
    if step.action is OfficialAction.DECLINE:
        return i18n.get("officials-declined")
    if step.action is OfficialAction.TRANSFER_TO:
        return i18n.get("officials-transferred", department=department_name(texts(i18n), services.city, step.value))
    return i18n.get("officials-status-set", status=i18n.get(f"status-{Status(step.value)}"))


async def not_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("officials-expect-text"))
