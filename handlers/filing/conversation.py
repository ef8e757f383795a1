"""One resident's filing: the draft in the conversation state and the step on screen."""

from __future__ import annotations

from typing import Any, ClassVar

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from pydantic import Field

from bot.services import Services
from handlers.filing.steps import STATE_OF, STEP_OF, Step, following, preceding
from handlers.filing.views import View
from handlers.keyboards import main_menu, share_location
from handlers.replies import Pressed, edit_in_place, pressed, retire_buttons
from handlers.state import Section
from storage.city import CityConfig
from storage.drafts import Draft
from storage.models import Resident

LOCATION_STEPS = (Step.DISTRICT, Step.LOCATION)


class FilingState(Section):
    """The filing's part of the conversation state: the draft and where the resident is."""

    key: ClassVar[str] = "filing"
    draft: Draft = Field(default_factory=Draft)
    editing: bool = False  # changing one field from the preview: Back and Next return there
    location_keyboard: bool = False  # the reply keyboard offers location sharing


async def end_filing(state: FSMContext) -> None:
    """Leaves the filing and drops its draft; other conversations keep their state."""
    await state.set_state(None)
    await FilingState.drop(state)


class Conversation:
    def __init__(
        self,
        event: Message | CallbackQuery,
        state: FSMContext,
        i18n: I18nContext,
        city: CityConfig,
        resident: Resident,
        services: Services,
    ) -> None:
        self.event = event
        self.state = state
        self.i18n = i18n
        self.city = city
        self.resident = resident
        self.services = services
        self.view = View(i18n, city, resident)

    @property
    def message(self) -> Pressed:
        return pressed(self.event) if isinstance(self.event, CallbackQuery) else self.event

    async def filing(self) -> FilingState:
        return await FilingState.load(self.state)

    async def draft(self) -> Draft:
        return (await self.filing()).draft

    async def save(self, draft: Draft) -> None:
        filing = await self.filing()
        filing.draft = draft
        await filing.save(self.state)

    async def current_step(self) -> Step | None:
        return STEP_OF.get(await self.state.get_state() or "")

    async def start(self, draft: Draft) -> None:
        await self.state.set_state(None)
        await FilingState(draft=draft).save(self.state)
        await self.show(following(Step.KIND, draft) if draft.kind else Step.KIND, draft)

    async def advance(self, step: Step, draft: Draft) -> None:
        """After a step is answered: the next step, or back to the preview when editing."""
        await self.save(draft)
        editing = (await self.filing()).editing
        await self.show(Step.PREVIEW if editing else following(step, draft), draft)

    async def _set(self, **flags: bool) -> None:
        await (await self.filing()).model_copy(update=flags).save(self.state)

    async def back(self) -> None:
        step, draft = await self.current_step(), await self.draft()
        editing = (await self.filing()).editing
        target = Step.PREVIEW if editing else (preceding(step, draft) if step else None)
        await self.show(target or Step.KIND, draft)

    async def edit(self, step: Step) -> None:
        await self._set(editing=True)
        await self.show(step, await self.draft())

    async def show(self, step: Step, draft: Draft, notice: str | None = None) -> None:
        if step is Step.PREVIEW:
            await self._set(editing=False)
        left_keyboard = await self._leave_location_keyboard(step)
        await self.state.set_state(STATE_OF[step])
        similar = await self.services.filing.similar_open_items(draft) if step is Step.PREVIEW else ()
        text, markup = self.view.prompt(step, draft, similar)
        if notice:
            text = f"⚠️ {notice}\n\n{text}"
        await self.render(text, markup, fresh=notice is not None or left_keyboard)
        if step in LOCATION_STEPS:
            await self._offer_location_keyboard()

    async def render(self, text: str, markup: InlineKeyboardMarkup | None, fresh: bool = False) -> None:
        """Edits the message whose button was pressed; sends a new one after typed input, or
        (`fresh`) below a pressed message whose buttons are then retired."""
        if isinstance(self.event, CallbackQuery):
            if not fresh:
                await edit_in_place(self.event, text, markup)
                return
            await self.event.answer()
            await retire_buttons(self.message)
        await self.message.answer(text, reply_markup=markup)

    async def refuse(self, key: str, **kwargs: Any) -> None:
        """Wrong input: one line on what is expected, then the same step again."""
        step = await self.current_step() or Step.KIND
        await self.show(step, await self.draft(), notice=self.i18n.get(key, **kwargs))

    async def finish(self, text: str) -> None:
        await end_filing(self.state)
        await self.message.answer(text, reply_markup=main_menu(self.i18n))

    async def _offer_location_keyboard(self) -> None:
        if not (await self.filing()).location_keyboard:
            await self.message.answer(self.i18n.get("filing-location-hint"), reply_markup=share_location(self.i18n))
            await self._set(location_keyboard=True)

    async def _leave_location_keyboard(self, step: Step) -> bool:
        """Puts the main menu back once the steps that offer location sharing are done."""
        if step in LOCATION_STEPS or not (await self.filing()).location_keyboard:
            return False
        await self._set(location_keyboard=False)
        await self.message.answer(self.i18n.get("filing-noted"), reply_markup=main_menu(self.i18n))
        return True
