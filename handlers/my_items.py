"""My submissions: the resident's own items, each with its status timeline."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext, LazyFilter

from bot.services import Services
from handlers.callbacks import CardOrigin, ItemAction, ItemCb, MineAction, MyItemsCb
from handlers.card_view import short_label
from handlers.keyboards import page_arrows, page_counts
from handlers.pending_input import end_pending_input
from handlers.quote import BODY_IN_DETAIL, TITLE, quote
from handlers.replies import edit_in_place
from storage import rules
from storage.city import CityConfig
from storage.models import Resident, stored_id
from storage.services.items import ItemDetail, Page


def _list_view(i18n: I18nContext, page: Page, endorsed: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """My submissions, or with `endorsed` the items I endorsed; a button switches between them."""
    builder = InlineKeyboardBuilder()
    action = MineAction.ENDORSED if endorsed else MineAction.PAGE
    for item in page.items:
        label = f"{item.public_number} · {short_label(i18n, item)}"
        data = (ItemCb(action=ItemAction.CARD, item=stored_id(item), back=CardOrigin.ENDORSED, page=page.page) if endorsed
                else MyItemsCb(action=MineAction.OPEN, item=stored_id(item), page=page.page))
        builder.button(text=label[:60], callback_data=data)
    arrows = page_arrows(builder, page.page, page.pages, lambda n: MyItemsCb(action=action, page=n))
    other = "mine-show-submissions" if endorsed else "mine-show-endorsements"
    builder.button(text=i18n.get(other), callback_data=MyItemsCb(action=MineAction.PAGE if endorsed else MineAction.ENDORSED))
    builder.adjust(*([1] * len(page.items)), *([arrows] if arrows else []), 1)
    if not page.total:
        return i18n.get("mine-endorsed-empty" if endorsed else "mine-empty"), builder.as_markup()
    key = "mine-endorsed-header" if endorsed else "mine-header"
    return i18n.get(key, **page_counts(i18n, page)), builder.as_markup()


def _detail_view(i18n: I18nContext, city: CityConfig, detail: ItemDetail, page: int) -> tuple[str, InlineKeyboardMarkup]:
    item = detail.item
    zone = ZoneInfo(city.city.timezone)
    category, district = city.category(item.category), city.district(item.district)
    timeline = "\n".join(
        i18n.get("mine-event", time=e.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                 status=i18n.get(f"status-{e.to_status}"))
        for e in detail.timeline
    )
    text = i18n.get(
        "mine-detail",
        number=item.public_number,
        title=quote(i18n, item.title, TITLE),
        kind=i18n.get(f"kind-{item.kind}"),
        category=category.name(i18n.locale) if category else item.category,
        district=district.name(i18n.locale) if district else item.district,
        status=i18n.get(f"status-{item.status}"),
        photos=len(detail.attachments),
        body=quote(i18n, item.body, BODY_IN_DETAIL),
        timeline=timeline,
    )
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("mine-open-card"), callback_data=ItemCb(action=ItemAction.CARD, item=stored_id(item), back=CardOrigin.MINE, page=page))
    builder.button(text=i18n.get("mine-back"), callback_data=MyItemsCb(action=MineAction.PAGE, page=page))
    builder.adjust(1, 1)
    return text, builder.as_markup()


async def show_mine(message: Message, i18n: I18nContext, resident: Resident, services: Services) -> None:
    page = await services.items.my_submissions(resident, 0, rules.MY_ITEMS_PAGE)
    text, markup = _list_view(i18n, page)
    await message.answer(text, reply_markup=markup)


async def turn_page(callback: CallbackQuery, callback_data: MyItemsCb, i18n: I18nContext,
                    resident: Resident, services: Services) -> None:
    page = await services.items.my_submissions(resident, callback_data.page, rules.MY_ITEMS_PAGE)
    text, markup = _list_view(i18n, page)
    await edit_in_place(callback, text, markup)


async def turn_endorsed_page(callback: CallbackQuery, callback_data: MyItemsCb, i18n: I18nContext,
                             resident: Resident, services: Services) -> None:
    page = await services.items.my_endorsements(resident, callback_data.page, rules.MY_ITEMS_PAGE)
    text, markup = _list_view(i18n, page, endorsed=True)
    await edit_in_place(callback, text, markup)


async def open_item(callback: CallbackQuery, callback_data: MyItemsCb, i18n: I18nContext,
                    city: CityConfig, resident: Resident, services: Services) -> None:
    detail = await services.items.own_item(resident, callback_data.item)
    if detail is None:
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    text, markup = _detail_view(i18n, city, detail, callback_data.page)
    await edit_in_place(callback, text, markup)


def build_router() -> Router:
    router = Router(name="my_items")
    router.message.middleware(end_pending_input)
    router.message.register(show_mine, LazyFilter("menu-mine"))
    router.message.register(show_mine, Command("mine"))
    router.callback_query.register(turn_page, MyItemsCb.filter(F.action == MineAction.PAGE))
    router.callback_query.register(open_item, MyItemsCb.filter(F.action == MineAction.OPEN))
    router.callback_query.register(turn_endorsed_page, MyItemsCb.filter(F.action == MineAction.ENDORSED))
    return router
