"""Queueing a broadcast into the outbox and sending it with the real sender against the fake
Bot API, on SQLite and PostgreSQL: who is in an audience, exactly one message each, notices
before broadcasts, pause, resume and cancel (nothing sent twice, nothing sent after cancel)."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import select

from bot.notices import RENDERERS, Outgoing, load_renderers
from bot.outbox import Sender, SendPolicy, create_sender, sending_bot
from bot.worker import run_worker
from storage.audience import Audience, AudienceError
from storage.database import create_session_factory
from storage.models import OutboxMessage, Resident, ResidentTopic
from storage.repositories.outbox import Notice, enqueue
from storage.services.broadcasts import BroadcastRefused, BroadcastService
from storage.types import utcnow
from storage.vocabulary import BroadcastState, NoticeKind

FIRST = 810_000


def plain_broadcast(out: Outgoing) -> TelegramMethod:
    assert out.broadcast is not None
    return SendMessage(chat_id=out.chat_id, text=out.broadcast.text(out.texts.language))


def plain_status(out: Outgoing) -> TelegramMethod:
    return SendMessage(chat_id=out.chat_id, text=f"notice {out.args['n']}")


@pytest.fixture(autouse=True)
def renderers(monkeypatch):
    load_renderers()
    monkeypatch.setitem(RENDERERS, NoticeKind.BROADCAST, plain_broadcast)
    monkeypatch.setitem(RENDERERS, NoticeKind.STATUS, plain_status)


# telegram id offset: (language, district, broadcasts setting, topics, blocked)
PEOPLE = {
    0: ("ko", "nam", "all", (), False),
    1: ("en", "nam", "all", ("water_cuts",), False),
    2: ("en", "buk", "all", (), False),
    3: ("ko", "nam", "none", ("water_cuts",), False),   # opted out: nothing, topics or not
    4: ("ko", "nam", "all", (), True),                  # blocked the bot
    5: ("en", None, "topics", ("water_cuts",), False),  # only their topics
    6: ("ko", "buk", "topics", (), False),              # only topics, and picked none
}


async def seed(engine, fake) -> dict[int, int]:
    async with create_session_factory(engine)() as session:
        for offset, (language, district, scope, topics, blocked) in PEOPLE.items():
            resident = Resident(telegram_id=FIRST + offset, language=language, district=district,
                                broadcasts=scope, blocked=blocked)
            session.add(resident)
            await session.flush()
            for topic in topics:
                session.add(ResidentTopic(resident_id=resident.id, topic=topic))
            fake.user(FIRST + offset, language_code=language)
        await session.commit()
        rows = (await session.execute(select(Resident.telegram_id, Resident.id))).all()  # type: ignore[call-overload]
    return {chat - FIRST: rid for chat, rid in rows}


async def chats_of(engine, audience: Audience, city) -> set[int]:
    async with create_session_factory(engine)() as session:
        rows = (await session.execute(audience.residents())).all()
    return {row.telegram_id - FIRST for row in rows}


async def test_who_is_in_an_audience(engine, fake_telegram, city):
    await seed(engine, fake_telegram)
    assert await chats_of(engine, Audience(everyone=True), city) == {0, 1, 2}
    assert await chats_of(engine, Audience(districts=("nam",)), city) == {0, 1}
    assert await chats_of(engine, Audience(topics=("water_cuts",)), city) == {1, 5}
    assert await chats_of(engine, Audience(districts=("buk",), topics=("water_cuts",)), city) == {1, 2, 5}
    with pytest.raises(AudienceError):
        Audience(districts=("atlantis",)).check(city)
    with pytest.raises(AudienceError):
        Audience().check(city)


async def make_sender(engine, fake, city) -> Sender:
    return await create_sender(create_session_factory(engine), city, sending_bot(fake.token, fake.base_url), "en",
                               policy=SendPolicy(rate=200))


async def outbox_states(engine) -> dict[str, int]:
    async with engine.connect() as connection:
        rows = (await connection.execute(select(OutboxMessage.state, OutboxMessage.chat_id))).all()  # type: ignore[call-overload]
    counts: dict[str, int] = {}
    for state, _ in rows:
        counts[state] = counts.get(state, 0) + 1
    return counts


def texts(fake, offset: int) -> list[str]:
    return [m.text for m in fake.chats[FIRST + offset].transcript()]


async def send_all(engine, fake, city) -> None:
    sender = await make_sender(engine, fake, city)
    await sender.send_due()
    await sender.close()


async def test_queue_once_each_in_their_language(engine, fake_telegram, city):
    await seed(engine, fake_telegram)
    async with create_session_factory(engine)() as session:
        service = BroadcastService(session, city)
        broadcast = await service.announce(None, {"ko": "단수 안내", "en": "Water cut"}, Audience(everyone=True,
                                           topics=("water_cuts",)))
        assert broadcast.audience_size == 4
        from storage.repositories import broadcasts
        assert await broadcasts.queue(session, broadcast.id, NoticeKind.BROADCAST, Audience(everyone=True), utcnow()) == 0
        await session.commit()
    await send_all(engine, fake_telegram, city)
    assert texts(fake_telegram, 0) == ["단수 안내"]
    assert texts(fake_telegram, 1) == ["Water cut"]
    assert texts(fake_telegram, 5) == ["Water cut"]
    for offset in (3, 4, 6):
        assert texts(fake_telegram, offset) == []
    assert await outbox_states(engine) == {"sent": 4}


async def test_a_missing_language_falls_back(engine, fake_telegram, city):
    await seed(engine, fake_telegram)
    async with create_session_factory(engine)() as session:
        await BroadcastService(session, city).announce(None, {"ko": "한국어만"}, Audience(districts=("nam",)))
    await send_all(engine, fake_telegram, city)
    assert texts(fake_telegram, 1) == ["한국어만"]


async def test_notices_go_before_a_broadcast_queued_earlier(engine, fake_telegram, city):
    ids = await seed(engine, fake_telegram)
    async with create_session_factory(engine)() as session:
        await BroadcastService(session, city).announce(None, {"en": "bulk"}, Audience(everyone=True))
        await enqueue(session, [Notice(FIRST + 2, ids[2], "en", NoticeKind.STATUS, {"n": 1})], utcnow())
        await session.commit()
    fake_telegram.limits.per_second = 1  # one a second: the order is the order sent
    await send_all(engine, fake_telegram, city)
    assert texts(fake_telegram, 2) == ["notice 1", "bulk"]


async def test_pause_resume_cancel(engine, fake_telegram, city):
    ids = await seed(engine, fake_telegram)
    async with create_session_factory(engine)() as session:
        service = BroadcastService(session, city)
        paused = await service.announce(None, {"en": "paused one"}, Audience(everyone=True))
        cancelled = await service.announce(None, {"en": "cancelled one"}, Audience(districts=("buk",)))
        assert await service.control_as_operator(paused.id, BroadcastState.PAUSED)
        assert await service.control_as_operator(cancelled.id, BroadcastState.CANCELLED)
        assert not await service.control_as_operator(cancelled.id, BroadcastState.SENDING)  # cancelled for good
        with pytest.raises(BroadcastRefused):  # a resident who is not an admin nor its author
            await service.control(paused.id, ids[0], BroadcastState.SENDING)
    await send_all(engine, fake_telegram, city)
    assert await outbox_states(engine) == {"paused": 3, "cancelled": 1}
    assert all(texts(fake_telegram, offset) == [] for offset in PEOPLE)
    async with create_session_factory(engine)() as session:
        assert await BroadcastService(session, city).control_as_operator(paused.id, BroadcastState.SENDING)
    await send_all(engine, fake_telegram, city)
    assert await outbox_states(engine) == {"sent": 3, "cancelled": 1}
    assert texts(fake_telegram, 2) == ["paused one"]
    async with create_session_factory(engine)() as session:
        assert await BroadcastService(session, city).finish_done(utcnow()) == [paused.id]


async def test_a_pause_stops_what_the_sender_already_holds(engine, fake_telegram, city):
    """Rows the sender has taken into its lanes are not sent once their broadcast is paused."""
    await seed(engine, fake_telegram)
    fake_telegram.limits.per_second = 1
    async with create_session_factory(engine)() as session:
        broadcast = await BroadcastService(session, city).announce(None, {"en": "slow"}, Audience(everyone=True))
    sender = await make_sender(engine, fake_telegram, city)
    sender.pacer = type(sender.pacer)(1)  # one a second: the rest wait in the lanes
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(create_session_factory(engine), city, jobs=(), stop=stop, sender=sender))
    try:
        async with asyncio.timeout(20):
            while (await outbox_states(engine)).get("sent", 0) < 1:
                await asyncio.sleep(0.05)
        async with create_session_factory(engine)() as session:
            await BroadcastService(session, city).control_as_operator(broadcast.id, BroadcastState.PAUSED)
        await asyncio.sleep(2.5)
    finally:
        stop.set()
        await task
    states = await outbox_states(engine)
    assert states.get("sent", 0) <= 2 and states.get("paused", 0) >= 1, states
    assert sum(len(texts(fake_telegram, offset)) for offset in PEOPLE) == states["sent"]
