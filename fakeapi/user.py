"""FakeUser: the resident side of one private chat."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Union

from .htmltext import utf16_len
from .state import BotEvent, Chat, FakeMessage, keyboard_buttons, pick_button

if TYPE_CHECKING:
    from .server import FakeTelegram

Matcher = Union[str, re.Pattern, Callable[[FakeMessage], bool]]
COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,})?(?=\s|$)")
_callback_ids = itertools.count(1)
_media_groups = itertools.count(14_000_000_000_000_000)


def _matches(event: BotEvent, wanted: Matcher) -> bool:
    if callable(wanted):
        return event.message is not None and bool(wanted(event.message))
    body = event.message.body if event.message is not None else ""
    if isinstance(wanted, re.Pattern):
        return wanted.search(body) is not None
    return wanted in body


def _describe(event: BotEvent) -> str:
    if event.kind == "callback_answer":
        return f"callback_answer {event.callback_answer}"
    msg = event.message
    buttons = f" buttons={msg.button_texts()}" if msg and msg.button_texts() else ""
    return f"{event.kind} #{msg.message_id if msg else '?'}: {msg.body if msg else ''!r}{buttons}"


class FakeUser:
    def __init__(self, tg: FakeTelegram, chat: Chat) -> None:
        self._tg = tg
        self._chat = chat

    # -- identity -----------------------------------------------------------
    @property
    def id(self) -> int:
        return self._chat.user["id"]

    @property
    def chat_id(self) -> int:
        return self._chat.id

    @property
    def reply_keyboard(self) -> dict | None:
        return self._chat.reply_keyboard

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, chat_id={self.chat_id})"

    # -- sending ------------------------------------------------------------
    def _send(self, **fields: Any) -> FakeMessage:
        msg = self._chat.add(from_bot=False, **fields)
        self._tg.push_update("message", self._chat.message_dict(msg))
        return msg.snapshot()

    async def send_text(self, text: str) -> FakeMessage:
        match = COMMAND_RE.match(text)
        entities = None
        if match:
            entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]
        return self._send(text=text, entities=entities)

    async def open_link(self, start_param: str) -> FakeMessage:
        return await self.send_text(f"/start {start_param}")

    async def send_photo(self, caption: str | None = None,
                         media_group_id: str | None = None) -> FakeMessage:
        photo = self._tg.files.new_photo()
        return self._send(photo=photo, caption=caption or None, media_group_id=media_group_id)

    async def send_album(self, count: int, caption: str | None = None) -> list[FakeMessage]:
        group = str(next(_media_groups))
        return [await self.send_photo(caption if i == 0 else None, media_group_id=group)
                for i in range(count)]

    async def send_location(self, latitude: float, longitude: float) -> FakeMessage:
        return self._send(location={"latitude": latitude, "longitude": longitude})

    async def send_sticker(self) -> FakeMessage:
        stored = self._tg.files.new("sticker")
        sticker = {**stored.descriptor(), "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "emoji": "\U0001F600"}
        return self._send(sticker=sticker)

    async def send_voice(self) -> FakeMessage:
        stored = self._tg.files.new("voice")
        return self._send(voice={**stored.descriptor(), "duration": 3, "mime_type": "audio/ogg"})

    async def send_document(self, file_name: str = "a.pdf") -> FakeMessage:
        stored = self._tg.files.new("document")
        mime = "application/pdf" if file_name.endswith(".pdf") else "application/octet-stream"
        return self._send(document={**stored.descriptor(), "file_name": file_name, "mime_type": mime})

    # -- buttons ------------------------------------------------------------
    def _inline_target(self, button: str | re.Pattern,
                       message: FakeMessage | None) -> tuple[FakeMessage, dict] | None:
        if message is not None:
            live = self._chat.get(message.message_id)
            if live is None:
                raise AssertionError(f"message #{message.message_id} no longer exists")
            candidates = [live]
        else:
            candidates = [m for m in reversed(self._chat.transcript()) if m.from_bot]
        for msg in candidates:
            found = pick_button([b for row in msg.inline_buttons() for b in row], button)
            if found is not None:
                return msg, found
        return None

    def _available_buttons(self) -> str:
        inline = [f"#{m.message_id}: {m.button_texts()}" for m in self._chat.transcript()
                  if m.from_bot and m.inline_buttons()]
        reply = [b.get("text") for b in keyboard_buttons(self._chat.reply_keyboard)]
        return f"inline: {inline or 'none'}; reply keyboard: {reply or 'none'}"

    async def press(self, button: str | re.Pattern, message: FakeMessage | None = None) -> FakeMessage:
        target = self._inline_target(button, message)
        if target is not None:
            return await self._press_inline(*target)
        reply_button = pick_button(keyboard_buttons(self._chat.reply_keyboard), button)
        if reply_button is not None:
            return await self._press_reply(reply_button)
        raise AssertionError(f"no button matching {button!r}; available {self._available_buttons()}")

    async def _press_inline(self, msg: FakeMessage, button: dict) -> FakeMessage:
        if "callback_data" in button:
            self._callback(msg, button["callback_data"])
            return msg.snapshot()
        raise ValueError(f"button {button.get('text')!r} has no callback_data ({button})")

    async def _press_reply(self, button: dict) -> FakeMessage:
        if button.get("request_location"):
            raise ValueError(f"{button['text']!r} requests a location: use send_location(lat, lon)")
        return await self.send_text(button["text"])

    def _callback(self, msg: FakeMessage, data: str) -> str:
        query_id = f"{self.id}{next(_callback_ids):08d}"
        self._tg.callbacks[query_id] = self._chat
        self._tg.push_update("callback_query", {
            "id": query_id,
            "from": dict(self._chat.user),
            "message": self._chat.message_dict(msg),
            "chat_instance": f"-{self.chat_id}{self._tg.bot_id}",
            "data": data,
        })
        return query_id

    async def press_data(self, data: str, message: FakeMessage) -> None:
        live = self._chat.get(message.message_id)
        if live is None:
            raise AssertionError(f"message #{message.message_id} no longer exists")
        self._callback(live, data)

    # -- observing the bot --------------------------------------------------
    async def _next_event(self, accept: Callable[[BotEvent], bool], timeout: float,
                          what: str) -> BotEvent:
        seen: list[BotEvent] = []
        try:
            async with asyncio.timeout(timeout):
                while True:
                    event = await self._chat.events.get()
                    seen.append(event)
                    if accept(event):
                        return event
        except TimeoutError:
            raise AssertionError(self._timeout_report(what, timeout, seen)) from None

    def _timeout_report(self, what: str, timeout: float, seen: Iterable[BotEvent]) -> str:
        events = "\n".join(f"  {_describe(e)}" for e in seen) or "  (none)"
        transcript = "\n".join(
            f"  {'bot' if m.from_bot else 'user'} #{m.message_id}: {m.body!r}"
            + (f" buttons={m.button_texts()}" if m.button_texts() else "")
            for m in self._chat.transcript()) or "  (empty)"
        return (f"user {self.id}: no {what} within {timeout}s.\n"
                f"Events seen:\n{events}\nChat transcript:\n{transcript}")

    async def expect(self, contains: Matcher, timeout: float = 5.0,
                     kinds: Iterable[str] = ("message", "edit")) -> FakeMessage | None:
        kinds = tuple(kinds)
        event = await self._next_event(
            lambda e: e.kind in kinds and _matches(e, contains), timeout,
            f"{'/'.join(kinds)} matching {contains!r}")
        return event.message

    async def expect_alert(self, timeout: float = 5.0) -> dict:
        event = await self._next_event(lambda e: e.kind == "callback_answer", timeout,
                                       "callback answer")
        return event.callback_answer or {}

    def drain(self) -> list[BotEvent]:
        events = []
        while not self._chat.events.empty():
            events.append(self._chat.events.get_nowait())
        return events

    def delete(self, message: FakeMessage) -> None:
        """The user deletes a message of their chat, as the app lets them (also the bot's, in a
        private chat). Telegram tells the bot nothing; its edits of it fail from then on."""
        found = self._chat.get(message.message_id)
        if found is None:
            raise AssertionError(f"no message {message.message_id} to delete in chat {self.chat_id}")
        found.deleted = True

    def messages(self) -> list[FakeMessage]:
        return [m.snapshot() for m in self._chat.transcript()]

    def last_bot_message(self) -> FakeMessage | None:
        bot_messages = [m for m in self._chat.transcript() if m.from_bot]
        return bot_messages[-1].snapshot() if bot_messages else None
