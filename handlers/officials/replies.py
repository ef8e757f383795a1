"""How the officials' handlers answer: texts of outcomes, and the refreshed view."""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore

from bot.notices import Texts
from bot.services import Services
from handlers.officials.views import view_markup, view_text
from handlers.replies import Pressed, edit_in_place
from storage.models import Resident, stored_id
from storage.services.officials import OfficialView, Outcome

REFUSALS = {
    Outcome.FORBIDDEN: "officials-forbidden",
    Outcome.GONE: "error-item-unavailable",
    Outcome.CLOSED: "officials-closed",
    Outcome.ALREADY: "officials-already",
    Outcome.NOT_ALLOWED: "officials-not-allowed",
    Outcome.PRIVATE: "officials-private",
    Outcome.INVALID: "error-stale-button",
}


def texts(i18n: I18nContext) -> Texts:
    """The resident's texts as the renderers get them, so both draw the same view."""
    if not isinstance(i18n.core, FluentRuntimeCore):
        raise TypeError(f"the officials' views need Fluent texts, not {type(i18n.core).__name__}")
    return Texts(i18n.core, i18n.locale)


async def refuse(callback: CallbackQuery, i18n: I18nContext, outcome: Outcome) -> None:
    await callback.answer(i18n.get(REFUSALS[outcome]), show_alert=True)


async def checked_view(callback: CallbackQuery, assignment_id: int, services: Services, i18n: I18nContext,
                       resident: Resident) -> OfficialView | None:
    """The view if this resident may act on the assignment now; otherwise the press is refused."""
    view = await services.official_reads.view(assignment_id, stored_id(resident))
    if isinstance(view, Outcome):
        await refuse(callback, i18n, view)
        return None
    return view


async def show_view(callback: CallbackQuery, assignment_id: int, services: Services, i18n: I18nContext,
                    resident: Resident, notice: str | None = None) -> None:
    """The official view, drawn over the pressed message."""
    view = await services.official_reads.view(assignment_id, stored_id(resident))
    if isinstance(view, Outcome):
        await refuse(callback, i18n, view)
        return
    t = texts(i18n)
    await edit_in_place(callback, view_text(t, services.city, view), view_markup(t, view), notice=notice)


async def send_view(message: Pressed, assignment_id: int, services: Services, i18n: I18nContext,
                    resident: Resident, head: str) -> None:
    """`head`, then the official view as a new message (after typed input)."""
    view = await services.official_reads.view(assignment_id, stored_id(resident))
    if isinstance(view, Outcome):
        await message.answer(head)
        return
    t = texts(i18n)
    await message.answer(head + "\n\n" + view_text(t, services.city, view), reply_markup=view_markup(t, view))
