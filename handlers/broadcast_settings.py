"""Settings › Broadcasts: which city broadcasts reach the resident, and the topics they pick.

What each choice lets through is storage/audience.py's rule; this screen only stores the
choice (residents.broadcasts and resident_topics, through the ResidentService). Status updates
about items they follow are not broadcasts: the screen says so and points to Notifications.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.services import Services
from handlers.callbacks import SettingsAction, SettingsCb
from handlers.replies import edit_in_place
from storage.city import CityConfig
from storage.models import Resident
from storage.vocabulary import BroadcastScope

# Each choice's button and the line that explains it (keys written out, for tests/test_locales.py).
SCOPE_BUTTONS = {
    BroadcastScope.ALL: "broadcast-settings-all",
    BroadcastScope.TOPICS: "broadcast-settings-topics",
    BroadcastScope.NONE: "broadcast-settings-none",
}
SCOPE_LINES = {
    BroadcastScope.ALL: "broadcast-settings-explain-all",
    BroadcastScope.TOPICS: "broadcast-settings-explain-topics",
    BroadcastScope.NONE: "broadcast-settings-explain-none",
}


def offered(city: CityConfig) -> tuple[BroadcastScope, ...]:
    """The choices this city offers: "only the topics I pick" only when it has topics."""
    return tuple(scope for scope in BroadcastScope if city.topics or scope != BroadcastScope.TOPICS)


def scope_name(i18n: I18nContext, scope: str) -> str:
    """The resident's choice as the overview shows it."""
    return i18n.get(SCOPE_BUTTONS[BroadcastScope(scope)])


def screen_text(i18n: I18nContext, city: CityConfig, resident: Resident, picked: set[str]) -> str:
    lines = [i18n.get("broadcast-settings-heading"), *(i18n.get(SCOPE_LINES[scope]) for scope in offered(city))]
    if resident.broadcasts == BroadcastScope.ALL and city.district(resident.district) is None:
        lines.append(i18n.get("broadcast-settings-no-district"))
    if city.topics:
        lines.append(i18n.get("broadcast-settings-topics-heading"))
        if resident.broadcasts == BroadcastScope.TOPICS and not any(city.topic(code) for code in picked):
            lines.append(i18n.get("broadcast-settings-no-topic-picked"))
    lines.append(i18n.get("broadcast-settings-not-notifications"))
    return "\n\n".join(lines)


def screen_markup(i18n: I18nContext, city: CityConfig, resident: Resident, picked: set[str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for scope in offered(city):
        mark = "• " if scope == resident.broadcasts else ""
        builder.button(text=mark + i18n.get(SCOPE_BUTTONS[scope]),
                       callback_data=SettingsCb(action=SettingsAction.BROADCAST_SCOPE, value=scope))
    for topic in city.topics:
        on = topic.code in picked
        builder.button(text=("✅ " if on else "⬜ ") + topic.name(i18n.locale),
                       callback_data=SettingsCb(action=SettingsAction.TOPIC_OFF if on else SettingsAction.TOPIC_ON,
                                                value=topic.code))
    builder.button(text=i18n.get("broadcast-settings-back"), callback_data=SettingsCb(action=SettingsAction.OVERVIEW))
    builder.adjust(*([1] * len(offered(city))), *([2] * ((len(city.topics) + 1) // 2)), 1)
    return builder.as_markup()


async def show_broadcasts(callback: CallbackQuery, i18n: I18nContext, city: CityConfig, resident: Resident,
                          services: Services, notice: str | None = None) -> None:
    picked = await services.residents.topics(resident)
    await edit_in_place(callback, screen_text(i18n, city, resident, picked), screen_markup(i18n, city, resident, picked),
                        notice=notice)


async def set_scope(callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext, city: CityConfig,
                    resident: Resident, services: Services) -> None:
    if callback_data.value not in offered(city):  # forged, or a choice this city no longer offers
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await services.residents.set_broadcasts(resident, callback_data.value)
    await show_broadcasts(callback, i18n, city, resident, services, notice=i18n.get("settings-saved"))


async def set_topic(callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext, city: CityConfig,
                    resident: Resident, services: Services) -> None:
    topic = city.topic(callback_data.value)
    if topic is None:  # forged, or a topic the city file no longer has
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await services.residents.choose_topic(resident, topic, wanted=callback_data.action == SettingsAction.TOPIC_ON)
    await show_broadcasts(callback, i18n, city, resident, services, notice=i18n.get("settings-saved"))
