"""Routing at filing, the pushes it queues, and the fan-out of status events and answers."""

from __future__ import annotations

from sqlalchemy import text

from storage.database import create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.repositories.officials import OfficialsRepository
from storage.services.filing import FilingService
from storage.services.notifications import Notifier
from storage.services.residents import ResidentService, TelegramPerson
from storage.types import utcnow
from storage.vocabulary import Role
from tests.test_participation_service import _residents, _scalar


async def _official(factory, telegram_id, department):
    async with factory() as session:
        resident, _ = await ResidentService(session, "ko").identify(TelegramPerson(telegram_id, "Official", None, "ko"))
        await OfficialsRepository(session).grant(resident.id, Role.OFFICIAL, department, "test")
        await session.commit()
    return resident


async def _complaint(factory, city, filer, category="water", district="buk"):
    draft = Draft(kind=Kind.COMPLAINT, category=category, district=district, title="No water since morning",
                  body="The tap water has been off on our street since 7 am.", anonymous=False)
    async with factory() as session:
        item, _ = await FilingService(session, city).submit(draft, filer)
    return item


async def test_a_complaint_reaches_city_and_district_departments_at_once(engine, city):
    factory = create_session_factory(engine)
    water, buk = await _official(factory, 9001, "water"), await _official(factory, 9002, "buk_office")
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer)
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT department, state FROM assignments WHERE item_id = :id ORDER BY id"), {"id": item.id})).all()
        pushes = (await connection.execute(text(
            "SELECT chat_id, kind FROM outbox ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [("water", "new"), ("buk_office", "new")]
    assert [tuple(p) for p in pushes] == [(water.telegram_id, "assignment"), (buk.telegram_id, "assignment")]


async def test_private_items_reach_only_the_audit_office(engine, city):
    factory = create_session_factory(engine)
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer, category="officials")
    assert await _scalar(engine, "SELECT string_agg(department, ',') FROM assignments WHERE item_id = :id"
                         if engine.dialect.name == "postgresql" else
                         "SELECT group_concat(department) FROM assignments WHERE item_id = :id", id=item.id) == "audit"


async def test_an_item_no_rule_matches_goes_to_the_fallback(engine, city):
    factory = create_session_factory(engine)
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer, category="culture", district="dong")
    assert await _scalar(engine, "SELECT department FROM assignments WHERE item_id = :id", id=item.id) == "civil"


async def test_an_event_inserted_by_the_platform_is_fanned_out_once(engine, city):
    factory = create_session_factory(engine)
    filer, follower, quiet = await _residents(factory, 3)
    item = await _complaint(factory, city, filer)
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO follows (item_id, resident_id, reason, created_at) "
                                      "VALUES (:i, :r, 'asked', :now)"), {"i": item.id, "r": follower.id, "now": utcnow()})
        await connection.execute(text("INSERT INTO follows (item_id, resident_id, reason, created_at) "
                                      "VALUES (:i, :r, 'asked', :now)"), {"i": item.id, "r": quiet.id, "now": utcnow()})
        await connection.execute(text("UPDATE residents SET notify = 'own' WHERE id = :r"), {"r": quiet.id})
        await connection.execute(text(
            "INSERT INTO status_events (item_id, from_status, to_status, actor, created_at) "
            "VALUES (:i, 'received', 'in_progress', 'platform:kim', :now)"), {"i": item.id, "now": utcnow()})
    for _ in range(2):
        async with factory() as session:
            await Notifier(session, city).run(utcnow())
    async with engine.connect() as connection:
        told = (await connection.execute(text(
            "SELECT resident_id FROM outbox WHERE kind = 'status' ORDER BY resident_id"))).scalars().all()
    assert told == [filer.id, follower.id]
