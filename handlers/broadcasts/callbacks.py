"""Callback data of the broadcast composer's and the progress message's buttons. Every press
still asks the service, which reads who may in the database."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from handlers.callbacks import ItemId

# A preview's number within its draft: Confirm on an older preview is refused.
Version = Annotated[int, Field(ge=0, le=1_000_000)]


class ComposeAction(StrEnum):
    START = "new"  # the officials' tools button: same as /broadcast
    SKIP_EN = "se"  # no English text (residents get the Korean one)
    SKIP_PHOTO = "sp"  # no photo
    CONFIRM = "ok"
    EDIT = "ed"  # what to change
    EDIT_KO = "ek"
    EDIT_EN = "ee"
    EDIT_PHOTO = "ep"
    EDIT_AUDIENCE = "ea"
    PREVIEW = "pv"  # back to the preview, unchanged
    CANCEL = "no"  # drop the draft


class ComposeCb(CallbackData, prefix="bc"):
    action: ComposeAction
    version: Version = 0


class ControlAction(StrEnum):
    PAUSE = "p"
    RESUME = "r"
    CANCEL = "c"  # asks to confirm
    CANCEL_YES = "cy"
    CANCEL_NO = "cn"


class BroadcastControl(CallbackData, prefix="bk"):
    """The progress message's buttons (and Cancel's confirmation)."""

    action: ControlAction
    broadcast: ItemId
