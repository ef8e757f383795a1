"""City broadcasts: composing one, its progress message with Pause, Resume and Cancel, and
how each broadcast message is rendered for the sender."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.broadcasts import compose, progress
from handlers.broadcasts.callbacks import BroadcastControl, ComposeAction, ComposeCb, ControlAction
from handlers.filters import When
from handlers.keyboards import typed_text
from handlers.pending_input import PendingInput


def build_router() -> Router:
    router = Router(name="broadcasts")
    router.message.register(compose.broadcast_command, Command("broadcast"))
    router.message.register(compose.text_typed, StateFilter(PendingInput.broadcast), typed_text)
    router.message.register(compose.not_text, StateFilter(PendingInput.broadcast), When(~F.text))
    actions: dict[ComposeAction, Callable[..., Awaitable[None]]] = {
        ComposeAction.START: compose.start_button, ComposeAction.SKIP_EN: compose.skip,
        ComposeAction.SKIP_PHOTO: compose.skip, ComposeAction.CONFIRM: compose.confirm,
        ComposeAction.EDIT: compose.edit_menu, ComposeAction.PREVIEW: compose.back_to_preview,
        ComposeAction.CANCEL: compose.cancel,
        **{action: compose.edit_step for action in compose.EDITS},
    }
    for action, handler in actions.items():
        router.callback_query.register(handler, ComposeCb.filter(F.action == action))
    controls: dict[ControlAction, Callable[..., Awaitable[None]]] = {
        ControlAction.PAUSE: progress.move, ControlAction.RESUME: progress.move,
        ControlAction.CANCEL: progress.ask_cancel, ControlAction.CANCEL_YES: progress.cancel,
        ControlAction.CANCEL_NO: progress.keep,
    }
    for control, handler in controls.items():
        router.callback_query.register(handler, BroadcastControl.filter(F.action == control))
    return router
