""""Asking Citizens" for residents and admins: tapping an option (answer, change, or toggle),
the list of open polls (the main menu's entry and /polls), and for admins each poll's live
counts with turnout by district, and closing one early. Every tap is checked by the poll
service (storage/services/polls.py): a forged or stale one gets an alert and stores nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext, LazyFilter

from bot.services import Services
from handlers.callbacks import PollAction, PollCb
from handlers.pending_input import end_pending_input
from handlers.polls.views import (
    QUESTION,
    close_markup,
    list_markup,
    list_text,
    poll_markup,
    poll_text,
    question,
    stats_markup,
    stats_text,
)
from handlers.replies import edit_in_place
from storage import rules
from storage.city import CityConfig
from storage.models import Resident, stored_id
from storage.services.polls import AnswerRefused, PollRefused, PollResults, PollView

REFUSALS = {
    "unknown": "asking-answer-unknown",
    "not-asked": "asking-answer-not-asked",
    "closed": "asking-answer-closed",
}


async def answer(callback: CallbackQuery, callback_data: PollCb, services: Services, i18n: I18nContext,
                 city: CityConfig, resident: Resident) -> None:
    try:
        view = await services.polls.answer(callback_data.poll, stored_id(resident), callback_data.position)
    except AnswerRefused as refused:
        if refused.reason == "closed":  # show that it is closed, on the message tapped
            await show(callback, callback_data, services, i18n, city, resident)
            return
        await callback.answer(i18n.get(REFUSALS[refused.reason]), show_alert=True)
        return
    await services.end_transactions()
    await _edit(callback, i18n, city, view, callback_data.listed, i18n.get("asking-answer-saved"))


async def show(callback: CallbackQuery, callback_data: PollCb, services: Services, i18n: I18nContext,
               city: CityConfig, resident: Resident) -> None:
    """A poll from the list, or a closed poll's button: the poll as it stands for them."""
    view = await services.poll_reads.view(callback_data.poll, stored_id(resident))
    await services.end_transactions()
    if view is None:
        await callback.answer(i18n.get(REFUSALS["unknown"]), show_alert=True)
        return
    notice = i18n.get(REFUSALS["closed"]) if view.poll.closed else None
    await _edit(callback, i18n, city, view, callback_data.listed, notice, alert=view.poll.closed)


async def _edit(callback: CallbackQuery, i18n: I18nContext, city: CityConfig, view: PollView, listed: bool,
                notice: str | None, alert: bool = False) -> None:
    language = i18n.locale
    await edit_in_place(callback, poll_text(i18n.get, city, language, view),
                        poll_markup(i18n.get, language, view, back=listed), notice=notice, alert=alert)


async def polls_command(message: Message, services: Services, i18n: I18nContext, city: CityConfig,
                        resident: Resident) -> None:
    """The open polls that ask the resident; for admins also every poll's live counts."""
    resident_id = stored_id(resident)
    listings = await services.poll_reads.open_polls_for(resident_id)
    try:
        overview = await services.poll_reads.overview(resident_id)
    except PollRefused:
        overview = None
    await services.end_transactions()
    await message.answer(list_text(i18n.get, listings), reply_markup=list_markup(i18n.locale, listings))
    if overview is None:
        return
    await message.answer(i18n.get("asking-admin-head" if overview else "asking-admin-none", days=rules.POLLS_RECENT_DAYS))
    for results in overview:
        await message.answer(stats_text(i18n.get, city, i18n.locale, results), reply_markup=stats_markup(i18n.get, results))


async def back_to_list(callback: CallbackQuery, services: Services, i18n: I18nContext, resident: Resident) -> None:
    listings = await services.poll_reads.open_polls_for(stored_id(resident))
    await services.end_transactions()
    await edit_in_place(callback, list_text(i18n.get, listings), list_markup(i18n.locale, listings))


async def _admin_results(callback: CallbackQuery, callback_data: PollCb, services: Services, i18n: I18nContext,
                         resident: Resident) -> tuple[bool, PollResults | None]:
    """(refused, the poll's results for an admin, None when there is no such poll); a refusal is
    answered here. The role is read in the database at the press."""
    try:
        results = await services.poll_reads.admin_results(stored_id(resident), callback_data.poll)
    except PollRefused:
        await callback.answer(i18n.get("asking-admin-only"), show_alert=True)
        return True, None
    await services.end_transactions()
    return False, results


async def stats(callback: CallbackQuery, callback_data: PollCb, services: Services, i18n: I18nContext,
                city: CityConfig, resident: Resident) -> None:
    """An admin's live counts of one poll (Refresh, or No to closing it)."""
    refused, results = await _admin_results(callback, callback_data, services, i18n, resident)
    if refused:
        return
    if results is None:
        await callback.answer(i18n.get(REFUSALS["unknown"]), show_alert=True)
        return
    await edit_in_place(callback, stats_text(i18n.get, city, i18n.locale, results), stats_markup(i18n.get, results))


async def ask_close(callback: CallbackQuery, callback_data: PollCb, services: Services, i18n: I18nContext,
                    resident: Resident) -> None:
    refused, results = await _admin_results(callback, callback_data, services, i18n, resident)
    if refused:
        return
    if results is None or results.poll.closed:
        await callback.answer(i18n.get("asking-close-already"), show_alert=True)
        return
    text = i18n.get("asking-close-confirm", poll=str(results.poll.id)) + "\n\n" + question(results.poll, i18n.locale, QUESTION)
    await edit_in_place(callback, text, close_markup(i18n.get, results.poll.id))


async def close(callback: CallbackQuery, callback_data: PollCb, services: Services, i18n: I18nContext,
                city: CityConfig, resident: Resident) -> None:
    try:
        closed = await services.polls.close_now(stored_id(resident), callback_data.poll)
        results = await services.polls.results(callback_data.poll)
    except PollRefused:
        await callback.answer(i18n.get("asking-admin-only"), show_alert=True)
        return
    await services.end_transactions()
    if results is None:
        await callback.answer(i18n.get(REFUSALS["unknown"]), show_alert=True)
        return
    await edit_in_place(callback, stats_text(i18n.get, city, i18n.locale, results), stats_markup(i18n.get, results),
                        notice=i18n.get("asking-close-done" if closed else "asking-close-already"), alert=not closed)


def build_router() -> Router:
    router = Router(name="polls")
    router.message.middleware(end_pending_input)
    router.message.register(polls_command, Command("polls"))
    router.message.register(polls_command, LazyFilter("menu-polls"))
    handlers: dict[PollAction, Callable[..., Awaitable[None]]] = {
        PollAction.ANSWER: answer, PollAction.OPEN: show, PollAction.LIST: back_to_list,
        PollAction.STATS: stats, PollAction.CLOSE: ask_close, PollAction.CLOSE_YES: close,
    }
    for action, handler in handlers.items():
        router.callback_query.register(handler, PollCb.filter(F.action == action))
    return router
