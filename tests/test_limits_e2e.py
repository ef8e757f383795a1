"""Per-resident limits, bans and the flood guard through the real polling bot and the fake Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
from zoneinfo import ZoneInfo

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import text

from storage.city import Moderation
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.models import Resident
from storage.services.bans import BanService
from storage.services.filing import FilingService
from storage.services.participation import ParticipationService
from storage.services.residents import ResidentService, TelegramPerson
from tests.flows import finish_filing, start_filing, submit


def local(moment: dt.datetime) -> str:
    return f"{moment.astimezone(ZoneInfo('Asia/Seoul')):%Y-%m-%d %H:%M}"


async def resident_row(harness, telegram_id: int, name: str, language: str = "en") -> Resident:
    async with harness.app.session_factory() as session:
        resident, _ = await ResidentService(session, language).identify(
            TelegramPerson(telegram_id, name, None, language))
    return resident


def draft(title: str, kind: Kind = Kind.COMPLAINT) -> Draft:
    return Draft(kind=kind, category="roads", district="dong", title=title,
                 body="A pothole on the corner makes cyclists swerve into traffic.", anonymous=False)


async def test_the_sixth_item_of_a_day_waits_and_keeps_its_draft(harness, clock):
    filer = await resident_row(harness, 41, "Ara")
    filed_at = clock()
    async with harness.app.session_factory() as session:
        for n in range(5):
            await FilingService(session, harness.app.city, clock).submit(draft(f"Pothole number {n}"), filer)
    clock.advance(hours=3)
    user = harness.fake.user(41, first_name="Ara", language_code="en")
    await start_filing(user, "complaint", "Roads and transport", "Dong-gu", "Broken bench in the park", "en")
    preview = await finish_filing(user, "The bench by the pond has lost two planks.", language="en")
    await user.press("Submit", message=preview)
    refused = await user.expect("filed 5 items in the last 24 hours", kinds=("message",))
    assert f"You can file this one from {local(filed_at + dt.timedelta(days=1))}" in refused.text
    assert "Broken bench in the park" in refused.text  # the preview again: the draft is kept
    assert len(await harness.sql("SELECT id FROM items")) == 5

    clock.advance(hours=20, minutes=59)  # a minute short of a day since the first
    await user.press("Submit", message=refused)
    refused = await user.expect("filed 5 items in the last 24 hours", kinds=("message",))
    clock.advance(minutes=1)
    await user.press("Submit", message=refused)
    await user.expect("filed as")
    titles = await harness.sql("SELECT title FROM items ORDER BY id DESC LIMIT 1")
    assert titles == [{"title": "Broken bench in the park"}]


async def _discussions(harness, clock, count: int) -> list[dict]:
    """`count` proposals in discussion, filed by one seeder."""
    seeder = await resident_row(harness, 400, "Seeder")
    city = harness.app.city.model_copy(update={"moderation": Moderation(items_per_day=count)})
    async with harness.app.session_factory() as session:
        for n in range(count):
            await FilingService(session, city, clock).submit(draft(f"Shade plan {n}", Kind.PROPOSAL), seeder)
    rows = await harness.sql("SELECT id, public_token FROM items ORDER BY id")
    deadline = clock() + dt.timedelta(days=10)
    async with harness.app.session_factory() as session:
        await session.execute(text("UPDATE items SET status = 'discussion', stage_deadline = :d"), {"d": deadline})
        await session.commit()
    return rows


async def test_the_twenty_first_comment_of_an_hour_waits(harness, clock):
    items = await _discussions(harness, clock, 21)
    talker = await resident_row(harness, 42, "Bo")
    commented_at = clock()
    async with harness.app.session_factory() as session:
        service = ParticipationService(session, clock, harness.app.city.moderation)
        for item in items[:20]:
            result = await service.take_stance(item["id"], talker.id, "support", f"Yes to {item['id']}")
            assert result.outcome == "done"
    clock.advance(minutes=10)
    user = harness.fake.user(42, first_name="Bo", language_code="en")
    await user.open_link(f"i_{items[20]['public_token']}")
    await user.press("Discussion", message=await user.expect("Shade plan 20"))
    discussion = await user.expect("Participants: 0")
    await user.press("Support", message=discussion)
    await user.expect("Add a comment")
    await user.send_text("Shade would help.")
    refused = await user.expect("written 20 comments in the last hour")
    assert f"comment again from {local(commented_at + dt.timedelta(hours=1))}" in refused.text
    assert await harness.sql(f"SELECT id FROM stances WHERE item_id = {items[20]['id']}") == []

    clock.advance(minutes=50)
    await user.press("Support", message=discussion)
    await user.expect("Add a comment")
    await user.send_text("Shade would help.")
    await user.expect("Your stance is recorded")
    stored = await harness.sql(f"SELECT comment FROM stances WHERE item_id = {items[20]['id']}")
    assert stored == [{"comment": "Shade would help."}]


async def _snapshot(harness, user) -> tuple:
    key = StorageKey(bot_id=harness.app.bot.id, chat_id=user.chat_id, user_id=user.id)
    storage = harness.app.dispatcher.storage
    rows = [await harness.sql(f"SELECT count(*) AS n FROM {table}")
            for table in ("items", "stances", "endorsements", "follows", "attachments")]
    return rows, await storage.get_state(key), await storage.get_data(key)


async def test_a_banned_resident_is_told_once_a_day_and_nothing_is_stored(harness, clock):
    user = harness.fake.user(43, first_name="Cy", language_code="en")
    await user.send_text("/start")
    await user.expect("Gwangju")
    await user.send_text("📝 File a complaint")
    categories = await user.expect("which topic")
    resident = await resident_row(harness, 43, "Cy")
    async with harness.app.session_factory() as session:  # as a moderator's Ban button does
        await BanService(session, harness.app.dispatcher["resident_cache"]).ban(
            resident.id, clock() + dt.timedelta(days=2))
        await session.commit()
    before, mark = await _snapshot(harness, user), len(user.messages())
    assert before[1] is not None  # they were choosing a category when banned

    await user.send_text("Still here")
    notice = await user.expect("suspended until")
    assert local(clock() + dt.timedelta(days=2)) in notice.text and "appeal" in notice.text
    await user.press("Roads and transport", message=categories)
    await user.expect_alert()  # the spinner stops; the button does nothing
    await user.send_photo(caption="a photo")
    await user.send_text("/start")
    await user.send_text("📝 File a complaint")
    await asyncio.sleep(1.0)
    assert [m.text for m in user.messages()[mark:] if m.from_bot] == [notice.text]
    assert await _snapshot(harness, user) == before

    clock.advance(days=1, minutes=1)
    await user.send_text("Hello again")
    await user.expect("suspended until")  # a day later: told once more
    await user.send_text("And again")
    await asyncio.sleep(0.5)
    assert [m for m in user.drain() if m.kind == "message"] == []
    assert await _snapshot(harness, user) == before

    clock.advance(days=1)  # the ban is over: the filing they had begun goes on
    await user.send_text("/start")
    await user.press("Roads and transport", message=await user.expect("in the middle of a filing"))
    await user.press("Dong-gu", message=await user.expect("Which district"))
    await user.expect("short title")
    await user.send_text("Broken bench")
    await user.expect("describe it")
    await submit(user, await finish_filing(user, "The bench by the pond has lost two planks.", language="en"), "en")
    assert len(await harness.sql("SELECT id FROM items")) == 1


@pytest.mark.parametrize("harness", ["sqlite", "postgres+redis"], indirect=True)
async def test_a_flood_from_one_resident_does_not_hold_up_another(harness):
    moderation = harness.app.city.moderation
    flooder = harness.fake.user(44, first_name="Flood", language_code="en")
    filer = harness.fake.user(45, first_name="Ara", language_code="ko")
    started = time.monotonic()
    for n in range(500):
        await flooder.send_text(f"spam {n}")
    await start_filing(filer, "complaint", "도로·교통", "동구", "가로등 고장")
    await submit(filer, await finish_filing(filer, "골목 가로등이 일주일째 꺼져 있습니다."))
    filed_in = time.monotonic() - started
    await _quiet(flooder)
    elapsed = time.monotonic() - started
    said = [m.text for m in flooder.messages() if m.from_bot]
    slow_downs = [text for text in said if "too fast" in text]
    windows = math.ceil(elapsed / moderation.flood_seconds) + 1  # fixed windows the flood can touch
    print(f"filing amid the flood took {filed_in:.2f}s; the flooder got {len(said)} messages in {elapsed:.2f}s")
    assert len(slow_downs) == math.ceil(elapsed / 60)
    assert 0 < len(said) - len(slow_downs) <= moderation.flood_updates * windows
    assert len(await harness.sql("SELECT id FROM items")) == 1


async def _quiet(user, quiet_for: float = 1.5) -> None:
    """Waits until the bot has said nothing more to `user` for `quiet_for` seconds."""
    count = -1
    while count != len(user.messages()):
        count = len(user.messages())
        await asyncio.sleep(quiet_for)


@pytest.mark.parametrize("harness", ["sqlite"], indirect=True)
async def test_a_ban_from_the_command_line_holds_in_the_bot(harness, tmp_path):
    from tests.test_officials_cli import run

    user = harness.fake.user(46, first_name="Di", language_code="en")
    await user.send_text("/start")
    await user.expect("Gwangju")
    database = {"SOTONG_DATABASE_URL": harness.settings.database_url}
    code, out, _ = await run("residents", "ban", "--telegram-id", "46", "--forever", cwd=tmp_path, **database)
    assert code == 0, out
    # Another process's ban shows once the bot reads the row again (resident_cache_seconds):
    # a restart drops the cache at once.
    await harness.restart()
    await user.send_text("📝 File a complaint")
    notice = await user.expect("suspended for good")
    assert "appeal" in notice.text
    code, _, _ = await run("residents", "unban", "--telegram-id", "46", cwd=tmp_path, **database)
    await harness.restart()
    await user.send_text("📝 File a complaint")
    await user.expect("which topic")
