"""Resident text at its maximum, full of characters HTML escaping lengthens, on every screen that
shows it; and hostile input (forged callback data, control characters, unknown commands)."""

from __future__ import annotations

import asyncio
import logging

from storage.database import create_engine, create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.services.filing import FilingService
from storage.services.participation import ParticipationService
from storage.services.residents import ResidentService, TelegramPerson
from tests.flows import finish_filing, reach_district_step, start_filing, submit

TITLE = ("&<b>" * 25)[:100]  # the longest title, every character escaped
BODY = ('<i>"&' * 1000)[:4000]  # the longest description
COMMENT = ("<&>" * 334)[:1000]  # the longest comment
LIMIT = 4096


def _fits(message) -> str:
    assert len(message.body.encode("utf-16-le")) // 2 <= LIMIT
    return message.body


async def test_longest_texts_fit_preview_card_and_my_submissions(harness):
    resident = harness.fake.user(601, first_name="Max", language_code="en")
    await start_filing(resident, "complaint", "Roads and transport", "Dong-gu", TITLE, "en")
    preview = await finish_filing(resident, BODY, language="en")
    assert TITLE in _fits(preview) and "… (shortened)" in preview.body and BODY[:500] in preview.body
    await submit(resident, preview, "en")
    rows = await harness.sql("SELECT title, body FROM items")
    assert rows == [{"title": TITLE, "body": BODY}]  # stored whole; only what is shown is shortened

    await resident.send_text("📂 My submissions")
    listing = await resident.expect("My submissions")
    await resident.press(TITLE[:20], message=listing)
    detail = await resident.expect("Timeline")
    assert TITLE in _fits(detail) and "… (shortened)" in detail.body
    await resident.press("Open its card", message=detail)
    card = await resident.expect(TITLE)
    assert "… (shortened)" in _fits(card) and BODY[:400] in card.body


async def test_longest_texts_in_korean_say_they_were_shortened(harness):
    resident = harness.fake.user(602, first_name="민", language_code="ko")
    await start_filing(resident, "proposal", "공원·문화", "동구", TITLE)
    preview = await finish_filing(resident, BODY)
    assert "… (줄임)" in _fits(preview)


