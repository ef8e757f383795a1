"""Reports and moderation through the real polling loop and the fake Bot API server: residents
report a comment and an item, enough reports hide them everywhere, moderators get the push and
decide; refusals of anyone without the role, of a second report and of one's own item."""

from __future__ import annotations

import datetime as dt
import re

from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.repositories.officials import OfficialsRepository
from storage.services.filing import FilingService
from storage.services.participation import ParticipationService
from storage.services.reports import ReportService
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import ReportTarget, Role
from tests.outbox import deliver

REPORTERS = (21, 22, 23)
FORGED_TABLES = ("SELECT id, status FROM items ORDER BY id", "SELECT id, hidden FROM stances ORDER BY id",
                 "SELECT id, cleared_at FROM reports ORDER BY id", "SELECT * FROM moderation_decisions",
                 "SELECT id, banned_until FROM residents ORDER BY id", "SELECT id, kind FROM outbox ORDER BY id",
                 "SELECT id, to_status FROM status_events ORDER BY id")


async def _resident(harness, telegram_id, name, moderator=False):
    harness.fake.user(telegram_id, first_name=name, language_code="en")
    async with harness.app.session_factory() as session:
        resident, _ = await ResidentService(session, "en").identify(TelegramPerson(telegram_id, name, None, "en"))
        if moderator:
            await OfficialsRepository(session).grant(resident.id, Role.MODERATOR, None, "test")
        await session.commit()
    return resident


async def _file(harness, filer, kind, title, category="roads"):
    draft = Draft(kind=kind, category=category, district="dong", title=title,
                  body="Please look at this <&> soon.", anonymous=False)
    async with harness.app.session_factory() as session:
        item, _ = await FilingService(session, harness.app.city, harness.clock).submit(draft, filer)
    return item


async def _card(user, item):
    user.drain()  # the notices delivered so far name the title too
    await user.open_link(f"i_{item.public_token}")
    return await user.expect(item.title)


async def _comments(user, item):
    card = await _card(user, item)
    await user.press("💬 Discussion", message=card)
    await user.press("📜 Read comments", message=await user.expect("Discussion of"))
    return await user.expect("Comments on")


async def _report_comment(user, item, comment):
    listing = await _comments(user, item)
    await user.press("⚠️ Report a comment", message=listing)
    pick = await user.expect("Which comment")
    number = re.search(rf"(\d)\. {re.escape(comment)}", pick.text).group(1)
    await user.press(number, message=pick)
    await user.press("Spam or advertising", message=await user.expect("reporting this comment"))
    return await user.expect(lambda m: "Thank you" in m.body or "already" in m.body)


async def _report_item(user, item, reason="Offensive or abusive"):
    card = await _card(user, item)
    await user.press("⚠️ Report", message=card)
    await user.press(reason, message=await user.expect("reporting this item"))
    return await user.expect(lambda m: "Thank you" in m.body or "already" in m.body or "24 hours" in m.body)


def _push(user, contains):
    return next(m for m in reversed(user.messages()) if m.from_bot and contains in m.body)


