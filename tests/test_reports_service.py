"""Reports and moderators' decisions through the services, on SQLite and PostgreSQL: once per
resident and target, never one's own, the day's limit, the threshold that hides, the queue,
and decisions that check the role and refuse a second decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.repositories.officials import OfficialsRepository
from storage.services.filing import FilingService
from storage.services.items import ItemQueries
from storage.services.moderation import BanLength, DecisionOutcome, ModerationService
from storage.services.notifications import Notifier
from storage.services.participation import ParticipationService
from storage.services.reports import ReportOutcome, ReportService
from storage.vocabulary import ModerationDecision, ReportTarget, Role
from tests.test_participation_service import _residents

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _limited(city, **limits):
    return city.model_copy(update={"moderation": city.moderation.model_copy(update=limits)})


async def _rows(engine, query, **params):
    async with engine.connect() as connection:
        return [dict(r._mapping) for r in (await connection.execute(text(query), params)).all()]


async def _complaint(factory, city, filer, title="Broken bench in the park", clock=None):
    draft = Draft(kind=Kind.COMPLAINT, category="roads", district="dong", title=title,
                  body="The bench by the pond has a broken slat.", anonymous=False)
    async with factory() as session:
        item, _ = await FilingService(session, city, clock or ManualClock(START)).submit(draft, filer)
    return item


async def _report(factory, city, clock, resident, target, target_id, reason="spam"):
    async with factory() as session:
        return await ReportService(session, city, clock).report(resident.id, target, target_id, reason)


async def _moderator(factory, resident):
    async with factory() as session:
        await OfficialsRepository(session).grant(resident.id, Role.MODERATOR, None, "test")
        await session.commit()


async def test_once_per_resident_never_ones_own_and_the_days_limit(engine, city):
    factory, clock = create_session_factory(engine), ManualClock(START)
    city = _limited(city, reports_per_day=2, report_threshold=50)
    filer, reporter = await _residents(factory, 2)
    items = [await _complaint(factory, city, filer, f"Broken bench number {n}") for n in range(3)]
    own = await _report(factory, city, clock, filer, ReportTarget.ITEM, items[0].id)
    assert own.outcome is ReportOutcome.OWN
    first = await _report(factory, city, clock, reporter, ReportTarget.ITEM, items[0].id)
    again = await _report(factory, city, clock, reporter, ReportTarget.ITEM, items[0].id, "other")
    assert (first.outcome, again.outcome) == (ReportOutcome.DONE, ReportOutcome.ALREADY)
    clock.advance(hours=1)
    await _report(factory, city, clock, reporter, ReportTarget.ITEM, items[1].id)
    clock.advance(hours=1)
    refused = await _report(factory, city, clock, reporter, ReportTarget.ITEM, items[2].id)
    assert refused.outcome is ReportOutcome.LIMIT and refused.retry_at == START + dt.timedelta(hours=24)
    assert await _rows(engine, "SELECT resident_id, target_id, reason FROM reports ORDER BY id") == [
        {"resident_id": reporter.id, "target_id": items[0].id, "reason": "spam"},
        {"resident_id": reporter.id, "target_id": items[1].id, "reason": "spam"}]
    clock.now = START + dt.timedelta(hours=24)  # the first report leaves the window
    allowed = await _report(factory, city, clock, reporter, ReportTarget.ITEM, items[2].id)
    assert allowed.outcome is ReportOutcome.DONE
    missing = await _report(factory, city, clock, reporter, ReportTarget.COMMENT, 2_000_000)
    assert missing.outcome is ReportOutcome.UNAVAILABLE


async def test_the_threshold_hides_an_item_and_queues_the_pushes_without_a_status_notice(engine, city):
    factory, clock = create_session_factory(engine), ManualClock(START)
    filer, moderator, *reporters = await _residents(factory, 5)
    await _moderator(factory, moderator)
    item = await _complaint(factory, city, filer)
    results = [await _report(factory, city, clock, r, ReportTarget.ITEM, item.id, reason)
               for r, reason in zip(reporters, ["spam", "offensive", "spam"], strict=True)]
    assert [r.hidden for r in results] == [False, False, True]
    assert await _rows(engine, "SELECT status FROM items") == [{"status": "hidden"}]
    events = await _rows(engine, "SELECT from_status, to_status, actor, note FROM status_events WHERE to_status = 'hidden'")
    assert events == [{"from_status": "received", "to_status": "hidden", "actor": "system", "note": "reports"}]
    async with factory() as session:
        await Notifier(session, city).run(clock())
    queued = await _rows(engine, "SELECT resident_id, kind FROM outbox WHERE kind IN ('moderation', 'moderated', 'status')")
    # The filer hears of it once, politely (MODERATED); the Notifier skips moderation's own event.
    assert queued == [{"resident_id": moderator.id, "kind": "moderation"}, {"resident_id": filer.id, "kind": "moderated"}]
    late = await _report(factory, city, clock, reporters[0], ReportTarget.ITEM, item.id)
    assert late.outcome is ReportOutcome.UNAVAILABLE  # hidden: nothing left to report

    async with factory() as session:
        cases, total = await ModerationService(session, clock).queue(5)
    assert total == 1 and cases[0].reasons == {"spam": 2, "offensive": 1}
    clock.advance(minutes=5)
    async with factory() as session:
        service = ModerationService(session, clock)
        refused = await service.decide(filer.id, ReportTarget.ITEM, item.id, ModerationDecision.RESTORE)
        done = await service.decide(moderator.id, ReportTarget.ITEM, item.id, ModerationDecision.RESTORE)
        second = await service.decide(moderator.id, ReportTarget.ITEM, item.id, ModerationDecision.BAN, BanLength.DAY)
    assert refused.outcome is DecisionOutcome.NOT_MODERATOR and done.outcome is DecisionOutcome.DONE
    assert second.outcome is DecisionOutcome.DECIDED and second.by.decision == "restore"
    assert await _rows(engine, "SELECT status FROM items") == [{"status": "received"}]
    restored = await _rows(engine, "SELECT from_status, to_status, actor FROM status_events ORDER BY id DESC LIMIT 1")
    assert restored == [{"from_status": "hidden", "to_status": "received", "actor": f"moderator:{moderator.id}"}]
    assert await _rows(engine, "SELECT count(*) AS n FROM reports WHERE cleared_at IS NULL") == [{"n": 0}]
    assert await _rows(engine, "SELECT banned_until FROM residents WHERE id = :id", id=filer.id) == [{"banned_until": None}]


async def test_a_hidden_comment_leaves_the_list_and_its_stance_still_counts(engine, city):
    factory, clock = create_session_factory(engine), ManualClock(START)
    filer, author, one, two, moderator = await _residents(factory, 5)
    await _moderator(factory, moderator)
    draft = Draft(kind=Kind.PROPOSAL, category="roads", district="dong", title="Shade over the bus stops",
                  body="Bus stops need shade.", anonymous=False)
    async with factory() as session:
        item, _ = await FilingService(session, city, clock).submit(draft, filer)
    async with factory() as session:
        participation = ParticipationService(session, clock)
        await participation.endorse(item.id, one.id)
        await participation.endorse(item.id, two.id)
        await participation.take_stance(item.id, author.id, "oppose", "Nonsense <&> spam")
        await participation.take_stance(item.id, one.id, "support", "Good idea")
    (stance,) = await _rows(engine, "SELECT id FROM stances WHERE resident_id = :id", id=author.id)
    city = _limited(city, report_threshold=2)
    for reporter in (one, two):
        await _report(factory, city, clock, reporter, ReportTarget.COMMENT, stance["id"], "offensive")
    async with factory() as session:
        rows, _, _ = await ItemQueries(session).comments(item.id, 0, 5)
        counts = await ItemQueries(session).participation.stance_counts(item.id)
    assert [r.comment for r in rows] == ["Good idea"] and counts == {"oppose": 1, "support": 1}
    clock.advance(minutes=1)
    async with factory() as session:
        result = await ModerationService(session, clock).decide(
            moderator.id, ReportTarget.COMMENT, stance["id"], ModerationDecision.BAN, BanLength.FOREVER)
    assert result.outcome is DecisionOutcome.DONE
    (banned,) = await _rows(engine, "SELECT banned_until FROM residents WHERE id = :id", id=author.id)
    assert str(banned["banned_until"]).startswith("9999-12-31")
    assert await _rows(engine, "SELECT decision, moderator_id, note FROM moderation_decisions") == [
        {"decision": "ban", "moderator_id": moderator.id, "note": "offensive"}]
    async with factory() as session:
        assert (await ModerationService(session, clock).queue(5))[1] == 0
