"""What the admins' two composers share (a broadcast: handlers/broadcasts/compose.py; a poll:
handlers/polls/create.py): who may use one, read in the database at every press; the draft a
press belongs to; and the checks before a press on a preview acts (its latest preview only,
so that an old preview's Confirm is refused)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.replies import Pressed, edit_in_place
from handlers.state import Section
from storage.models import Resident, stored_id


class ComposerDraft(Section):
    step: Any = None  # the composer's own Step; None: no draft
    editing: bool = False  # a change made from the preview goes back to the preview
    version: int = 0  # the latest preview's number: Confirm on an older one is refused


D = TypeVar("D", bound=ComposerDraft)


@dataclass(frozen=True)
class ComposerTexts:
    refused: str  # this resident may not use it
    gone: str  # the press belongs to no draft (ended, or another composer's)
    outdated: str  # a press on an older preview
    dropped: str  # Cancel done


@dataclass(frozen=True)
class Composer(Generic[D]):
    draft_type: type[D]
    pending: State  # the conversation state while a draft lives
    may: Callable[[Services, int], Awaitable[bool]]
    preview: Any  # the draft's step while its preview is shown
    texts: ComposerTexts

    async def fresh(self, target: Pressed, state: FSMContext, services: Services, i18n: I18nContext,
                    resident: Resident) -> D | None:
        """A new draft, or None (and the resident told so) when they may not compose. Its previews
        are numbered on from the last draft's, so that an old preview's Confirm stays refused."""
        if not await self.may(services, stored_id(resident)):
            await target.answer(i18n.get(self.texts.refused))
            return None
        earlier = await self.draft_type.load(state)
        return self.draft_type(version=earlier.version)

    async def refused(self, callback: CallbackQuery, services: Services, i18n: I18nContext,
                      resident: Resident) -> bool:
        if await self.may(services, stored_id(resident)):
            return False
        await callback.answer(i18n.get(self.texts.refused), show_alert=True)
        return True

    async def draft(self, callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> D | None:
        """The draft being composed, if this press belongs to it."""
        draft = await self.draft_type.load(state)
        if draft.step is None or await state.get_state() != self.pending.state:
            await callback.answer(i18n.get(self.texts.gone), show_alert=True)
            return None
        return draft

    async def allowed_draft(self, callback: CallbackQuery, state: FSMContext, services: Services,
                            i18n: I18nContext, resident: Resident) -> D | None:
        """The draft, if this press belongs to it and is by someone who may use the composer."""
        if await self.refused(callback, services, i18n, resident):
            return None
        return await self.draft(callback, state, i18n)

    async def current_preview(self, callback: CallbackQuery, version: int, state: FSMContext, services: Services,
                              i18n: I18nContext, resident: Resident) -> D | None:
        """The draft, if this press is on its latest preview by someone who may use the composer."""
        if (draft := await self.allowed_draft(callback, state, services, i18n, resident)) is None:
            return None
        if draft.step != self.preview or version != draft.version:
            await callback.answer(i18n.get(self.texts.outdated), show_alert=True)
            return None
        return draft

    async def cancel(self, callback: CallbackQuery, version: int, state: FSMContext, services: Services,
                     i18n: I18nContext, resident: Resident) -> None:
        if await self.current_preview(callback, version, state, services, i18n, resident) is None:
            return
        await self.draft_type.drop(state)
        await state.set_state(None)
        await edit_in_place(callback, i18n.get(self.texts.dropped))
