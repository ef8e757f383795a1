"""The command menu Telegram shows, registered in every supported language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeDefault
from aiogram_i18n import I18nMiddleware

from bot.i18n import default_locale
from storage.vocabulary import LANGUAGES

COMMANDS = ("start", "menu", "browse", "search", "cancel", "language", "help")


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
