"""`sotong run --webhook` as Telegram calls it: over real HTTP, from the fake Telegram's
delivery (which retries what is not answered 2xx, as Telegram does), to one process or to
several behind one address (the fake's load balancer) sharing PostgreSQL and Redis.

Refusals: no secret 401, a wrong one 403, an oversized or malformed body 4xx, and nothing
processed. Faults: the same update twice, to one process or to two at once, is handled once;
a process killed mid-conversation leaves the draft to another; PostgreSQL or Redis away for a
while gets the "briefly unavailable" answer, the processes keep running and work again after.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager

import pytest

from fakeapi import FakeTelegram
from tests.backends import postgres_database, redis_server, sqlite_url
from tests.flows import finish_filing, start_filing, submit
from tests.webhook_harness import InProcessWebhook, TcpProxy, WebhookFleet, sql

UNAVAILABLE = "briefly unavailable"
GREETING = "Gwangju"


@asynccontextmanager
async def backend(name: str, tmp_path):  # type: ignore[no-untyped-def]
    if name == "sqlite+memory":
        yield sqlite_url(tmp_path), None
    else:
        async with postgres_database() as url, redis_server() as redis_url:
            yield url, redis_url


@pytest.fixture(params=["sqlite+memory", "postgres+redis"])
async def webhook_bot(request, tmp_path, fake_telegram):
    async with backend(request.param, tmp_path) as (database_url, redis_url):
        bot = InProcessWebhook(fake_telegram, database_url, redis_url)
        await bot.start()
        try:
            yield bot
        finally:
            await bot.stop()


async def held_update(fake: FakeTelegram, resident, text: str) -> dict:  # type: ignore[no-untyped-def]
    """What the resident sends, taken from the fake before it is delivered."""
    fake.webhook.paused = True
    await resident.send_text(text)
    update: dict = fake.updates.updates.pop()
    fake.webhook.paused = False
    return update


async def delivered(fake: FakeTelegram) -> None:
    """Until every update was answered 2xx: each process is between updates, holding no lock."""
    async with asyncio.timeout(30):
        while fake.updates.updates:
            await asyncio.sleep(0.02)


def greetings(resident) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for m in resident.messages() if m.from_bot and GREETING in m.body)


async def test_setwebhook_on_start_with_the_secret_and_only_the_updates_handled(webhook_bot):
    call = webhook_bot.fake.calls_of("setWebhook")[-1]
    assert call["url"] == "https://sotong.example/telegram"
    assert call["secret_token"] == webhook_bot.settings.webhook_secret.get_secret_value()
    assert call.get("drop_pending_updates") in (None, False, "false")
    assert set(call["allowed_updates"]) == set(webhook_bot.app.dispatcher.resolve_used_update_types())
    assert "message" in call["allowed_updates"] and "inline_query" not in call["allowed_updates"]


async def test_calls_without_the_right_secret_or_with_a_bad_body_are_refused_and_nothing_is_stored(webhook_bot):
    fake = webhook_bot.fake
    resident = fake.user(501, first_name="Ha", language_code="en")
    update = await held_update(fake, resident, "/start")
    target = webhook_bot.url

    assert await fake.webhook.post(update, target, secret=False) == 401
    assert await fake.webhook.post(update, target, secret="not-the-secret") == 403
    assert await fake.webhook.post(update, target, secret=fake.webhook.secret + "x") == 403
    too_big = json.dumps({**update, "padding": "x" * (1024 * 1024)}).encode()
    assert await fake.webhook.post(too_big, target) == 413
    for malformed in (b"{not json", b"[]", b'{"update_id": "one"}', b"\xff\xfe", b"[" * 100_000, b""):
        assert await fake.webhook.post(malformed, target) == 400, malformed[:20]
    assert await sql(webhook_bot.settings.database_url, "SELECT id FROM residents") == []
    assert resident.messages()[-1].from_bot is False, "the bot answered a refused call"

    assert await fake.webhook.post(update, target) == 200  # the same update, with the secret
    assert len(await sql(webhook_bot.settings.database_url, "SELECT id FROM residents")) == 1
    assert greetings(resident) == 1


async def test_the_same_update_delivered_again_and_twice_at_once_is_handled_once(webhook_bot):
    fake = webhook_bot.fake
    resident = fake.user(502, first_name="Ha", language_code="en")
    update = await held_update(fake, resident, "/start")
    assert await fake.webhook.post(update, webhook_bot.url) == 200
    assert await fake.webhook.post(update, webhook_bot.url) == 200  # Telegram's retry: acknowledged, dropped
    assert greetings(resident) == 1

    again = await held_update(fake, resident, "/start")
    statuses = await asyncio.gather(*(fake.webhook.post(again, webhook_bot.url) for _ in range(3)))
    assert statuses == [200, 200, 200]
    assert greetings(resident) == 2


async def test_two_processes_given_the_same_update_at_once_handle_it_once(fake_telegram):
    fake = fake_telegram
    async with postgres_database() as url, redis_server() as redis_url, WebhookFleet(fake, url, redis_url, 2) as fleet:
        resident = fake.user(503, first_name="Ha", language_code="en")
        update = await held_update(fake, resident, "/start")
        statuses = await asyncio.gather(*(fake.webhook.post(update, bot.url) for bot in fleet.bots))
        assert statuses == [200, 200]
        assert greetings(resident) == 1
        assert len(await sql(url, "SELECT id FROM residents")) == 1


async def test_a_process_killed_mid_conversation_leaves_the_draft_to_another(fake_telegram):
    fake = fake_telegram
    async with postgres_database() as url, redis_server() as redis_url, WebhookFleet(fake, url, redis_url, 2) as fleet:
        first, second = fleet.bots
        resident = fake.user(504, first_name="Ha", language_code="en")
        await start_filing(resident, "complaint", "Roads", "Dong-gu", "Broken streetlight on Geumnam-ro",
                           language="en")
        assert any(target == first.url and status == 200 for _, target, status in fake.webhook.deliveries), \
            "the first process handled none of the draft's steps: nothing is proved"
        # Between two updates: one killed mid-update would hold the resident's event lock in Redis
        # until it lapses (aiogram's 60 s), and its update would be handled again (bot/dedupe.py).
        await delivered(fake)
        first.kill()
        preview = await finish_filing(resident, "The streetlight in front of the bakery has been dark all week.",
                                      language="en")
        assert "Broken streetlight on Geumnam-ro" in preview.body
        await submit(resident, preview, language="en")
        assert second.alive
        assert len(await sql(url, "SELECT id FROM items")) == 1
        refused = [status for _, target, status in fake.webhook.deliveries if target == first.url and status != 200]
        assert refused, "no delivery went to the killed process: the load balancer never tried it"


async def test_two_fast_taps_of_one_resident_on_two_processes_are_handled_one_after_the_other(fake_telegram):
    fake = fake_telegram
    async with postgres_database() as url, redis_server() as redis_url, WebhookFleet(fake, url, redis_url, 2) as fleet:
        resident = fake.user(505, first_name="Ha", language_code="en")
        await resident.send_text("/start")
        await resident.expect(GREETING, timeout=30)
        loop = asyncio.get_running_loop()
        answered: list[float] = []
        fake.subscribe(lambda event: answered.append(loop.time()) if event.chat_id == resident.chat_id else None)
        hold = 2.5
        fake.delay_replies(resident.chat_id, hold)  # each answer takes this long to reach Telegram
        await resident.send_text("/help")
        await resident.send_text("/help")
        async with asyncio.timeout(60):
            while len(answered) < 2:
                await asyncio.sleep(0.05)
        await delivered(fake)  # a delivery is recorded when its answer is in, after the reply it sent
        taps = sorted(d for d in fake.webhook.deliveries if d[2] == 200)[-2:]  # the two highest update ids
        targets = {target for _, target, _ in taps}
        assert targets == {bot.url for bot in fleet.bots}, "both taps went to one process: nothing is proved"
        # One after the other: the second could start only once the first had its answer out.
        assert answered[1] - answered[0] >= hold - 0.1, answered


async def test_the_database_away_gets_the_outage_answer_and_the_processes_recover(fake_telegram):
    fake = fake_telegram
    async with postgres_database() as url, redis_server() as redis_url:
        from sqlalchemy.engine import make_url

        real = make_url(url)
        proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
        await proxy.up()
        through_proxy = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        try:
            async with WebhookFleet(fake, through_proxy, redis_url, 2) as fleet:
                resident = fake.user(506, first_name="Ha", language_code="en")
                await start_filing(resident, "complaint", "Roads", "Dong-gu", "Pothole by the school gate",
                                   language="en")
                preview = await finish_filing(resident, "The hole is half a metre wide and fills with rain.",
                                              language="en")
                await proxy.down()
                for _ in fleet.bots:  # each process meets the outage once
                    await resident.press("Submit", message=preview)
                    assert UNAVAILABLE in (await resident.expect_alert(timeout=30))["text"]
                assert all(bot.alive for bot in fleet.bots)
                await proxy.up()
                await submit(resident, preview, language="en")
                assert all(bot.alive for bot in fleet.bots)
        finally:
            await proxy.down()
        assert len(await sql(url, "SELECT id FROM items")) == 1


async def test_redis_away_gets_the_outage_answer_and_no_crash_loop(fake_telegram):
    fake = fake_telegram
    async with postgres_database() as url, redis_server() as redis_url:
        from redis.asyncio.connection import parse_url

        target = parse_url(redis_url)
        proxy = TcpProxy(str(target.get("host", "127.0.0.1")), int(target.get("port", 6379)))
        await proxy.up()
        through_proxy = f"redis://127.0.0.1:{proxy.port}/{target.get('db', 0)}"
        try:
            async with WebhookFleet(fake, url, through_proxy, 2) as fleet:
                resident = fake.user(507, first_name="Ha", language_code="en")
                await resident.send_text("/start")
                await resident.expect(GREETING, timeout=30)
                # Between updates: Redis lost while an update holds the resident's event lock keeps
                # that lock until it lapses (aiogram's 60 s), as its release cannot reach Redis.
                await delivered(fake)
                await proxy.down()
                for _ in fleet.bots:
                    await resident.send_text("/help")
                    assert UNAVAILABLE in (await resident.expect(UNAVAILABLE, timeout=30)).body
                assert all(bot.alive for bot in fleet.bots)
                await proxy.up()
                await start_filing(resident, "complaint", "Roads", "Dong-gu", "Bus stop roof leaks", language="en")
                assert all(bot.alive for bot in fleet.bots)
        finally:
            await proxy.down()


def test_a_webhook_without_its_settings_is_one_line_and_exit_status_2(tmp_path):
    from bot.failures import EXIT_CONFIG
    from tests.test_cli import sotong

    token = {"SOTONG_BOT_TOKEN": "123:abc"}
    cases = [(("run", "--webhook"), {}, "SOTONG_WEBHOOK_URL is not set"),
             (("run",), {"SOTONG_WEBHOOK_URL": "https://bot.example/telegram"}, "SOTONG_WEBHOOK_SECRET is not set"),
             (("run",), {"SOTONG_WEBHOOK_URL": "https://bot.example/telegram", "SOTONG_WEBHOOK_SECRET": "a b"},
              "SOTONG_WEBHOOK_SECRET: must be 1 to 256 characters"),
             (("run",), {"SOTONG_WEBHOOK_URL": "http://bot.example/telegram", "SOTONG_WEBHOOK_SECRET": "ab"},
              "only https://")]
    for args, env, said in cases:
        result = sotong(*args, cwd=tmp_path, **token, **env)
        assert result.returncode == EXIT_CONFIG, result.stderr
        assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not (tmp_path / "sotong.db").exists()


async def test_stopping_lets_the_update_under_way_finish_and_answers_it(tmp_path, fake_telegram):
    fake = fake_telegram
    bot = InProcessWebhook(fake, sqlite_url(tmp_path), None)
    await bot.start()
    try:
        resident = fake.user(509, first_name="Ha", language_code="en")
        await resident.send_text("/start")
        await resident.expect(GREETING, timeout=30)
        await delivered(fake)
        fake.delay_replies(resident.chat_id, 1.5)
        await resident.send_text("/help")
        async with asyncio.timeout(30):
            while not bot.app.updates_in_flight():
                await asyncio.sleep(0.01)
        bot.stopping.set()  # SIGTERM's part
        await resident.expect("How to use this bot", timeout=30)
        await delivered(fake)  # and Telegram got its 200: nothing to deliver again
    finally:
        await bot.stop()
    assert [status for *_, status in fake.webhook.deliveries] == [200, 200]


async def test_the_open311_api_is_served_beside_the_webhook_with_its_own_body_limit(webhook_bot):
    import aiohttp

    from storage import rules

    api = webhook_bot.url.removesuffix("/telegram") + "/open311/v2"
    async with aiohttp.ClientSession() as client:
        async with client.get(f"{api}/services.json") as response:
            assert response.status == 200
            assert any(service["service_code"] for service in await response.json())
        form = {"service_code": "roads", "description": "x" * (rules.OPEN311_BODY_MAX + 1)}
        async with client.post(f"{api}/requests.json", data=form) as response:
            assert response.status == 413  # not the webhook's 1 MiB
