"""A proposal's discussion: stances with optional comments, read page by page."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.callbacks import DiscussAction, DiscussCb, ItemAction, ItemCb
from handlers.card_view import STANCE_ICONS, progress_line
from handlers.filters import When
from handlers.keyboards import page_arrows, typed_text
from handlers.limits import local_moment
from handlers.pending_input import PendingInput
from handlers.quote import COMMENT, TITLE, quote
from handlers.replies import Pressed, edit_in_place, pressed, retire_buttons
from handlers.state import Section
from storage.city import CityConfig
from storage.drafts import clean_lines
from storage.lifecycle import Status, has_discussion
from storage.models import Resident, stored_id
from storage.rules import COMMENT_MAX, COMMENTS_PAGE
from storage.services.items import Card
from storage.services.participation import Outcome
from storage.vocabulary import Stance


class StanceState(Section):
    """The discussion's part of the conversation state: the stance waiting for its comment."""

    key: ClassVar[str] = "stance"
    item: int | None = None
    stance: Stance | None = None


def discussion_view(i18n: I18nContext, card: Card, now: dt.datetime) -> tuple[str, InlineKeyboardMarkup]:
    item = card.item
    counts = " · ".join(f"{icon} {card.stance_counts.get(s, 0)}" for s, icon in STANCE_ICONS.items())
    lines = [i18n.get("discuss-head", number=item.public_number, title=quote(i18n, item.title, TITLE),
                      status=i18n.get(f"status-{item.status}"), participants=item.participant_count), counts]
    progress = progress_line(i18n, item, now)
    if progress:
        lines.append(progress)
    if card.stance:
        lines.append(i18n.get("discuss-your-stance", stance=i18n.get(f"stance-{card.stance}")))
    builder = InlineKeyboardBuilder()
    sizes = []
    if item.status == Status.DISCUSSION:
        for stance in Stance:
            builder.button(text=i18n.get(f"stance-button-{stance}"),
                           callback_data=DiscussCb(action=DiscussAction.STANCE, item=stored_id(item), value=stance))
        sizes.append(len(Stance))
    builder.button(text=i18n.get("discuss-read-comments"), callback_data=DiscussCb(action=DiscussAction.COMMENTS, item=stored_id(item)))
    builder.button(text=i18n.get("discuss-back-to-card"), callback_data=ItemCb(action=ItemAction.CARD, item=stored_id(item)))
    builder.adjust(*sizes, 2)
    return "\n".join(lines), builder.as_markup()


async def _card(services: Services, item_id: int, resident: Resident) -> Card | None:
    card = await services.items.card(item_id, resident)
    if card is None or not has_discussion(card.item):
        return None
    return card


async def open_discussion(callback: CallbackQuery, callback_data: ItemCb | DiscussCb, services: Services,
                          i18n: I18nContext, resident: Resident) -> None:
    card = await _card(services, callback_data.item, resident)
    if card is None:
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    await edit_in_place(callback, *discussion_view(i18n, card, services.clock()))


async def choose_stance(callback: CallbackQuery, callback_data: DiscussCb, state: FSMContext,
                        services: Services, i18n: I18nContext, resident: Resident) -> None:
    card = await _card(services, callback_data.item, resident)
    if card is None or callback_data.value not in tuple(Stance) or card.item.status != Status.DISCUSSION:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await state.set_state(PendingInput.comment)
    await StanceState(item=stored_id(card.item), stance=Stance(callback_data.value)).save(state)
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("discuss-skip-comment"),
                   callback_data=DiscussCb(action=DiscussAction.SKIP, item=stored_id(card.item), value=callback_data.value))
    await callback.answer()
    await pressed(callback).answer(
        i18n.get("discuss-comment-prompt", stance=i18n.get(f"stance-{callback_data.value}"), max=COMMENT_MAX),
        reply_markup=builder.as_markup())


