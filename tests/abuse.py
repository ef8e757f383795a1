"""The bot's own dispatcher fed updates in memory, for the abuse suites (fuzzed input, forged
buttons, Telegram's errors): every call the bot makes is recorded and checked as Telegram would
check it, and can be made to fail as Telegram fails.

Updates go through `dp.feed_update` exactly as polling delivers them (every middleware, the
errors handler); the database is real (SQLite or PostgreSQL, migrated).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Callable
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendDocument,
    SendLocation,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, Message, PhotoSize, Update, User
from sqlalchemy import text as sql

from bot.app import build_dispatcher
from bot.settings import Settings
from bot.telegram_retry import RetryAfter
from fakeapi.htmltext import parse_html
from storage.city import load_city_config
from storage.database import create_engine, create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.migrate import upgrade
from storage.models import Resident
from storage.repositories.officials import OfficialsRepository
from storage.services.filing import FilingService
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import Role
from tests.harness import TEST_CITY

TEXT_LIMIT, CAPTION_LIMIT, CALLBACK_DATA_LIMIT, ALERT_LIMIT = 4096, 1024, 64, 200
SENDS = (SendMessage, SendPhoto, SendDocument, SendLocation)

# A fault: which calls it hits, and the exception Telegram's answer becomes (given the call).
Fault = tuple[Callable[[TelegramMethod], bool], Callable[[TelegramMethod], Exception]]


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Recorder(BaseSession):
    """Answers every request in memory after checking it against Telegram's limits; `faults`
    make chosen calls fail instead, once each."""

    def __init__(self) -> None:
        super().__init__()
        self.ids = itertools.count(1000)
        self.calls: list[TelegramMethod] = []
        self.faults: list[Fault] = []
        self.failed: list[TelegramMethod] = []
        self.attempts: list[TelegramMethod] = []  # every call, answered or failed, in order

    async def make_request(self, bot, method, timeout=None):  # type: ignore[no-untyped-def]
        self.attempts.append(method)
        for index, (hits, error) in enumerate(self.faults):
            if hits(method):
                del self.faults[index]
                self.failed.append(method)
                raise error(method)
        self._check(method)
        self.calls.append(method)
        if isinstance(method, SENDS):
            return self._message(method)
        if isinstance(method, SendMediaGroup):
            return [self._message(method) for _ in method.media]
        return True

    def _message(self, method: Any) -> Message:
        photo = [PhotoSize(file_id="sent-photo", file_unique_id="sent-photo-u", width=10, height=10)]
        return Message(message_id=next(self.ids), date=dt.datetime.now(dt.UTC),
                       chat=Chat(id=int(method.chat_id), type="private"), text=getattr(method, "text", None),
                       photo=photo if isinstance(method, SendPhoto) else None)

    def _check(self, method: Any) -> None:
        if isinstance(method, SendMessage | EditMessageText):
            plain, _ = parse_html(method.text)  # raises on HTML Telegram would refuse
            assert 0 < units(plain) <= TEXT_LIMIT, units(plain)
        if isinstance(method, SendPhoto | SendDocument) and method.caption:
            plain, _ = parse_html(method.caption)
            assert units(plain) <= CAPTION_LIMIT, units(plain)
        if isinstance(method, AnswerCallbackQuery) and method.text:
            assert len(method.text) <= ALERT_LIMIT, len(method.text)
        markup = getattr(method, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            for button in itertools.chain.from_iterable(markup.inline_keyboard):
                assert button.text and len((button.callback_data or "").encode()) <= CALLBACK_DATA_LIMIT

    def to_chat(self, chat_id: int, since: int = 0) -> list[TelegramMethod]:
        """The calls since `since` that speak in this chat (messages, edits, answers to its presses)."""
        return [m for m in self.calls[since:] if getattr(m, "chat_id", None) in (chat_id, str(chat_id))
                or isinstance(m, AnswerCallbackQuery)]

    def texts(self, since: int = 0) -> list[str]:
        out = []
        for method in self.calls[since:]:
            for attribute in ("text", "caption"):
                if isinstance(value := getattr(method, attribute, None), str):
                    out.append(value)
        return out

    async def close(self) -> None:
        pass

    async def stream_content(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise NotImplementedError


class Errors(logging.Handler):
    """Every ERROR the bot logs: a handler that failed (the errors handler logs each)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> Errors:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)

    def describe(self) -> str:
        record = self.records[0]
        return f"{record.getMessage()}: {record.exc_info[1]!r}" if record.exc_info else record.getMessage()


