"""Callback data of every inline button. aiogram refuses payloads that do not unpack."""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Bounded so that a forged number is refused when the data is unpacked (aiogram's filter then
# does not match and the stale-button answer is given) rather than reaching the database:
# ids are PostgreSQL integers, pages stay far below any offset that could overflow.
ItemId = Annotated[int, Field(ge=1, le=2_147_483_647)]
PageNo = Annotated[int, Field(ge=0, le=1_000_000)]


class FilingCb(CallbackData, prefix="f"):
    action: str
    value: str = ""


class SimilarCb(CallbackData, prefix="fs"):
    """A similar item offered under a filing preview."""

    item: ItemId


class CancelCb(CallbackData, prefix="x"):
    confirm: bool


class MyItemsCb(CallbackData, prefix="my"):
    action: str  # "page" or "open"
    page: PageNo = 0
    item: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0  # 0: none, for the list actions


class SettingsCb(CallbackData, prefix="set"):
    action: str  # "lang", "district", "pick"
    value: str = ""


class ItemCb(CallbackData, prefix="i"):
    # card, endorse, withdraw, follow, unfollow, share, discuss
    action: str
    item: ItemId
    back: str = ""  # where the card was opened from: b(rowse), m(ine), e(ndorsed)
    page: PageNo = 0


class BrowseCb(CallbackData, prefix="b"):
    action: str  # page, menu, set, search, clear
    field: str = ""  # sort, district, category, kind, stage
    value: str = ""
    page: PageNo = 0


class DiscussCb(CallbackData, prefix="d"):
    action: str  # view, stance, skip, comments
    item: ItemId
    value: str = ""
    page: PageNo = 0
