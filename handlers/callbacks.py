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


class ItemCb(CallbackData, prefix="i"):
    # card, endorse, withdraw, follow, unfollow, share, discuss
    action: str
    item: int
    back: str = ""  # where the card was opened from: b(rowse), m(ine), e(ndorsed)
    page: int = 0


class BrowseCb(CallbackData, prefix="b"):
    action: str  # page, menu, set, search, clear
    field: str = ""  # sort, district, category, kind, stage
    value: str = ""
    page: int = 0


class DiscussCb(CallbackData, prefix="d"):
    action: str  # view, stance, skip, comments
    item: int
    value: str = ""
    page: int = 0
