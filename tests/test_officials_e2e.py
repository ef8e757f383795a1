"""Officials in the chat, through the real polling loop and the fake Bot API server: the push
with its album and map pin, the actions, /inbox, and refusals of anyone without the role."""

from __future__ import annotations

from storage.drafts import Draft, Photo
from storage.lifecycle import Kind
from storage.repositories.officials import OfficialsRepository
from storage.services.filing import FilingService
from storage.services.officials import OfficialActions
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import Role
from tests.outbox import deliver

BUK = (35.1740, 126.9120)


async def _resident(harness, telegram_id, name, language, department=None):
    harness.fake.user(telegram_id, first_name=name, language_code=language)
    async with harness.app.session_factory() as session:
        resident, _ = await ResidentService(session, language).identify(
            TelegramPerson(telegram_id, name, None, language))
        if department:
            await OfficialsRepository(session).grant(resident.id, Role.OFFICIAL, department, "test")
        await session.commit()
    return resident


async def _complaint(harness, filer, title="No water on Jungheung-ro", photos=0, point=None):
    files = [harness.fake.files.new_photo()[-1] for _ in range(photos)]
    draft = Draft(kind=Kind.COMPLAINT, category="water", district="buk", title=title,
                  body="The tap water has been off on our street since 7 am.", anonymous=False,
                  photos=[Photo(file_id=f["file_id"], file_unique_id=f["file_unique_id"]) for f in files],
                  latitude=point[0] if point else None, longitude=point[1] if point else None)
    async with harness.app.session_factory() as session:
        item, _ = await FilingService(session, harness.app.city, harness.clock).submit(draft, filer)
    return item


def _push(user, contains):
    return next(m for m in reversed(user.messages()) if m.from_bot and contains in m.body and m.inline_buttons())


async def _state(harness):
    return await harness.sql("SELECT department, state, transferred_from, note FROM assignments ORDER BY id")


async def test_a_buk_gu_water_complaint_is_pushed_to_both_departments_and_handled(harness):
    water = await _resident(harness, 9001, "Wendy", "en", "water")
    await _resident(harness, 9002, "Bora", "ko", "buk_office")
    await _resident(harness, 9003, "Chul", "en", "civil")
    filer = await _resident(harness, 11, "Ara", "ko")
    item = await _complaint(harness, filer, photos=2, point=BUK)
    assert await deliver(harness) == 6  # album, pin and push to each of the two departments
    fake = harness.fake
    water_user, buk_user, civil_user = fake.user(9001), fake.user(9002), fake.user(9003)
    for user in (water_user, buk_user):
        first, second, pin, push = user.messages()
        assert first.photo and second.photo and first.media_group_id == second.media_group_id
        assert first.caption == "📷 " + item.public_number
        assert pin.location == {"latitude": BUK[0], "longitude": BUK[1]}
        assert push.button_texts()[0] in ("✅ Acknowledge", "✅ 확인")
        assert item.public_number in push.text and "No water on Jungheung-ro" in push.text
    water_push = water_user.messages()[-1]
    assert "District: Buk-gu · Category: Water and utilities" in water_push.text
    assert "Filed by: Ara" in water_push.text and "since 7 am" in water_push.text
    assert water_push.button_texts() == ["✅ Acknowledge", "✍️ Answer", "↪️ Transfer", "🚫 Not ours", "🔄 Set status"]
    assert "지역: 북구 · 분야: 상하수도·에너지" in buk_user.messages()[-1].text

    await water_user.press("✅ Acknowledge", message=water_push)
    await water_user.expect("Your department: acknowledged")
    await water_user.press("✍️ Answer", message=water_push)
    await water_user.expect("Write your department's answer")
    await water_user.send_text("Crews are on site; water is back by 6 pm.")
    await water_user.expect("Your answer is stored")
    assert await harness.sql("SELECT author, department, body FROM answers") == [
        {"author": "department", "department": "water", "body": "Crews are on site; water is back by 6 pm."}]
    assert await harness.sql("SELECT status FROM items") == [{"status": "answered"}]

    buk_push = buk_user.messages()[-1]
    await buk_user.press("↪️ 이관", message=buk_push)
    await buk_user.press("시민소통과", message=await buk_user.expect("어느 부서로 이관"))
    await buk_user.expect("메모를 적어")
    await buk_user.send_text("하수관 문제라 시민소통과에서 안내 바랍니다.")
    await buk_user.expect("시민소통과(으)로 이관했습니다")
    # civil's album, pin and push, and the filer hears of water's answer (the move and the text)
    assert await deliver(harness) == 5
    civil_push = _push(civil_user, "Transferred from Buk-gu Office")
    assert "하수관 문제라" in civil_push.text

    await civil_user.press("🚫 Not ours", message=civil_push)
    await civil_user.expect("Why is")
    await civil_user.send_text("Mains are the water department's.")
    await civil_user.expect("Marked as not ours")
    assert await _state(harness) == [
        {"department": "water", "state": "answered", "transferred_from": None, "note": None},
        {"department": "buk_office", "state": "transferred", "transferred_from": None,
         "note": "하수관 문제라 시민소통과에서 안내 바랍니다."},
        {"department": "civil", "state": "declined", "transferred_from": "buk_office",
         "note": "Mains are the water department's."}]
    assert await harness.sql("SELECT id FROM outbox WHERE kind = 'admin'") == []  # water still holds it

    view = water_user.last_bot_message()
    assert "Your department: answered" in view.text and "✅ Acknowledge" not in view.button_texts()
    await water_user.press("🔄 Set status", message=view)
    choices = await water_user.expect("Move it to")
    assert choices.button_texts() == ["Resolved", "Closed"]
    await water_user.press("Resolved", message=choices)
    await water_user.expect("Write a note residents will read")
    await water_user.send_text("Main valve replaced.")
    await water_user.expect("Status set: Resolved")
    moves = await harness.sql("SELECT from_status, to_status, actor, note FROM status_events "
                              "WHERE from_status IS NOT NULL ORDER BY id")
    assert moves == [
        {"from_status": "received", "to_status": "answered", "actor": "department:water", "note": None},
        {"from_status": "answered", "to_status": "resolved", "actor": "department:water", "note": "Main valve replaced."}]
    assert water.id  # the official's row


