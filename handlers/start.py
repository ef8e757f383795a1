"""First contact, the main menu, help and language."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext, LazyFilter

from bot.services import Services
from bot.settings import SUPPORTED_LOCALES
from handlers.callbacks import SettingsCb
from handlers.keyboards import main_menu
from storage.city import CityConfig
from storage.models import Resident


async def start(message: Message, i18n: I18nContext, city: CityConfig, new_resident: bool = False) -> None:
    key = "start-welcome" if new_resident else "start-welcome-back"
    await message.answer(
        i18n.get(key, city=city.city.name_ko if i18n.locale == "ko" else city.city.name_en),
        reply_markup=main_menu(i18n),
    )


async def menu(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("menu-shown"), reply_markup=main_menu(i18n))


async def help_(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("help-text"), reply_markup=main_menu(i18n))


def language_markup() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for locale in SUPPORTED_LOCALES:
        builder.button(text=LANGUAGE_NAMES[locale], callback_data=SettingsCb(action="lang", value=locale))
    builder.adjust(len(SUPPORTED_LOCALES))
    return builder.as_markup()


# Each language is offered in its own name, so anyone can find theirs.
LANGUAGE_NAMES = {"ko": "🇰🇷 한국어", "en": "🇬🇧 English"}


async def language(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("language-prompt"), reply_markup=language_markup())


async def set_language(
    callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext,
    resident: Resident, services: Services,
) -> None:
    if callback_data.value not in SUPPORTED_LOCALES:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await services.residents.set_language(resident, callback_data.value)
    with i18n.use_locale(callback_data.value):
        await callback.answer()
        await callback.message.edit_text(i18n.get("language-set"))
        await callback.message.answer(i18n.get("menu-shown"), reply_markup=main_menu(i18n))


def build_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(menu, Command("menu"))
    router.message.register(help_, Command("help"))
    router.message.register(help_, LazyFilter("menu-help"))
    router.message.register(language, Command("language"))
    router.callback_query.register(set_language, SettingsCb.filter(F.action == "lang"))
    return router