async def _save(message: Pressed, item_id: int, stance: str, comment: str | None, state: FSMContext,
                services: Services, i18n: I18nContext, resident: Resident) -> None:
    result = await services.participation.take_stance(item_id, stored_id(resident), stance, comment)
    await state.set_state(None)
    await StanceState.drop(state)
    if result.outcome is Outcome.LIMITED and result.until is not None:
        await message.answer(i18n.get("limits-comments-per-hour", limit=services.city.moderation.comments_per_hour,
                                      until=local_moment(result.until, services.city)))
        return
    if result.outcome is not Outcome.DONE:
        await message.answer(i18n.get("discuss-closed" if result.outcome is Outcome.CLOSED else "error-item-unavailable"))
        return
    card = await _card(services, item_id, resident)
    if card is None:  # hidden since the stance was taken
        await message.answer(i18n.get("discuss-saved"))
        return
    text, markup = discussion_view(i18n, card, services.clock())
    await message.answer(i18n.get("discuss-saved") + "\n\n" + text, reply_markup=markup)


async def skip_comment(callback: CallbackQuery, callback_data: DiscussCb, state: FSMContext,
                       services: Services, i18n: I18nContext, resident: Resident) -> None:
    pending = await StanceState.load(state)
    # Only the prompt still waiting for its comment: an older one's Skip, pressed after the comment
    # was saved, would take the stance again without it and erase the comment.
    if (await state.get_state() != PendingInput.comment.state or pending.item != callback_data.item
            or pending.stance is None or pending.stance.value != callback_data.value):
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await callback.answer()
    message = pressed(callback)
    await retire_buttons(message)
    await _save(message, callback_data.item, callback_data.value, None, state, services, i18n, resident)


async def comment_typed(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                        resident: Resident) -> None:
    comment = clean_lines(message.text or "")
    if not comment or len(comment) > COMMENT_MAX:
        await message.answer(i18n.get("discuss-comment-length", max=COMMENT_MAX, length=len(comment)))
        return
    pending = await StanceState.load(state)
    if pending.item is None or pending.stance is None:  # state from an older release: ask again
        await state.set_state(None)
        await message.answer(i18n.get("error-stale-button"))
        return
    await _save(message, pending.item, pending.stance, comment, state, services, i18n, resident)


async def comment_not_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("discuss-comment-expect", max=COMMENT_MAX))


async def read_comments(callback: CallbackQuery, callback_data: DiscussCb, services: Services,
                        i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    card = await _card(services, callback_data.item, resident)
    if card is None:
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    rows, page, pages = await services.items.comments(stored_id(card.item), callback_data.page, COMMENTS_PAGE)
    zone = ZoneInfo(city.city.timezone)
    lines = [i18n.get("discuss-comments-head", number=card.item.public_number, page=page + 1, pages=pages)]
    lines += [f"{STANCE_ICONS[r.stance]} {r.updated_at.astimezone(zone):%Y-%m-%d} — {quote(i18n, r.comment, COMMENT)}" for r in rows]
    if not rows:
        lines.append(i18n.get("discuss-no-comments"))
    builder = InlineKeyboardBuilder()
    arrows = page_arrows(builder, page, pages, lambda n: DiscussCb(action=DiscussAction.COMMENTS, item=stored_id(card.item), page=n))
    if rows:
        builder.button(text=i18n.get("report-comment-button"),
                       callback_data=DiscussCb(action=DiscussAction.REPORT, item=stored_id(card.item), page=page))
    builder.button(text=i18n.get("discuss-back"), callback_data=DiscussCb(action=DiscussAction.VIEW, item=stored_id(card.item)))
    builder.adjust(*([arrows] if arrows else []), 1)
    await edit_in_place(callback, "\n\n".join(lines), builder.as_markup())


def build_router() -> Router:
    router = Router(name="discussion")
    router.message.register(comment_typed, StateFilter(PendingInput.comment), typed_text)
    router.message.register(comment_not_text, StateFilter(PendingInput.comment), When(~F.text))
    router.callback_query.register(open_discussion, ItemCb.filter(F.action == ItemAction.DISCUSS))
    router.callback_query.register(open_discussion, DiscussCb.filter(F.action == DiscussAction.VIEW))
    router.callback_query.register(choose_stance, DiscussCb.filter(F.action == DiscussAction.STANCE))
    router.callback_query.register(skip_comment, DiscussCb.filter(F.action == DiscussAction.SKIP))
    router.callback_query.register(read_comments, DiscussCb.filter(F.action == DiscussAction.COMMENTS))
    return router
