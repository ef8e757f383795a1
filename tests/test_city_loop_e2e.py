"""The whole loop of issue 9 at once, as a city runs it: the bot polling the fake Bot API over
real HTTP and, beside it, the real worker (fan-out, sender, "Is it fixed?") sending through the
same server. A Buk-gu water complaint reaches two departments; one answers; the filer (ko) and
a follower (en) hear of it in their languages; the filer replies; the official resolves it;
"Is it fixed? No" reopens it and both departments are pushed again. Then a proposal's way
through review and committee reaches its endorsers."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.outbox import create_sender, sending_bot
from bot.worker import PERIODIC_JOBS, run_worker
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.services.filing import FilingService
from storage.services.officials_admin import RoleAdministration
from storage.services.participation import ParticipationService
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import Role
from tests.flows import start_filing

WAIT = 20.0  # the worker's sender paces each chat one message a second


@contextlib.asynccontextmanager
async def running_worker(harness) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    """`sotong worker` as it runs in production, with its jobs checking every 0.2 s."""
    app, stop = harness.app, asyncio.Event()
    sender = await create_sender(app.session_factory, app.city, sending_bot(harness.fake.token, harness.fake.base_url),
                                 app.settings.default_locale, harness.clock)
    jobs = tuple(dataclasses.replace(job, interval=0.2) for job in PERIODIC_JOBS)
    task = asyncio.create_task(run_worker(app.session_factory, app.city, harness.clock, stop=stop,
                                          sender=sender, jobs=jobs))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def official(harness, telegram_id: int, name: str, language: str, department: str):  # type: ignore[no-untyped-def]
    async with harness.app.session_factory() as session:
        await RoleAdministration(session, harness.app.city, harness.clock).add(
            telegram_id, Role.OFFICIAL, department, language, granted_by="test", name=name)
    user = harness.fake.user(telegram_id, first_name=name, language_code=language)
    await user.send_text("/start")
    await user.expect("")
    return user


async def file_water_complaint(filer) -> str:  # type: ignore[no-untyped-def]
    await start_filing(filer, "complaint", "상하수도·에너지", "북구", "중흥로 단수")
    await filer.send_text("아침 7시부터 우리 골목에 수돗물이 나오지 않습니다. <확인> 부탁드립니다 & 빨리요.")
    await filer.expect("사진이 있으면")
    await filer.send_album(2)
    added = await filer.expect("사진 2/5")
    await filer.press("완료", message=added)
    await filer.press("건너뛰기", message=await filer.expect("정확한 위치"))
    await filer.press("이름 보이기", message=await filer.expect("이름을 보여"))
    await filer.press("제출", message=await filer.expect("내용을 확인"))
    thanks = await filer.expect("접수되었습니다")
    return thanks.text


@pytest.mark.parametrize("harness", ["sqlite", "postgres+redis"], indirect=True)
async def test_a_complaint_goes_round_the_whole_loop(harness):
    fake = harness.fake
    water = await official(harness, 801, "Wendy", "en", "water")
    buk = await official(harness, 802, "보라", "ko", "buk_office")
    filer = fake.user(701, first_name="Ara", language_code="ko")
    follower = fake.user(702, first_name="Ben", language_code="en")

    async with running_worker(harness):
        await file_water_complaint(filer)
        # Both departments, city and district level, get the album and the push at once.
        pushes = {}
        for user, words in ((water, "✅ Acknowledge"), (buk, "✅ 확인")):
            pushes[user.id] = push = await user.expect(lambda m, w=words: w in m.button_texts(), timeout=WAIT)
            photos = [m for m in user.messages() if m.photo]
            assert len(photos) == 2 and photos[0].media_group_id == photos[1].media_group_id
            assert "중흥로 단수" in push.text and "&lt;확인&gt;" in push.html
        (item,) = await harness.sql("SELECT id, public_token, public_number FROM items")

        await follower.send_text("/start")
        await follower.expect("")
        await follower.open_link(f"i_{item['public_token']}")
        card = await follower.expect("중흥로 단수")
        await follower.press("🔔 Follow", message=card)
        assert "You will hear about changes" in (await follower.expect_alert())["text"]

        water_push = pushes[water.id]
        await water.press("✅ Acknowledge", message=water_push)
        await water.expect("acknowledged")
        await water.press("✍️ Answer", message=water_push)
        await water.expect("Write your department's answer")
        await water.send_text("Crews are on site; water is back by 6 pm.")
        await water.expect("Your answer is stored")

        # Each hears in their own language: the move to answered and the answer itself.
        await filer.expect("현재: 답변 완료", timeout=WAIT)
        answer_ko = await filer.expect("상수도사업본부의 답변", timeout=WAIT)
        assert "Crews are on site" in answer_ko.text
        await follower.expect("Now: Answered", timeout=WAIT)
        answer_en = await follower.expect("Water Supply Headquarters answered", timeout=WAIT)
        assert "↩️ Reply" not in " ".join(answer_en.button_texts())  # only the filer may reply

        await filer.press("↩️ 답글 쓰기", message=answer_ko)
        await filer.expect("보낼 답글을 적어")
        await filer.send_text("감사합니다. 6시 이후에도 안 나오면 다시 알려드릴게요.")
        await filer.expect("답글을 상수도사업본부에 보냈습니다")
        reply = await water.expect("The filer replied", timeout=WAIT)
        assert "6시 이후에도" in reply.text and "Ara" not in reply.text

        await water.press("🔄 Set status", message=water_push)
        await water.press("Resolved", message=await water.expect("Move it to"))
        await water.press("Skip the note", message=await water.expect("Write a note"))
        assert "Status set: Resolved" in (await water.expect_alert())["text"]
        await filer.expect("현재: 해결", timeout=WAIT)
        await follower.expect("Now: Resolved", timeout=WAIT)

        harness.clock.advance(days=harness.app.city.routing.followup_days, minutes=1)
        asked = await filer.expect("실제로 해결되었나요?", timeout=WAIT)
        water.drain(), buk.drain()
        await filer.press("❌ 아니요, 아직이에요", message=asked)
        await filer.expect("다시 열어")
        assert (await harness.sql("SELECT status FROM items"))[0]["status"] == "reopened"
        for user, words in ((water, "Reopened"), (buk, "재접수: 신청인이")):
            again = await user.expect(words, timeout=WAIT)
            assert item["public_number"] in again.text
    states = await harness.sql("SELECT department, state FROM assignments ORDER BY id")
    assert states == [{"department": "water", "state": "new"}, {"department": "buk_office", "state": "new"}]
    sent = await harness.sql("SELECT state FROM outbox WHERE state != 'sent'")
    assert sent == []  # nothing left behind, nothing failed


async def resident(harness, telegram_id: int, name: str, language: str):  # type: ignore[no-untyped-def]
    harness.fake.user(telegram_id, first_name=name, language_code=language)
    async with harness.app.session_factory() as session:
        row, _ = await ResidentService(session, language).identify(TelegramPerson(telegram_id, name, None, language))
    return row


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_a_proposal_in_review_is_answered_by_the_proposals_department(harness):
    app, fake = harness.app, harness.fake
    planner = await official(harness, 811, "Paul", "en", "policy")
    filer = await resident(harness, 711, "Ara", "ko")
    endorsers = [await resident(harness, 712, "Bo", "ko"), await resident(harness, 713, "Cy", "en")]
    talker = await resident(harness, 714, "Di", "en")
    draft = Draft(kind=Kind.PROPOSAL, category="culture", district="nam", title="Night openings of the museum",
                  body="Open the city museum until 9 pm on Fridays.", anonymous=False)
    async with app.session_factory() as session:
        item, _ = await FilingService(session, app.city, harness.clock).submit(draft, filer)
    async with app.session_factory() as session:
        service = ParticipationService(session, harness.clock)
        for endorser in endorsers:  # the test city's goal is 2: the second opens the discussion
            await service.endorse(item.id, endorser.id)
        for person in (*endorsers, talker):  # and 3 participants reach review
            await service.take_stance(item.id, person.id, "support", None)
    assert await harness.sql("SELECT department FROM assignments") == []  # not before review

    async with running_worker(harness):
        await asyncio.sleep(0.5)  # the worker tells the endorsers of the discussion first
        for telegram_id in (712, 713):
            fake.user(telegram_id).drain()
        harness.clock.advance(days=31)  # the discussion ends: the sweep moves it to review
        push = await planner.expect(lambda m: "✅ Acknowledge" in m.button_texts(), timeout=WAIT)
        assert "Night openings of the museum" in push.text
        assert await harness.sql("SELECT department, state FROM assignments") == [
            {"department": "policy", "state": "new"}]
        await fake.user(713).expect("Now: Under review", timeout=WAIT)

        await planner.press("🔄 Set status", message=push)
        await planner.press("In committee", message=await planner.expect("Move it to"))
        await planner.expect("Write a note")
        await planner.send_text("On the agenda of the March culture committee.")
        await planner.expect("Status set: In committee")
        heard_en = await fake.user(713).expect("Now: In committee", timeout=WAIT)
        assert "March culture committee" in heard_en.text
        heard_ko = await fake.user(712).expect("현재: 위원회 심의", timeout=WAIT)
        assert "March culture committee" in heard_ko.text
    events = await harness.sql("SELECT to_status, actor, note FROM status_events ORDER BY id")
    assert events[-1] == {"to_status": "committee", "actor": "department:policy",
                          "note": "On the agenda of the March culture committee."}