async def test_three_reports_hide_a_comment_and_the_moderator_restores_it(harness):
    fake = harness.fake
    filer = await _resident(harness, 11, "Ara")
    author = await _resident(harness, 12, "Bo")
    first, second, third = [await _resident(harness, n, f"Reporter {n}") for n in REPORTERS]
    await _resident(harness, 9001, "Mod", moderator=True)
    item = await _file(harness, filer, Kind.PROPOSAL, "Shade over the bus stops")
    async with harness.app.session_factory() as session:
        participation = ParticipationService(session, harness.clock)
        await participation.endorse(item.id, first.id)
        await participation.endorse(item.id, second.id)
        await participation.take_stance(item.id, author.id, "oppose", "Buy cheap watches <&> here")
        await participation.take_stance(item.id, first.id, "support", "Good idea")
    await deliver(harness)

    for n in REPORTERS:
        assert "Thank you" in (await _report_comment(fake.user(n), item, "Buy cheap watches")).text
    assert await harness.sql("SELECT comment, hidden FROM stances ORDER BY id") == [
        {"comment": "Buy cheap watches <&> here", "hidden": True}, {"comment": "Good idea", "hidden": False}]
    listing = await _comments(fake.user(21), item)
    assert "Good idea" in listing.text and "watches" not in listing.text
    card = await _card(fake.user(21), item)
    assert "👎 1" in card.text  # the hidden comment's stance still counts

    await deliver(harness)
    moderator = fake.user(9001)
    push = _push(moderator, "Hidden after reports")
    assert "Buy cheap watches <&> here" in push.text and "Spam or advertising: 3" in push.text
    assert "under review" in _push(fake.user(12), "under review").text
    await moderator.press("↩️ Restore", message=push)
    await moderator.expect("Decision stored: restored")
    assert await harness.sql("SELECT hidden FROM stances WHERE resident_id = :id", id=author.id) == [{"hidden": False}]
    assert await harness.sql("SELECT count(*) AS n FROM reports WHERE cleared_at IS NULL") == [{"n": 0}]
    assert await harness.sql("SELECT target, decision FROM moderation_decisions") == [
        {"target": "comment", "decision": "restore"}]
    assert "Buy cheap watches" in (await _comments(fake.user(22), item)).text
    await deliver(harness)
    assert "shown again" in _push(fake.user(12), "shown again").text


async def test_three_reports_hide_an_item_everywhere_and_the_moderator_bans_its_author(harness):
    fake = harness.fake
    filer = await _resident(harness, 11, "Ara")
    for n in REPORTERS:
        await _resident(harness, n, f"Reporter {n}")
    await _resident(harness, 9001, "Mod", moderator=True)
    await _resident(harness, 9002, "Other Mod", moderator=True)
    item = await _file(harness, filer, Kind.COMPLAINT, "Pothole spam offer")
    share_link = f"i_{item.public_token}"
    await deliver(harness)

    own = await _card(fake.user(11), item)
    assert "⚠️ Report" not in own.button_texts()
    await fake.user(11).press_data(f"rep:item:{item.id}:spam", own)  # a forged report of one's own
    assert "your own" in (await fake.user(11).expect("cannot report")).text
    assert "Thank you" in (await _report_item(fake.user(21), item)).text
    assert "already reported" in (await _report_item(fake.user(21), item, "Something else")).text
    for n in REPORTERS[1:]:
        assert "Thank you" in (await _report_item(fake.user(n), item)).text
    assert await harness.sql("SELECT resident_id, reason FROM reports ORDER BY id") == [
        {"resident_id": rid, "reason": "offensive"} for rid in
        [r["id"] for r in await harness.sql("SELECT id FROM residents WHERE telegram_id IN (21, 22, 23) ORDER BY id")]]
    assert await harness.sql("SELECT status FROM items") == [{"status": "hidden"}]

    resident = fake.user(22)
    await resident.send_text("/browse")
    listing = await resident.expect("Browse")
    assert "Pothole" not in listing.body and not any("Pothole" in label for label in listing.button_texts())
    await resident.send_text("/search Pothole")
    found = await resident.expect("Nothing matches")
    assert not any("Pothole" in label for label in found.button_texts())
    await resident.open_link(share_link)
    await resident.expect("not available")
    stale_card = _push(resident, "Pothole spam offer")
    await resident.press("🔔 Follow", message=stale_card)
    assert "not available" in (await resident.expect_alert())["text"]
    async with harness.app.session_factory() as session:
        similar = await FilingService(session, harness.app.city, harness.clock).similar_open_items(Draft(
            kind=Kind.COMPLAINT, category="roads", district="dong", title="Pothole spam offer", body="x"))
    assert similar == []

    await deliver(harness)
    # The filer hears of the hiding once, politely: no status notice beside it.
    assert await harness.sql("SELECT kind FROM outbox WHERE chat_id = 11") == [{"kind": "moderated"}]
    assert "under review" in _push(fake.user(11), "under review").text
    moderator, other = fake.user(9001), fake.user(9002)
    await moderator.press("⛔ Ban author 1 day", message=_push(moderator, "Hidden after reports"))
    await moderator.expect("Decision stored: kept hidden and banned the author until")
    await other.press("🙈 Keep hidden", message=_push(other, "Hidden after reports"))
    assert "Already decided by Mod" in (await other.expect_alert())["text"]
    (banned,) = await harness.sql("SELECT banned_until FROM residents WHERE telegram_id = 11")
    assert banned["banned_until"] is not None
    decisions = await harness.sql("SELECT target, decision, note FROM moderation_decisions")
    assert decisions == [{"target": "item", "decision": "ban", "note": "offensive"}]
    assert await harness.sql("SELECT status FROM items") == [{"status": "hidden"}]
    await deliver(harness)
    assert "Mod decided on item" in _push(other, "decided on").text
    told = _push(fake.user(11), "stays hidden")
    assert "Offensive or abusive" in told.text and "You cannot post until" in told.text

    await other.send_text("/moderate")
    await other.expect("Nothing is waiting")


