"""Translations: Fluent files in locales/<lang>/, the resident's language from their row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import User
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager

from storage.models import Resident
from storage.services.residents import language_from_telegram
from storage.vocabulary import LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


class ResidentLocaleManager(BaseManager):
    """The language stored on the resident's row; Telegram's language before there is one."""

    async def get_locale(
        self, resident: Resident | None = None, event_from_user: User | None = None
    ) -> str:
        if resident is not None:
            return resident.language
        code = event_from_user.language_code if event_from_user else None
        return language_from_telegram(code, self.default_locale or "ko")

    async def set_locale(self, locale: str, resident: Resident, services: Any) -> None:
        await services.residents.set_language(resident, locale)


def create_core(default_locale: str) -> FluentRuntimeCore:
    return FluentRuntimeCore(path=LOCALES_DIR / "{locale}", default_locale=default_locale)


def default_locale(i18n_middleware: I18nMiddleware) -> str:
    """The locale the middleware was created with (aiogram-i18n types it as optional)."""
    return i18n_middleware.core.default_locale or LANGUAGES[0]


def create_middleware(default_locale: str) -> I18nMiddleware:
    return I18nMiddleware(
        core=create_core(default_locale),
        manager=ResidentLocaleManager(default_locale=default_locale),
        default_locale=default_locale,
    )
