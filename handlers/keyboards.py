"""Keyboards shared by several conversations."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from storage.services.items import Page

MENU_KEYS = (
    "menu-complaint",
    "menu-proposal",
    "menu-browse",
    "menu-mine",
    "menu-settings",
    "menu-help",
    "menu-polls",  # last, on a row of its own: the others keep their places (and console numbers)
)


def main_menu(i18n: I18nContext) -> ReplyKeyboardMarkup:
    labels = [i18n.get(key) for key in MENU_KEYS]
    rows = [labels[i : i + 2] for i in range(0, len(labels), 2)]
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=label) for label in row] for row in rows],
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=i18n.get("menu-placeholder"),
    )


def share_location(i18n: I18nContext) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=i18n.get("btn-share-location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def typed_text(message: Message, i18n: I18nContext) -> bool:
    """Free text a resident typed: not a command and not a main-menu button in any language."""
    text = message.text
    if not text or text.startswith("/"):
        return False
    core = i18n.core
    return all(text != core.get(key, locale) for locale in core.available_locales for key in MENU_KEYS)


def page_arrows(builder: InlineKeyboardBuilder, page: int, pages: int,
                callback_data: Callable[[int], CallbackData]) -> int:
    """Adds ◀ and ▶ where there is a page to go to; `callback_data(n)` makes the button's data.
    Returns how many it added, for the row layout."""
    targets = [(text, n) for text, n in (("◀", page - 1), ("▶", page + 1)) if 0 <= n < pages]
    for text, target in targets:
        builder.button(text=text, callback_data=callback_data(target))
    return len(targets)


def page_counts(i18n: I18nContext, page: Page) -> dict[str, int | str]:
    """`total`, `page` and `pages` for a list's header; "1,000+" where the count stopped at its cap."""
    def shown(count: int) -> int | str:
        return i18n.get("count-at-least", count=count) if page.more else count
    return {"total": shown(page.total), "page": page.page + 1, "pages": shown(page.pages)}
