"""Browse: public items page by page, with filters, sort orders and search."""

from __future__ import annotations

from typing import ClassVar

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext, LazyFilter
from pydantic import Field

from bot.services import Services
from handlers.callbacks import BrowseAction, BrowseCb, CardOrigin, ItemAction, ItemCb
from handlers.card_view import short_label
from handlers.filing.views import rows
from handlers.filters import When
from handlers.keyboards import page_arrows, page_counts, typed_text
from handlers.pending_input import PendingInput, end_pending_input
from handlers.quote import QUERY, quote
from handlers.replies import Pressed, edit_in_place, pressed
from handlers.state import Section
from storage import rules
from storage.city import CityConfig
from storage.drafts import clean_line
from storage.lifecycle import Kind, Status
from storage.models import stored_id
from storage.services.browse import BrowseFilter, Sort
from storage.services.items import Page

FIELDS = ("sort", "district", "category", "kind", "stage")
STAGES = (Status.COLLECTING, Status.DISCUSSION, Status.REVIEW, Status.COMMITTEE, Status.PLANNED,
          Status.POLICY, Status.RECEIVED, Status.IN_PROGRESS, Status.ANSWERED, Status.RESOLVED)
ALL = "*"


def options(field: str, i18n: I18nContext, city: CityConfig) -> list[tuple[str, str]]:
    """(value, label) choices of one filter."""
    locale = i18n.locale
    if field == "sort":
        return [(s.value, i18n.get(f"browse-sort-{s.value}")) for s in Sort]
    if field == "district":
        return [(d.code, d.name(locale)) for d in city.districts]
    if field == "category":
        return [(c.code, c.name(locale)) for c in city.categories if not c.private]
    if field == "kind":
        return [(k.value, i18n.get(f"kind-{k.value}")) for k in Kind]
    return [(s.value, i18n.get(f"status-{s.value}")) for s in STAGES]


def _label(field: str, value: str | None, i18n: I18nContext, city: CityConfig) -> str:
    if not value:
        return i18n.get("browse-all")
    return dict(options(field, i18n, city)).get(value, value)


def list_view(page: Page, wanted: BrowseFilter, i18n: I18nContext, city: CityConfig) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for item in page.items:
        builder.button(text=f"{item.public_number[-6:].lstrip('0')}. {short_label(i18n, item)}",
                       callback_data=ItemCb(action=ItemAction.CARD, item=stored_id(item), back=CardOrigin.BROWSE, page=page.page))
    arrows = page_arrows(builder, page.page, page.pages, lambda n: BrowseCb(action=BrowseAction.PAGE, page=n))
    for field in FIELDS:
        builder.button(text=i18n.get(f"browse-filter-{field}"), callback_data=BrowseCb(action=BrowseAction.MENU, field=field))
    builder.button(text=i18n.get("browse-search"), callback_data=BrowseCb(action=BrowseAction.SEARCH))
    builder.button(text=i18n.get("browse-clear"), callback_data=BrowseCb(action=BrowseAction.CLEAR))
    builder.adjust(*([1] * len(page.items)), *([arrows] if arrows else []), 3, 2, 2)
    summary = i18n.get(
        "browse-header", **page_counts(i18n, page),
        sort=_label("sort", wanted.sort, i18n, city),
        district=_label("district", wanted.district, i18n, city),
        category=_label("category", wanted.category, i18n, city),
        kind=_label("kind", wanted.kind, i18n, city),
        stage=_label("stage", wanted.stage, i18n, city),
        query=quote(i18n, wanted.query, QUERY) if wanted.query else "—",
    )
    if not page.total:
        summary += "\n\n" + i18n.get("browse-empty")
    return summary, builder.as_markup()


class BrowseState(Section):
    """Browse's part of the conversation state: the resident's filters, kept between visits."""

    key: ClassVar[str] = "browse"
    wanted: BrowseFilter = Field(default_factory=BrowseFilter)


async def _filter(state: FSMContext) -> BrowseFilter:
    return (await BrowseState.load(state)).wanted


async def _show(target: Message | CallbackQuery, state: FSMContext, services: Services,
                i18n: I18nContext, city: CityConfig, wanted: BrowseFilter, page: int) -> None:
    await BrowseState(wanted=wanted).save(state)
    result = await services.browse.page(wanted, page, rules.BROWSE_PAGE)
    text, markup = list_view(result, wanted, i18n, city)
    if isinstance(target, Message):
        await target.answer(text, reply_markup=markup)
        return
    await edit_in_place(target, text, markup)


