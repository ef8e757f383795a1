"""My submissions: the resident's own items, each with its status timeline."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext, LazyFilter

from bot.services import Services
from handlers.callbacks import MyItemsCb
from storage import rules
from storage.city import CityConfig
from storage.models import Resident
from storage.services.items import ItemDetail, Page


def _list_view(i18n: I18nContext, page: Page) -> tuple[str, InlineKeyboardMarkup]:
    if not page.total:
        return i18n.get("mine-empty"), InlineKeyboardBuilder().as_markup()
    builder = InlineKeyboardBuilder()
    for item in page.items:
        label = f"{item.public_number} · {i18n.get(f'status-{item.status}')} · {item.title}"
        builder.button(text=label[:60], callback_data=MyItemsCb(action="open", item=item.id, page=page.page))
    nav = 0
    if page.page > 0:
        builder.button(text="◀", callback_data=MyItemsCb(action="page", page=page.page - 1))
        nav += 1
    if page.page + 1 < page.pages:
        builder.button(text="▶", callback_data=MyItemsCb(action="page", page=page.page + 1))
        nav += 1
    builder.adjust(*([1] * len(page.items)), *([nav] if nav else []))
    text = i18n.get("mine-header", total=page.total, page=page.page + 1, pages=page.pages)
    return text, builder.as_markup()


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
        title=escape(item.title),
        kind=i18n.get(f"kind-{item.kind}"),
        category=category.name(i18n.locale) if category else item.category,
        district=district.name(i18n.locale) if district else item.district,
        status=i18n.get(f"status-{item.status}"),
        photos=len(detail.attachments),
        body=escape(item.body[:500] + ("…" if len(item.body) > 500 else "")),
        timeline=timeline,
    )
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("mine-back"), callback_data=MyItemsCb(action="page", page=page))
    return text, builder.as_markup()


async def show_mine(message: Message, i18n: I18nContext, resident: Resident, services: Services) -> None:
    page = await services.items.my_submissions(resident, 0, rules.MY_ITEMS_PAGE)
    text, markup = _list_view(i18n, page)
    await message.answer(text, reply_markup=markup)


async def turn_page(callback: CallbackQuery, callback_data: MyItemsCb, i18n: I18nContext,
                    resident: Resident, services: Services) -> None:
    page = await services.items.my_submissions(resident, callback_data.page, rules.MY_ITEMS_PAGE)
    text, markup = _list_view(i18n, page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def open_item(callback: CallbackQuery, callback_data: MyItemsCb, i18n: I18nContext,
                    city: CityConfig, resident: Resident, services: Services) -> None:
    detail = await services.items.own_item(resident, callback_data.item)
    if detail is None:
        await callback.answer(i18n.get("error-item-unavailable"), show_alert=True)
        return
    text, markup = _detail_view(i18n, city, detail, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name="my_items")
    router.message.register(show_mine, LazyFilter("menu-mine"))
    router.message.register(show_mine, Command("mine"))
    router.callback_query.register(turn_page, MyItemsCb.filter(F.action == "page"))
    router.callback_query.register(open_item, MyItemsCb.filter(F.action == "open"))
    return router
