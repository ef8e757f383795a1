"""Bot API methods that create, edit or delete messages."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from .content import caption_text, inline_markup_only, message_text, validate_markup
from .params import Params, UploadedFile, bad_request
from .registry import api_method
from .state import Chat, FakeMessage, now

if TYPE_CHECKING:
    from .server import FakeTelegram

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_media_groups = itertools.count(13_000_000_000_000_000)


# -- helpers ----------------------------------------------------------------
def _reply_to(chat: Chat, p: Params) -> int | None:
    params = p.get("reply_parameters")
    params = params if isinstance(params, dict) else {}
    message_id = params.get("message_id", p.get_int("reply_to_message_id"))
    if message_id is None:
        return None
    if chat.get(int(message_id)) is None:
        if params.get("allow_sending_without_reply") or p.get_bool("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return int(message_id)


def _deliver(tg: FakeTelegram, chat: Chat, markup: dict | None, **fields: Any) -> dict:
    msg = chat.add(from_bot=True, reply_markup=markup, **fields)
    tg.apply_reply_keyboard(chat, markup)
    tg.emit("message", chat, msg)
    return chat.message_dict(msg)


def _photo_sizes(tg: FakeTelegram, value: UploadedFile | str | None) -> list[dict]:
    if isinstance(value, UploadedFile):
        return tg.files.new_photo(value.content)
    if not value:
        raise bad_request("there is no photo in the request")
    stored = tg.files.by_id.get(value)
    if stored is not None:
        if stored.photo_sizes is None:
            raise bad_request(f"can't use file of type {stored.kind.title()} as Photo")
        return [dict(size) for size in stored.photo_sizes]
    if value.startswith(("http://", "https://")):
        return tg.files.new_photo()
    raise bad_request("wrong file identifier/HTTP URL specified")


def _document(tg: FakeTelegram, value: UploadedFile | str | None) -> dict:
    if isinstance(value, UploadedFile):
        name = value.filename or "document"
        ext = name.rsplit(".", 1)[-1] if "." in name else "bin"
        stored = tg.files.new("document", value.content, ext=ext)
        stored.meta = {"file_name": name, "mime_type": value.content_type or "application/octet-stream"}
        return stored.descriptor()
    if not value:
        raise bad_request("there is no document in the request")
    stored = tg.files.by_id.get(value)
    if stored is not None:
        return stored.descriptor()
    if value.startswith(("http://", "https://")):
        stored = tg.files.new("document")
        stored.meta = {"file_name": value.rsplit("/", 1)[-1] or "document"}
        return stored.descriptor()
    raise bad_request("wrong file identifier/HTTP URL specified")


def _caption(p: Params, source: dict | None = None) -> dict:
    src = source if source is not None else p
    return caption_text(src.get("caption"), src.get("parse_mode"), src.get("caption_entities"))


# -- sending ----------------------------------------------------------------
@api_method("sendMessage")
async def send_message(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p, sending=True)
    content = message_text(p)
    markup = validate_markup(p.get("reply_markup"))
    return _deliver(tg, chat, markup, reply_to_message_id=_reply_to(chat, p), **content)


@api_method("sendPhoto")
async def send_photo(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p, sending=True)
    caption, markup = _caption(p), validate_markup(p.get("reply_markup"))
    photo = _photo_sizes(tg, p.resolve_file(p.get("photo")))
    return _deliver(tg, chat, markup, photo=photo, reply_to_message_id=_reply_to(chat, p), **caption)


@api_method("sendDocument")
async def send_document(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p, sending=True)
    caption, markup = _caption(p), validate_markup(p.get("reply_markup"))
    document = _document(tg, p.resolve_file(p.get("document")))
    return _deliver(tg, chat, markup, document=document, reply_to_message_id=_reply_to(chat, p),
                    **caption)


@api_method("sendLocation")
async def send_location(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p, sending=True)
    lat, lon = p.get_float("latitude"), p.get_float("longitude")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise bad_request("wrong latitude or longitude specified")
    markup = validate_markup(p.get("reply_markup"))
    location = {"latitude": lat, "longitude": lon}
    return _deliver(tg, chat, markup, location=location, reply_to_message_id=_reply_to(chat, p))


def _media_item(tg: FakeTelegram, p: Params, item: Any) -> dict:
    if not isinstance(item, dict) or "media" not in item:
        raise bad_request("can't parse InputMedia: media not found")
    caption = _caption(p, item)
    media = p.resolve_file(item["media"])
    if item.get("type") == "photo":
        return {"photo": _photo_sizes(tg, media), **caption}
    if item.get("type") == "document":
        return {"document": _document(tg, media), **caption}
    raise bad_request(f"fake Bot API does not support media type {item.get('type')!r}")


@api_method("sendMediaGroup")
async def send_media_group(tg: FakeTelegram, p: Params) -> list[dict]:
    chat = tg.chat_for(p, sending=True)
    media = p.get("media")
    if not isinstance(media, list) or not media:
        raise bad_request('parameter "media" is required')
    if not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album: must include 2-10 items")
    kinds = {item.get("type") for item in media if isinstance(item, dict)}
    if "document" in kinds and len(kinds) > 1:
        raise bad_request("document can't be mixed with other media types")
    items = [_media_item(tg, p, item) for item in media]
    reply_to, group_id = _reply_to(chat, p), str(next(_media_groups))
    return [_deliver(tg, chat, None, media_group_id=group_id, reply_to_message_id=reply_to, **item)
            for item in items]


# -- editing ----------------------------------------------------------------
def _editable(tg: FakeTelegram, p: Params) -> tuple[Chat, FakeMessage]:
    if p.get_str("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
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
    if msg.text is None:
        raise bad_request("there is no text in the message to edit")
    content = message_text(p)
    markup = inline_markup_only(p.get("reply_markup"))
    return _apply_edit(tg, chat, msg, markup, **content)


@api_method("editMessageCaption")
async def edit_message_caption(tg: FakeTelegram, p: Params) -> dict:
    chat, msg = _editable(tg, p)
    if msg.text is not None or msg.location is not None:
        raise bad_request("there is no caption in the message to edit")
    caption = _caption(p)
    markup = inline_markup_only(p.get("reply_markup"))
    return _apply_edit(tg, chat, msg, markup, **caption)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(tg: FakeTelegram, p: Params) -> dict:
    chat, msg = _editable(tg, p)
    markup = inline_markup_only(p.get("reply_markup"))
    return _apply_edit(tg, chat, msg, markup)


# -- deleting ---------------------------------------------------------------
def _delete(tg: FakeTelegram, chat: Chat, message_id: int | None) -> bool:
    msg = chat.get(message_id)
    if msg is None:
        return False
    before = msg.snapshot()
    msg.deleted = True
    tg.emit("delete", chat, before)
    return True


@api_method("deleteMessage")
async def delete_message(tg: FakeTelegram, p: Params) -> bool:
    chat = tg.chat_for(p)
    if not _delete(tg, chat, p.get_int("message_id")):
        raise bad_request("message to delete not found")
    return True


@api_method("deleteMessages")
async def delete_messages(tg: FakeTelegram, p: Params) -> bool:
    chat = tg.chat_for(p)
    ids = p.get("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message_ids must contain 1-100 message identifiers")
    results = [_delete(tg, chat, int(mid)) for mid in ids]
    return any(results)
