"""Share, endorse, discuss and browse through the real polling loop and the fake Bot API."""

from __future__ import annotations

import re

from bot.worker import sweep_once
from storage.city import Moderation
from storage.database import create_engine, create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.services.filing import FilingService
from storage.services.residents import ResidentService, TelegramPerson
from tests.flows import finish_filing, start_filing, submit

LINK = re.compile(r"https://t\.me/(\w+)\?start=(i_[\w-]+)")


async def file_proposal(resident, title: str) -> None:
    await start_filing(resident, "proposal", "공원·문화", "동구", title)
    await submit(resident, await finish_filing(resident, "동구 어린이 공원에 그늘막과 음수대를 설치해 주세요."))


async def open_own_card(resident, title: str):
    await resident.send_text("📂 나의 신청")
    await resident.press(title, message=await resident.expect("나의 신청"))
    await resident.press("카드 열기", message=await resident.expect("진행 기록"))
    return await resident.expect(title)


async def test_share_endorse_reach_discussion_and_discuss(harness):
    fake = harness.fake
    filer = fake.user(11, first_name="Ara", language_code="ko")
    await file_proposal(filer, "어린이 공원 그늘막 설치")
    card = await open_own_card(filer, "어린이 공원 그늘막 설치")
    assert "▱▱▱▱▱ 공감 0/2 · 30일 남음" in card.text
    assert "공감 (" not in " ".join(card.button_texts())  # no endorsing one's own proposal
    await filer.press("공유", message=card)
    shared = await filer.expect("t.me/")
    bot_name, start_param = LINK.search(shared.text).groups()
    assert bot_name == fake.bot_username
    # The link carries the item's random token, not its database id.
    tokens = await harness.sql("SELECT id, public_token FROM items")
    assert start_param == f"i_{tokens[0]['public_token']}" and len(tokens[0]["public_token"]) >= 12
    assert str(tokens[0]["id"]) != tokens[0]["public_token"]

    newcomer = fake.user(12, first_name="Ben", language_code="en")
    await newcomer.open_link(start_param)
    choice = await newcomer.expect("choose your language")
    await newcomer.press("English", message=choice)
    await newcomer.expect("Language set to English")
    card = await newcomer.expect("어린이 공원 그늘막 설치")
    assert "0/2 endorsements · 30 days left" in card.text
    await newcomer.press("Endorse (0)", message=card)
    assert "Now 1" in (await newcomer.expect_alert())["text"]
    card = await newcomer.expect("You endorsed this proposal")
    await newcomer.press("Withdraw my endorsement (1)", message=card)
    assert "Now 0" in (await newcomer.expect_alert())["text"]
    card = await newcomer.expect("0/2")
    await newcomer.press("Endorse (0)", message=card)
    await newcomer.expect_alert()
    stale = await newcomer.expect("1/2")
    await newcomer.press_data(f"i:endorse:{_item_id(stale)}::0", stale)  # a double tap on an old button
    assert "already endorsed" in (await newcomer.expect_alert())["text"]

    third = fake.user(13, first_name="Chae", language_code="en")
    await third.send_text("/start")
    await third.expect("Gwangju")
    await third.send_text("/search 그늘막")
    listing = await third.expect("Browse")
    await third.press("어린이 공원 그늘막 설치", message=listing)
    card = await third.expect("1/2 endorsements")
    await third.press("Endorse (1)", message=card)
    assert "goes to public discussion" in (await third.expect_alert())["text"]
    card = await third.expect("In discussion")
    assert "0/3 participants" in card.text

    await newcomer.send_text("📂 My submissions")
    mine = await newcomer.expect("You have not filed anything yet")
    await newcomer.press("My endorsements", message=mine)
    endorsed = await newcomer.expect("My endorsements")
    await newcomer.press("어린이 공원 그늘막 설치", message=endorsed)
    card = await newcomer.expect("In discussion")
    await newcomer.press("Discussion", message=card)
    discussion = await newcomer.expect("Participants: 0")
    await newcomer.press("Support", message=discussion)
    await newcomer.expect("Add a comment")
    await newcomer.send_sticker()
    await newcomer.expect("type your comment as text")
    await newcomer.send_text("x" * 1001)
    await newcomer.expect("yours has 1,001")
    await newcomer.send_text("Shade would make the playground usable in July.")
    await newcomer.expect("Your stance is recorded")

    card = await open_own_card(filer, "어린이 공원 그늘막 설치")
    assert "토론 중" in card.text and "👍 1" in card.text
    await filer.press("토론", message=card)
    discussion = await filer.expect("참여: 1명")
    await filer.press("의견 읽기", message=discussion)
    comments = await filer.expect("의견")
    assert "👍" in comments.text and "Shade would make the playground usable in July." in comments.text

    counts = await harness.sql("SELECT endorsement_count, participant_count, status FROM items")
    assert counts == [{"endorsement_count": 2, "participant_count": 1, "status": "discussion"}]
    assert len(await harness.sql("SELECT id FROM endorsements")) == 2
    moves = await harness.sql("SELECT actor FROM status_events WHERE to_status = 'discussion'")
    assert moves == [{"actor": "system"}]
    followers = await harness.sql("SELECT reason FROM follows ORDER BY reason")
    assert [f["reason"] for f in followers] == ["endorsed", "endorsed", "filed"]


