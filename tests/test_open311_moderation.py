"""An item an Open311 client filed has no resident behind it: residents' reports hide it like any
item and reach the moderators, but there is no author to tell or to ban; Restore brings it back
and Keep hidden keeps it, on SQLite and PostgreSQL."""

from __future__ import annotations

from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.services.moderation import BanLength, DecisionOutcome, ModerationService
from storage.services.open311 import Open311Service
from storage.services.reports import ReportService
from storage.vocabulary import ModerationDecision, ReportTarget
from tests.open311 import KEY, api_city
from tests.test_participation_service import _residents
from tests.test_reports_service import START, _moderator, _rows


async def _hidden_api_item(engine, city, clock) -> tuple[int, list]:  # type: ignore[no-untyped-def]
    factory = create_session_factory(engine)
    async with factory() as session:
        filed = await Open311Service(session, city, clock).file(KEY, {
            "service_code": ["roads"], "lat": ["35.1330"], "long": ["126.9026"],
            "description": ["Buy cheap watches at my shop, best prices in town."]})
    (item,) = await _rows(engine, "SELECT id FROM items WHERE public_number = :n", n=filed.number)
    moderator, *reporters = await _residents(factory, 1 + city.moderation.report_threshold)
    await _moderator(factory, moderator)
    for reporter in reporters:
        async with factory() as session:
            await ReportService(session, city, clock).report(reporter.id, ReportTarget.ITEM, item["id"], "spam")
    return item["id"], [moderator, *reporters]


async def test_reports_hide_an_api_item_and_a_ban_has_no_one_to_reach(engine, city):
    city, clock = api_city(city), ManualClock(START)
    item_id, (moderator, *_) = await _hidden_api_item(engine, city, clock)
    assert (await _rows(engine, "SELECT status FROM items"))[0]["status"] == "hidden"
    kinds = await _rows(engine, "SELECT kind, resident_id FROM outbox WHERE kind LIKE 'moderat%' ORDER BY id")
    assert kinds == [{"kind": "moderation", "resident_id": moderator.id}]  # no author to tell "under review"

    factory = create_session_factory(engine)
    async with factory() as session:
        banned = await ModerationService(session, clock).decide(moderator.id, ReportTarget.ITEM, item_id,
                                                                ModerationDecision.BAN, BanLength.WEEK)
    assert banned.outcome is DecisionOutcome.UNAVAILABLE
    assert await _rows(engine, "SELECT id FROM moderation_decisions") == []
    assert await _rows(engine, "SELECT id FROM residents WHERE banned_until IS NOT NULL") == []
    async with factory() as session:
        restored = await ModerationService(session, clock).decide(moderator.id, ReportTarget.ITEM, item_id,
                                                                  ModerationDecision.RESTORE)
    assert restored.outcome is DecisionOutcome.DONE
    assert (await _rows(engine, "SELECT status FROM items"))[0]["status"] == "received"
    assert await _rows(engine, "SELECT kind FROM outbox WHERE kind = 'moderated'") == []
