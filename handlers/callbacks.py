"""Callback data of every inline button. aiogram refuses payloads that do not unpack."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from storage.rules import POLL_OPTIONS_MAX
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
    OVERVIEW = "overview"  # back to the settings overview
    BROADCASTS = "bc"      # Settings › Broadcasts: shows the choices
    BROADCAST_SCOPE = "bscope"  # one chosen (value: a BroadcastScope)
    TOPIC_ON = "t_on"      # value: a topic code of the city file; states the wanted end, so a
    TOPIC_OFF = "t_off"    # stale button pressed twice does not flip it back


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


class PollAction(StrEnum):
    """"Asking Citizens". Single letters keep the callback data short."""

    ANSWER = "a"  # a resident taps an option (position)
    OPEN = "o"    # a poll from the list, or a closed poll's button
    LIST = "l"    # back to the list of open polls
    STATS = "s"   # an admin's live counts (refresh)
    CLOSE = "c"   # an admin asks to close it now …
    CLOSE_YES = "y"  # … and confirms


class PollCb(CallbackData, prefix="pl"):
    action: PollAction
    poll: ItemId
    # An option's position (1 to POLL_OPTIONS_MAX; 0 where the action takes none). A forged
    # position beyond is refused when the data is unpacked; one the poll lacks, by the service.
    position: Annotated[int, Field(ge=0, le=POLL_OPTIONS_MAX)] = 0
    listed: bool = False  # opened from the list of open polls: the message gets a button back to it


class StatsAction(StrEnum):
    PERIOD = "p"  # the charts of a period
    CSV = "c"     # the CSV of the period the charts showed


class StatsCb(CallbackData, prefix="st"):
    """/stats: a period in days (the handler accepts only the offered ones) and, for the CSV,
    the end of the period the charts showed (Unix seconds), so that both give the same numbers."""

    action: StatsAction
    days: Annotated[int, Field(ge=1, le=3660)]
    until: Annotated[int, Field(ge=0, le=253_402_300_799)] = 0  # 0: now; at most 9999-12-31
