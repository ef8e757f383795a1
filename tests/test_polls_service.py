"""Answering and counting polls, on SQLite and PostgreSQL: counts by option and district (in
SQL), a changed answer, toggling in multiple choice, a closed poll refusing, two taps of one
resident at once leaving one answer, forged taps storing nothing, who a poll asks, closing
once (with the charts drawn holding no write lock, and drawn again when an answer in flight
lands), and the admins' actions refused to anyone else."""

from __future__ import annotations

import asyncio
import datetime as dt
import struct
import threading

import pytest
from sqlalchemy import func, select, text

from bot.charts import PNG_SIGNATURE
from bot.poll_closing import close_polls
from storage.audience import Audience
from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.models import Broadcast, OfficialRole, OutboxMessage, PollAnswer, PollChoice, Resident
from storage.repositories import polls as repository
from storage.services.polls import AnswerRefused, PollDraft, PollRefused, PollService
from storage.vocabulary import Role

FIRST = 930_000


def draft(clock, audience: Audience | None = None, multiple: bool = False, options: int = 3) -> PollDraft:
    return PollDraft(question={"ko": "금남로 차 없는 거리?", "en": "A car-free Geumnam-ro?"},
                     options=[{"ko": f"선택 {n}", "en": f"Option {n}"} for n in range(1, options + 1)],
                     audience=audience or Audience(everyone=True), closes_at=clock() + dt.timedelta(days=2),
                     multiple=multiple)


async def seed(engine, people: dict[str, tuple[str | None, str]], admin: str | None = None) -> dict[str, int]:
    """name -> resident id; each (district, broadcasts setting)."""
    ids = {}
    async with create_session_factory(engine)() as session:
        for n, (name, (district, scope)) in enumerate(people.items()):
            resident = Resident(telegram_id=FIRST + n, language="ko" if n % 2 else "en", district=district,
                                broadcasts=scope)
            session.add(resident)
            await session.flush()
            ids[name] = resident.id
        if admin is not None:
            session.add(OfficialRole(resident_id=ids[admin], role=Role.ADMIN.value, granted_by="test"))
        await session.commit()
    return ids


PEOPLE = {"ara": ("nam", "all"), "bo": ("nam", "all"), "chul": ("buk", "all"), "dan": (None, "all")}


async def create(engine, city, clock, **kw) -> int:
    async with create_session_factory(engine)() as session:
        poll = await PollService(session, city, clock).create(None, draft(clock, **kw))
        return poll.id


async def tap(engine, city, clock, poll_id: int, resident_id: int, position: int):
    async with create_session_factory(engine)() as session:
        return await PollService(session, city, clock).answer(poll_id, resident_id, position)


async def results(engine, city, clock, poll_id: int):
    async with create_session_factory(engine)() as session:
        return await PollService(session, city, clock).results(poll_id)


async def count(engine, model) -> int:
    async with create_session_factory(engine)() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_counts_by_option_and_district_with_a_change(engine, city, clock):
    ids = await seed(engine, PEOPLE)
    poll = await create(engine, city, clock)
    for name, position in (("ara", 1), ("bo", 2), ("chul", 1), ("dan", 2)):
        await tap(engine, city, clock, poll, ids[name], position)
    view = await tap(engine, city, clock, poll, ids["bo"], 3)  # bo changes their mind
    assert view.chosen == {3}
    assert view.counts is not None and view.counts.chosen == {1: 2, 2: 1, 3: 1} and view.counts.answered == 4

    found = await results(engine, city, clock, poll)
    assert found.total.chosen == {1: 2, 2: 1, 3: 1} and found.total.answered == 4
    assert [(code, counts.chosen, counts.answered) for code, counts in found.by_district] == [
        ("nam", {1: 1, 3: 1}, 2), ("buk", {1: 1}, 1), (None, {2: 1}, 1)]
    assert found.audience_size == 4
    assert (await count(engine, PollAnswer), await count(engine, PollChoice)) == (4, 4)


