"""Callback data of the officials' buttons. Ids are bounded like handlers.callbacks' ones,
so a forged number is refused when unpacked; every action still checks the role in the
database when pressed."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from handlers.callbacks import ItemId, PageNo


class OfficialAction(StrEnum):
    """Short values: the data carries a department code of up to 24 characters too."""

    VIEW = "v"
    ACKNOWLEDGE = "a"
    ANSWER = "n"
    TRANSFER = "t"        # choose the department (page by page)
    TRANSFER_TO = "tt"    # this department: now the note
    DECLINE = "d"
    STATUS = "s"          # choose the stage
    STATUS_TO = "st"      # this stage: now the note
    SKIP_NOTE = "k"       # set the stage without a note


class OfficialCb(CallbackData, prefix="o"):
    action: OfficialAction
    assignment: ItemId
    value: str = ""  # a department code or a stage, checked by the service
    page: PageNo = 0


class InboxCb(CallbackData, prefix="ob"):
    page: PageNo = 0
