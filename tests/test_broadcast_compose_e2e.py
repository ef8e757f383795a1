"""Composing a broadcast in the bot, end to end: the polling bot against the fake Bot API and,
beside it, the real worker (its sender and its "broadcast progress" job). An admin composes
one with a photo for one district and confirms; its residents get it in their language and
nobody else does; the progress message ends with the final counts. Pause, Resume and Cancel
from the progress message's buttons; who may broadcast; forged buttons; texts at their
maximum full of characters that HTML escaping lengthens."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.worker import PERIODIC_JOBS
from handlers.audience import AudienceAction, AudienceCb, AudienceFlow
from handlers.broadcasts.callbacks import BroadcastControl, ComposeAction, ComposeCb, ControlAction
from handlers.polls.create import PollAction, PollCreateCb
from storage import rules
from storage.models import Resident
from storage.services.officials_admin import RoleAdministration
from storage.vocabulary import Role
from tests.outbox import deliver
from tests.test_city_loop_e2e import WAIT, official, running_worker

KO = "남구 일부 지역 단수 안내: 내일 오전 9시부터 오후 3시까지 <배관 공사> & 점검이 있습니다."
EN = "Water cut in parts of Nam-gu tomorrow, 9 am to 3 pm: <pipe works> & checks."


async def admin(harness, telegram_id: int = 900, language: str = "en"):  # type: ignore[no-untyped-def]
    async with harness.app.session_factory() as session:
        await RoleAdministration(session, harness.app.city, harness.clock).add(
            telegram_id, Role.ADMIN, None, language, granted_by="test", name="Admin")
    return harness.fake.user(telegram_id, first_name="Admin", language_code=language)


async def residents(harness, people: dict[int, tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    """Residents by Telegram id: (language, district), everyone taking every broadcast."""
    async with harness.app.session_factory() as session:
        for telegram_id, (language, district) in people.items():
            session.add(Resident(telegram_id=telegram_id, language=language, district=district))
            harness.fake.user(telegram_id, language_code=language)
        await session.commit()


async def counts(harness) -> dict[str, int]:  # type: ignore[no-untyped-def]
    found = {}
    for table in ("outbox", "broadcasts", "broadcast_photos", "polls", "poll_options"):
        found[table] = (await harness.sql(f"SELECT count(*) AS n FROM {table}"))[0]["n"]
    return found


async def stored_progress(harness) -> dict:  # type: ignore[no-untyped-def]
    """The broadcast's progress message, once the bot stored it (right after sending it)."""
    for _ in range(50):
        (row,) = await harness.sql("SELECT progress_chat_id, progress_message_id, audience FROM broadcasts")
        if row["progress_message_id"] is not None:
            return {**row, "audience": row["audience"] if isinstance(row["audience"], dict)
                    else json.loads(row["audience"])}
        await asyncio.sleep(0.1)
    raise AssertionError("the progress message was never stored")


async def compose(user, ko: str, en: str | None, photo: bool, district: str = "Nam-gu"):  # type: ignore[no-untyped-def]
    """/broadcast up to the preview (an English-speaking composer); returns the preview's control message."""
    await user.send_text("/broadcast")
    await user.expect("Write the announcement in Korean")
    await user.send_text(ko)
    asked = await user.expect("Now the same in English")
    if en is None:
        await user.press("No English text", message=asked)
    else:
        await user.send_text(en)
    asked = await user.expect("Send one photo")
    if photo:
        await user.send_photo()
    else:
        await user.press("No photo", message=asked)
    picker = await user.expect("Who should get it?")
    await user.press("🏘 Districts (0)", message=picker)
    await user.press(district, message=await user.expect("Tap the districts", kinds=("edit",)))
    toggled = await user.expect(lambda m: f"☑️ {district}" in m.button_texts(), kinds=("edit",))
    await user.press("« Back", message=toggled)
    await user.press("✅ Done", message=await user.expect("Residents of", kinds=("edit",)))
    return await user.expect("Confirm sends it")


