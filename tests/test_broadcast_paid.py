"""Paid broadcasts only behind the city file's switch: off by default, and only then does the
sender get a second, higher rate and the messages carry allow_paid_broadcast."""

from __future__ import annotations

from bot.i18n import create_core
from bot.notices import Outgoing, Texts, render
from bot.outbox import SendPolicy
from storage.audience import Audience
from storage.database import create_session_factory
from storage.models import Resident
from storage.repositories.broadcasts import contents
from storage.services.broadcasts import BroadcastService
from storage.vocabulary import NoticeKind


def with_paid(city, paid: bool):
    return city.model_copy(update={"broadcasts": city.broadcasts.model_copy(update={"paid": paid})})


def test_the_switch_is_off_by_default_and_raises_the_rate_only_when_on(city):
    assert city.broadcasts.paid is False
    assert SendPolicy.of(25, city).paid_rate is None
    assert SendPolicy.of(25, with_paid(city, True)).paid_rate == 1000


async def rendered(engine, city, chat: int) -> object:
    async with create_session_factory(engine)() as session:
        session.add(Resident(telegram_id=chat, language="ko", district="nam"))
        await session.commit()
        broadcast = await BroadcastService(session, city).announce(None, {"ko": "알림"}, Audience(everyone=True))
        content = (await contents(session, {broadcast.id}))[broadcast.id]
    core = create_core("ko")
    await core.startup()
    return render(NoticeKind.BROADCAST.value, Outgoing(chat, {}, Texts(core, "ko"), city, None, content))


async def test_messages_are_paid_only_when_the_city_allows_it(engine, city):
    assert getattr(await rendered(engine, city, 900_001), "allow_paid_broadcast") is None
    assert getattr(await rendered(engine, with_paid(city, True), 900_002), "allow_paid_broadcast") is True
