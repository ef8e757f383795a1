"""What officials see and do in the chat: the push's buttons, the official view, /inbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.filters import When
from handlers.keyboards import typed_text
from handlers.officials import actions, inbox, typed
from handlers.officials.callbacks import InboxCb, OfficialAction, OfficialCb
from handlers.pending_input import PendingInput


def build_router() -> Router:
    router = Router(name="officials")
    router.message.register(inbox.inbox_command, Command("inbox"))
    router.message.register(typed.text_typed, StateFilter(PendingInput.official), typed_text)
    router.message.register(typed.not_text, StateFilter(PendingInput.official), When(~F.text))
    router.callback_query.register(inbox.inbox_page, InboxCb.filter())
    handlers: dict[OfficialAction, Callable[..., Awaitable[None]]] = {
        OfficialAction.VIEW: actions.view, OfficialAction.ACKNOWLEDGE: actions.acknowledge,
        OfficialAction.ANSWER: actions.ask_for_text, OfficialAction.TRANSFER: actions.transfer,
        OfficialAction.TRANSFER_TO: actions.transfer_to, OfficialAction.DECLINE: actions.ask_for_text,
        OfficialAction.STATUS: actions.choose_status, OfficialAction.STATUS_TO: actions.status_to,
        OfficialAction.SKIP_NOTE: actions.skip_note,
    }
    for action, handler in handlers.items():
        router.callback_query.register(handler, OfficialCb.filter(F.action == action))
    return router
