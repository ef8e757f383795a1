"""What residents see of the city's side, through the real polling loop and the fake Bot API:
status updates and answers in each one's language, Notifications in Settings, the filer's
reply, the card's departments and answers, and "Is it fixed?"."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text

from storage.database import create_engine
from storage.repositories.officials import OfficialsRepository
from storage.services.followups import ask_followups
from storage.services.notifications import Notifier
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import Role
from tests.flows import finish_filing, start_filing, submit
from tests.outbox import deliver

# At the documented maxima, made of the characters HTML escaping lengthens most.
TITLE = ("<&>" * 33 + "물")[:100]
ANSWER = ("<&>" * 1334)[:4000]
NOTE = "<&>" * 1000  # the platform may write a note of any length
WATER, BUK = 901, 902  # the officials' Telegram ids


async def platform(harness, query: str, **params) -> None:
    """Writes the shared database with plain SQL, as the city's main platform would."""
    engine = create_engine(harness.settings.database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(query), params)
    finally:
        await engine.dispose()


async def officials(harness) -> None:
    async with harness.app.session_factory() as session:
        for telegram_id, department in ((WATER, "water"), (BUK, "buk_office")):
            harness.fake.user(telegram_id, first_name="Official", language_code="ko")
            person = TelegramPerson(telegram_id, "Official", None, "ko")
            resident, _ = await ResidentService(session, "ko").identify(person)
            await OfficialsRepository(session).grant(resident.id, Role.OFFICIAL, department, "test")
        await session.commit()


async def fan_out(harness) -> None:
    async with harness.app.session_factory() as session:
        await Notifier(session, harness.app.city).run(harness.clock())
    await deliver(harness)


async def file_water_complaint(harness, filer, title: str = TITLE) -> dict:
    await start_filing(filer, "complaint", "상하수도·에너지", "북구", title)
    await submit(filer, await finish_filing(filer, "아침부터 우리 동네 수돗물이 나오지 않습니다.", anonymous=True))
    (item,) = await harness.sql("SELECT id, public_token, resident_id FROM items ORDER BY id DESC LIMIT 1")
    return item


async def move(harness, item_id: int, source: str, target: str, note: str | None = None) -> None:
    await platform(harness, "UPDATE items SET status = :t WHERE id = :i", t=target, i=item_id)
    await platform(harness, "INSERT INTO status_events (item_id, from_status, to_status, actor, note, created_at) "
                            "VALUES (:i, :s, :t, 'platform:kim', :n, :now)",
                   i=item_id, s=source, t=target, n=note, now=harness.clock())


async def resident(harness, telegram_id: int, language: str = "en"):
    person = harness.fake.user(telegram_id, first_name=f"R{telegram_id}", language_code=language)
    await person.send_text("/start")
    await person.expect("Gwangju" if language == "en" else "광주")
    return person


async def choose_notifications(person, choice: str) -> None:
    await person.send_text("⚙️ Settings")
    await person.press("Notifications", message=await person.expect("Settings"))
    await person.press(choice, message=await person.expect("Which updates"))
    await person.expect(f"Notifications: {choice}")


async def follow(harness, item_id: int, *people) -> None:
    for person in people:
        (row,) = await harness.sql("SELECT id FROM residents WHERE telegram_id = :t", t=person.id)
        await platform(harness, "INSERT INTO follows (item_id, resident_id, reason, created_at) "
                                "VALUES (:i, :r, 'asked', :now)", i=item_id, r=row["id"], now=harness.clock())


async def until(harness, query: str, expected: list[dict], **params) -> None:
    for _ in range(100):
        if await harness.sql(query, **params) == expected:
            return
        await asyncio.sleep(0.05)
    assert await harness.sql(query, **params) == expected


def told(person) -> list[str]:
    return [event.message.text for event in person.drain() if event.kind == "message" and event.message]


