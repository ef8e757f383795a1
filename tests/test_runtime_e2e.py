"""The bot process around the conversations: restarts, a database that goes away,
languages, the command menu."""

from __future__ import annotations

import asyncio

import asyncpg

from tests.backends import _dsn, postgres_database, redis_server, sqlite_url
from tests.flows import finish_filing, start_filing
from tests.harness import BotHarness


async def _fill_until_body(resident):
    await start_filing(resident, "complaint", "Roads and transport", "Nam-gu", "Crosswalk paint faded", "en")


async def test_draft_survives_restart_with_redis(fake_telegram, tmp_path):
    async with redis_server() as redis_url:
        bot = BotHarness(fake_telegram, sqlite_url(tmp_path), redis_url)
        await bot.start()
        resident = fake_telegram.user(5005, first_name="Hana", language_code="en")
        await _fill_until_body(resident)
        await bot.restart()
        preview = await finish_filing(resident, "The crosswalk by the school has almost no paint left.",
                                      language="en")
        assert "Crosswalk paint faded" in preview.text and "Nam-gu" in preview.text
        await resident.press("Submit", message=preview)
        await resident.expect("filed as")
        await bot.stop()
        rows = await bot.sql("SELECT title, district FROM items")
        assert rows == [{"title": "Crosswalk paint faded", "district": "nam"}]


async def test_database_down_loses_nothing(fake_telegram):
    async with postgres_database() as url:
        bot = BotHarness(fake_telegram, url, None)
        await bot.start()
        resident = fake_telegram.user(6006, first_name="Dae", language_code="en")
        await _fill_until_body(resident)
        preview = await finish_filing(resident, "The crosswalk by the school has almost no paint left.",
                                      anonymous=True, language="en")

        database = url.rsplit("/", 1)[1]
        admin = await asyncpg.connect(_dsn(url, "postgres"))
        await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", database)
        try:
            await resident.press("Submit", message=preview)
            alert = await resident.expect_alert(timeout=15)
            assert "briefly unavailable" in alert["text"]
            await resident.send_text("hello")
            await resident.expect("briefly unavailable", timeout=15)
        finally:
            await admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
            await admin.close()

        await resident.press("Submit", message=preview)
        await resident.expect("filed as")
        await bot.stop()
        assert len(await bot.sql("SELECT id FROM items")) == 1


async def test_language_is_remembered_and_commands_registered(harness):
    fake = harness.fake
    for language in ("ko", "en"):
        registered = fake.commands[("default", language)]
        assert [c["command"] for c in registered] == ["start", "menu", "browse", "search", "polls", "cancel", "language", "help"]
    assert fake.commands[("default", "ko")][0]["description"] != fake.commands[("default", "en")][0]["description"]

    resident = fake.user(7007, first_name="Lena", language_code="de")  # falls back to Korean
    await resident.send_text("/start")
    await resident.expect("안녕하세요")
    await resident.send_text("/language")
    choice = await resident.expect("언어를 골라")
    await resident.press("English", message=choice)
    await resident.expect("Language set to English")
    menu = await resident.expect("Main menu")
    assert "📝 File a complaint" in menu.button_texts()
    rows = await harness.sql("SELECT language FROM residents WHERE telegram_id = 7007")
    assert rows == [{"language": "en"}]

    await resident.send_text("⚙️ Settings")
    settings = await resident.expect("Settings")
    await resident.press("My district", message=settings)
    await resident.press("Gwangsan-gu", message=await resident.expect("Which district do you live in"))
    updated = await resident.expect("Gwangsan-gu")
    assert "English" in updated.text
    rows = await harness.sql("SELECT district FROM residents WHERE telegram_id = 7007")
    assert rows == [{"district": "gwangsan"}]
    await resident.send_text("/help")
    await resident.expect("How to use this bot")


async def test_resident_who_blocked_the_bot_is_marked(harness):
    resident = harness.fake.user(8008, first_name="Mina", language_code="ko")
    await resident.send_text("/start")
    await resident.expect("광주")
    harness.fake.block(8008, notify=False)  # no my_chat_member update: see test_membership_e2e
    await resident.send_text("/help")  # our reply is refused with 403
    for _ in range(50):
        rows = await harness.sql("SELECT blocked FROM residents WHERE telegram_id = 8008")
        if rows and rows[0]["blocked"] in (True, 1):
            break
        await asyncio.sleep(0.1)
    assert rows[0]["blocked"] in (True, 1)
    harness.fake.unblock(8008, notify=False)
    await resident.send_text("/help")
    await resident.expect("사용 방법")
    rows = await harness.sql("SELECT blocked FROM residents WHERE telegram_id = 8008")
    assert rows[0]["blocked"] in (False, 0)


async def test_polling_removes_a_webhook_left_set(fake_telegram, tmp_path):
    """After `sotong run --webhook`, `sotong run` polls: Telegram refuses getUpdates (409) while a
    webhook is set, so the bot removes it, keeping what residents sent meanwhile."""
    fake_telegram.webhook.set("https://bot.example.org/telegram", "s3cret", 40)
    fake_telegram.webhook.paused = True  # nobody answers at that address: the update waits
    resident = fake_telegram.user(5006, first_name="Hana", language_code="en")
    await resident.send_text("/start")
    bot = BotHarness(fake_telegram, sqlite_url(tmp_path), None)
    await bot.start()
    try:
        await resident.expect("Gwangju Metropolitan City", timeout=15)
        assert fake_telegram.webhook.url == ""
        assert [p["drop_pending_updates"] for p in fake_telegram.calls_of("deleteWebhook")] in ([False], ["false"])
    finally:
        await bot.stop()