async def test_without_the_role_every_moderator_button_is_refused_and_nothing_changes(harness):
    fake = harness.fake
    filer = await _resident(harness, 11, "Ara")
    for n in REPORTERS:
        await _resident(harness, n, f"Reporter {n}")
    await _resident(harness, 9001, "Mod", moderator=True)
    item = await _file(harness, filer, Kind.COMPLAINT, "Pothole spam offer")
    for n in REPORTERS:
        await _report_item(fake.user(n), item)
    await deliver(harness)
    push = _push(fake.user(9001), "Hidden after reports")
    intruder = fake.user(21)
    await intruder.send_text("/moderate")
    await intruder.expect("for the city's moderators")
    before = [await harness.sql(q) for q in FORGED_TABLES]
    message = intruder.last_bot_message()
    for button in (b for row in push.inline_buttons() for b in row):
        await intruder.press_data(button["callback_data"], message)  # replayed from the moderator's push
        assert "Only moderators" in (await intruder.expect_alert())["text"]
    for data in (f"mod:ever:comment:{item.id}", "mod:ever:item:0", "mod:nuke:item:1", f"mod:restore:item:{item.id}:x"):
        await intruder.press_data(data, message)
        await intruder.expect_alert()
    assert [await harness.sql(q) for q in FORGED_TABLES] == before
    await fake.user(9001).send_text("/moderate")
    await fake.user(9001).expect("Waiting for moderation: 1")
    case = await fake.user(9001).expect("Hidden after reports")
    assert "Offensive or abusive: 3" in case.text and "🙈 Keep hidden" in case.button_texts()


async def test_the_days_report_limit_says_when_one_can_go_on(harness):
    fake, limit = harness.fake, harness.app.city.moderation.reports_per_day
    filer = await _resident(harness, 11, "Ara")
    reporter = await _resident(harness, 21, "Reporter")
    filers = [filer] + [await _resident(harness, 100 + n, f"Filer {n}") for n in range(limit)]
    # One filer each: a resident may file only items_per_day items a day.
    items = [await _file(harness, filers[n], Kind.COMPLAINT, f"Pothole number {n}") for n in range(limit + 1)]
    start = harness.clock()
    for item in items[:limit]:
        async with harness.app.session_factory() as session:
            await ReportService(session, harness.app.city, harness.clock).report(
                reporter.id, ReportTarget.ITEM, item.id, "other")
        harness.clock.advance(minutes=1)
    refused = await _report_item(fake.user(21), items[-1])
    expected = (start + dt.timedelta(hours=24 + 9)).strftime("%Y-%m-%d %H:%M")  # Asia/Seoul
    assert f"You can report again after {expected}" in refused.text
    assert len(await harness.sql("SELECT id FROM reports")) == limit
    harness.clock.now = start + dt.timedelta(hours=24)
    assert "Thank you" in (await _report_item(fake.user(21), items[-1])).text