@pytest.mark.parametrize("harness", ["sqlite", "postgres+redis"], indirect=True)
async def test_an_admin_broadcasts_a_photo_to_one_district(harness):
    fake = harness.fake
    boss = await admin(harness)
    await residents(harness, {601: ("ko", "nam"), 602: ("en", "nam"), 603: ("ko", "buk"), 604: ("en", None)})

    preview = await compose(boss, KO, EN, photo=True)
    shown = [m for m in boss.messages() if m.photo]
    assert len(shown) == 2  # the photo sent, then the preview as a Korean-speaking resident gets it
    assert "광주광역시" in shown[-1].caption and "<배관 공사> & 점검" in shown[-1].caption
    assert "&lt;배관 공사&gt; &amp;" in shown[-1].caption or shown[-1].caption_entities is not None
    assert "That is 2 residents now" in preview.text and "Residents of: Nam-gu" in preview.text
    assert "English text" in preview.text

    await boss.press("✅ Confirm and send", message=preview)
    await boss.expect("is queued for 2 residents", kinds=("edit",))
    progress = await progress_message(boss)
    assert "sending" in progress.text and "Remaining 2" in progress.text
    assert progress.button_texts() == ["⏸ Pause", "⏹ Cancel"]
    row = await stored_progress(harness)
    assert row == {"progress_message_id": progress.message_id, "progress_chat_id": boss.chat_id,
                   "audience": {"districts": ["nam"]}}

    async with running_worker(harness):
        ko = await fake.user(601).expect("남구 일부 지역 단수", timeout=WAIT)
        en = await fake.user(602).expect("Water cut in parts of Nam-gu", timeout=WAIT)
        assert ko.photo and en.photo and "<pipe works> & checks" in en.caption
        final = await boss.expect(lambda m: m.message_id == progress.message_id and "finished" in m.text,
                                  timeout=WAIT, kinds=("edit",))
    assert "Sent 2" in final.text and "Remaining 0" in final.text and final.button_texts() == []
    for quiet in (603, 604):
        assert fake.user(quiet).messages() == []
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "done"
    edits = await harness.sql("SELECT state, last_error FROM outbox WHERE kind = 'broadcast_progress'")
    assert edits and all(e["state"] == "sent" and e["last_error"] is None for e in edits)


async def run_worker_once(harness) -> None:  # type: ignore[no-untyped-def]
    """The worker's "broadcast progress" job, then its sender, once."""
    job = next(job for job in PERIODIC_JOBS if job.name == "broadcast progress")
    await job.run(harness.app.session_factory, harness.app.city, harness.clock)
    await deliver(harness)


