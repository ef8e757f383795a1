"""Database outages on the endorse path get the "briefly unavailable" answer, never the
generic error, and the pool recovers at once after PostgreSQL dropped its connections
(issue 8.9)."""

from __future__ import annotations

import re
import sqlite3

import asyncpg
from sqlalchemy.engine import make_url

from storage import database
from tests.backends import postgres_database, sqlite_url
from tests.harness import BotHarness
from tests.test_slow_telegram_e2e import TITLE, _seed_proposal

UNAVAILABLE = "briefly unavailable"
GENERIC = "Something went wrong"


async def _open_card(harness: BotHarness):  # type: ignore[no-untyped-def]
    resident = harness.fake.user(71, first_name="Ha", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju")
    await resident.send_text("/browse")
    await resident.press(TITLE, message=await resident.expect("1 item"))
    return resident, await resident.expect("endorsements")


async def test_a_locked_sqlite_database_is_briefly_unavailable(tmp_path, fake_telegram, clock, monkeypatch):
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 300)  # fail fast, not after 10 s
    url = sqlite_url(tmp_path)
    harness = BotHarness(fake_telegram, url, None, clock)
    await harness.start()
    try:
        await _seed_proposal(harness)
        resident, card = await _open_card(harness)
        # Another process holds SQLite's write lock for longer than the busy timeout.
        blocker = sqlite3.connect(make_url(url).database, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await resident.press(re.compile(r"Endorse \("), message=card)
            assert UNAVAILABLE in (await resident.expect_alert())["text"]
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await resident.press(re.compile(r"Endorse \("), message=card)
        assert "Now 1" in (await resident.expect_alert())["text"]
    finally:
        await harness.stop()


async def test_endorsing_right_after_postgres_dropped_every_connection(fake_telegram, clock):
    async with postgres_database() as url:
        harness = BotHarness(fake_telegram, url, None, clock)
        await harness.start()
        try:
            await _seed_proposal(harness)
            resident, card = await _open_card(harness)  # the pool now holds live connections
            killed = await _terminate_backends(url)
            assert killed >= 1
            await resident.press(re.compile(r"Endorse \("), message=card)
            answer = (await resident.expect_alert())["text"]
            assert GENERIC not in answer
            assert "Now 1" in answer  # the dead connections were replaced at checkout
        finally:
            await harness.stop()


async def _terminate_backends(url: str) -> int:
    """What a PostgreSQL restart does to the bot's pool: every connection to its database dies."""
    name = make_url(url).database
    admin = await asyncpg.connect(make_url(url).set(drivername="postgresql", database="postgres")
                                  .render_as_string(hide_password=False))
    try:
        rows = await admin.fetch("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = $1 AND pid <> pg_backend_pid()", name)
    finally:
        await admin.close()
    return len(rows)
