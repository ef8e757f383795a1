"""Telegram's errors, for every kind of call the bot makes, each handled as Telegram means it:
a table of (call × error) on the bot's replies (bot/telegram_retry.py, handlers/errors.py) and on
the outbox's sender (bot/outbox.py).

- 429 retry_after: waited out, then the same call again; the resident gets the reply.
- 403 (blocked): the resident is marked blocked and nothing more is tried.
- 400 that means "already done" (an edit changing nothing, a callback answered too late, a
  message already deleted): success, nothing reported.
- 5xx and timeouts: retried a bounded number of times; if Telegram keeps failing, the resident
  is told the service is briefly unavailable (replies) or the message is retried later and
  finally marked failed (outbox). Never an unhandled error, never a traceback in the log.

Calls are answered in memory by tests/abuse.py's recording session, which raises the errors
aiogram raises for Telegram's answers; tests/test_outbox_sender.py and
tests/test_telegram_retry.py show the same over HTTP against the fake Bot API.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendLocation,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import InputMediaPhoto, User
from sqlalchemy import select

from bot.notices import RENDERERS, Outgoing, load_renderers
from bot.outbox import SendPolicy, create_sender
from handlers.callbacks import BrowseAction, BrowseCb, CancelCb, StatsAction, StatsCb
from storage.database import create_session_factory
from storage.models import OutboxMessage, Resident
from storage.repositories.outbox import Notice, enqueue
from storage.types import utcnow
from storage.vocabulary import NoticeKind, Role
from tests.abuse import Errors, Recorder, World
from tests.backends import sqlite_url

UNAVAILABLE = "briefly unavailable"
SENDS = (SendMessage, SendPhoto, SendDocument)  # a timed-out send may have arrived: not repeated
IDEMPOTENT = (AnswerCallbackQuery, EditMessageText, EditMessageReplyMarkup, DeleteMessage)
TIDYING = (EditMessageReplyMarkup, DeleteMessage)
Error = Callable[[TelegramMethod], Exception]
ERRORS: dict[str, Error] = {
    "429": lambda m: TelegramRetryAfter(method=m, message="Too Many Requests: retry after 1", retry_after=1),
    "403": lambda m: TelegramForbiddenError(method=m, message="Forbidden: bot was blocked by the user"),
    "5xx": lambda m: TelegramServerError(method=m, message="Internal Server Error"),
    "timeout": lambda m: TelegramNetworkError(method=m, message="Request timeout error"),
}
# The 400 Telegram gives each call when there is nothing left to do.
DONE_400 = {
    EditMessageText: "Bad Request: message is not modified: specified new message content and reply markup "
                     "are exactly the same as a current content and reply markup of the message",
    EditMessageReplyMarkup: "Bad Request: message is not modified",
    AnswerCallbackQuery: "Bad Request: query is too old and response timeout expired or query ID is invalid",
    DeleteMessage: "Bad Request: message to delete not found",
}


# -- the bot's replies -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trigger:
    """How a resident makes the bot make a call: the way there, then the update that makes it."""

    prepare: Callable[[World], Awaitable[User]]
    act: Callable[[World, User], Awaitable[object]]


async def _resident(world: World) -> User:
    user = world.user()
    await world.resident(user)
    return user


async def _official(world: World) -> User:
    user = world.user()
    await world.resident(user, Role.OFFICIAL, "water")
    return user


async def _filing_to_preview(world: World) -> User:
    user = world.user()
    for how, what in [("say", "/start"), ("say", "📝 File a complaint"), ("press", "f:category:roads"),
                      ("press", "f:district:dong"), ("say", "A fine title"), ("say", "A long enough description."),
                      ("press", "f:photos_done:"), ("press", "f:location_done:"), ("press", "f:anonymous:1")]:
        await (world.say(user, what) if how == "say" else world.press(user, what))
    return user


def _yesterday() -> int:
    return int((dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).timestamp())


TRIGGERS: dict[type, Trigger] = {
    SendMessage: Trigger(_resident, lambda w, u: w.say(u, "/start")),
    AnswerCallbackQuery: Trigger(_resident, lambda w, u: w.press(u, "zz:forged")),
    EditMessageText: Trigger(_resident, lambda w, u: w.press(u, BrowseCb(action=BrowseAction.CLEAR).pack())),
    EditMessageReplyMarkup: Trigger(_filing_to_preview, lambda w, u: w.press(u, "f:submit:")),
    DeleteMessage: Trigger(_resident, lambda w, u: w.press(u, CancelCb(confirm=True).pack())),
    SendPhoto: Trigger(_official, lambda w, u: w.press(u, StatsCb(action=StatsAction.PERIOD, days=30).pack())),
    SendDocument: Trigger(_official, lambda w, u: w.press(
        u, StatsCb(action=StatsAction.CSV, days=30, until=_yesterday()).pack())),
}
CASES = [(method, error) for method in TRIGGERS for error in [*ERRORS, "400", "5xx 3 times", "timeout 3 times"]
         if error != "400" or method in DONE_400]


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One bot for the whole table (each case has residents of its own)."""
    loop = asyncio.new_event_loop()
    world = World(sqlite_url(tmp_path_factory.mktemp("replies")))
    loop.run_until_complete(world.start())
    yield loop, world
    loop.run_until_complete(world.close())
    loop.close()


