"""Settings: language, the resident's own district, which updates reach them, and which city
broadcasts (handlers/broadcast_settings.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext, LazyFilter

from bot.services import Services
from handlers import broadcast_settings
from handlers.callbacks import SettingsAction, SettingsCb
from handlers.filing.views import rows
from handlers.pending_input import end_pending_input
from handlers.replies import edit_in_place
from handlers.start import language_markup, language_name
from storage.city import CityConfig
from storage.models import Resident
from storage.vocabulary import NotifyScope

NO_DISTRICT = "-"


def _overview(i18n: I18nContext, city: CityConfig, resident: Resident) -> tuple[str, InlineKeyboardMarkup]:
    district = city.district(resident.district)
    text = i18n.get(
        "settings-overview",
        language=language_name(i18n, resident.language),
        district=district.name(i18n.locale) if district else i18n.get("settings-no-district"),
        notify=i18n.get(f"settings-notify-{resident.notify}"),
        broadcasts=broadcast_settings.scope_name(i18n, resident.broadcasts),
    )
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n.get("settings-language"), callback_data=SettingsCb(action=SettingsAction.LANGUAGE))
    builder.button(text=i18n.get("settings-district"), callback_data=SettingsCb(action=SettingsAction.PICK))
    builder.button(text=i18n.get("settings-notify"), callback_data=SettingsCb(action=SettingsAction.NOTIFY))
    builder.button(text=i18n.get("settings-broadcasts"), callback_data=SettingsCb(action=SettingsAction.BROADCASTS))
    builder.adjust(2, 2)
    return text, builder.as_markup()


async def show_settings(message: Message, i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    text, markup = _overview(i18n, city, resident)
    await message.answer(text, reply_markup=markup)


async def back_to_overview(callback: CallbackQuery, i18n: I18nContext, city: CityConfig, resident: Resident) -> None:
    text, markup = _overview(i18n, city, resident)
    await edit_in_place(callback, text, markup)


async def pick_language(callback: CallbackQuery, i18n: I18nContext) -> None:
    await edit_in_place(callback, i18n.get("language-prompt"), language_markup(i18n))


async def pick_district(callback: CallbackQuery, i18n: I18nContext, city: CityConfig) -> None:
    builder = InlineKeyboardBuilder()
    for district in city.districts:
        builder.button(text=district.name(i18n.locale), callback_data=SettingsCb(action=SettingsAction.DISTRICT, value=district.code))
    builder.button(text=i18n.get("settings-no-district"), callback_data=SettingsCb(action=SettingsAction.DISTRICT, value=NO_DISTRICT))
    builder.adjust(*rows(len(city.districts), 3), 1)
    await edit_in_place(callback, i18n.get("settings-district-prompt"), builder.as_markup())


async def set_district(
    callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext,
    city: CityConfig, resident: Resident, services: Services,
) -> None:
    code = None if callback_data.value == NO_DISTRICT else callback_data.value
    if code is not None and city.district(code) is None:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await services.residents.set_district(resident, code)
    text, markup = _overview(i18n, city, resident)
    await edit_in_place(callback, text, markup, notice=i18n.get("settings-saved"))


async def pick_notify(callback: CallbackQuery, i18n: I18nContext, resident: Resident) -> None:
    builder = InlineKeyboardBuilder()
    for scope in NotifyScope:
        mark = "• " if scope == resident.notify else ""
        builder.button(text=mark + i18n.get(f"settings-notify-{scope}"),
                       callback_data=SettingsCb(action=SettingsAction.SCOPE, value=scope))
    builder.adjust(1)
    await edit_in_place(callback, i18n.get("settings-notify-prompt"), builder.as_markup())


async def set_notify(
    callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext,
    city: CityConfig, resident: Resident, services: Services,
) -> None:
    if callback_data.value not in tuple(NotifyScope):
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await services.residents.set_notify(resident, callback_data.value)
    text, markup = _overview(i18n, city, resident)
    await edit_in_place(callback, text, markup, notice=i18n.get("settings-saved"))


def build_router() -> Router:
    router = Router(name="settings")
    router.message.middleware(end_pending_input)
    router.message.register(show_settings, LazyFilter("menu-settings"))
    router.callback_query.register(pick_language, SettingsCb.filter(F.action == SettingsAction.LANGUAGE))
    router.callback_query.register(pick_district, SettingsCb.filter(F.action == SettingsAction.PICK))
    router.callback_query.register(set_district, SettingsCb.filter(F.action == SettingsAction.DISTRICT))
    router.callback_query.register(pick_notify, SettingsCb.filter(F.action == SettingsAction.NOTIFY))
    router.callback_query.register(set_notify, SettingsCb.filter(F.action == SettingsAction.SCOPE))
    router.callback_query.register(back_to_overview, SettingsCb.filter(F.action == SettingsAction.OVERVIEW))
    router.callback_query.register(broadcast_settings.show_broadcasts,
                                   SettingsCb.filter(F.action == SettingsAction.BROADCASTS))
    router.callback_query.register(broadcast_settings.set_scope,
                                   SettingsCb.filter(F.action == SettingsAction.BROADCAST_SCOPE))
    router.callback_query.register(broadcast_settings.set_topic,
                                   SettingsCb.filter(F.action.in_({SettingsAction.TOPIC_ON, SettingsAction.TOPIC_OFF})))
    return router
