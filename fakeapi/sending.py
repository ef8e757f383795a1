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
def _deliver(tg: FakeTelegram, chat: Chat, markup: dict | None, **fields: Any) -> dict:
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
    return _deliver(tg, chat, markup, **content)


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


# -- media (minimal: a photo by the file_id of one a resident sent, a map pin) ----------------
CAPTION_LIMIT = 1024


def _caption(raw: object) -> str | None:
    caption = str(raw) if raw else None
    if caption is not None and len(caption) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return caption


def _photo(tg: FakeTelegram, file_id: object) -> list[dict]:
    if not isinstance(file_id, str) or not file_id:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return [{"file_id": file_id, "file_unique_id": f"AQAD{abs(hash(file_id)) % 10**8}", "width": 800, "height": 600}]


@api_method("sendPhoto")
async def send_photo(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p, sending=True)
    markup = validate_markup(p.get("reply_markup"))
    return _deliver(tg, chat, markup, photo=_photo(tg, p.get("photo")), caption=_caption(p.get("caption")))


@api_method("sendMediaGroup")
async def send_media_group(tg: FakeTelegram, p: Params) -> list[dict]:
    chat = tg.chat_for(p, sending=True)
    media = p.get("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album: must be between 2 and 10")
    group = f"{chat.id}{len(chat.messages)}"
    return [_deliver(tg, chat, None, photo=_photo(tg, m.get("media")), caption=_caption(m.get("caption")),
                     media_group_id=group) for m in media]


@api_method("sendLocation")
async def send_location(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p, sending=True)
    latitude, longitude = p.get("latitude"), p.get("longitude")
    try:
        location = {"latitude": float(str(latitude)), "longitude": float(str(longitude))}
    except ValueError:
        raise bad_request("wrong latitude or longitude") from None
    return _deliver(tg, chat, validate_markup(p.get("reply_markup")), location=location)
