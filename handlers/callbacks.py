"""Callback data of every inline button. aiogram refuses payloads that do not unpack."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from storage.vocabulary import ReportTarget

# Bounded so that a forged number is refused when the data is unpacked (aiogram's filter then
# does not match and the stale-button answer is given) rather than reaching the database:
# ids are PostgreSQL integers, pages stay far below any offset that could overflow.
ItemId = Annotated[int, Field(ge=1, le=2_147_483_647)]
PageNo = Annotated[int, Field(ge=0, le=1_000_000)]


class ItemAction(StrEnum):
    CARD = "card"
    ENDORSE = "endorse"
    WITHDRAW = "withdraw"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    SHARE = "share"
    DISCUSS = "discuss"
    RETRACT = "retract"
    RETRACT_YES = "retract_yes"
    REPORT = "report"


class MineAction(StrEnum):
    PAGE = "page"
    OPEN = "open"
    ENDORSED = "endorsed"


class SettingsAction(StrEnum):
    LANG = "lang"
    LANGUAGE = "language"
    PICK = "pick"
    DISTRICT = "district"
    NOTIFY = "notify"  # shows the choices
    SCOPE = "scope"    # one chosen (value: a NotifyScope)


class BrowseAction(StrEnum):
    PAGE = "page"
    MENU = "menu"
    SET = "set"
    SEARCH = "search"
    CLEAR = "clear"


class DiscussAction(StrEnum):
    VIEW = "view"
    STANCE = "stance"
    SKIP = "skip"
    COMMENTS = "comments"
    REPORT = "report"  # pick one of the page's comments to report


class FilingAction(StrEnum):
    BACK = "back"
    CANCEL = "cancel"
    EDIT = "edit"
    KIND = "kind"
    CATEGORY = "category"
    DISTRICT = "district"
    DISTRICT_OTHER = "district_other"
    PHOTOS_DONE = "photos_done"
    PHOTOS_CLEAR = "photos_clear"
    LOCATION_DONE = "location_done"
    LOCATION_CLEAR = "location_clear"
    ANONYMOUS = "anonymous"
    SUBMIT = "submit"


class CardOrigin(StrEnum):
    """Where a card was opened from, so its Back button returns there. Single letters keep
    the callback data short."""

    NONE = ""
    BROWSE = "b"
    MINE = "m"
    ENDORSED = "e"


class FilingCb(CallbackData, prefix="f"):
    action: FilingAction
    value: str = ""


class SimilarCb(CallbackData, prefix="fs"):
    """A similar item offered under a filing preview."""

    item: ItemId


class CancelCb(CallbackData, prefix="x"):
    confirm: bool


class MyItemsCb(CallbackData, prefix="my"):
    action: MineAction
    page: PageNo = 0
    item: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0  # 0: none, for the list actions


class SettingsCb(CallbackData, prefix="set"):
    action: SettingsAction
    value: str = ""


class ItemCb(CallbackData, prefix="i"):
    action: ItemAction
    item: ItemId
    back: CardOrigin = CardOrigin.NONE
    page: PageNo = 0


class BrowseCb(CallbackData, prefix="b"):
    action: BrowseAction
    field: str = ""  # sort, district, category, kind, stage
    value: str = ""
    page: PageNo = 0


class DiscussCb(CallbackData, prefix="d"):
    action: DiscussAction
    item: ItemId
    value: str = ""
    page: PageNo = 0


class ReplyCb(CallbackData, prefix="rp"):
    """Reply under a department's answer (only its filer may): the answer's id."""

    answer: ItemId


class FollowupCb(CallbackData, prefix="fu"):
    """The filer's answer to "Is it fixed?"."""

    item: ItemId
    fixed: bool


class ReportCb(CallbackData, prefix="rep"):
    """Report an item or a comment (stances.id); without a reason: ask for one."""

    target: ReportTarget
    id: ItemId
    reason: str = ""
