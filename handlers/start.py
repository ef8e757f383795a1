"""First contact, the main menu, help and language."""

from __future__ import annotations

import re
from typing import ClassVar

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext, LazyFilter

from bot.services import Services
from handlers.callbacks import SettingsAction, SettingsCb
from handlers.card import SHARE_PREFIX, send_card
from handlers.keyboards import main_menu
from handlers.pending_input import end_pending_input
from handlers.replies import edit_in_place, pressed
from handlers.state import Section
from storage.city import CityConfig
from storage.models import Resident
from storage.services.officials_admin import INVITE_PREFIX, Acceptance, InviteOutcome
from storage.vocabulary import LANGUAGES, Role


class ShareState(Section):
    """A shared card a newcomer opened: shown once they have picked their language."""

    key: ClassVar[str] = "share"
    item: int | None = None


async def start(message: Message, i18n: I18nContext, city: CityConfig, resident: Resident, services: Services,
                new_resident: bool = False) -> None:
    key = "start-welcome" if new_resident else "start-welcome-back"
    if not new_resident:
        await services.command_menus.after_start(resident)
        await services.end_transactions()
    await message.answer(
        i18n.get(key, city=city.city.name(i18n.locale)),
        reply_markup=main_menu(i18n),
    )


LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def start_with_link(
    message: Message, command: CommandObject, state: FSMContext, i18n: I18nContext, city: CityConfig,
    resident: Resident, services: Services, new_resident: bool = False,
) -> None:
    """A shared card link. Someone new first picks a language, then lands on the card."""
    args = command.args or ""
    token = args[len(SHARE_PREFIX):] if args.startswith(SHARE_PREFIX) else ""
    if not LINK_TOKEN.fullmatch(token):  # Telegram's alphabet of start parameters; NUL and the like never match
        token = ""
    item_id = await services.items.item_id_for_token(token) if token else None
    if item_id is None:
        await message.answer(i18n.get("start-link-invalid"), reply_markup=main_menu(i18n))
        return
    if new_resident:
        await ShareState(item=item_id).save(state)
        await message.answer(i18n.get("start-choose-language"), reply_markup=language_markup(i18n))
        return
    await send_card(message, services, i18n, city, resident, item_id)


async def open_invite(
    message: Message, command: CommandObject, i18n: I18nContext, city: CityConfig, resident: Resident,
    services: Services,
) -> None:
    """An invite link of `sotong officials invite`: the first to open it while valid gets its role."""
    token = command.args or ""
    if LINK_TOKEN.fullmatch(token):
        acceptance = await services.roles.accept(token, resident)
    else:
        acceptance = Acceptance(InviteOutcome.INVALID)
    await message.answer(invite_text(i18n, city, acceptance), reply_markup=main_menu(i18n))


def invite_text(i18n: I18nContext, city: CityConfig, acceptance: Acceptance) -> str:
    if acceptance.outcome is not InviteOutcome.JOINED:
        return i18n.get(INVITE_REFUSALS[acceptance.outcome])
    if acceptance.role is Role.OFFICIAL and acceptance.department is not None:
        return i18n.get("invite-welcome-official", department=acceptance.department.name(i18n.locale))
    role = acceptance.role.value if acceptance.role else Role.MODERATOR.value
    return i18n.get("invite-welcome-role", role=role, city=city.city.name(i18n.locale))


INVITE_REFUSALS = {
    InviteOutcome.ALREADY_YOURS: "invite-already-yours",
    InviteOutcome.USED: "invite-used",
    InviteOutcome.EXPIRED: "invite-expired",
    InviteOutcome.INVALID: "invite-invalid",
}


async def menu(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("menu-shown"), reply_markup=main_menu(i18n))


async def help_(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("help-text"), reply_markup=main_menu(i18n))


def language_name(i18n: I18nContext, locale: str) -> str:
    """Each language in its own words, so anyone can find theirs whatever is shown now."""
    return i18n.get(f"language-name-{locale}", locale)


def language_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for locale in LANGUAGES:
        builder.button(text=language_name(i18n, locale), callback_data=SettingsCb(action=SettingsAction.LANG, value=locale))
    builder.adjust(len(LANGUAGES))
    return builder.as_markup()


async def language(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("language-prompt"), reply_markup=language_markup(i18n))


async def set_language(
    callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext, state: FSMContext,
    city: CityConfig, resident: Resident, services: Services,
) -> None:
    if callback_data.value not in LANGUAGES:
        await callback.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await services.residents.set_language(resident, callback_data.value)
    pending_item = (await ShareState.load(state)).item
    with i18n.use_locale(callback_data.value):
        await edit_in_place(callback, i18n.get("language-set"))
        message = pressed(callback)
        await message.answer(i18n.get("menu-shown"), reply_markup=main_menu(i18n))
        if pending_item:
            await ShareState.drop(state)
            await send_card(message, services, i18n, city, resident, pending_item)


def build_router() -> Router:
    router = Router(name="start")
    router.message.middleware(end_pending_input)
    router.message.register(open_invite, CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX)))
    router.message.register(start_with_link, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    router.message.register(menu, Command("menu"))
    router.message.register(help_, Command("help"))
    router.message.register(help_, LazyFilter("menu-help"))
    router.message.register(language, Command("language"))
    router.callback_query.register(set_language, SettingsCb.filter(F.action == SettingsAction.LANG))
    return router
