"""Property: whatever text a resident types at the district, title and description steps, up to and past each
limit, escaped or not, nothing fails, every reply stays inside Telegram's limits, and a text the
step accepts is what is filed, after the documented cleaning (control characters dropped; a title
on one line with single spaces, a description with its line breaks, both trimmed).

The dispatcher is fed updates directly, with a Bot session that answers in memory but checks
each request as the fake Bot API server does (HTML that parses, 4,096 characters, 64-byte
callback data), so a few hundred filings run in seconds. Derandomized: the same cases each run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import re
import unicodedata

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql

from bot.app import build_dispatcher
from bot.settings import Settings
from fakeapi.htmltext import parse_html
from handlers.filing.steps import Filing
from storage import rules
from storage.city import load_city_config
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade
from tests.abuse import Errors
from tests.backends import sqlite_url
from tests.harness import TEST_CITY

TEXT_LIMIT, CALLBACK_DATA_LIMIT, ALERT_LIMIT = 4096, 64, 200
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode's control characters (category Cc)


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates: dropped too


def shown(text: str) -> str:
    """Empty when nothing in `text` shows (only spaces, zero-width, format or combining characters)."""
    return text if any(unicodedata.category(c) not in ("Zs", "Cc", "Cf", "Mn", "Me") for c in text) else ""


def expected_title(typed: str) -> str:
    spaced = CONTROL.sub(lambda m: " " if m.group().isspace() else "", BIDI.sub("", typed))
    return shown(" ".join(spaced.split()))


def expected_body(typed: str) -> str:
    return shown(re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", BIDI.sub("", typed)).strip())


class CheckingSession(BaseSession):
    """Answers every request in memory after checking it against Telegram's limits."""

    def __init__(self) -> None:
        super().__init__()
        self.ids = itertools.count(1)
        self.sent: list[str] = []

    async def make_request(self, bot, method, timeout=None):  # type: ignore[no-untyped-def]
        if isinstance(method, SendMessage | EditMessageText):
            plain, _ = parse_html(method.text)  # raises on HTML Telegram would refuse
            assert 0 < len(plain.encode("utf-16-le")) // 2 <= TEXT_LIMIT, len(plain)
            self._check_markup(method.reply_markup)
            self.sent.append(plain)
        if isinstance(method, AnswerCallbackQuery) and method.text:
            assert len(method.text) <= ALERT_LIMIT
            self.sent.append(method.text)
        if isinstance(method, SendMessage):
            return Message(message_id=next(self.ids), date=dt.datetime.now(dt.UTC),
                           chat=Chat(id=method.chat_id, type="private"), text=method.text)
        return True

    @staticmethod
    def _check_markup(markup) -> None:  # type: ignore[no-untyped-def]
        if isinstance(markup, InlineKeyboardMarkup):
            for button in itertools.chain.from_iterable(markup.inline_keyboard):
                assert button.text and len((button.callback_data or "").encode()) <= CALLBACK_DATA_LIMIT

    async def close(self) -> None:
        pass

    async def stream_content(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise NotImplementedError


class World:
    """The bot's dispatcher on a SQLite database, and residents who each file one item."""

    def __init__(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        self.settings = Settings(_env_file=None, bot_token="123:TEST", database_url=sqlite_url(tmp_path),
                                 city_config=TEST_CITY, default_locale="en")
        self.engine = create_engine(self.settings.database_url)
        self.session = CheckingSession()
        self.bot = Bot("123:TEST", session=self.session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        self.dp = build_dispatcher(self.settings, load_city_config(TEST_CITY), create_session_factory(self.engine))
        self.updates = itertools.count(1)
        self.residents = itertools.count(10_000)

    async def start(self) -> None:
        await upgrade(self.engine)
        await self.dp.emit_startup(bot=self.bot, bots=[self.bot], dispatcher=self.dp, **self.dp.workflow_data)

    async def close(self) -> None:
        await self.dp.emit_shutdown(bot=self.bot, bots=[self.bot], dispatcher=self.dp, **self.dp.workflow_data)
        await self.engine.dispose()

    async def say(self, user: User, text: str) -> None:
        message = Message(message_id=next(self.updates), date=dt.datetime.now(dt.UTC),
                          chat=Chat(id=user.id, type="private"), from_user=user, text=text)
        await self.dp.feed_update(self.bot, Update(update_id=next(self.updates), message=message))

    async def press(self, user: User, data: str) -> None:
        shown = Message(message_id=1, date=dt.datetime.now(dt.UTC), chat=Chat(id=user.id, type="private"),
                        text="…")
        callback = CallbackQuery(id=str(next(self.updates)), from_user=user, chat_instance="c", message=shown,
                                 data=data)
        await self.dp.feed_update(self.bot, Update(update_id=next(self.updates), callback_query=callback))

    async def state(self, user: User) -> tuple[str | None, dict]:
        context = self.dp.fsm.get_context(self.bot, user.id, user.id)
        return await context.get_state(), await context.get_data()

    async def file(self, district: str, title: str, body: str) -> None:
        user = User(id=next(self.residents), is_bot=False, first_name="Prop", language_code="en")
        await self.say(user, "/start")
        await self.say(user, "📝 File a complaint")
        await self.press(user, "f:category:roads")
        await self.say(user, district)  # a district typed by name: understood or refused, never failing
        if (await self.state(user))[0] == Filing.district.state:
            await self.press(user, "f:district:dong")
        kept_title = await self.step(user, title, Filing.body, "title", expected_title(title),
                                     rules.TITLE_MIN, rules.TITLE_MAX, "A fallback title")
        kept_body = await self.step(user, body, Filing.photos, "body", expected_body(body),
                                    rules.BODY_MIN, rules.BODY_MAX, "A fallback description.")
        for data in ("f:photos_done:", "f:location_done:", "f:anonymous:1"):
            await self.press(user, data)
        assert (await self.state(user))[0] == Filing.preview.state
        await self.press(user, "f:submit:")
        assert (await self.state(user))[0] is None
        async with self.engine.connect() as connection:
            row = (await connection.execute(sql("SELECT title, body FROM items ORDER BY id DESC LIMIT 1"))).one()
        assert (row.title, row.body) == (kept_title, kept_body)

    async def step(self, user: User, typed: str, next_state, field: str, cleaned: str,
                   shortest: int, longest: int, fallback: str) -> str:
        """Types `typed`; if the step accepts it, the draft holds it cleaned, else a fallback is typed."""
        await self.say(user, typed)
        state, data = await self.state(user)
        accepted = state == next_state.state
        should_accept = shortest <= len(cleaned) <= longest and not typed.startswith("/")
        assert accepted == should_accept, (len(cleaned), state)
        if accepted:
            assert data["filing"]["draft"][field] == cleaned
            return cleaned
        await self.say(user, fallback)
        assert (await self.state(user))[0] == next_state.state
        return fallback


HOSTILE = "&<>\"' \n\t\x00\x07\x1b\x85a가😀/"
any_char = st.characters(blacklist_categories=("Cs",))  # Telegram text is UTF-8: no lone surrogates


def typed(limit: int):  # type: ignore[no-untyped-def]
    """Texts up to a little past `limit`: arbitrary, escape-heavy, and a pattern repeated to length."""
    repeated = st.tuples(st.text(st.sampled_from(HOSTILE), min_size=1, max_size=6),
                         st.integers(limit - 5, limit + 5)).map(lambda t: (t[0] * limit)[:t[1]])
    return st.one_of(st.text(any_char, max_size=limit + 10), st.text(st.sampled_from(HOSTILE), max_size=limit + 10),
                     repeated)


def test_any_text_at_the_filing_steps(tmp_path):
    loop = asyncio.new_event_loop()
    world = World(tmp_path)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    loop.run_until_complete(world.start())

    @settings(max_examples=120, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(district=typed(30), title=typed(rules.TITLE_MAX), body=typed(rules.BODY_MAX))
    def files(district: str, title: str, body: str) -> None:
        errors.records.clear()
        loop.run_until_complete(world.file(district, title, body))
        assert errors.records == [], errors.records[0].exc_info

    try:
        files()
    finally:
        logging.getLogger().removeHandler(errors)
        loop.run_until_complete(world.close())
        loop.close()
    assert not any("went wrong" in text for text in world.session.sent)


@pytest.mark.parametrize("typed_text, title", [("a\x00b\x07c", "abc"), ("a\nb\t c\x85d", "a b c d"), ("  x  ", "x"),
                                              ("\u202eabc\u202c", "abc"), ("\u200b\u0301\u200d", "")])
def test_the_documented_title_cleaning(typed_text: str, title: str) -> None:
    assert expected_title(typed_text) == title