async def test_updates_answers_reply_card_and_is_it_fixed_no(harness):
    fake = harness.fake
    await officials(harness)
    filer = fake.user(31, first_name="Jiwoo", language_code="ko")
    item = await file_water_complaint(harness, filer)
    item_id = item["id"]

    follower = fake.user(32, first_name="Ben", language_code="en")
    await follower.open_link(f"i_{item['public_token']}")
    await follower.press("English", message=await follower.expect("choose your language"))
    card = await follower.expect("Received")
    await follower.press("Follow", message=card)
    assert "hear about changes" in (await follower.expect_alert())["text"]
    quiet = await resident(harness, 33)
    silent = await resident(harness, 34)
    gone = await resident(harness, 35)
    await choose_notifications(quiet, "Only the items I filed")
    await choose_notifications(silent, "Nothing")
    await follow(harness, item_id, quiet, silent, gone)
    fake.block(35)
    await until(harness, "SELECT blocked FROM residents WHERE telegram_id = 35", [{"blocked": True}])
    for person in (filer, follower, quiet, silent):
        person.drain()

    # The department answers and moves the item, both written by the platform with plain SQL.
    await platform(harness, "INSERT INTO answers (item_id, department, author, body, created_at) "
                            "VALUES (:i, 'water', 'department', :b, :now)", i=item_id, b=ANSWER, now=harness.clock())
    await move(harness, item_id, "received", "answered", NOTE)
    await fan_out(harness)

    status_ko = await filer.expect("현재: 답변 완료")
    assert TITLE in status_ko.text and "메모: <&>" in status_ko.text and len(status_ko.text) <= 4096
    answer_ko = await filer.expect("상수도사업본부의 답변")
    assert "<&><&>" in answer_ko.text and len(answer_ko.text) <= 4096
    assert answer_ko.button_texts() == ["📄 카드 열기", "↩️ 답글 쓰기"]
    status_en = await follower.expect("Now: Answered")
    assert "Note: <&>" in status_en.text and "(shortened)" in status_en.text
    answer_en = await follower.expect("Water Supply Headquarters answered")
    assert answer_en.button_texts() == ["📄 Open the item"]  # only the filer replies
    for person in (quiet, silent):
        await asyncio.sleep(0.2)
        assert told(person) == []
    assert not [m for m in fake.chats[35].transcript() if m.from_bot and "Water Supply" in m.body]
    notified = await harness.sql("SELECT DISTINCT chat_id FROM outbox WHERE kind IN ('status', 'answer') ORDER BY chat_id")
    assert notified == [{"chat_id": 31}, {"chat_id": 32}]

    # The filer's reply: wrong inputs first.
    await filer.press("답글 쓰기", message=answer_ko)
    await filer.expect("상수도사업본부에 보낼 답글")
    await filer.send_sticker()
    await filer.expect("답글을 글자로")
    await filer.send_text("   ")
    await filer.expect("지금 0자")
    await filer.send_text("가" * 4001)
    await filer.expect("지금 4,001자")
    await filer.send_text("아직도 <b>물</b>이 안 나와요 & 냄새도 나요")
    await filer.expect("답글을 상수도사업본부에 보냈습니다")
    replies = await harness.sql("SELECT department, author, resident_id, body FROM answers WHERE author = 'filer'")
    assert replies == [{"department": "water", "author": "filer", "resident_id": item["resident_id"],
                        "body": "아직도 <b>물</b>이 안 나와요 & 냄새도 나요"}]
    async with harness.app.session_factory() as session:
        await Notifier(session, harness.app.city).run(harness.clock())
    pushed = await harness.sql("SELECT chat_id, args FROM outbox WHERE kind = 'reply'")
    assert [row["chat_id"] for row in pushed] == [WATER]
    assert "Jiwoo" not in json.dumps(_args(pushed[0]), ensure_ascii=False)

    # The card: the departments it went to, which answered, the answer and the filer's reply.
    await filer.press("카드 열기", message=status_ko)
    card = await filer.expect("담당:")
    assert "상수도사업본부 ✅" in card.text and "북구청 ⏳" in card.text
    assert "신청인의 답글" in card.text and "아직도 <b>물</b>이 안 나와요" in card.text
    assert "Jiwoo" not in card.text and len(card.text) <= 4096
    await follower.press("Open the item", message=answer_en)
    card = await follower.expect("With:")
    assert "Water Supply Headquarters ✅ · Buk-gu Office ⏳" in card.text and "The filer's reply" in card.text
    # A long thread: the newest messages that fit, and how many are not shown.
    for _ in range(12):
        await platform(harness, "INSERT INTO answers (item_id, department, author, body, created_at, notified_at) "
                                "VALUES (:i, 'buk_office', 'department', :b, :now, :now)",
                       i=item_id, b=ANSWER, now=harness.clock())
    await follower.press_data(f"i:card:{item_id}::0", card)
    card = await follower.expect("earlier messages are not shown")
    assert len(card.text) <= 4096 and "Buk-gu Office ✅" in card.text

    # Resolved, then asked "Is it fixed?" once due.
    await move(harness, item_id, "answered", "resolved")
    await fan_out(harness)
    await filer.expect("현재: 해결")
    assert await ask_followups(harness.app.session_factory, harness.app.city, harness.clock) == 0
    harness.clock.advance(days=8)
    assert await ask_followups(harness.app.session_factory, harness.app.city, harness.clock) == 1
    assert await ask_followups(harness.app.session_factory, harness.app.city, harness.clock) == 0
    await deliver(harness)
    question = await filer.expect("실제로 해결되었나요?")

    # Someone else's forged answers change nothing.
    before = await _state(harness, item_id)
    for data in (f"fu:{item_id}:0", f"fu:{item_id}:1"):
        await follower.press_data(data, card)
        assert "Only the person who filed" in (await follower.expect_alert())["text"]
    (answer,) = await harness.sql("SELECT id FROM answers WHERE author = 'department' ORDER BY id LIMIT 1")
    await follower.press_data(f"rp:{answer['id']}", card)
    assert "Only the person who filed" in (await follower.expect_alert())["text"]
    assert await _state(harness, item_id) == before

    await filer.press("아니요", message=question)
    await filer.expect("민원을 다시 열어")
    assert (await harness.sql("SELECT status FROM items WHERE id = :i", i=item_id)) == [{"status": "reopened"}]
    (event,) = await harness.sql("SELECT actor FROM status_events WHERE to_status = 'reopened'")
    assert event["actor"] == f"resident:{item['resident_id']}"
    states = await harness.sql("SELECT department, state FROM assignments WHERE item_id = :i ORDER BY id", i=item_id)
    assert states == [{"department": "water", "state": "new"}, {"department": "buk_office", "state": "new"}]
    pushes = await harness.sql("SELECT chat_id, args FROM outbox WHERE kind = 'assignment' ORDER BY id")
    again = [row["chat_id"] for row in pushes if _args(row)["reopened"]]
    assert sorted(again) == [WATER, BUK] and len(pushes) == 4
    # Pressed again (an old button, a double tap): nothing more happens.
    after = await _state(harness, item_id)
    await filer.press_data(f"fu:{item_id}:0", question)
    assert "더 이상 이 답을 기다리지" in (await filer.expect_alert())["text"]
    assert await _state(harness, item_id) == after