async def outbox_states(harness, kind: str = "broadcast") -> list[str]:  # type: ignore[no-untyped-def]
    rows = await harness.sql("SELECT state FROM outbox WHERE kind = :kind ORDER BY id", kind=kind)
    return [row["state"] for row in rows]


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_pause_resume_and_cancel_from_the_progress_message(harness):
    fake = harness.fake
    boss = await admin(harness)
    await residents(harness, {611: ("ko", "nam"), 612: ("en", "nam")})
    await boss.press("✅ Confirm and send", message=await compose(boss, KO, None, photo=False))
    progress = await progress_message(boss)

    await boss.press("⏸ Pause", message=progress)
    assert "Paused" in (await boss.expect_alert())["text"]
    paused = await boss.expect("paused", kinds=("edit",))
    assert paused.button_texts() == ["▶️ Resume", "⏹ Cancel"] and "Time left" not in paused.text
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "paused"
    assert await outbox_states(harness) == ["paused", "paused"]

    # The worker finds the same counts the press already showed: its edit changes nothing, and
    # Telegram's "message is not modified" counts as done, not as a failure to retry.
    edits = len(fake.calls_of("editMessageText"))
    await run_worker_once(harness)
    assert len(fake.calls_of("editMessageText")) == edits + 1  # tried once, refused as not modified
    (edit,) = await harness.sql("SELECT state, attempts, last_error FROM outbox WHERE kind = 'broadcast_progress'")
    assert edit == {"state": "sent", "attempts": 1, "last_error": None}
    await run_worker_once(harness)  # nothing changed: nothing more is queued
    assert len(await outbox_states(harness, "broadcast_progress")) == 1
    assert fake.user(611).messages() == [] and fake.user(612).messages() == []

    await boss.press("▶️ Resume", message=progress)
    resumed = await boss.expect(lambda m: m.message_id == progress.message_id and "⏸ Pause" in m.button_texts(),
                                kinds=("edit",))
    assert "sending" in resumed.text
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "sending"
    assert await outbox_states(harness) == ["pending", "pending"]

    await boss.press("⏹ Cancel", message=progress)
    question = await boss.expect("Cancel broadcast #1?")
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "sending"  # only asked so far
    await boss.press("⏹ Yes, cancel the rest", message=question)
    await boss.expect("is cancelled: 0 sent, 2 will not be sent", kinds=("edit",))
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "cancelled"
    assert await outbox_states(harness) == ["cancelled", "cancelled"]

    await run_worker_once(harness)
    final = await boss.expect(lambda m: m.message_id == progress.message_id and "cancelled" in m.text,
                              kinds=("edit",))
    assert final.button_texts() == [] and "Not sent (cancelled): 2" in final.text
    assert fake.user(611).messages() == [] and fake.user(612).messages() == []
    for action in (ControlAction.CANCEL_YES, ControlAction.PAUSE, ControlAction.RESUME):  # stale buttons
        await boss.press_data(BroadcastControl(action=action, broadcast=1).pack(), question)
        assert "no longer in a state" in (await boss.expect_alert())["text"]
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "cancelled"
    assert await outbox_states(harness) == ["cancelled", "cancelled"]


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_a_progress_message_its_sender_deleted_is_left_alone(harness):
    """The edit of a deleted progress message fails at once, not after five retries, and the
    broadcast goes on without one: no more edits are queued for it."""
    fake = harness.fake
    boss = await admin(harness)
    await residents(harness, {621: ("ko", "nam"), 622: ("en", "nam")})
    await boss.press("✅ Confirm and send", message=await compose(boss, KO, None, photo=False))
    progress = await progress_message(boss)
    assert (await stored_progress(harness))["progress_message_id"] == progress.message_id
    boss.delete(progress)

    await run_worker_once(harness)  # sends the broadcast; the first edit finds the message gone
    (got,) = fake.user(621).messages()
    assert "단수 안내" in got.text
    (edit,) = await harness.sql("SELECT state, attempts, last_error FROM outbox WHERE kind = 'broadcast_progress'")
    assert edit["state"] == "failed" and edit["attempts"] == 1 and "message to edit not found" in edit["last_error"]
    assert (await harness.sql("SELECT progress_message_id FROM broadcasts"))[0]["progress_message_id"] is None
    edits = len(fake.calls_of("editMessageText"))
    harness.clock.advance(seconds=5)
    await run_worker_once(harness)  # the broadcast ends: nothing is queued for the gone message
    assert len(await outbox_states(harness, "broadcast_progress")) == 1
    assert len(fake.calls_of("editMessageText")) == edits
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "done"


@pytest.mark.parametrize("harness", ["sqlite"], indirect=True)
async def test_who_may_broadcast_and_create_polls(harness):
    water = await official(harness, 801, "Wendy", "en", "water")  # [broadcasts] departments = ["water"]
    civil = await official(harness, 802, "Cho", "ko", "civil")
    someone = harness.fake.user(803, language_code="en")
    await water.send_text("/broadcast")
    await water.expect("Write the announcement in Korean")
    await civil.send_text("/broadcast")
    await civil.expect("방송은 시 관리자와 시가 허용한 부서의 공무원만")
    await someone.send_text("/broadcast")
    await someone.expect("Broadcasts are for the city's admins")
    for user in (water, someone):
        await user.send_text("/newpoll")
        await user.expect("Polls are created by the city's admins")
    # /inbox offers the tools to those who may use them, and only those.
    await water.send_text("/cancel")
    await water.send_text("/inbox")
    assert "📢 New broadcast" in (await water.expect("No open items")).button_texts()
    await civil.send_text("/inbox")
    assert (await civil.expect("처리할 민원이 없습니다")).button_texts() == []
    boss = await admin(harness)
    await boss.send_text("/inbox")
    tools = await boss.expect("You have no department's inbox")
    assert tools.button_texts() == ["📢 New broadcast", "📊 New poll"]
    await boss.press("📊 New poll", message=tools)
    await boss.expect("Write the question in Korean")
    assert await counts(harness) == {"outbox": 0, "broadcasts": 0, "broadcast_photos": 0, "polls": 0,
                                     "poll_options": 0}


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_forged_buttons_from_a_resident_without_the_role_change_nothing(harness):
    boss = await admin(harness)
    await residents(harness, {621: ("ko", "nam")})
    await boss.press("✅ Confirm and send", message=await compose(boss, KO, EN, photo=False))
    await progress_message(boss)
    (broadcast,) = await harness.sql("SELECT id FROM broadcasts")
    water = await official(harness, 801, "Wendy", "en", "water")  # may broadcast, but it is not theirs
    mallory = harness.fake.user(666, first_name="Mallory", language_code="en")
    await mallory.send_text("/start")
    anchor = await mallory.expect("")
    before = await counts(harness)
    states = await harness.sql("SELECT id, state FROM outbox ORDER BY id")

    forged = [BroadcastControl(action=action, broadcast=broadcast["id"]).pack() for action in ControlAction]
    for data in forged:
        for user in (mallory, water):
            await user.press_data(data, anchor if user is mallory else await last(water))
            assert "Only the broadcast's author or an admin" in (await user.expect_alert())["text"]
    composer = [ComposeCb(action=action, version=1).pack() for action in ComposeAction]
    picker = [AudienceCb(flow=flow, action=action, value="nam").pack() for flow in AudienceFlow
              for action in (AudienceAction.DISTRICT, AudienceAction.EVERYONE, AudienceAction.DONE)]
    polls = [PollCreateCb(action=action, value=value, version=1).pack()
             for action, value in ((PollAction.CONFIRM, ""), (PollAction.DAYS, "7"), (PollAction.CHOICE, "m"),
                                   (PollAction.EDIT_STEP, "options"), (PollAction.START, ""))]
    for data in composer + picker + polls:
        await mallory.press_data(data, anchor)
        alert = (await mallory.expect_alert())["text"]
        assert "admins" in alert, (data, alert)
    assert await counts(harness) == before
    assert await harness.sql("SELECT id, state FROM outbox ORDER BY id") == states
    assert (await harness.sql("SELECT state FROM broadcasts"))[0]["state"] == "sending"
    assert all(data.encode() and len(data.encode()) <= 64 for data in forged + composer + picker + polls)


