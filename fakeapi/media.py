"""Bot API methods that send photos, albums and map pins."""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING, Any

from aiohttp.web import FileField

from .content import caption_text, validate_markup
from .params import Params, bad_request
from .registry import api_method
from .sending import deliver

if TYPE_CHECKING:
    from .server import FakeTelegram

WRONG_FILE = "wrong file identifier/HTTP URL specified"
ALBUM_SIZE = (2, 10)
PHOTO_BYTES = 10 * 1024 * 1024  # an uploaded photo, as Telegram takes it
DOCUMENT_BYTES = 50 * 1024 * 1024
PHOTO_SIDES = 10_000  # width + height at most
PHOTO_RATIO = 20  # the longer side at most this many times the shorter
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_albums = itertools.count(1)


def _photo(tg: FakeTelegram, p: Params, value: Any) -> list[dict]:
    """A photo by file_id (one Telegram already has: a resident's), or uploaded with the call."""
    if isinstance(value, str) and value.startswith("attach://"):
        value = p.get(value.removeprefix("attach://"))
    if isinstance(value, FileField):
        return tg.files.new_photo(upload=checked_photo(value.file.read()))
    sizes = tg.files.photos.get(str(value or ""))
    if sizes is None:
        raise bad_request(WRONG_FILE)
    return [dict(size) for size in sizes]


def checked_photo(content: bytes) -> bytes:
    """Telegram's limits of an uploaded photo: its size, and for a PNG its dimensions."""
    if len(content) > PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    if content.startswith(PNG_SIGNATURE) and len(content) >= 24:
        width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
        if not width or not height or width + height > PHOTO_SIDES or max(width, height) > PHOTO_RATIO * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return content


@api_method("sendPhoto")
async def send_photo(tg: FakeTelegram, p: Params) -> dict:
    caption = caption_text(p.get_str("caption"), p.get_str("parse_mode"), p.get("caption_entities"))
    photo = _photo(tg, p, p.get("photo"))
    markup = validate_markup(p.get("reply_markup"))
    chat = tg.chat_for(p, sending=True)
    return deliver(tg, chat, markup, photo=photo, **caption)


def _album_items(p: Params) -> list[dict]:
    raw = p.get("media")
    try:
        media = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise bad_request("can't parse media JSON object") from None
    if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
        raise bad_request("can't parse media JSON object")
    low, high = ALBUM_SIZE
    if not low <= len(media) <= high:
        raise bad_request(f"wrong number of media in the album: {low} to {high} expected")
    if any(item.get("type") != "photo" for item in media):
        raise bad_request("the fake Bot API sends albums of photos only")
    return media


@api_method("sendMediaGroup")
async def send_media_group(tg: FakeTelegram, p: Params) -> list[dict]:
    items = _album_items(p)
    contents = [{"photo": _photo(tg, p, item.get("media")),
                 **caption_text(item.get("caption"), item.get("parse_mode"), item.get("caption_entities"))}
                for item in items]
    chat = tg.chat_for(p, sending=True)
    group = f"album{next(_albums)}"
    return [deliver(tg, chat, None, media_group_id=group, **content) for content in contents]


def _coordinate(p: Params, name: str, bound: float) -> float:
    try:
        value = float(p.get(name))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be of type Float') from None
    if not -bound <= value <= bound:
        raise bad_request(f"wrong {name} specified")
    return value


@api_method("getFile")
async def get_file(tg: FakeTelegram, p: Params) -> dict:
    """A file a resident sent, with the path to download it from (`/file/bot<token>/<path>`)."""
    file_id = p.get_str("file_id") or ""
    size = tg.files.size_of(file_id)
    if size is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    return {"file_id": file_id, "file_unique_id": size["file_unique_id"],
            "file_size": len(tg.files.content(file_id)), "file_path": tg.files.path_for(file_id)}


@api_method("sendDocument")
async def send_document(tg: FakeTelegram, p: Params) -> dict:
    caption = caption_text(p.get_str("caption"), p.get_str("parse_mode"), p.get("caption_entities"))
    value = p.get("document")
    if isinstance(value, str) and value.startswith("attach://"):
        value = p.get(value.removeprefix("attach://"))
    if not isinstance(value, FileField):
        raise bad_request("the fake Bot API takes uploaded documents only")
    content = value.file.read()
    if not content:
        raise bad_request("file must be non-empty")
    if len(content) > DOCUMENT_BYTES:
        raise bad_request("file is too big")
    stored = tg.files.new("document", len(content))
    tg.files.uploads[stored.file_id] = content
    document = {**stored.descriptor(), "file_name": value.filename, "mime_type": value.content_type}
    markup = validate_markup(p.get("reply_markup"))
    chat = tg.chat_for(p, sending=True)
    return deliver(tg, chat, markup, document=document, **caption)


@api_method("sendLocation")
async def send_location(tg: FakeTelegram, p: Params) -> dict:
    location = {"latitude": _coordinate(p, "latitude", 90), "longitude": _coordinate(p, "longitude", 180)}
    markup = validate_markup(p.get("reply_markup"))
    chat = tg.chat_for(p, sending=True)
    return deliver(tg, chat, markup, location=location)