async def browse(message: Message, state: FSMContext, services: Services, i18n: I18nContext, city: CityConfig) -> None:
    await _show(message, state, services, i18n, city, await _filter(state), 0)


async def search_command(message: Message, command: CommandObject, state: FSMContext, services: Services,
                         i18n: I18nContext, city: CityConfig) -> None:
    typed = command.args or ""
    if not clean_line(typed):
        await ask_search(message, state, i18n)
        return
    await _search(message, typed, state, services, i18n, city)


async def turn_page(callback: CallbackQuery, callback_data: BrowseCb, state: FSMContext, services: Services,
                    i18n: I18nContext, city: CityConfig) -> None:
    await _show(callback, state, services, i18n, city, await _filter(state), callback_data.page)


async def filter_menu(callback: CallbackQuery, callback_data: BrowseCb, i18n: I18nContext, city: CityConfig) -> None:
    field = callback_data.field
    if field not in FIELDS:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    choices = options(field, i18n, city)
    builder = InlineKeyboardBuilder()
    if field != "sort":
        builder.button(text=i18n.get("browse-all"), callback_data=BrowseCb(action=BrowseAction.SET, field=field, value=ALL))
    for value, label in choices:
        builder.button(text=label, callback_data=BrowseCb(action=BrowseAction.SET, field=field, value=value))
    builder.adjust(*([1] if field != "sort" else []), *rows(len(choices), 2))
    await edit_in_place(callback, i18n.get(f"browse-choose-{field}"), builder.as_markup())


async def set_filter(callback: CallbackQuery, callback_data: BrowseCb, state: FSMContext, services: Services,
                     i18n: I18nContext, city: CityConfig) -> None:
    field, value = callback_data.field, callback_data.value
    allowed = {v for v, _ in options(field, i18n, city)} if field in FIELDS else set()
    if value != ALL and value not in allowed or (field == "sort" and value == ALL):
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    wanted = (await _filter(state)).with_(**{field: None if value == ALL else value})
    await _show(callback, state, services, i18n, city, wanted, 0)


async def clear_filters(callback: CallbackQuery, state: FSMContext, services: Services,
                        i18n: I18nContext, city: CityConfig) -> None:
    await _show(callback, state, services, i18n, city, BrowseFilter(), 0)


async def ask_search(target: Pressed, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(PendingInput.search)
    await target.answer(i18n.get("browse-search-prompt"))


async def search_button(callback: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await callback.answer()
    await ask_search(pressed(callback), state, i18n)


async def search_typed(message: Message, state: FSMContext, services: Services, i18n: I18nContext,
                       city: CityConfig) -> None:
    await _search(message, message.text or "", state, services, i18n, city)


async def _search(message: Message, typed: str, state: FSMContext, services: Services, i18n: I18nContext,
                  city: CityConfig) -> None:
    """Searches, keeping the words in the browse filter; a search too long is refused, not cut."""
    query = clean_line(typed)
    if len(query) > rules.SEARCH_MAX:
        await message.answer(i18n.get("search-too-long", max=rules.SEARCH_MAX, length=len(query)))
        return  # a typed search stays pending: the resident can send a shorter one
    await state.set_state(None)
    await _show(message, state, services, i18n, city, (await _filter(state)).with_(query=query or None), 0)


async def search_not_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("browse-search-expect"))


def build_router() -> Router:
    router = Router(name="browse")
    router.message.register(search_typed, StateFilter(PendingInput.search), typed_text)
    router.message.register(search_not_text, StateFilter(PendingInput.search), When(~F.text))
    router.message.middleware(end_pending_input)
    router.message.register(browse, LazyFilter("menu-browse"))
    router.message.register(browse, Command("browse"))
    router.message.register(search_command, Command("search"))
    router.callback_query.register(turn_page, BrowseCb.filter(F.action == BrowseAction.PAGE))
    router.callback_query.register(filter_menu, BrowseCb.filter(F.action == BrowseAction.MENU))
    router.callback_query.register(set_filter, BrowseCb.filter(F.action == BrowseAction.SET))
    router.callback_query.register(clear_filters, BrowseCb.filter(F.action == BrowseAction.CLEAR))
    router.callback_query.register(search_button, BrowseCb.filter(F.action == BrowseAction.SEARCH))
    return router