async def progress_message(user):  # type: ignore[no-untyped-def]
    return await user.expect(lambda m: "Remaining" in m.body and "⏹ Cancel" in m.button_texts(), kinds=("message",))


async def last(user):  # type: ignore[no-untyped-def]
    found = user.last_bot_message()
    assert found is not None
    return found


def worst(length: int, start: str) -> str:
    """A text of exactly `length` characters, nearly all of them lengthened by HTML escaping."""
    text = (start + " &<>" * length)[:length]
    return text if not text[-1].isspace() else text[:-1] + "&"  # a trailing space would be trimmed


async def pick_everyone(user) -> None:  # type: ignore[no-untyped-def]
    picker = await user.expect("Who should get it?")
    await user.press("🌐 Everyone", message=picker)
    await user.press("✅ Done", message=await user.expect("• Everyone", kinds=("edit",)))


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_texts_at_their_limits_and_wrong_input_keep_the_draft(harness):
    fake = harness.fake
    boss = await admin(harness)
    await residents(harness, {631: ("ko", "nam"), 632: ("en", "buk")})
    top, caption = rules.BROADCAST_TEXT_MAX, rules.BROADCAST_CAPTION_MAX
    await boss.send_text("/broadcast")
    await boss.expect("Write the announcement in Korean")
    await boss.send_sticker()
    await boss.expect("Please type the text as a message")
    await boss.send_text(worst(top + 1, "너무 김"))
    await boss.expect("That is 3,501 characters (an emoji counts as two); here it may have at most 3,500")
    await boss.send_text("🚰" * (top // 2 + 1))  # 1,751 characters, 3,502 as Telegram counts them
    await boss.expect("That is 3,502 characters (an emoji counts as two)")
    await boss.send_text("\u0000\u0007")
    await boss.expect("That text is empty")
    ko, en = worst(top, "한국어 끝까지"), worst(top, "English to the end")
    await boss.send_text(ko)
    await boss.send_text(en)
    await boss.expect("Send one photo")
    await boss.send_photo()  # the texts are longer than a caption holds: refused, draft kept
    refused = await boss.expect("With a photo, each text may have at most 900 characters")
    assert "yours has 3,500" in refused.text
    await boss.press("No photo", message=refused)
    await pick_everyone(boss)
    preview = await boss.expect("Confirm sends it")
    shown = [m for m in boss.messages() if m.from_bot and m.text and m.text.endswith(ko[-20:])][-1]
    assert shown.text == "📢 광주광역시\n\n" + ko and len(shown.text) <= 4096
    assert "That is 3 residents now" in preview.text

    # Edit from the preview: the new text, a new preview; the old preview's Confirm is refused.
    await boss.press("✏️ Edit", message=preview)
    await boss.press("Korean text", message=await boss.expect("What would you like to change?", kinds=("edit",)))
    await boss.expect("Write the announcement in Korean")
    ko = worst(top, "고친 한국어")
    await boss.send_text(ko)
    second = await boss.expect("Confirm sends it")
    await boss.press_data(ComposeCb(action=ComposeAction.CONFIRM, version=1).pack(), preview)
    assert "out of date" in (await boss.expect_alert())["text"]
    assert (await counts(harness))["broadcasts"] == 0
    await boss.press("✅ Confirm and send", message=second)
    await progress_message(boss)
    await deliver(harness)
    got_ko = await fake.user(631).expect("고친 한국어", timeout=WAIT)
    got_en = await fake.user(632).expect("English to the end", timeout=WAIT)
    assert got_ko.text == "📢 광주광역시\n\n" + ko and got_en.text == "📢 Gwangju Metropolitan City\n\n" + en
    assert max(len(got_ko.text), len(got_en.text)) <= 4096

    # With a photo: the caption's limit, on the preview and on the residents' messages.
    ko, en = worst(caption, "사진과 함께"), worst(caption, "With a photo")
    await boss.send_text("/broadcast")
    await boss.expect("Write the announcement in Korean")
    await boss.send_text(ko)
    await boss.send_text(en)
    await boss.expect("Send one photo")
    await boss.send_photo()
    await pick_everyone(boss)
    await boss.press("✅ Confirm and send", message=await boss.expect("Confirm sends it"))
    sample = [m for m in boss.messages() if m.photo and m.caption][-1]
    assert sample.caption == "📢 광주광역시\n\n" + ko and len(sample.caption) <= 1024
    await progress_message(boss)
    await deliver(harness)
    got_ko = await fake.user(631).expect("사진과 함께", timeout=WAIT)
    got_en = await fake.user(632).expect("With a photo", timeout=WAIT)
    assert got_ko.photo and got_ko.caption == "📢 광주광역시\n\n" + ko
    assert got_en.photo and got_en.caption == "📢 Gwangju Metropolitan City\n\n" + en
    failed = await harness.sql("SELECT kind, last_error FROM outbox WHERE state != 'sent' OR last_error IS NOT NULL")
    assert failed == []


@pytest.mark.parametrize("harness", ["sqlite", "postgres+redis"], indirect=True)
async def test_an_admin_creates_a_poll_in_the_bot(harness):
    boss = await admin(harness)
    await residents(harness, {641: ("ko", "nam"), 642: ("en", "buk"), 643: ("ko", None)})
    question_ko = worst(rules.POLL_QUESTION_MAX, "공원 야간 개방")
    question_en = worst(rules.POLL_QUESTION_MAX, "Open parks at night")
    options = [(worst(rules.POLL_OPTION_MAX, f"선택 {n}"), worst(rules.POLL_OPTION_MAX, f"Option {n}"))
               for n in range(1, rules.POLL_OPTIONS_MAX + 1)]

    await boss.send_text("/newpoll")
    await boss.expect("Write the question in Korean")
    await boss.send_sticker()
    await boss.expect("Please type it as a message")
    await boss.send_text(question_ko)
    await boss.expect("Now the question in English")
    await boss.send_text(worst(rules.POLL_QUESTION_MAX + 1, "Too long"))
    await boss.expect("The question must have 1 to 300 characters (yours has 301)")
    await boss.send_text(question_en)
    await boss.expect("Send the options, one a line")
    await boss.send_text("하나뿐 / Only one")
    await boss.expect("A poll needs 2 to 10 options, one a line; that was 1")
    await boss.send_text("찬성 For\n반대 / Against")
    await boss.expect("Line 1 is not")
    await boss.send_text("찬성 / " + "x" * 101 + "\n반대 / Against")
    await boss.expect("On line 1, each side must have 1 to 100 characters")
    await boss.send_text("\n".join(f"{ko} / {en}" for ko, en in options))
    await boss.press("Several options", message=await boss.expect("May residents choose one option, or several?"))
    await pick_everyone(boss)
    closes = await boss.expect("When does it close?")
    await boss.send_text("2020-01-01")
    await boss.expect("The date must be from today to")
    await boss.send_text("next friday")
    await boss.expect("Please type the date as YYYY-MM-DD")
    await boss.press("7 days", message=closes)
    await boss.press("Yes, show the results", message=await boss.expect("Show residents the results"))
    preview = await boss.expect("Confirm creates the poll")
    sample = await last_with(boss, "a sample")
    assert len(sample.inline_buttons()) == rules.POLL_OPTIONS_MAX and len(sample.text) <= 4096
    assert "That is 4 residents now" in preview.text and len(preview.text) <= 4096
    assert question_en in preview.text and options[-1][1] in preview.text
    await boss.press(options[0][0], message=sample)
    assert "only the preview" in (await boss.expect_alert())["text"]
    assert (await counts(harness))["polls"] == 0

    await boss.press("✅ Confirm and send", message=preview)
    await boss.expect("Poll #1 is created", kinds=("edit",))
    (poll,) = await harness.sql("SELECT id, question_ko, question_en, multiple, show_results, audience, author_id, "
                                "closes_at, created_at FROM polls")
    assert (poll["question_ko"], poll["question_en"], bool(poll["multiple"]), bool(poll["show_results"])) == (
        question_ko, question_en, True, True)
    stored = await harness.sql("SELECT position, text_ko, text_en FROM poll_options ORDER BY position")
    assert [(o["position"], o["text_ko"], o["text_en"]) for o in stored] == [
        (n, ko, en) for n, (ko, en) in enumerate(options, start=1)]
    (broadcast,) = await harness.sql("SELECT id, kind, poll_id, audience_size FROM broadcasts")
    assert (broadcast["kind"], broadcast["poll_id"], broadcast["audience_size"]) == ("poll", poll["id"], 4)
    queued = await harness.sql("SELECT chat_id, kind, state, broadcast_id FROM outbox ORDER BY chat_id")
    assert [(q["chat_id"], q["kind"], q["state"], q["broadcast_id"]) for q in queued] == [
        (chat, "poll", "pending", broadcast["id"]) for chat in (641, 642, 643, 900)]
    await boss.press_data(PollCreateCb(action=PollAction.CONFIRM, version=1).pack(), preview)  # pressed again
    assert "no longer open" in (await boss.expect_alert())["text"]
    assert (await counts(harness))["polls"] == 1


async def last_with(user, words: str):  # type: ignore[no-untyped-def]
    return [m for m in user.messages() if m.from_bot and words in m.body][-1]


@pytest.mark.parametrize("harness", ["sqlite", "postgres+redis"], indirect=True)
async def test_confirm_pressed_twice_at_once_queues_it_once(harness):
    """Two presses of Confirm in one breath (one poll of updates, handled concurrently): the
    resident's updates are taken one after another (event isolation), the first queues the
    broadcast and drops the draft, the second finds no draft."""
    boss = await admin(harness)
    await residents(harness, {641: ("ko", "nam"), 642: ("en", "nam")})
    preview = await compose(boss, KO, EN, photo=False)
    await boss.press("✅ Confirm and send", message=preview)
    await boss.press("✅ Confirm and send", message=preview)
    await progress_message(boss)
    for _ in range(100):
        answers = [call.get("text") or "" for call in harness.fake.calls_of("answerCallbackQuery")]
        if any("no longer open" in text for text in answers):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError(f"the second Confirm was never answered: {answers}")
    found = await counts(harness)
    assert (found["broadcasts"], found["outbox"]) == (1, 2)
    progress = [m for m in boss.messages() if m.from_bot and m.text and "Remaining" in m.text]
    assert len(progress) == 1


@pytest.mark.parametrize("harness", ["sqlite"], indirect=True)
async def test_an_announcement_of_emoji_at_its_limit_reaches_residents(harness):
    """Telegram counts a message in UTF-16 units, an emoji as two: a text at the limit made of
    emoji reaches residents whole (the fake refuses what Telegram would), with and without a photo."""
    fake = harness.fake
    boss = await admin(harness)
    await residents(harness, {651: ("ko", "nam"), 652: ("en", "nam")})
    for photo, limit in ((False, rules.BROADCAST_TEXT_MAX), (True, rules.BROADCAST_CAPTION_MAX)):
        ko, en = "🚰" * (limit // 2), "💧" * (limit // 2)
        await boss.press("✅ Confirm and send", message=await compose(boss, ko, en, photo=photo))
        await progress_message(boss)
        await deliver(harness)
        got_ko = await fake.user(651).expect(lambda m: ko in m.body, timeout=WAIT)
        got_en = await fake.user(652).expect(lambda m: en in m.body, timeout=WAIT)
        assert bool(got_ko.photo) == photo and bool(got_en.photo) == photo