async def test_the_district_is_the_one_at_answering(engine, city, clock):
    ids = await seed(engine, PEOPLE)
    poll = await create(engine, city, clock)
    await tap(engine, city, clock, poll, ids["ara"], 1)
    async with engine.begin() as connection:  # ara moves house after answering
        await connection.execute(text("UPDATE residents SET district = 'seo' WHERE id = :id"), {"id": ids["ara"]})
    assert [code for code, _ in (await results(engine, city, clock, poll)).by_district] == ["nam"]
    await tap(engine, city, clock, poll, ids["ara"], 2)  # a change records where they live now
    assert [code for code, _ in (await results(engine, city, clock, poll)).by_district] == ["seo"]


async def test_multiple_choice_toggles_and_an_empty_answer_is_deleted(engine, city, clock):
    ids = await seed(engine, PEOPLE)
    poll = await create(engine, city, clock, multiple=True)
    ara = ids["ara"]
    assert (await tap(engine, city, clock, poll, ara, 1)).chosen == {1}
    assert (await tap(engine, city, clock, poll, ara, 3)).chosen == {1, 3}
    assert (await tap(engine, city, clock, poll, ara, 1)).chosen == {3}
    view = await tap(engine, city, clock, poll, ara, 3)
    assert view.chosen == frozenset() and view.counts is None
    assert (await count(engine, PollAnswer), await count(engine, PollChoice)) == (0, 0)
    await tap(engine, city, clock, poll, ara, 2)
    await tap(engine, city, clock, poll, ids["bo"], 2)
    await tap(engine, city, clock, poll, ids["bo"], 1)
    found = await results(engine, city, clock, poll)
    assert found.total.chosen == {1: 1, 2: 2} and found.total.answered == 2
    assert found.total.share(2) == 1.0  # shares are of residents who answered


async def test_single_choice_tapping_the_same_option_keeps_it(engine, city, clock):
    ids = await seed(engine, PEOPLE)
    poll = await create(engine, city, clock)
    await tap(engine, city, clock, poll, ids["ara"], 2)
    assert (await tap(engine, city, clock, poll, ids["ara"], 2)).chosen == {2}
    assert (await count(engine, PollChoice)) == 1


async def test_a_closed_poll_takes_no_answer(engine, city, clock):
    ids = await seed(engine, PEOPLE)
    poll = await create(engine, city, clock)
    await tap(engine, city, clock, poll, ids["ara"], 1)
    clock.advance(days=2)  # its closing time has come, before the worker closed it
    with pytest.raises(AnswerRefused) as refused:
        await tap(engine, city, clock, poll, ids["bo"], 1)
    assert refused.value.reason == "closed"
    with pytest.raises(AnswerRefused):
        await tap(engine, city, clock, poll, ids["ara"], 2)  # nor a change
    async with create_session_factory(engine)() as session:
        view = await PollService(session, city, clock).view(poll, ids["ara"])
    assert view is not None and view.poll.closed and view.chosen == {1}
    assert (await count(engine, PollAnswer)) == 1


async def test_forged_taps_store_nothing(engine, city, clock):
    ids = await seed(engine, PEOPLE)
    poll = await create(engine, city, clock, options=2)
    nam_only = await create(engine, city, clock, audience=Audience(districts=("nam",)))
    for poll_id, resident, position, reason in ((poll + 1000, ids["ara"], 1, "unknown"),
                                                (poll, ids["ara"], 3, "unknown"),
                                                (poll, ids["ara"], 0, "unknown"),
                                                (nam_only, ids["chul"], 1, "not-asked")):
        with pytest.raises(AnswerRefused) as refused:
            await tap(engine, city, clock, poll_id, resident, position)
        assert refused.value.reason == reason
    assert (await count(engine, PollAnswer), await count(engine, PollChoice)) == (0, 0)


