"""Callback data of the moderators' buttons."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from handlers.callbacks import ItemId
from storage.services.moderation import BanLength
from storage.vocabulary import ModerationDecision, ReportTarget


class Choice(StrEnum):
    RESTORE = "restore"
    KEEP = "keep"
    BAN_DAY = "day"
    BAN_WEEK = "week"
    BAN_FOREVER = "ever"


# What each button asks of the moderation service.
CHOICES: dict[Choice, tuple[ModerationDecision, BanLength | None]] = {
    Choice.RESTORE: (ModerationDecision.RESTORE, None),
    Choice.KEEP: (ModerationDecision.KEEP_HIDDEN, None),
    Choice.BAN_DAY: (ModerationDecision.BAN, BanLength.DAY),
    Choice.BAN_WEEK: (ModerationDecision.BAN, BanLength.WEEK),
    Choice.BAN_FOREVER: (ModerationDecision.BAN, BanLength.FOREVER),
}


class ModCb(CallbackData, prefix="mod"):
    choice: Choice
    target: ReportTarget
    id: ItemId
