"""Residents report an item (from its card) or a comment (from the discussion's list)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.callbacks import DiscussCb, ItemCb, ReportCb
from handlers.quote import fit
from handlers.replies import edit_in_place, pressed
from storage.city import CityConfig
from storage.lifecycle import has_discussion
from storage.models import Resident, stored_id
from storage.rules import COMMENTS_PAGE
from storage.services.reports import ReportOutcome, ReportResult
from storage.vocabulary import ReportReason, ReportTarget

COMMENT_IN_PICK = 200  # each comment quoted in the numbered pick (five to a page)


def reasons_markup(i18n: I18nContext, target: ReportTarget, target_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for reason in ReportReason:
        builder.button(text=i18n.get(f"report-reason-{reason}"),
                       callback_data=ReportCb(target=target, id=target_id, reason=reason))
    builder.adjust(1)
    return builder.as_markup()


async def report_item(callback: CallbackQuery, callback_data: ItemCb, i18n: I18nContext) -> None:
    await callback.answer()
    await pressed(callback).answer(i18n.get("report-ask", target=ReportTarget.ITEM.value),
                                   reply_markup=reasons_markup(i18n, ReportTarget.ITEM, callback_data.item))


async def pick_comment(callback: CallbackQuery, callback_data: DiscussCb, services: Services,
                       i18n: I18nContext, resident: Resident) -> None:
    """The page's comments, numbered, each a button leading to the reasons."""
    card = await services.items.card(callback_data.item, resident)
    if card is None or not has_discussion(card.item):
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    rows, _, _ = await services.items.comments(stored_id(card.item), callback_data.page, COMMENTS_PAGE)
    if not rows:
        await callback.answer(i18n.get("discuss-no-comments"), show_alert=True)
        return
    shortened = i18n.get("text-shortened")
    lines = [i18n.get("report-pick-comment")]
    lines += [f"{n}. {fit(row.comment, COMMENT_IN_PICK, shortened)}" for n, row in enumerate(rows, start=1)]
    builder = InlineKeyboardBuilder()
    for n, row in enumerate(rows, start=1):
        builder.button(text=str(n), callback_data=ReportCb(target=ReportTarget.COMMENT, id=row.id))
    builder.adjust(len(rows))
    await callback.answer()
    await pressed(callback).answer("\n\n".join(lines), reply_markup=builder.as_markup())


async def ask_reason(callback: CallbackQuery, callback_data: ReportCb, i18n: I18nContext) -> None:
    await edit_in_place(callback, i18n.get("report-ask", target=callback_data.target.value),
                        reasons_markup(i18n, callback_data.target, callback_data.id))


async def file_report(callback: CallbackQuery, callback_data: ReportCb, services: Services, i18n: I18nContext,
                      city: CityConfig, resident: Resident) -> None:
    if callback_data.reason not in tuple(ReportReason):
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    result = await services.reports.report(stored_id(resident), callback_data.target, callback_data.id,
                                           callback_data.reason)
    if result.outcome is ReportOutcome.UNAVAILABLE:
        await callback.answer(i18n.get("report-unavailable"), show_alert=True)
        return
    await edit_in_place(callback, _outcome_text(i18n, city, result))


def _outcome_text(i18n: I18nContext, city: CityConfig, result: ReportResult) -> str:
    if result.outcome is ReportOutcome.LIMIT and result.retry_at is not None:
        at = result.retry_at.astimezone(ZoneInfo(city.city.timezone))
        return i18n.get("report-limit", limit=city.moderation.reports_per_day, time=f"{at:%Y-%m-%d %H:%M}")
    return i18n.get(f"report-{result.outcome}")