async def test_inbox_lists_overdue_then_unacknowledged_then_the_rest(harness, clock):
    water = await _resident(harness, 9001, "Wendy", "en", "water")
    filer = await _resident(harness, 11, "Ara", "ko")
    await _complaint(harness, filer, title="First: overdue")
    clock.advance(days=3)
    await _complaint(harness, filer, title="Second: acknowledged")
    await _complaint(harness, filer, title="Third: new")
    assignments = await harness.sql("SELECT id FROM assignments WHERE department = 'water' ORDER BY id")
    async with harness.app.session_factory() as session:
        await OfficialActions(session, harness.app.city).acknowledge(assignments[1]["id"], water.id, clock())
    clock.advance(days=3)  # the water department has 5 days: only the first is late
    user = harness.fake.user(9001)
    await user.send_text("/inbox")
    inbox = await user.expect("Open items: 3")
    labels, tools = inbox.button_texts()[:3], inbox.button_texts()[3:]
    assert tools == ["📢 New broadcast"]  # water's officials may broadcast in the test city
    assert [label.split(" ", 1)[0] for label in labels] == ["⏰🆕", "🆕", labels[2].split(" ", 1)[0]]
    assert ["First" in labels[0], "Third" in labels[1], "Second" in labels[2]] == [True, True, True]
    await user.press(labels[0], message=inbox)
    view = await user.expect("First: overdue")
    assert "Your department: new" in view.text and "📥 Inbox" in view.button_texts()
    await user.press("📥 Inbox", message=view)
    await user.expect("Open items: 3")

    stranger = harness.fake.user(12, first_name="Eun", language_code="en")
    await stranger.send_text("/inbox")
    await stranger.expect("/inbox is for the city's officials")


async def test_a_resident_without_the_role_is_refused_and_nothing_changes(harness):
    await _resident(harness, 9001, "Wendy", "en", "water")
    filer = await _resident(harness, 11, "Ara", "ko")
    await _complaint(harness, filer, photos=1, point=BUK)
    await deliver(harness)
    push = harness.fake.user(9001).messages()[-1]
    replayed = [b["callback_data"] for row in push.inline_buttons() for b in row]
    aid = int(replayed[0].split(":")[2])
    forged = [f"o:v:{aid}::0", f"o:tt:{aid}:civil:0", f"o:tt:{aid}:atlantis:0", f"o:st:{aid}:closed:0",
              f"o:st:{aid}:hidden:0", f"o:k:{aid}:closed:0", f"o:k:{aid}:resolved:0", f"o:t:{aid}::1",
              "o:a:999999::0", "o:a:abc::0", "o:zz:1::0", "ob:0", "ob:-1"]
    tables = ("assignments", "answers", "status_events", "items")
    before = [await harness.sql(f"SELECT * FROM {table} ORDER BY id") for table in tables]
    for intruder in (harness.fake.user(11), harness.fake.user(12, first_name="Eun", language_code="en")):
        await intruder.send_text("/start")
        menu = await intruder.expect(lambda m: m.from_bot)
        for data in replayed + forged:
            await intruder.press_data(data, menu)
            alert = await intruder.expect_alert()
            assert alert.get("show_alert") and alert.get("text"), data
        await intruder.send_text("Please mark it resolved.")  # no pending official input either
        await intruder.expect(lambda m: m.from_bot)
    assert [await harness.sql(f"SELECT * FROM {table} ORDER BY id") for table in tables] == before