@pytest.fixture
def world(shared_world):  # type: ignore[no-untyped-def]
    yield shared_world
    shared_world[1].session.faults.clear()  # what a case left unused (a timed-out send is not repeated)


def _fault(world: World, method: type, error: str) -> None:
    name, _, repeated = error.partition(" ")
    make: Error = (lambda m: TelegramBadRequest(method=m, message=DONE_400[method])) if name == "400" else ERRORS[name]
    for _ in range(3 if repeated else 1):
        world.session.faults.append((lambda m, kind=method: isinstance(m, kind), make))


@pytest.mark.parametrize("method, error", CASES, ids=[f"{m.__name__}-{e}" for m, e in CASES])
def test_a_reply_telegram_refuses(world, method: type, error: str) -> None:  # type: ignore[no-untyped-def]
    loop, world = world
    trigger = TRIGGERS[method]
    user = loop.run_until_complete(trigger.prepare(world))
    _fault(world, method, error)
    attempts, since = len(world.session.attempts), len(world.session.calls)
    with Errors() as errors:
        loop.run_until_complete(trigger.act(world, user))
    assert errors.records == [], errors.describe()
    tried = world.session.attempts[attempts:]
    tries = sum(isinstance(call, method) for call in tried)
    succeeded = [call for call in world.session.calls[since:] if isinstance(call, method)]
    told = " ".join(world.session.texts(since))
    blocked = loop.run_until_complete(world.rows("SELECT blocked FROM residents WHERE telegram_id = :t", t=user.id))
    if error == "403":
        assert type(tried[-1]) is method, "something was tried after the 403"
        assert blocked == [{"blocked": True}]
        return
    assert blocked == [{"blocked": False}]
    assert "went wrong" not in told
    if error in ("429", "5xx") or error == "timeout" and method not in SENDS:
        assert succeeded and tries == 2, f"{method.__name__} was not sent again after a {error}"
        assert UNAVAILABLE not in told
    elif error == "400":
        assert tries == 1 and UNAVAILABLE not in told  # nothing left to do: done
    elif method in TIDYING:  # only tidying up: what the handler says next is said all the same
        assert tries == (1 if error == "timeout" and method not in IDEMPOTENT else 3)
        assert UNAVAILABLE not in told and told, told
    elif method is SendMessage and error == "timeout 3 times":  # Telegram is gone: nobody to tell
        assert tries == 2 and UNAVAILABLE not in told
    else:  # still failing after the retries, or a send that timed out (it may have arrived): told so
        told_by_the_same_call = method in (SendMessage, AnswerCallbackQuery)
        assert tries == (1 if error.startswith("timeout") and method in SENDS else 3) + told_by_the_same_call
        assert UNAVAILABLE in told, told


def test_every_call_of_the_replies_is_in_the_table() -> None:
    """The calls the handlers make (every method the fake Bot API serves but the worker's own)."""
    from fakeapi.registry import lookup

    served = {name for name in ("sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage",
                                "answerCallbackQuery", "sendPhoto", "sendDocument", "sendMediaGroup", "sendLocation")
              if lookup(name)[1] is not None}
    worker_only = {"sendMediaGroup", "sendLocation"}  # official pushes: only through the outbox
    named = {method.__name__[0].lower() + method.__name__[1:] for method in TRIGGERS}
    assert served - worker_only <= named
    assert worker_only <= {method.__name__[0].lower() + method.__name__[1:] for method in OUTBOX_METHODS}