class World:
    """The bot's dispatcher on a migrated database, fed updates in memory."""

    def __init__(self, database_url: str, retry: bool = True) -> None:
        self.settings = Settings(_env_file=None, bot_token="123:TEST", database_url=database_url,
                                 city_config=TEST_CITY, default_locale="en", resident_cache_seconds=0)
        city = load_city_config(TEST_CITY)
        # No flood guard: these suites send one resident many updates on purpose.
        self.city = city.model_copy(update={"moderation": city.moderation.model_copy(update={"flood_updates": 10**6})})
        self.engine = create_engine(database_url)
        self.session_factory = create_session_factory(self.engine)
        self.session = Recorder()
        if retry:
            self.session.middleware(RetryAfter())
        self.bot = Bot("123:TEST", session=self.session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        self.dp = build_dispatcher(self.settings, self.city, self.session_factory)
        self.numbers = itertools.count(1)
        self.people = itertools.count(20_000)

    async def start(self) -> None:
        await upgrade(self.engine)
        await self.dp.emit_startup(bot=self.bot, bots=[self.bot], dispatcher=self.dp, **self.dp.workflow_data)

    async def close(self) -> None:
        await self.dp.emit_shutdown(bot=self.bot, bots=[self.bot], dispatcher=self.dp, **self.dp.workflow_data)
        await self.engine.dispose()

    # -- people -------------------------------------------------------------------------------
    def user(self, telegram_id: int | None = None, name: str = "Resident") -> User:
        return User(id=telegram_id or next(self.people), is_bot=False, first_name=name, language_code="en")

    async def resident(self, user: User, role: Role | None = None, department: str | None = None) -> Resident:
        async with self.session_factory() as session:
            resident, _ = await ResidentService(session, "en").identify(
                TelegramPerson(user.id, user.first_name, None, "en"))
            if role is not None:
                await OfficialsRepository(session).grant(resident.id, role, department, "test")
            await session.commit()
        return resident

    async def complaint(self, filer: User, title: str = "No water on Jungheung-ro", category: str = "water",
                        district: str = "buk", kind: Kind = Kind.COMPLAINT) -> int:
        resident = await self.resident(filer)
        draft = Draft(kind=kind, category=category, district=district, title=title,
                      body="The tap water has been off on our street since 7 am.", anonymous=False)
        async with self.session_factory() as session:
            item, _ = await FilingService(session, self.city).submit(draft, resident)
        assert item is not None and item.id is not None
        return item.id

    # -- updates ------------------------------------------------------------------------------
    def message(self, user: User, **fields: Any) -> Message:
        fields.setdefault("date", dt.datetime.now(dt.UTC))
        return Message(message_id=next(self.numbers), chat=Chat(id=user.id, type="private"), from_user=user,
                       **fields)

    async def feed(self, **update: Any) -> list[TelegramMethod]:
        """Feeds one update; returns the calls the bot made while handling it."""
        since = len(self.session.calls)
        await self.dp.feed_update(self.bot, Update(update_id=next(self.numbers), **update))
        return self.session.calls[since:]

    async def say(self, user: User, text: str) -> list[TelegramMethod]:
        return await self.feed(message=self.message(user, text=text))

    async def send(self, user: User, message: Message, edited: bool = False) -> list[TelegramMethod]:
        return await self.feed(**{"edited_message" if edited else "message": message})

    async def press(self, user: User, data: str) -> list[TelegramMethod]:
        shown = Message(message_id=1, date=dt.datetime.now(dt.UTC), chat=Chat(id=user.id, type="private"), text="…")
        callback = CallbackQuery(id=str(next(self.numbers)), from_user=user, chat_instance="c", message=shown,
                                 data=data)
        return await self.feed(callback_query=callback)

    async def state(self, user: User) -> tuple[str | None, dict]:
        context = self.dp.fsm.get_context(self.bot, user.id, user.id)
        return await context.get_state(), await context.get_data()

    async def rows(self, query: str, **params: Any) -> list[dict]:
        async with self.engine.connect() as connection:
            return [dict(row._mapping) for row in await connection.execute(sql(query), params)]


# What no stored text may hold: control characters other than line breaks and tabs.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
