"""A slow Telegram for one resident holds up no one else's database work (issue 8.2):
no transaction stays open across a Bot API call, and reads take no SQLite write lock."""

from __future__ import annotations

import asyncio
import re
import time

import pytest
from sqlalchemy import text

from storage.database import create_engine, create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.services.filing import FilingService
from storage.services.residents import ResidentService, TelegramPerson
from tests.backends import postgres_database, sqlite_url
from tests.harness import BotHarness

DELAY = 12.0  # longer than SQLite's busy timeout (storage.database.SQLITE_BUSY_TIMEOUT_MS)
PROMPT = 6.0  # every other resident is fully served well within this
TITLE = "Shade sails for the bus stops"


@pytest.fixture(params=["sqlite", "postgres"])
async def bot(request, tmp_path, fake_telegram, clock):
    if request.param == "sqlite":
        harness = BotHarness(fake_telegram, sqlite_url(tmp_path), None, clock)
        await harness.start()
        yield harness
        await harness.stop()
        return
    async with postgres_database() as url:
        harness = BotHarness(fake_telegram, url, None, clock)
        await harness.start()
        yield harness
        await harness.stop()


async def _seed_proposal(harness: BotHarness) -> None:
    engine = create_engine(harness.settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            filer, _ = await ResidentService(session, "en").identify(TelegramPerson(99, "Seeder", None, "en"))
            draft = Draft(kind=Kind.PROPOSAL, category="roads", district="dong", title=TITLE,
                          body="Shade over every bus stop in the district.", anonymous=True)
            await FilingService(session, harness.app.city).submit(draft, filer)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE items SET endorsement_goal = 100"))
    finally:
        await engine.dispose()


async def _browse_and_endorse(resident) -> float:  # type: ignore[no-untyped-def]
    await resident.send_text("/browse")
    listing = await resident.expect("1 item", timeout=PROMPT)
    await resident.press(TITLE, message=listing)
    card = await resident.expect("endorsements", timeout=PROMPT)
    await resident.press(re.compile(r"Endorse \("), message=card)
    assert "Now" in (await resident.expect_alert(timeout=PROMPT))["text"]
    return time.monotonic()


async def test_one_slow_reply_holds_up_no_one_else(bot):
    await _seed_proposal(bot)
    fake = bot.fake
    slow = fake.user(61, first_name="Slow", language_code="en")
    others = [fake.user(62 + n, first_name=f"Quick {n}", language_code="en") for n in range(5)]
    for resident in (slow, *others):
        await resident.send_text("/start")
        await resident.expect("Gwangju")

    fake.delay_replies(slow.chat_id, DELAY)
    began = time.monotonic()
    await slow.send_text("/browse")
    await asyncio.sleep(0.5)  # the slow resident's update now waits on Telegram
    finished = await asyncio.gather(*(_browse_and_endorse(r) for r in others))
    await slow.expect("1 item", timeout=DELAY + 10)
    slow_answered = time.monotonic()

    assert max(finished) - began < PROMPT
    assert slow_answered - began >= DELAY
    rows = await bot.sql("SELECT count(*) AS n FROM endorsements")
    assert rows[0]["n"] == len(others)