def _item_id(message) -> int:
    data = next(b["callback_data"] for row in message.inline_buttons() for b in row if "callback_data" in b)
    return int(data.split(":")[2])


async def test_forged_callbacks_change_nothing(harness):
    fake = harness.fake
    filer = fake.user(21, first_name="Da", language_code="ko")
    await file_proposal(filer, "공공 와이파이 확대")
    card = await open_own_card(filer, "공공 와이파이 확대")
    item_id = _item_id(card)
    await harness.sql("SELECT 1")
    visitor = fake.user(22, first_name="Eun", language_code="en")
    await visitor.send_text("/start")
    menu = await visitor.expect("Gwangju")

    for data, expected in [
        (f"i:withdraw:{item_id}::0", "have not endorsed"),
        (f"i:retract_yes:{item_id}::0", "not available"),  # only the filer may withdraw it
        ("i:endorse:999999::0", "not available"),
        ("i:endorse:abc::0", "no longer active"),
        ("i:endorse", "no longer active"),
        (f"d:stance:{item_id}:support:0", "no longer active"),
        ("b:set:district:atlantis:0", "no longer active"),
    ]:
        await visitor.press_data(data, menu)
        alert = await visitor.expect_alert()
        assert expected in alert["text"] and alert["show_alert"], data

    await _hide(harness, item_id)
    await visitor.press_data(f"i:endorse:{item_id}::0", menu)
    assert "not available" in (await visitor.expect_alert())["text"]
    await visitor.press_data(f"i:card:{item_id}::0", menu)
    assert "not available" in (await visitor.expect_alert())["text"]
    rows = await harness.sql("SELECT endorsement_count, status FROM items")
    assert rows == [{"endorsement_count": 0, "status": "hidden"}]
    assert await harness.sql("SELECT id FROM endorsements") == []


async def test_filer_withdraws_a_proposal(harness):
    filer = harness.fake.user(41, first_name="Hae", language_code="ko")
    await file_proposal(filer, "야간 도서관 운영")
    card = await open_own_card(filer, "야간 도서관 운영")
    await filer.press("제안 철회", message=card)
    confirm = await filer.expect("철회할까요")
    await filer.press("아니요", message=confirm)
    card = await filer.expect("공감 모으는 중")
    await filer.press("제안 철회", message=card)
    await filer.press("네, 철회합니다", message=await filer.expect("철회할까요"))
    assert "철회했습니다" in (await filer.expect_alert())["text"]
    card = await filer.expect("· 철회")
    assert "제안 철회" not in " ".join(card.button_texts())
    events = await harness.sql("SELECT from_status, to_status, actor FROM status_events ORDER BY id")
    assert events[-1] == {"from_status": "collecting", "to_status": "withdrawn", "actor": "resident:1"}


