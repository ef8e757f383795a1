"""The rules behind residents' updates, against real databases: who may reply, when "Is it
fixed?" is asked (once), Notifications in Settings; and the notices at their maximum lengths."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from bot.i18n import create_core
from bot.notices import Outgoing, Texts, render
from fakeapi.htmltext import parse_html
from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.services.followups import FollowupOutcome, FollowupService, ask_followups
from storage.services.residents import ResidentCache, ResidentService, TelegramPerson
from storage.services.thread import ReplyOutcome, ThreadService
from tests.test_participation_service import _residents, _scalar
from tests.test_routing_service import _complaint


async def _resolve(engine, item_id: int, due: dt.datetime) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE items SET status = 'resolved', followup_due_at = :due WHERE id = :i"),
                                 {"due": due, "i": item_id})


async def test_is_it_fixed_is_asked_once_when_due_and_only_to_those_who_hear(engine, city):
    factory = create_session_factory(engine)
    clock = ManualClock()
    filer, blocked, quiet = await _residents(factory, 3)
    items = [await _complaint(factory, city, resident) for resident in (filer, blocked, quiet)]
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE residents SET blocked = true WHERE id = :r"), {"r": blocked.id})
        await connection.execute(text("UPDATE residents SET notify = 'none' WHERE id = :r"), {"r": quiet.id})
    for item in items:
        await _resolve(engine, item.id, clock() + dt.timedelta(days=7))
    assert await ask_followups(factory, city, clock) == 0
    clock.advance(days=7, minutes=1)
    assert await ask_followups(factory, city, clock) == 1
    assert await ask_followups(factory, city, clock) == 0
    assert await _scalar(engine, "SELECT count(*) FROM items WHERE followup_due_at IS NOT NULL") == 0
    assert await _scalar(engine, "SELECT resident_id FROM outbox WHERE kind = 'followup'") == filer.id


async def test_only_the_filer_replies_and_only_to_a_department_of_the_item(engine, city):
    factory = create_session_factory(engine)
    filer, other = await _residents(factory, 2)
    item = await _complaint(factory, city, filer)  # water in Buk-gu: water and buk_office
    async with factory() as session:
        thread = ThreadService(session, ManualClock())
        assert await thread.reply(item.id, "water", other, "Not mine") is ReplyOutcome.NOT_YOURS
        assert await thread.reply(item.id, "transport", filer, "Wrong office") is ReplyOutcome.NO_DEPARTMENT
        assert await thread.reply(item.id, "buk_office", filer, "Still broken") is ReplyOutcome.DONE
    assert await _scalar(engine, "SELECT count(*) FROM answers") == 1
    assert await _scalar(engine, "SELECT author FROM answers WHERE resident_id = :r", r=filer.id) == "filer"


async def test_no_reopens_only_a_resolved_complaint_of_its_filer(engine, city):
    factory = create_session_factory(engine)
    clock = ManualClock()
    filer, other = await _residents(factory, 2)
    item = await _complaint(factory, city, filer)
    async with factory() as session:
        followups = FollowupService(session, city, clock)
        assert await followups.reopen(item.id, filer) is FollowupOutcome.ALREADY  # not resolved
        await _resolve(engine, item.id, clock())
        assert await followups.reopen(item.id, other) is FollowupOutcome.NOT_YOURS
        assert await followups.confirm_fixed(item.id, other) is FollowupOutcome.NOT_YOURS
        assert await followups.reopen(item.id, filer) is FollowupOutcome.DONE
        assert await followups.reopen(item.id, filer) is FollowupOutcome.ALREADY
    assert await _scalar(engine, "SELECT count(*) FROM status_events WHERE to_status = 'reopened'") == 1


async def test_notifications_choice_is_saved_and_cached(engine):
    factory = create_session_factory(engine)
    cache = ResidentCache()
    person = TelegramPerson(77, "Mina", None, "en")
    async with factory() as session:
        service = ResidentService(session, "ko", cache)
        resident, _ = await service.identify(person)
        await service.set_notify(resident, "own")
        with pytest.raises(ValueError):
            await service.set_notify(resident, "some")
    assert await _scalar(engine, "SELECT notify FROM residents WHERE telegram_id = 77") == "own"
    cached = cache.get(person)
    assert cached is not None and cached.notify == "own"


@pytest.fixture
async def core():
    core = create_core("ko")
    await core.startup()
    return core


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("kind", ["status", "answer", "followup"])
async def test_notices_fit_at_the_maximum_lengths(core, city, language, kind):
    args = {"item_id": 2_147_483_647, "number": "GJ-2026-999999", "title": "<&>" * 33 + "x", "kind": "complaint",
            "from_status": "received", "to_status": "in_progress", "note": "<&>" * 5000,
            "answer_id": 2_147_483_647, "department": "environment", "body": "<&>" * 1333 + "x",
            "filer_id": 5}
    method = render(kind, Outgoing(5, args, Texts(core, language), city, resident_id=5))
    shown, _ = parse_html(method.text)
    assert len(shown) <= 4096 and "<&>" in shown
    data = [b.callback_data for row in method.reply_markup.inline_keyboard for b in row]
    assert all(len(d.encode()) <= 64 for d in data)
    if kind == "answer":
        assert len(data) == 2  # the filer gets Reply
        others = render(kind, Outgoing(6, args, Texts(core, language), city, resident_id=6))
        assert len(others.reply_markup.inline_keyboard[0]) == 1
