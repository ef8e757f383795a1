"""The filing service on SQLite and PostgreSQL: numbering, idempotence, similar items."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import text

from storage.database import create_session_factory
from storage.drafts import Draft, Photo
from storage.lifecycle import Kind, Status
from storage.services import status
from storage.services.filing import FilingService, IncompleteDraft
from storage.services.residents import ResidentService, TelegramPerson


async def _resident(factory, telegram_id=1):
    async with factory() as session:
        resident, _ = await ResidentService(session, "ko").identify(
            TelegramPerson(telegram_id, "Test Resident", None, "ko"))
        return resident


def _draft(title="Streetlight out on Geumnam-ro", **changes):
    values = dict(kind=Kind.COMPLAINT, category="roads", district="dong", title=title,
                  body="The streetlight has been dark for a week.", anonymous=False)
    values.update(changes)
    return Draft(**values)


async def test_concurrent_filings_get_distinct_numbers(engine, city):
    factory = create_session_factory(engine)
    # Twelve residents: one resident's sixth item of the day is refused (tests/test_limits.py).
    residents = [await _resident(factory, telegram_id=n + 1) for n in range(12)]

    async def file(n):
        async with factory() as session:
            item, created = await FilingService(session, city).submit(_draft(f"Item number {n}"), residents[n])
            assert created
            return item.public_number

    numbers = await asyncio.gather(*(file(n) for n in range(12)))
    assert len(set(numbers)) == 12
    assert all(re.fullmatch(r"GJ-\d{4}-\d{6}", n) for n in numbers)
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 13))


async def test_double_submit_files_once(engine, city):
    factory = create_session_factory(engine)
    resident = await _resident(factory)
    draft = _draft(photos=[Photo(file_id="a", file_unique_id="ua")])

    async def submit():
        async with factory() as session:
            return await FilingService(session, city).submit(draft, resident)

    results = await asyncio.gather(submit(), submit(), submit())
    assert len({item.id for item, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM items"))).scalar() == 1
        assert (await connection.execute(text("SELECT count(*) FROM attachments"))).scalar() == 1
        assert (await connection.execute(text("SELECT count(*) FROM status_events"))).scalar() == 1


async def test_incomplete_draft_is_refused(engine, city):
    factory = create_session_factory(engine)
    resident = await _resident(factory)
    async with factory() as session:
        with pytest.raises(IncompleteDraft) as info:
            await FilingService(session, city).submit(Draft(kind=Kind.PROPOSAL), resident)
    assert "title" in info.value.missing


async def test_similar_open_items(engine, city):
    factory = create_session_factory(engine)
    resident = await _resident(factory)
    async with factory() as session:
        service = FilingService(session, city)
        await service.submit(_draft("무등로 가로등 고장"), resident)
        await service.submit(_draft("무등로 가로등이 꺼졌어요"), resident)
        await service.submit(_draft("공원 벤치 파손"), resident)
        await service.submit(_draft("무등로 가로등 고장", district="seo"), resident)
        await service.submit(_draft("무등로 가로등 고장", category="officials"), resident)
        similar = await service.similar_open_items(_draft("무등로 가로등 고장 신고"))
    assert [item.title for item in similar] == ["무등로 가로등 고장", "무등로 가로등이 꺼졌어요"]


async def test_status_move_writes_event_in_same_transaction(engine, city):
    factory = create_session_factory(engine)
    resident = await _resident(factory)
    async with factory() as session:
        item, _ = await FilingService(session, city).submit(_draft(), resident)
        assert await status.move(session, item.id, item.kind, item.status, Status.IN_PROGRESS,
                                 actor="platform", note="assigned")
        await session.commit()
        with pytest.raises(status.IllegalMove):
            await status.move(session, item.id, item.kind, Status.IN_PROGRESS, Status.COLLECTING, actor="platform")
        # A second move from the old status finds the item gone on: nothing is written.
        assert not await status.move(session, item.id, item.kind, Status.RECEIVED, Status.CLOSED, actor="platform")
        await session.commit()
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT from_status, to_status, actor, note FROM status_events ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [
        (None, "received", f"resident:{resident.id}", None),
        ("received", "in_progress", "platform", "assigned"),
    ]


async def test_draft_with_codes_no_longer_in_the_city_file_is_refused(engine, city):
    factory = create_session_factory(engine)
    resident = await _resident(factory)
    async with factory() as session:
        with pytest.raises(IncompleteDraft) as info:
            await FilingService(session, city).submit(_draft(district="atlantis", category="zoo"), resident)
    assert info.value.missing == ["category", "district"]