async def _hide(harness, item_id: int) -> None:
    """Moderation by the main platform: status and event in one transaction, per the contract."""
    engine = create_engine(harness.settings.database_url)
    try:
        async with engine.begin() as connection:
            from sqlalchemy import text

            await connection.execute(text("UPDATE items SET status = 'hidden' WHERE id = :i"), {"i": item_id})
            await connection.execute(text(
                "INSERT INTO status_events (item_id, from_status, to_status, actor, created_at) "
                "VALUES (:i, 'collecting', 'hidden', 'platform:moderator', CURRENT_TIMESTAMP)"), {"i": item_id})
    finally:
        await engine.dispose()


async def _seed(harness, titles_and_districts):
    engine = create_engine(harness.settings.database_url)
    try:
        factory = create_session_factory(engine)
        async with factory() as session:
            filer, _ = await ResidentService(session, "ko").identify(TelegramPerson(99, "Seeder", None, "ko"))
            # One seeder files them all: past the city's items-per-day limit (tests/test_limits.py).
            city = harness.app.city.model_copy(update={"moderation": Moderation(items_per_day=100)})
            service = FilingService(session, city)
            for title, district in titles_and_districts:
                draft = Draft(kind=Kind.PROPOSAL, category="roads", district=district, title=title,
                              body="A proposal seeded for the browse test.", anonymous=True)
                await service.submit(draft, filer)
    finally:
        await engine.dispose()


async def test_browse_pages_filters_search_and_sweep(harness, clock):
    await _seed(harness, [(f"Bike lane {n}", "seo" if n % 2 else "buk") for n in range(10)])
    resident = harness.fake.user(31, first_name="Gyu", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju")
    await resident.send_text("🔎 Browse")
    listing = await resident.expect("10 items, page 1 of 2")
    assert "Bike lane 9" in " ".join(listing.button_texts()) and "Bike lane 1 " not in " ".join(listing.button_texts())
    await resident.press("▶", message=listing)
    page_two = await resident.expect("page 2 of 2")
    assert page_two.message_id == listing.message_id  # the same message, edited
    await resident.press("District", message=page_two)
    await resident.press("Seo-gu", message=await resident.expect("which district"))
    filtered = await resident.expect("5 items, page 1 of 1")
    assert "District: Seo-gu" in filtered.text
    await resident.press("Search", message=filtered)
    await resident.expect("Type the words")
    await resident.send_text("lane 7")
    found = await resident.expect("1 item, page 1 of 1")
    assert "Bike lane 7" in " ".join(found.button_texts())
    await resident.press("Clear filters", message=found)
    await resident.expect("10 items")

    clock.advance(days=31)
    engine = create_engine(harness.settings.database_url)
    try:
        moved = await sweep_once(create_session_factory(engine), harness.app.city, clock)
    finally:
        await engine.dispose()
    assert len(moved) == 10 and {m.target for m in moved} == {"expired"}
    await resident.send_text("/browse")
    listing = await resident.expect("10 items")
    await resident.press("Bike lane 3", message=listing)
    card = await resident.expect("Expired")
    assert "Endorse" not in " ".join(card.button_texts())


async def test_similar_item_offered_before_submit(harness):
    first = harness.fake.user(51, first_name="Im", language_code="ko")
    await file_proposal(first, "어린이 공원 그늘막 설치")
    second = harness.fake.user(52, first_name="Jo", language_code="en")
    await start_filing(second, "proposal", "Parks and culture", "Dong-gu", "어린이 공원 그늘막 설치 요청", "en")
    preview = await finish_filing(second, "Please add shade sails over the playground in the Dong-gu children's park.",
                                  anonymous=True, language="en")
    assert "Similar items are already open" in preview.text and "어린이 공원 그늘막 설치" in preview.text
    await second.press("Endorse GJ-", message=preview)
    card = await second.expect("0/2 endorsements")
    await second.press("Endorse (0)", message=card)
    assert "Now 1" in (await second.expect_alert())["text"]
    await second.press("Submit", message=preview)  # the draft was kept: filing it anyway works
    await second.expect("filed as")
    assert len(await harness.sql("SELECT id FROM items")) == 2
