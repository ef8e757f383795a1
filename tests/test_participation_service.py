"""Endorsements, stances and the lifecycle sweep against real databases."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import text

from storage.clock import ManualClock
from storage.database import create_engine, create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.services import status
from storage.services.filing import FilingService
from storage.services.participation import Outcome, ParticipationService
from storage.services.residents import ResidentService, TelegramPerson
from storage.services.sweep import LifecycleSweep


async def _residents(factory, count, start=100):
    result = []
    async with factory() as session:
        service = ResidentService(session, "ko")
        for n in range(start, start + count):
            resident, _ = await service.identify(TelegramPerson(n, f"Resident {n}", None, "ko"))
            result.append(resident)
    return result


async def _proposal(factory, city, filer, title="Free Wi-Fi at bus stops"):
    draft = Draft(kind=Kind.PROPOSAL, category="roads", district="dong", title=title,
                  body="Every covered bus stop should have free public Wi-Fi.", anonymous=False)
    async with factory() as session:
        item, _ = await FilingService(session, city).submit(draft, filer)
    return item


async def _scalar(engine, query, **params):
    async with engine.connect() as connection:
        return (await connection.execute(text(query), params)).scalar()


async def test_endorse_withdraw_and_rules(engine, city):
    factory = create_session_factory(engine)
    clock = ManualClock()
    filer, resident = await _residents(factory, 2)
    item = await _proposal(factory, city, filer)

    async def call(method, who):
        async with factory() as session:
            return await getattr(ParticipationService(session, clock), method)(item.id, who.id)

    assert (await call("endorse", filer)).outcome is Outcome.OWN_ITEM
    assert (await call("withdraw", resident)).outcome is Outcome.ALREADY
    first = await call("endorse", resident)
    assert (first.outcome, first.count, first.moved_to) == (Outcome.DONE, 1, None)
    assert (await call("endorse", resident)).outcome is Outcome.ALREADY
    assert (await call("withdraw", resident)).count == 0
    assert (await call("endorse", resident)).count == 1
    following = await _scalar(engine, "SELECT count(*) FROM follows WHERE item_id = :i", i=item.id)
    assert following == 2  # the filer and the endorser
    clock.advance(days=31)
    assert (await call("endorse", filer)).outcome is Outcome.OWN_ITEM
    assert (await call("withdraw", resident)).outcome is Outcome.CLOSED
    newcomer = (await _residents(factory, 1, start=900))[0]
    assert (await call("endorse", newcomer)).outcome is Outcome.CLOSED


async def test_simultaneous_endorsements_through_two_pools(engine, city, database_url):
    """N residents endorse at once through two connection pools: count N, one crossing."""
    second_engine = create_engine(database_url)
    try:
        factories = [create_session_factory(engine), create_session_factory(second_engine)]
        clock = ManualClock()
        filer, *residents = await _residents(factories[0], 25)
        item = await _proposal(factories[0], city, filer)  # the test city's goal is 2

        async def endorse(n, resident):
            async with factories[n % 2]() as session:
                return await ParticipationService(session, clock).endorse(item.id, resident.id)

        results = await asyncio.gather(*(endorse(n, r) for n, r in enumerate(residents)))
        moved = [r for r in results if r.moved_to]
        assert len(moved) == 1
        done = [r for r in results if r.outcome is Outcome.DONE]
        count = await _scalar(engine, "SELECT endorsement_count FROM items WHERE id = :i", i=item.id)
        rows = await _scalar(engine, "SELECT count(*) FROM endorsements WHERE item_id = :i", i=item.id)
        assert count == rows == len(done) >= 2
        # After the crossing the proposal is in discussion: later taps are refused, not counted.
        assert all(r.outcome in (Outcome.DONE, Outcome.CLOSED) for r in results)
        events = await _scalar(engine, "SELECT count(*) FROM status_events WHERE item_id = :i "
                                       "AND to_status = 'discussion'", i=item.id)
        assert events == 1

        async def double_tap(n):
            async with factories[n % 2]() as session:
                return await ParticipationService(session, clock).endorse(other.id, residents[0].id)

        other = await _proposal(factories[0], city, filer, "Longer library hours")
        taps = await asyncio.gather(*(double_tap(n) for n in range(10)))
        assert sum(t.outcome is Outcome.DONE for t in taps) == 1
        assert await _scalar(engine, "SELECT endorsement_count FROM items WHERE id = :i", i=other.id) == 1
    finally:
        await second_engine.dispose()


async def test_stance_counts_participants_once(engine, city):
    factory = create_session_factory(engine)
    clock = ManualClock()
    filer, a, b = await _residents(factory, 3)
    item = await _proposal(factory, city, filer)
    async with factory() as session:
        service = ParticipationService(session, clock)
        assert (await service.take_stance(item.id, a.id, "support", None)).outcome is Outcome.CLOSED
        await service.endorse(item.id, a.id)
        await service.endorse(item.id, b.id)  # goal 2: discussion opens
        assert (await service.take_stance(item.id, a.id, "support", "Yes!")).count == 1
        assert (await service.take_stance(item.id, a.id, "oppose", "Changed my mind")).count == 1
        assert (await service.take_stance(item.id, b.id, "neutral", None)).count == 2
    stances = await _scalar(engine, "SELECT stance FROM stances WHERE resident_id = :r", r=a.id)
    assert stances == "oppose"


async def test_sweep_expires_and_ends_discussions(engine, city, database_url):
    factory = create_session_factory(engine)
    clock = ManualClock()
    filer, a, b, c = await _residents(factory, 4)
    quiet = await _proposal(factory, city, filer, "Quiet proposal")
    popular = await _proposal(factory, city, filer, "Popular proposal")
    lively = await _proposal(factory, city, filer, "Lively proposal")
    clock.advance(days=10)  # support arrives later; discussions end 30 days after that
    async with factory() as session:
        service = ParticipationService(session, clock)
        for item in (popular, lively):
            await service.endorse(item.id, a.id)
            await service.endorse(item.id, b.id)
        for who in (a, b, c):  # the test city needs 3 participants for review
            await service.take_stance(lively.id, who.id, "support", None)

    async with factory() as session:
        assert await LifecycleSweep(session, clock, city).run() == []
    clock.advance(days=20, seconds=1)  # the quiet one's 30-day window has passed
    second = create_engine(database_url)
    try:
        async def sweep(f):
            async with f() as session:
                return await LifecycleSweep(session, clock, city).run()

        # Two workers at once: each item moves exactly once.
        first_moves, second_moves = await asyncio.gather(sweep(factory), sweep(create_session_factory(second)))
        moves = {(m.item_id, m.target) for m in first_moves + second_moves}
        assert moves == {(quiet.id, "expired")}
        assert len(first_moves) + len(second_moves) == 1
        clock.advance(days=10)
        moves = await sweep(factory) + await sweep(create_session_factory(second))
    finally:
        await second.dispose()
    assert {(m.item_id, m.target) for m in moves} == {(popular.id, "expired"), (lively.id, "review")}
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT item_id, from_status, to_status, actor FROM status_events "
            "WHERE actor = 'system' ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [
        (popular.id, "collecting", "discussion", "system"),
        (lively.id, "collecting", "discussion", "system"),
        (quiet.id, "collecting", "expired", "system"),
        (lively.id, "discussion", "review", "system"),
        (popular.id, "discussion", "expired", "system"),
    ]


async def test_browse_sorts_filters_and_searches(engine, city):
    from storage.services.browse import BrowseFilter, BrowseService, Sort

    factory = create_session_factory(engine)
    clock = ManualClock()
    filer, a, b = await _residents(factory, 3)
    await _proposal(factory, city, filer, "Old bench repair")
    clock.advance(days=5)
    popular = await _proposal(factory, city, filer, "Popular 100% shade plan")
    async with factory() as session:
        service = ParticipationService(session, clock)
        await service.endorse(popular.id, a.id)
        draft = Draft(kind=Kind.COMPLAINT, category="officials", district="dong", title="Rude clerk",
                      body="A clerk was rude at the district office.", anonymous=True)
        await FilingService(session, city).submit(draft, b)  # private: never listed

    async def titles(**wanted):
        async with factory() as session:
            page = await BrowseService(session, clock).page(BrowseFilter(**wanted), 0, 8)
        return [item.title for item in page.items]

    assert await titles() == ["Popular 100% shade plan", "Old bench repair"]  # newest first, no private
    assert await titles(sort=Sort.MOST_ENDORSED) == ["Popular 100% shade plan", "Old bench repair"]
    assert await titles(sort=Sort.ENDING_SOON) == ["Old bench repair", "Popular 100% shade plan"]
    assert await titles(query="bench") == ["Old bench repair"]
    assert await titles(query="100%") == ["Popular 100% shade plan"]  # % is a character, not a wildcard
    assert await titles(query="%") == ["Popular 100% shade plan"]
    assert await titles(kind="complaint") == []
    assert await titles(district="seo") == []


async def test_endorsements_stop_exactly_at_the_goal(engine, city, database_url):
    """Three times as many residents as the goal, each tapping three times, through two
    pools: the count stops at exactly the goal, with one move to discussion (issue 8.3)."""
    goal, crowd = 40, 120
    second_engine = create_engine(database_url)
    try:
        factories = [create_session_factory(engine), create_session_factory(second_engine)]
        clock = ManualClock()
        filer, *residents = await _residents(factories[0], crowd + 1, start=5000)
        item = await _proposal(factories[0], city, filer)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE items SET endorsement_goal = :g WHERE id = :i"),
                                     {"g": goal, "i": item.id})
        taps = [resident for resident in residents for _ in range(3)]
        random.Random(8).shuffle(taps)

        async def endorse(n, resident):
            async with factories[n % 2]() as session:
                return await ParticipationService(session, clock).endorse(item.id, resident.id)

        results = await asyncio.gather(*(endorse(n, r) for n, r in enumerate(taps)))
        assert sum(r.outcome is Outcome.DONE for r in results) == goal
        assert sum(bool(r.moved_to) for r in results) == 1
        assert {r.outcome for r in results} <= {Outcome.DONE, Outcome.ALREADY, Outcome.CLOSED}
        count = await _scalar(engine, "SELECT endorsement_count FROM items WHERE id = :i", i=item.id)
        rows = await _scalar(engine, "SELECT count(*) FROM endorsements WHERE item_id = :i", i=item.id)
        assert count == rows == goal
        assert await _scalar(engine, "SELECT status FROM items WHERE id = :i", i=item.id) == "discussion"
        events = await _scalar(engine, "SELECT count(*) FROM status_events WHERE item_id = :i "
                                       "AND to_status = 'discussion'", i=item.id)
        assert events == 1
    finally:
        await second_engine.dispose()


async def test_withdrawals_and_a_hide_racing_endorsements_keep_count_equal_to_rows(engine, city, database_url):
    """Endorse, withdraw and a moderator's hide at once: nothing is counted after the hide,
    and the counter always equals the rows."""
    second_engine = create_engine(database_url)
    try:
        factories = [create_session_factory(engine), create_session_factory(second_engine)]
        clock = ManualClock()
        filer, *residents = await _residents(factories[0], 41, start=7000)
        item = await _proposal(factories[0], city, filer)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE items SET endorsement_goal = 1000 WHERE id = :i"), {"i": item.id})

        async def act(n, method, resident):
            async with factories[n % 2]() as session:
                return await getattr(ParticipationService(session, clock), method)(item.id, resident.id)

        async def hide():
            await asyncio.sleep(0.01)
            async with factories[1]() as session:
                moved = await status.move(session, item.id, Kind.PROPOSAL, "collecting", "hidden", "moderator")
                await session.commit()
                return moved

        calls = [act(n, "endorse" if n % 3 else "withdraw", r) for n, r in enumerate(residents * 2)]
        *results, hidden = await asyncio.gather(*calls, hide())
        assert hidden
        late = await asyncio.gather(*(act(n, "endorse", r) for n, r in enumerate(residents[:5])))
        assert {r.outcome for r in late} == {Outcome.UNAVAILABLE}
        count = await _scalar(engine, "SELECT endorsement_count FROM items WHERE id = :i", i=item.id)
        rows = await _scalar(engine, "SELECT count(*) FROM endorsements WHERE item_id = :i", i=item.id)
        assert count == rows
    finally:
        await second_engine.dispose()
