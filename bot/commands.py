"""The command menu Telegram shows: the residents' commands, registered in every supported
language at start; and a role holder's own, queued by `sotong worker` (the outbox kind
`command_menu`, storage/services/command_menus.py) and rendered here."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.methods import DeleteMyCommands, SetMyCommands, TelegramMethod
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram_i18n import I18nMiddleware

from bot.i18n import default_locale
from bot.notices import Outgoing, renders
from storage.permissions import ROLE_COMMANDS
from storage.vocabulary import LANGUAGES, NoticeKind

COMMANDS = ("start", "menu", "browse", "search", "polls", "cancel", "language", "help")


def command_list(i18n: I18nMiddleware, locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=i18n.core.get(f"command-{name}", locale))
        for name in COMMANDS
    ]


async def register_commands(bot: Bot, i18n_middleware: I18nMiddleware) -> None:
    default = default_locale(i18n_middleware)
    scope = BotCommandScopeDefault()
    await bot.set_my_commands(command_list(i18n_middleware, default), scope=scope)
    for locale in LANGUAGES:
        await bot.set_my_commands(
            command_list(i18n_middleware, locale), scope=scope, language_code=locale
        )


@renders(NoticeKind.COMMAND_MENU)
def role_holders_menu(out: Outgoing) -> TelegramMethod[Any]:
    """Their roles' commands first (ROLE_COMMANDS' order), then everyone's; none: the default menu
    back. Set for their chat alone, in the language they chose in the bot."""
    scope = BotCommandScopeChat(chat_id=out.chat_id)
    granted = [name for name in ROLE_COMMANDS if name in out.args.get("commands", [])]
    if not granted:
        return DeleteMyCommands(scope=scope)
    commands = [BotCommand(command=name, description=out.texts(f"command-{name}")) for name in (*granted, *COMMANDS)]
    return SetMyCommands(commands=commands, scope=scope)
