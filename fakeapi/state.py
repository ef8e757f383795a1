"""In-memory state of the fake Bot API: messages, chats, residents' files and the update queue."""

from __future__ import annotations

import asyncio
import copy
import itertools
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any


def now() -> int:
    return int(time.time())


def _match_text(text: str, wanted: str | re.Pattern) -> bool:
    if isinstance(wanted, re.Pattern):
        return wanted.search(text) is not None
    return wanted in text


def pick_button(buttons: list[dict], wanted: str | re.Pattern) -> dict | None:
    """Exact text match first, then substring / regex search."""
    if isinstance(wanted, str):
        for button in buttons:
            if button.get("text") == wanted:
                return button
    for button in buttons:
        if _match_text(button.get("text", ""), wanted):
            return button
    return None


def keyboard_buttons(markup: dict | None) -> list[dict]:
    """Flat list of reply-keyboard buttons (plain strings become {"text": s})."""
    rows = (markup or {}).get("keyboard") or []
    return [b if isinstance(b, dict) else {"text": str(b)} for row in rows for b in row]


@dataclass
class FakeMessage:
    """The current state of one message in a chat (bot-sent or user-sent)."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str | None = None
    html: str | None = None  # the text as the bot sent it, before HTML parsing
    caption: str | None = None
    photo: list[dict] | None = None
    location: dict | None = None
    media_group_id: str | None = None
    reply_markup: dict | None = None
    deleted: bool = False
    edited: bool = False
    entities: list[dict] | None = None
    caption_entities: list[dict] | None = None
    document: dict | None = None
    sticker: dict | None = None
    voice: dict | None = None
    date: int = field(default_factory=now)
    edit_date: int | None = None

    @property
    def body(self) -> str:
        return self.text or self.caption or ""

    def inline_buttons(self) -> list[list[dict]]:
        return [list(row) for row in (self.reply_markup or {}).get("inline_keyboard") or []]

    def button_texts(self) -> list[str]:
        inline = [b.get("text", "") for row in self.inline_buttons() for b in row]
        return inline or [b.get("text", "") for b in keyboard_buttons(self.reply_markup)]

    def snapshot(self) -> FakeMessage:
        return copy.deepcopy(self)

    def content_dict(self) -> dict:
        """Content fields of the Bot API Message object (no ids, chat, sender)."""
        out: dict[str, Any] = {}
        for name in ("text", "entities", "caption", "caption_entities", "photo", "location",
                     "document", "sticker", "voice", "media_group_id"):
            value = getattr(self, name)
            if value:
                out[name] = copy.deepcopy(value)
        markup = self.reply_markup or {}
        if markup.get("inline_keyboard"):
            out["reply_markup"] = {"inline_keyboard": copy.deepcopy(markup["inline_keyboard"])}
        if self.edit_date:
            out["edit_date"] = self.edit_date
        return out


@dataclass
class BotEvent:
    """Something the bot did in a chat."""

    kind: str  # "message" | "edit" | "delete" | "callback_answer"
    chat_id: int
    message: FakeMessage | None = None
    callback_answer: dict | None = None


class Chat:
    """A private chat between the bot and one resident, or a group seen by one member."""

    def __init__(self, user: dict, bot_user: dict, group: dict | None = None) -> None:
        self.group = group  # Bot API Chat object of a group, supergroup or channel
        self.id: int = group["id"] if group else user["id"]
        self.user = user  # Bot API User object of the resident
        self.bot_user = bot_user
        self.messages: dict[int, FakeMessage] = {}
        self._ids = itertools.count(1)
        self.blocked = False
        self.reply_keyboard: dict | None = None
        self.events: asyncio.Queue[BotEvent] = asyncio.Queue()

    def chat_dict(self) -> dict:
        if self.group:
            return dict(self.group)
        keys = ("first_name", "last_name", "username")
        out = {"id": self.id, "type": "private"}
        out.update({k: self.user[k] for k in keys if self.user.get(k)})
        return out

    def add(self, from_bot: bool, **fields: Any) -> FakeMessage:
        msg = FakeMessage(message_id=next(self._ids), chat_id=self.id, from_bot=from_bot, **fields)
        self.messages[msg.message_id] = msg
        return msg

    def get(self, message_id: int | None) -> FakeMessage | None:
        msg = self.messages.get(message_id) if message_id is not None else None
        return msg if msg is not None and not msg.deleted else None

    def transcript(self) -> list[FakeMessage]:
        return [m for m in self.messages.values() if not m.deleted]

    def message_dict(self, msg: FakeMessage) -> dict:
        out = {
            "message_id": msg.message_id,
            "from": dict(self.bot_user if msg.from_bot else self.user),
            "chat": self.chat_dict(),
            "date": msg.date,
        }
        out.update(msg.content_dict())
        return out


@dataclass
class StoredFile:
    """A file a resident sent; the bot keeps its ids and never downloads it."""

    file_id: str
    file_unique_id: str
    size: int

    def descriptor(self) -> dict:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": self.size}


_PHOTO_SIZES = ((90, 67), (320, 240), (800, 600))


class FileStore:
    """Fresh file ids, unique like Telegram's, for what residents send; getFile and the file
    download serve each photo size as a few bytes of its own (`content`)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self.photos: dict[str, list[dict]] = {}  # any size's file_id -> all sizes of that photo
        self.uploads: dict[str, bytes] = {}  # any size's file_id -> the file the bot uploaded
        self.paths: dict[str, str] = {}  # a file_path getFile gave -> the file_id it is of

    def new(self, kind: str, size: int = 2048) -> StoredFile:
        n = next(self._counter)
        return StoredFile(
            file_id=f"{kind[:2].upper()}ACAgIAAxk{n:05d}{secrets.token_urlsafe(12)}",
            file_unique_id=f"AQAD{n:05d}{secrets.token_hex(3)}",
            size=size,
        )

    def new_photo(self, upload: bytes | None = None) -> list[dict]:
        """One photo as Telegram sends it: the same picture in several sizes. Its file ids are
        remembered, so the bot can send the photo again by any of them; the bytes of a photo
        the bot uploaded are kept under every size's id."""
        sizes = [{**self.new("photo", width * height // 10).descriptor(), "width": width, "height": height}
                 for width, height in _PHOTO_SIZES]
        for size in sizes:
            self.photos[size["file_id"]] = sizes
            if upload is not None:
                self.uploads[size["file_id"]] = upload
        return copy.deepcopy(sizes)

    def size_of(self, file_id: str) -> dict | None:
        return next((dict(size) for size in self.photos.get(file_id, []) if size["file_id"] == file_id), None)

    def path_for(self, file_id: str) -> str:
        """Where getFile says the file is (Telegram's paths look like photos/file_12.jpg)."""
        size = self.size_of(file_id)
        assert size is not None
        path = f"photos/file_{size['file_unique_id']}.jpg"
        self.paths[path] = file_id
        return path

    @staticmethod
    def content(file_id: str) -> bytes:
        """The bytes of a file: a JPEG's start and end markers around its id, enough to tell
        one photo from another."""
        return b"\xff\xd8\xff\xe0" + file_id.encode() + b"\xff\xd9"


_NOT_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}


class UpdateQueue:
    """Pending updates plus long-poll wake-ups."""

    def __init__(self) -> None:
        self.updates: list[dict] = []
        self._ids = itertools.count(1)
        self._wakeup = asyncio.Event()
        self.allowed: list[str] | None = None  # None: Telegram default set of update types
        self.closing = False

    def push(self, kind: str, payload: dict) -> dict:
        update = {"update_id": next(self._ids), kind: payload}
        self.updates.append(update)
        self.notify()
        return update

    def notify(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def remove(self, update_id: int) -> None:
        self.updates = [u for u in self.updates if u["update_id"] != update_id]

    def allows(self, update: dict) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self.allowed:
            return kind in self.allowed
        return kind not in _NOT_DEFAULT

    def pending(self, limit: int) -> list[dict]:
        """Undelivered updates; updates of types not allowed are dropped."""
        self.updates = [u for u in self.updates if self.allows(u)]
        return copy.deepcopy(self.updates[:limit])

    async def wait(self, timeout: float) -> None:
        event = self._wakeup
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except asyncio.TimeoutError:
            pass