async def test_is_it_fixed_yes_changes_nothing(harness):
    await officials(harness)
    filer = harness.fake.user(41, first_name="Sora", language_code="ko")
    item = await file_water_complaint(harness, filer, "우리 골목 단수")
    await move(harness, item["id"], "received", "answered")
    await move(harness, item["id"], "answered", "resolved")
    await fan_out(harness)
    harness.clock.advance(days=8)
    assert await ask_followups(harness.app.session_factory, harness.app.city, harness.clock) == 1
    await deliver(harness)
    question = await filer.expect("실제로 해결되었나요?")
    before = await _state(harness, item["id"])
    await filer.press("네", message=question)
    await filer.expect("해결되어 다행입니다")
    assert await _state(harness, item["id"]) == before


async def _state(harness, item_id: int) -> tuple:
    return (await harness.sql("SELECT status, followup_due_at FROM items WHERE id = :i", i=item_id),
            await harness.sql("SELECT count(*) AS n FROM status_events WHERE item_id = :i", i=item_id),
            await harness.sql("SELECT department, state, due_at FROM assignments WHERE item_id = :i ORDER BY id", i=item_id),
            await harness.sql("SELECT count(*) AS n FROM outbox"),
            await harness.sql("SELECT count(*) AS n FROM answers"))


def _args(row: dict) -> dict:
    return row["args"] if isinstance(row["args"], dict) else json.loads(row["args"])