@pytest.mark.parametrize("multiple", [False, True])
async def test_two_taps_of_one_resident_at_once_make_one_answer(engine, city, clock, multiple):
    ids = await seed(engine, PEOPLE)
    poll = await create(engine, city, clock, multiple=multiple)
    for _ in range(5):
        await asyncio.gather(tap(engine, city, clock, poll, ids["ara"], 1), tap(engine, city, clock, poll, ids["ara"], 2))
        assert await count(engine, PollAnswer) in (0, 1)
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT poll_id, resident_id FROM poll_answers"))).all()
    assert len(rows) <= 1 and len(set(rows)) == len(rows)
    if not multiple:  # whichever came last is the one choice
        assert (await count(engine, PollAnswer), await count(engine, PollChoice)) == (1, 1)


async def test_who_a_poll_asks(engine, city, clock):
    people = {**PEOPLE, "eun": ("buk", "none")}  # opted out of broadcasts: still asked, not pushed
    ids = await seed(engine, people)
    everyone = await create(engine, city, clock)
    nam = await create(engine, city, clock, audience=Audience(districts=("nam",)))
    closed = await create(engine, city, clock)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE polls SET closed_at = created_at WHERE id = :id"), {"id": closed})
    async with create_session_factory(engine)() as session:
        service = PollService(session, city, clock)
        assert [p.poll.id for p in await service.open_polls_for(ids["ara"])] == [everyone, nam]
        assert [p.poll.id for p in await service.open_polls_for(ids["eun"])] == [everyone]
    await tap(engine, city, clock, everyone, ids["eun"], 1)
    async with create_session_factory(engine)() as session:
        listed = await PollService(session, city, clock).open_polls_for(ids["eun"])
    assert [(p.poll.id, p.answered) for p in listed] == [(everyone, True)]
    async with engine.connect() as connection:  # the question was not pushed to eun
        pushed = (await connection.execute(text("SELECT resident_id FROM outbox WHERE resident_id = :id"),
                                           {"id": ids["eun"]})).all()
    assert pushed == []


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE) and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


async def test_closing_runs_once_and_queues_the_chart(engine, city, clock):
    ids = await seed(engine, PEOPLE, admin="dan")
    poll = await create(engine, city, clock)
    await tap(engine, city, clock, poll, ids["ara"], 1)
    await tap(engine, city, clock, poll, ids["chul"], 2)
    factory = create_session_factory(engine)
    assert await close_polls(factory, city, clock) == 0  # not yet
    clock.advance(days=2, seconds=1)
    done = await asyncio.gather(close_polls(factory, city, clock), close_polls(factory, city, clock))
    assert sorted(done) == [0, 1]
    async with factory() as session:
        broadcasts = (await session.execute(select(Broadcast.kind, Broadcast.id).where(Broadcast.poll_id == poll))).all()
        assert sorted(kind for kind, _ in broadcasts) == ["poll", "poll_results"]
        results_id = next(i for kind, i in broadcasts if kind == "poll_results")
        queued = (await session.execute(select(OutboxMessage.resident_id, OutboxMessage.kind)
                                        .where(OutboxMessage.broadcast_id == results_id))).all()
        assert sorted(queued) == sorted((ids[name], "poll_results") for name in ("ara", "chul", "dan"))
    async with engine.connect() as connection:
        photos = (await connection.execute(text("SELECT language, data FROM broadcast_photos WHERE broadcast_id = :id "
                                                "ORDER BY language"), {"id": results_id})).all()
        closed_at = (await connection.execute(text("SELECT closed_at FROM polls WHERE id = :id"), {"id": poll})).scalar()
    assert [language for language, _ in photos] == ["en", "ko"]
    for _, png in photos:
        width, height = png_size(bytes(png))
        assert width == 1000 and 400 < height < 3000 and 10_000 < len(png) < 3_000_000
    assert closed_at is not None
    assert await close_polls(factory, city, clock) == 0


