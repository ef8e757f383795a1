"""The fake Telegram's webhook side: setWebhook, getWebhookInfo, deleteWebhook, 409 on
getUpdates while a webhook is set, and deliveries repeated until answered 2xx."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramConflictError
from aiohttp import web


@pytest.fixture
async def bot(fake_telegram):
    bot = Bot(fake_telegram.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake_telegram.base_url)))
    yield bot
    await bot.session.close()


async def test_polling_is_refused_while_a_webhook_is_set(fake_telegram, bot):
    assert await bot.set_webhook("https://sotong.example/telegram", secret_token="s3cret",
                                 allowed_updates=["message"])
    info = await bot.get_webhook_info()
    assert info.url == "https://sotong.example/telegram" and info.allowed_updates == ["message"]
    with pytest.raises(TelegramConflictError):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates(timeout=0) == []


async def test_an_update_is_delivered_again_until_answered_2xx(fake_telegram, bot):
    received: list[tuple[str | None, dict]] = []

    async def endpoint(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(status=500 if len(received) < 3 else 200)

    app = web.Application()
    app.router.add_post("/hook", endpoint)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        await bot.set_webhook(url, secret_token="s3cret")
        await fake_telegram.user(7, language_code="en").send_text("hello")
        async with asyncio.timeout(10):
            while fake_telegram.updates.updates:
                await asyncio.sleep(0.05)
        assert len(received) == 3
        assert {secret for secret, _ in received} == {"s3cret"}
        assert len({update["update_id"] for _, update in received}) == 1
        assert "Wrong response" in ((await bot.get_webhook_info()).last_error_message or "")
    finally:
        await runner.cleanup()