async def _seed_discussion(harness, title: str, comments: int) -> int:
    """A proposal that reached discussion, with `comments` residents' longest comments."""
    engine = create_engine(harness.settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            residents = ResidentService(session, "en")
            filer, _ = await residents.identify(TelegramPerson(900, "Filer", None, "en"))
            draft = Draft(kind=Kind.PROPOSAL, category="roads", district="dong", title=title,
                          body="A proposal seeded for the discussion test.", anonymous=True)
            item, _ = await FilingService(session, harness.app.city).submit(draft, filer)
            participation = ParticipationService(session, harness.clock)
            others = [(await residents.identify(TelegramPerson(901 + n, f"R{n}", None, "en")))[0]
                      for n in range(max(comments, 2))]
            for other in others[:2]:  # the goal of the test city: the proposal goes to discussion
                await participation.endorse(item.id, other.id)
            for other in others[:comments]:
                await participation.take_stance(item.id, other.id, "support", COMMENT)
            return item.id
    finally:
        await engine.dispose()


async def test_a_page_of_longest_comments_fits(harness):
    item_id = await _seed_discussion(harness, TITLE, comments=5)
    reader = harness.fake.user(603, first_name="Rea", language_code="en")
    await reader.send_text("/start")
    menu = await reader.expect("Gwangju")
    await reader.press_data(f"d:view:{item_id}::0", menu)
    discussion = await reader.expect("Participants: 5")
    assert TITLE in _fits(discussion)
    await reader.press("Read comments", message=discussion)
    comments = await reader.expect("Comments on")
    assert _fits(comments).count("👍") == 5 and "… (shortened)" in comments.body


async def test_search_is_escaped_bounded_and_does_not_stick(harness):
    resident = harness.fake.user(604, first_name="Sea", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju")
    await resident.send_text("/search <b>")
    header = await resident.expect("Browse")
    assert "Search: <b>" in header.body
    await resident.send_text("/browse")  # the query kept in the filter shows as well
    assert "Search: <b>" in (await resident.expect("Browse")).body
    await resident.send_text("/search " + "&" * 100)
    assert "… (shortened)" in _fits(await resident.expect("Browse"))
    await resident.send_text("/search " + "y" * 3000)
    await resident.expect("up to 100 characters; yours has 3,000")
    await resident.send_text("🔎 Browse")
    assert "Search: " + "&" * 10 in (await resident.expect("Browse")).body  # the long one was not kept


async def test_unknown_commands_are_echoed_escaped_and_short(harness):
    resident = harness.fake.user(605, first_name="Cmd", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju")
    for command in ("/x<b>", "/<script>", "/" + "a" * 3000):
        await resident.send_text(command)
        answer = await resident.expect("I don't know")
        assert command[:40] in answer.body and len(answer.body) < 300
    await start_filing(resident, "complaint", "Roads and transport", "Dong-gu", "Broken streetlight", "en")
    for command in ("/x<b>", "/" + "&" * 3000):
        await resident.send_text(command)
        answer = await resident.expect("is not available here")
        assert command[:10] in answer.body and "describe it" in answer.body


async def test_out_of_range_ids_are_stale_buttons(harness, caplog):
    resident = harness.fake.user(606, first_name="Ids", language_code="en")
    await resident.send_text("/start")
    menu = await resident.expect("Gwangju")
    caplog.set_level(logging.WARNING)
    for data in ("i:card:9223372036854775808:b:0", "i:card:2147483648::0", "i:endorse:-1::0", "i:card:0::0",
                 "d:view:99999999999::0", "d:comments:1::99999999999", "my:open:0:2147483648",
                 "b:page:::9223372036854775808"):
        await resident.press_data(data, menu)
        alert = await resident.expect_alert()
        assert "no longer active" in alert["text"], data
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_forged_filing_buttons_at_the_preview(harness):
    resident = harness.fake.user(607, first_name="Fil", language_code="en")
    await start_filing(resident, "proposal", "Parks and culture", "Dong-gu", "Shade in the park", "en")
    preview = await finish_filing(resident, "Please add shade sails over the playground.", language="en")
    assert "Location" not in " ".join(preview.button_texts())
    for data in ("f:similar:²", "fs:²", "fs:99999999999", "f:edit:location", "f:edit:preview"):
        await resident.press_data(data, preview)
        assert "no longer active" in (await resident.expect_alert())["text"], data
    await resident.press("Submit", message=preview)
    await resident.expect("filed as")
    rows = await harness.sql("SELECT latitude, longitude FROM items")
    assert rows == [{"latitude": None, "longitude": None}]


async def test_own_private_complaint_offers_no_follow(harness):
    resident = harness.fake.user(608, first_name="Pri", language_code="en")
    await start_filing(resident, "complaint", "Conduct of public officials", "Dong-gu", "Rude clerk", "en")
    await submit(resident, await finish_filing(resident, "The clerk at the desk shouted at me.", language="en"), "en")
    await resident.send_text("📂 My submissions")
    await resident.press("Rude clerk", message=await resident.expect("My submissions"))
    await resident.press("Open its card", message=await resident.expect("Timeline"))
    card = await resident.expect("Rude clerk")
    buttons = " ".join(card.button_texts())
    assert "ollow" not in buttons and "Share" not in buttons  # neither Follow nor Unfollow


async def test_profile_name_is_plain_in_a_button(harness):
    resident = harness.fake.user(609, first_name="Tom & <Jerry>", language_code="en")
    await start_filing(resident, "proposal", "Parks and culture", "Dong-gu", "Shade in the park", "en")
    await resident.send_text("Please add shade sails over the playground.")
    await resident.press("Skip", message=await resident.expect("Add photos"))
    choice = await resident.expect("see your name")
    assert "👤 Show my name (Tom & <Jerry>)" in card_buttons(choice)


def card_buttons(message) -> list[str]:
    return list(message.button_texts())


async def test_control_characters_are_removed_at_input(harness, caplog):
    resident = harness.fake.user(610, first_name="Nul", language_code="en")
    await start_filing(resident, "complaint", "Roads and transport", "Dong-gu", "Broken\x00 street\x07light", "en")
    body = "The light\x00 is dark.\nSince Monday\x1b, every night."
    await submit(resident, await finish_filing(resident, body, language="en"), "en")
    rows = await harness.sql("SELECT title, body FROM items")
    assert rows == [{"title": "Broken streetlight", "body": "The light is dark.\nSince Monday, every night."}]
    caplog.set_level(logging.WARNING)
    await resident.open_link("i_\x00")
    await resident.expect("does not lead to an item")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_reply_refused_with_429_is_sent_after_the_wait(harness, caplog):
    resident = harness.fake.user(611, first_name="Slo", language_code="en")
    await reach_district_step(resident, "complaint", "Roads and transport", "en")
    await resident.expect("tap the button below to share")
    harness.fake.flood_limit = 1  # one message a second per chat
    await asyncio.sleep(1.1)
    caplog.set_level(logging.WARNING)
    await resident.send_text("dong-gu")  # answered with two messages: "Noted" and the title step
    await resident.expect("Noted")
    await resident.expect("short title", timeout=8)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any("slow down" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