async def test_admin_actions_are_for_admins(engine, city, clock):
    ids = await seed(engine, PEOPLE, admin="dan")
    poll = await create(engine, city, clock)
    async with create_session_factory(engine)() as session:
        service = PollService(session, city, clock)
        for action in (service.overview(ids["ara"]), service.admin_results(ids["ara"], poll),
                       service.close_now(ids["ara"], poll)):
            with pytest.raises(PollRefused):
                await action
        assert [r.poll.id for r in await service.overview(ids["dan"])] == [poll]
        assert await service.close_now(ids["dan"], poll) is True
        assert await service.close_now(ids["dan"], poll) is False
    with pytest.raises(AnswerRefused):
        await tap(engine, city, clock, poll, ids["ara"], 1)


async def test_an_answer_in_flight_is_counted_before_the_poll_closes(engine, city, clock, monkeypatch):
    """The closing waits for an answer that found the poll open (FOR SHARE on PostgreSQL, the
    write lock on SQLite), so the results it counts include it, and none comes after."""
    charted: list[int] = []

    def chart(results, _words) -> bytes:  # type: ignore[no-untyped-def]
        charted.append(results.total.answered)
        return PNG_SIGNATURE + str(results.total.answered).encode()

    monkeypatch.setattr("bot.poll_charts.results_png", chart)
    ids = await seed(engine, PEOPLE, admin="dan")
    poll = await create(engine, city, clock)
    factory = create_session_factory(engine)
    later = ManualClock(clock() + dt.timedelta(days=2, seconds=1))
    async with factory() as session:
        assert await repository.open_poll_locked(session, poll, clock()) is not None  # ara's tap, still open
        closing = asyncio.create_task(close_polls(factory, city, later))
        await asyncio.sleep(1.0)
        assert not closing.done()  # waits for the answer in flight
        answer = await repository.answer_row(session, poll, ids["ara"], clock())
        await repository.pick(session, answer, await repository.option_id(session, poll, 1))
        await session.commit()
    assert await closing == 1
    assert charted[-2:] == [1, 1]  # drawn again if it was drawn before ara's answer landed
    async with factory() as session:
        results_id = (await session.execute(select(Broadcast.id).where(Broadcast.kind == "poll_results"))).scalar_one()
        told = (await session.execute(select(OutboxMessage.resident_id)
                                      .where(OutboxMessage.broadcast_id == results_id))).scalars().all()
    assert sorted(told) == sorted([ids["ara"], ids["dan"]])  # ara answered in time and hears the results
    async with engine.connect() as connection:
        sent = (await connection.execute(text("SELECT data FROM broadcast_photos WHERE broadcast_id = :id"),
                                         {"id": results_id})).scalars().all()
    assert sorted(bytes(png) for png in sent) == [PNG_SIGNATURE + b"1"] * 2  # the charts that count it
    with pytest.raises(AnswerRefused):
        await tap(engine, city, later, poll, ids["bo"], 1)


async def test_the_charts_are_drawn_holding_no_write_lock(engine, city, clock, monkeypatch):
    """Drawing a big poll's charts takes seconds; on SQLite a write transaction open meanwhile
    would lock out every resident's write. A resident's write goes through while they are drawn."""
    drawing, finish = threading.Event(), threading.Event()

    def chart(_results, _words) -> bytes:  # type: ignore[no-untyped-def]
        drawing.set()
        finish.wait(30)
        return PNG_SIGNATURE

    monkeypatch.setattr("bot.poll_charts.results_png", chart)
    ids = await seed(engine, PEOPLE, admin="dan")
    await create(engine, city, clock)
    clock.advance(days=2, seconds=1)
    closing = asyncio.create_task(close_polls(create_session_factory(engine), city, clock))
    try:
        assert await asyncio.to_thread(drawing.wait, 30)
        async with asyncio.timeout(3):
            async with engine.begin() as connection:
                await connection.execute(text("UPDATE residents SET language = 'ko' WHERE id = :id"),
                                         {"id": ids["ara"]})
    finally:
        finish.set()
    assert await closing == 1
