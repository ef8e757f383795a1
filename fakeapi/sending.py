"""Bot API methods that create, edit or delete messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .content import inline_markup_only, message_text, validate_markup
from .params import Params, bad_request
from .registry import api_method
from .state import Chat, FakeMessage, now

if TYPE_CHECKING:
    from .server import FakeTelegram

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


# -- helpers ----------------------------------------------------------------
def deliver(tg: FakeTelegram, chat: Chat, markup: dict | None, **fields: Any) -> dict:
    msg = chat.add(from_bot=True, reply_markup=markup, **fields)
    tg.apply_reply_keyboard(chat, markup)
    tg.emit("message", chat, msg)
    return chat.message_dict(msg)


# -- sending ----------------------------------------------------------------
@api_method("sendMessage")
async def send_message(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p, sending=True)
    content = message_text(p)
    markup = validate_markup(p.get("reply_markup"))
    return deliver(tg, chat, markup, **content)


# -- editing ----------------------------------------------------------------
def _editable(tg: FakeTelegram, p: Params) -> tuple[Chat, FakeMessage]:
    chat = tg.chat_for(p)
    message_id = p.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    msg = chat.get(message_id)
    if msg is None:
        raise bad_request("message to edit not found")
    if not msg.from_bot:
        raise bad_request("message can't be edited")
    return chat, msg


def _inline(markup: dict | None) -> dict | None:
    return markup if markup and markup.get("inline_keyboard") else None


def _apply_edit(tg: FakeTelegram, chat: Chat, msg: FakeMessage, markup: dict | None,
                **fields: Any) -> dict:
    unchanged = all(getattr(msg, k) == v for k, v in fields.items() if k != "html")
    if unchanged and _inline(msg.reply_markup) == _inline(markup):
        raise bad_request(NOT_MODIFIED)
    for key, value in fields.items():
        setattr(msg, key, value)
    if markup is not None or _inline(msg.reply_markup) is not None:
        msg.reply_markup = _inline(markup)
    msg.edited, msg.edit_date = True, now()
    tg.emit("edit", chat, msg)
    return chat.message_dict(msg)


@api_method("editMessageText")
async def edit_message_text(tg: FakeTelegram, p: Params) -> dict:
    chat, msg = _editable(tg, p)
    content = message_text(p)
    markup = inline_markup_only(p.get("reply_markup"))
    return _apply_edit(tg, chat, msg, markup, **content)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(tg: FakeTelegram, p: Params) -> dict:
    chat, msg = _editable(tg, p)
    markup = inline_markup_only(p.get("reply_markup"))
    return _apply_edit(tg, chat, msg, markup)


# -- deleting ---------------------------------------------------------------
@api_method("deleteMessage")
async def delete_message(tg: FakeTelegram, p: Params) -> bool:
    chat = tg.chat_for(p)
    msg = chat.get(p.get_int("message_id"))
    if msg is None:
        raise bad_request("message to delete not found")
    before = msg.snapshot()
    msg.deleted = True
    tg.emit("delete", chat, before)
    return True