# -- the outbox's sender ----------------------------------------------------------------------------
OUTBOX_METHODS: dict[type, Callable[[Outgoing], TelegramMethod]] = {
    SendMessage: lambda o: SendMessage(chat_id=o.chat_id, text="notice"),
    SendPhoto: lambda o: SendPhoto(chat_id=o.chat_id, photo="photo-file-id", caption="notice"),
    SendMediaGroup: lambda o: SendMediaGroup(chat_id=o.chat_id, media=[InputMediaPhoto(media="a"),
                                                                       InputMediaPhoto(media="b")]),
    SendLocation: lambda o: SendLocation(chat_id=o.chat_id, latitude=35.17, longitude=126.91),
    EditMessageText: lambda o: EditMessageText(chat_id=o.chat_id, message_id=7, text="progress"),
}
# What becomes of the outbox row (and how many tries), per error.
OUTBOX_CASES = [(method, error) for method in OUTBOX_METHODS
                for error in ["429", "403", "400", "5xx", "timeout", "5xx 3 times"]]


@pytest.mark.parametrize("method, error", OUTBOX_CASES, ids=[f"{m.__name__}-{e}" for m, e in OUTBOX_CASES])
async def test_an_outbox_message_telegram_refuses(engine, city, monkeypatch, method: type, error: str) -> None:
    load_renderers()
    monkeypatch.setitem(RENDERERS, NoticeKind.STATUS, OUTBOX_METHODS[method])
    chat = 880_001
    factory = create_session_factory(engine)
    async with factory() as session:
        session.add(Resident(telegram_id=chat, language="en"))
        await session.commit()
        resident_id = (await session.execute(select(Resident.id))).scalar_one()  # type: ignore[call-overload]
        await enqueue(session, [Notice(chat, resident_id, "en", NoticeKind.STATUS, {"number": "GJ-1"})], utcnow())
        await session.commit()
    recorder = Recorder()
    name, _, repeated = error.partition(" ")
    if name == "400":  # an edit that changes nothing is done; any other 400 is a failure to retry
        text = "Bad Request: message is not modified" if method is EditMessageText else "Bad Request: chat not found"
        make: Error = lambda m: TelegramBadRequest(method=m, message=text)  # noqa: E731
    else:
        make = ERRORS[name]
    recorder.faults += [(lambda m: isinstance(m, method), make)] * (3 if repeated else 1)
    bot = Bot("123:TEST", session=recorder, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    sender = await create_sender(factory, city, bot, "en", policy=SendPolicy(backoff=0.05, max_attempts=3, idle_poll=0.05))
    with Errors() as errors:
        async with asyncio.timeout(30):
            while True:
                await sender.send_due()
                async with engine.connect() as connection:
                    row = (await connection.execute(select(OutboxMessage.state, OutboxMessage.attempts))).one()  # type: ignore[call-overload]
                if row.state != "pending":
                    break
                await asyncio.sleep(0.05)
        await sender.close()
    assert errors.records == [], errors.describe()
    async with engine.connect() as connection:
        blocked = (await connection.execute(select(Resident.blocked))).scalar_one()  # type: ignore[call-overload]
    tries = sum(isinstance(call, method) for call in recorder.attempts)
    expected = {  # (state, attempts: the sends Telegram took or failed, not 429s; calls made)
        "429": ("sent", 1, 2),  # waited out and sent again; the 429 is not an attempt
        "403": ("dropped", 0, 1),
        "400": ("sent", 1, 1) if method is EditMessageText else ("sent", 2, 2),
        "5xx": ("sent", 2, 2),
        "timeout": ("sent", 2, 2),
        "5xx 3 times": ("failed", 3, 3),
    }[error]
    assert (row.state, row.attempts, tries) == expected
    assert blocked is (error == "403")


# -- the same over HTTP: the real session turns the fake Bot API's answers into these errors -------
HTTP_CASES = [
    ("sendMessage", 502, "Bad Gateway", None),
    ("sendMessage", 429, "Too Many Requests: retry after 1", 1),
    ("answerCallbackQuery", 400, DONE_400[AnswerCallbackQuery], None),
    ("answerCallbackQuery", 500, "Internal Server Error", None),
]


@pytest.mark.parametrize("method, status, description, retry_after", HTTP_CASES,
                         ids=[f"{m}-{s}" for m, s, _, _ in HTTP_CASES])
async def test_over_http_the_resident_is_answered(harness, method: str, status: int, description: str,
                                                  retry_after: int | None) -> None:
    fake = harness.fake
    user = fake.user(4242, first_name="Hana", language_code="en")
    await user.send_text("/browse")
    listing = await user.expect("Nothing matches", timeout=10)
    with Errors() as errors:
        fake.fail(method, status, description, retry_after=retry_after)
        if method == "sendMessage":
            await user.send_text("/browse")
            await user.expect("Nothing matches", timeout=10)
        else:
            await user.press("🔍 Search", message=listing)
            await user.expect("Type the words to search for", timeout=10)
    assert errors.records == [], errors.describe()
    assert [name for name, params in fake.calls if params == {"failed": status}] == [method]
