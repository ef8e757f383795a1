"""/stats: district statistics for the city's officials and admins.

The period's buttons, then the charts as one photo with a short caption, and the CSV on
request. These answer the official's own press, so they are sent directly (not through the
outbox). Every press reads the role in the database again: a forged or replayed button from
anyone else gets an alert and nothing is counted.
"""

from __future__ import annotations

import datetime as dt

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from bot.stats_report import caption, chart_png, csv_bytes, file_name, period_text
from handlers.callbacks import StatsAction, StatsCb
from handlers.officials.replies import texts
from handlers.replies import pressed
from storage.models import Resident, stored_id
from storage.services.statistics import PERIODS


def build_router() -> Router:
    router = Router(name="stats")
    router.message.register(stats_command, Command("stats"))
    router.callback_query.register(show_period, StatsCb.filter(F.action == StatsAction.PERIOD))
    router.callback_query.register(send_csv, StatsCb.filter(F.action == StatsAction.CSV))
    return router


def periods_markup(i18n: I18nContext, csv_of: StatsCb | None = None) -> InlineKeyboardMarkup:
    """The periods offered, and under the charts the CSV of the period they show."""
    builder = InlineKeyboardBuilder()
    if csv_of is not None:
        builder.button(text=i18n.get("stats-btn-csv"), callback_data=csv_of)
    for days in PERIODS:
        builder.button(text=i18n.get("stats-btn-period", days=days),
                       callback_data=StatsCb(action=StatsAction.PERIOD, days=days))
    builder.adjust(*([1] if csv_of else []), len(PERIODS))
    return builder.as_markup()


async def stats_command(message: Message, services: Services, i18n: I18nContext, resident: Resident) -> None:
    if not await services.statistics.may_see(stored_id(resident)):
        await message.answer(i18n.get("stats-only"))
        return
    await message.answer(i18n.get("stats-choose"), reply_markup=periods_markup(i18n))


async def _allowed(callback: CallbackQuery, callback_data: StatsCb, services: Services, i18n: I18nContext,
                   resident: Resident) -> bool:
    if not await services.statistics.may_see(stored_id(resident)):
        await callback.answer(i18n.get("stats-forbidden"), show_alert=True)
        return False
    if callback_data.days not in PERIODS:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return False
    return True


async def show_period(callback: CallbackQuery, callback_data: StatsCb, services: Services, i18n: I18nContext,
                      resident: Resident) -> None:
    if not await _allowed(callback, callback_data, services, i18n, resident):
        return
    await callback.answer()  # counting a year of a big city takes a few seconds
    # Whole seconds: the CSV button carries this end, and recounts exactly the same items.
    until = services.clock().replace(microsecond=0)
    report = await services.statistics.report(callback_data.days, until)
    t, city = texts(i18n), services.city
    png = await chart_png(t, city, report)
    csv_of = StatsCb(action=StatsAction.CSV, days=callback_data.days, until=int(until.timestamp()))
    await pressed(callback).answer_photo(BufferedInputFile(png, file_name(city, report, "png")),
                                         caption=caption(t, city, report), reply_markup=periods_markup(i18n, csv_of))


async def send_csv(callback: CallbackQuery, callback_data: StatsCb, services: Services, i18n: I18nContext,
                   resident: Resident) -> None:
    if not await _allowed(callback, callback_data, services, i18n, resident):
        return
    until = dt.datetime.fromtimestamp(callback_data.until, dt.UTC)
    if not callback_data.until or until > services.clock():
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await callback.answer()
    report = await services.statistics.report(callback_data.days, until)
    t, city = texts(i18n), services.city
    document = BufferedInputFile(csv_bytes(city, report, t.language), file_name(city, report, "csv"))
    await pressed(callback).answer_document(document, caption=i18n.get("stats-csv-caption",
                                                                       period=period_text(t, city, report)))
