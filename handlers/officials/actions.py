"""The buttons of the push and of the official view. Each asks the service, which checks the
role in the database now: a forged or replayed press by anyone else is refused."""

from __future__ import annotations

from typing import ClassVar

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.keyboards import page_arrows
from handlers.officials.callbacks import OfficialAction, OfficialCb
from handlers.officials.replies import checked_view, refuse, show_view, texts
from handlers.officials.views import department_name
from handlers.pending_input import PendingInput
from handlers.replies import edit_in_place, pressed
from handlers.state import Section
from storage.lifecycle import Status
from storage.models import Resident, stored_id
from storage.rules import ANSWER_MAX, NOTE_MAX
from storage.services.officials import Outcome

DEPARTMENTS_PAGE = 8


class Step(Section):
    """What the official's next typed text is: an answer, a transfer note, a reason, a status note."""

    key: ClassVar[str] = "official"
    action: OfficialAction | None = None
    assignment: int | None = None
    value: str = ""  # the transfer's department, the status's stage


async def view(callback: CallbackQuery, callback_data: OfficialCb, services: Services, i18n: I18nContext,
               resident: Resident) -> None:
    await show_view(callback, callback_data.assignment, services, i18n, resident)


async def acknowledge(callback: CallbackQuery, callback_data: OfficialCb, services: Services, i18n: I18nContext,
                      resident: Resident) -> None:
    outcome = await services.officials.acknowledge(callback_data.assignment, stored_id(resident), services.clock())
    if outcome is not Outcome.DONE:
        await refuse(callback, i18n, outcome)
        return
    await show_view(callback, callback_data.assignment, services, i18n, resident, i18n.get("officials-acknowledged"))


async def _ask(callback: CallbackQuery, state: FSMContext, step: Step, prompt: str,
               markup: InlineKeyboardBuilder | None = None) -> None:
    await state.set_state(PendingInput.official)
    await step.save(state)
    await callback.answer()
    await pressed(callback).answer(prompt, reply_markup=markup.as_markup() if markup else None)


# What Answer and Not ours ask the official to type: the prompt's key and its length limit.
TYPED_PROMPTS = {OfficialAction.ANSWER: ("officials-answer-prompt", ANSWER_MAX),
                 OfficialAction.DECLINE: ("officials-decline-prompt", NOTE_MAX)}


async def ask_for_text(callback: CallbackQuery, callback_data: OfficialCb, state: FSMContext, services: Services,
                       i18n: I18nContext, resident: Resident) -> None:
    """Answer and Not ours: the official types the answer or the reason next."""
    found = await checked_view(callback, callback_data.assignment, services, i18n, resident)
    if found is None:
        return
    key, limit = TYPED_PROMPTS[callback_data.action]
    step = Step(action=callback_data.action, assignment=callback_data.assignment)
    await _ask(callback, state, step, i18n.get(key, number=found.args["number"], max=limit))


async def transfer(callback: CallbackQuery, callback_data: OfficialCb, services: Services, i18n: I18nContext,
                   resident: Resident) -> None:
    """The other departments of the city file, page by page."""
    found = await checked_view(callback, callback_data.assignment, services, i18n, resident)
    if found is None:
        return
    if found.private:
        await refuse(callback, i18n, Outcome.PRIVATE)
        return
    t, city = texts(i18n), services.city
    others = [d.code for d in city.departments if d.code != found.args["department"]]
    pages = max(1, -(-len(others) // DEPARTMENTS_PAGE))
    page = min(callback_data.page, pages - 1)
    shown = others[page * DEPARTMENTS_PAGE:(page + 1) * DEPARTMENTS_PAGE]
    builder = InlineKeyboardBuilder()
    for code in shown:
        builder.button(text=department_name(t, city, code), callback_data=OfficialCb(
            action=OfficialAction.TRANSFER_TO, assignment=callback_data.assignment, value=code))
    arrows = page_arrows(builder, page, pages, lambda n: OfficialCb(
        action=OfficialAction.TRANSFER, assignment=callback_data.assignment, page=n))
    builder.adjust(*([1] * len(shown)), *([arrows] if arrows else []))
    text = i18n.get("officials-transfer-choose", number=found.args["number"], page=page + 1, pages=pages)
    if callback_data.page:  # turning pages redraws the chooser; the push stays as it was
        await edit_in_place(callback, text, builder.as_markup())
        return
    await callback.answer()
    await pressed(callback).answer(text, reply_markup=builder.as_markup())


async def transfer_to(callback: CallbackQuery, callback_data: OfficialCb, state: FSMContext, services: Services,
                      i18n: I18nContext, resident: Resident) -> None:
    found = await checked_view(callback, callback_data.assignment, services, i18n, resident)
    if found is None:
        return
    if services.city.department(callback_data.value) is None or callback_data.value == found.args["department"]:
        await refuse(callback, i18n, Outcome.INVALID)
        return
    step = Step(action=OfficialAction.TRANSFER_TO, assignment=callback_data.assignment, value=callback_data.value)
    name = department_name(texts(i18n), services.city, callback_data.value)
    await _ask(callback, state, step, i18n.get("officials-transfer-note-prompt", department=name, max=NOTE_MAX))


async def choose_status(callback: CallbackQuery, callback_data: OfficialCb, services: Services, i18n: I18nContext,
                        resident: Resident) -> None:
    found = await checked_view(callback, callback_data.assignment, services, i18n, resident)
    if found is None:
        return
    if not found.targets:
        await callback.answer(i18n.get("officials-status-none", status=i18n.get(f"status-{found.status}")),
                              show_alert=True)
        return
    builder = InlineKeyboardBuilder()
    for target in found.targets:
        builder.button(text=i18n.get(f"status-{target}"), callback_data=OfficialCb(
            action=OfficialAction.STATUS_TO, assignment=callback_data.assignment, value=target))
    builder.adjust(2)
    await callback.answer()
    await pressed(callback).answer(
        i18n.get("officials-status-choose", number=found.args["number"], status=i18n.get(f"status-{found.status}")),
        reply_markup=builder.as_markup())


async def status_to(callback: CallbackQuery, callback_data: OfficialCb, state: FSMContext, services: Services,
                    i18n: I18nContext, resident: Resident) -> None:
    found = await checked_view(callback, callback_data.assignment, services, i18n, resident)
    if found is None:
        return
    if callback_data.value not in found.targets:
        await refuse(callback, i18n, Outcome.NOT_ALLOWED)
        return
    step = Step(action=OfficialAction.STATUS_TO, assignment=callback_data.assignment, value=callback_data.value)
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("officials-btn-skip-note"), callback_data=OfficialCb(
        action=OfficialAction.SKIP_NOTE, assignment=callback_data.assignment, value=callback_data.value))
    prompt = i18n.get("officials-status-note-prompt", status=i18n.get(f"status-{Status(callback_data.value)}"),
                      max=NOTE_MAX)
    await _ask(callback, state, step, prompt, builder)


async def skip_note(callback: CallbackQuery, callback_data: OfficialCb, state: FSMContext, services: Services,
                    i18n: I18nContext, resident: Resident) -> None:
    outcome = await services.officials.set_status(callback_data.assignment, stored_id(resident), callback_data.value,
                                                  None, services.clock())
    if outcome is not Outcome.DONE:
        await refuse(callback, i18n, outcome)
        return
    await state.set_state(None)
    await Step.drop(state)
    done = i18n.get("officials-status-set", status=i18n.get(f"status-{Status(callback_data.value)}"))
    await show_view(callback, callback_data.assignment, services, i18n, resident, done)
