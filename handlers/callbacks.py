"""Callback data of every inline button. aiogram refuses payloads that do not unpack."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class FilingCb(CallbackData, prefix="f"):
    action: str
    value: str = ""


class CancelCb(CallbackData, prefix="x"):
    confirm: bool


class MyItemsCb(CallbackData, prefix="my"):
    action: str  # "page" or "open"
    page: int = 0
    item: int = 0


class SettingsCb(CallbackData, prefix="set"):
    action: str  # "lang", "district", "pick"
    value: str = ""
