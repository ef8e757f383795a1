"""The outbox's sender against the fake Bot API over HTTP, on SQLite and PostgreSQL: Telegram's
limits (in all and per chat), 429s, 403s, server errors, and residents marked blocked."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from bench.notify import fan_out, plain_status, seed
from bot.notices import RENDERERS, load_renderers
from bot.outbox import Sender, SendPolicy, create_sender, sending_bot
from bot.worker import run_worker
from storage.database import create_session_factory
from storage.models import OutboxMessage, Resident
from storage.repositories.outbox import Notice, enqueue
from storage.types import utcnow
from storage.vocabulary import NoticeKind

FIRST = 700_000


@pytest.fixture(autouse=True)
def status_renderer(monkeypatch):
    """Messages these tests can read: "<number>: <status>" (the product's renderer may say more)."""
    load_renderers()
    monkeypatch.setitem(RENDERERS, NoticeKind.STATUS, plain_status)


async def make_sender(engine, fake, city, **policy) -> Sender:
    return await create_sender(create_session_factory(engine), city, sending_bot(fake.token, fake.base_url), "en",
                               policy=SendPolicy(**policy))


async def queue(engine, fake, notices: list[tuple[int, str]]) -> None:
    """One STATUS notice per (chat, number), in this order, to residents that exist."""
    async with create_session_factory(engine)() as session:
        for chat in dict.fromkeys(chat for chat, _ in notices):
            session.add(Resident(telegram_id=chat, language="en"))
            fake.user(chat, language_code="en")
        await session.commit()
        rows = (await session.execute(select(Resident.telegram_id, Resident.id))).all()  # type: ignore[call-overload]
        ids = dict(rows)
        await enqueue(session, [Notice(chat, ids[chat], "en", NoticeKind.STATUS, {"number": number, "to_status": "answered"})
                                for chat, number in notices], utcnow())
        await session.commit()


async def states(engine) -> dict[str, list[tuple[int, str]]]:
    async with engine.connect() as connection:
        rows = (await connection.execute(select(OutboxMessage.chat_id, OutboxMessage.state, OutboxMessage.args)
                                         .order_by(OutboxMessage.id))).all()  # type: ignore[arg-type]
    out: dict[str, list[tuple[int, str]]] = {}
    for chat, state, args in rows:
        out.setdefault(state, []).append((chat, args["number"]))
    return out


def received(fake, chat: int) -> list[str]:
    return [m.text.split(":")[0] for m in fake.chats[chat].transcript()]


async def run_until(sender: Sender, engine, done, timeout: float = 30) -> None:
    """The worker's sending loop (no other job) until `done(states)` holds."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(create_session_factory(engine), sender.city, jobs=(), stop=stop, sender=sender))
    try:
        async with asyncio.timeout(timeout):
            while not done(await states(engine)):
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await task


async def test_rate_and_one_message_a_second_per_chat(engine, fake_telegram, city):
    fake = fake_telegram
    fake.limits.per_second, fake.limits.per_chat = 20, 1
    notices = [(FIRST + chat, f"N{chat}-{n}") for n in range(3) for chat in range(20)]
    await queue(engine, fake, notices)
    sender = await make_sender(engine, fake, city, rate=20)
    began = asyncio.get_running_loop().time()
    assert await sender.send_due() == 60
    assert asyncio.get_running_loop().time() - began >= 2.0  # 60 messages at 20 a second
    assert fake.limits.throttles == []
    assert fake.limits.busiest_second() <= 20
    assert fake.limits.closest_spacing() >= 1.0
    for chat in range(20):  # each chat's messages in the order queued
        assert received(fake, FIRST + chat) == [f"N{chat}-{n}" for n in range(3)]
    assert set(await states(engine)) == {"sent"}


async def test_retry_after_is_honoured_before_anything_else_is_sent(engine, fake_telegram, city):
    fake = fake_telegram
    await queue(engine, fake, [(FIRST + chat, f"N{chat}") for chat in range(30)])
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2)
    sender = await make_sender(engine, fake, city, rate=10, concurrency=4)
    assert await sender.send_due() == 30
    (throttle,) = fake.limits.throttles
    sends = fake.limits.all_sends()
    # What was already on its way when the 429 came may land just after it; nothing starts later.
    early = [at for at, _ in sends if throttle.at + 0.1 < at < throttle.at + throttle.retry_after]
    assert early == [], f"sent {len(early)} message(s) before retry_after passed"
    assert len(sends) == 30  # the refused message was sent again, once
    assert all(received(fake, FIRST + chat) == [f"N{chat}"] for chat in range(30))
    async with engine.connect() as connection:
        attempts = (await connection.execute(select(OutboxMessage.attempts))).scalars().all()
    assert set(attempts) == {1}  # a 429 is not a failed attempt


async def test_a_403_marks_the_resident_blocked_and_drops_their_queue(engine, fake_telegram, city):
    fake = fake_telegram
    gone, other = FIRST + 1, FIRST + 2
    await queue(engine, fake, [(gone, "A"), (other, "B"), (gone, "C"), (gone, "D")])
    fake.block(gone, notify=False)
    sender = await make_sender(engine, fake, city)
    assert await sender.send_due() == 1
    assert await states(engine) == {"dropped": [(gone, "A"), (gone, "C"), (gone, "D")], "sent": [(other, "B")]}
    assert len([p for p in fake.calls_of("sendMessage") if int(p["chat_id"]) == gone]) == 1  # tried once
    async with engine.connect() as connection:
        blocked = dict((await connection.execute(select(Resident.telegram_id, Resident.blocked))).all())  # type: ignore[call-overload]
    assert blocked == {gone: True, other: False}


async def test_a_resident_marked_blocked_gets_nothing(engine, fake_telegram, city):
    fake = fake_telegram
    quiet, other = FIRST + 1, FIRST + 2
    await queue(engine, fake, [(quiet, "A"), (other, "B")])
    async with engine.begin() as connection:
        await connection.execute(update(Resident).where(Resident.telegram_id == quiet).values(blocked=True))  # type: ignore[arg-type]
    sender = await make_sender(engine, fake, city)
    assert await sender.send_due() == 1
    assert await states(engine) == {"dropped": [(quiet, "A")], "sent": [(other, "B")]}
    assert fake.chats[quiet].transcript() == []


async def test_server_errors_are_retried_with_backoff_then_the_message_fails(engine, fake_telegram, city):
    fake = fake_telegram
    flaky, doomed = FIRST + 1, FIRST + 2
    await queue(engine, fake, [(flaky, "A"), (flaky, "B")])
    fake.fail("sendMessage", 502, "Bad Gateway", times=2)
    sender = await make_sender(engine, fake, city, backoff=0.3, max_attempts=3)
    await run_until(sender, engine, lambda s: len(s.get("sent", [])) == 2)
    assert received(fake, flaky) == ["A", "B"]  # B waited for A's retries
    tries = [at for name, at in zip(*_call_times(fake), strict=True) if name == "sendMessage"]
    assert tries[1] - tries[0] >= 0.3 and tries[2] - tries[1] >= 0.6  # 0.3 s, then doubled

    await queue(engine, fake, [(doomed, "C")])
    fake.fail("sendMessage", 500, "Internal Server Error: restart", times=3)
    sender = await make_sender(engine, fake, city, backoff=0.1, max_attempts=3)
    await run_until(sender, engine, lambda s: "failed" in s)
    async with engine.connect() as connection:
        row = (await connection.execute(select(OutboxMessage.state, OutboxMessage.attempts, OutboxMessage.last_error)
                                        .where(OutboxMessage.chat_id == doomed))).one()  # type: ignore[arg-type]
    assert row.state == "failed" and row.attempts == 3 and "restart" in row.last_error
    assert fake.chats[doomed].transcript() == []


def _call_times(fake) -> tuple[list[str], list[float]]:
    return [name for name, _ in fake.call_log], [at for _, at in fake.call_log]


async def test_fanned_out_notices_reach_every_follower(engine, fake_telegram, city):
    fake = fake_telegram
    chats = await seed(engine, 12, items=2, first_chat=FIRST)
    for chat in chats:
        fake.user(chat)
    assert await fan_out(engine) == 24
    sender = await make_sender(engine, fake, city, rate=50)
    assert await sender.send_due() == 24
    assert all(len(fake.chats[chat].transcript()) == 2 for chat in chats)
