"""Open311 beside the real bot: a complaint filed through the API appears in the bot's Browse and
reaches its departments' officials through the outbox; a photo a resident sent in the bot is
served at media_url through the Bot API's getFile, without the bot's token."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from bot.app import create_bot
from bot.open311.media import TelegramFiles
from bot.telegram_retry import TRANSIENT_RETRIES
from tests.open311 import KEY, api_city, api_client
from tests.outbox import deliver
from tests.test_city_loop_e2e import file_water_complaint, official

V2 = "/open311/v2"


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_a_complaint_filed_through_open311_is_browsed_and_reaches_its_departments(harness):
    fake, app = harness.fake, harness.app
    water = await official(harness, 811, "Wendy", "en", "water")
    buk = await official(harness, 812, "보라", "ko", "buk_office")
    async with api_client(app.engine, api_city(app.city), harness.clock) as api:
        response = await api.post(f"{V2}/requests.json", data={
            "api_key": KEY, "service_code": "water", "lat": "35.1740", "long": "126.9120",
            "address_string": "Jungheung-ro 12 & 14", "attribute[title]": "Burst pipe on Jungheung-ro",
            "description": "Water is gushing from the pavement in front of number 12."})
        assert response.status == 200, await response.text()
        (filed,) = json.loads(await response.read())
    number = filed["service_request_id"]

    assert await deliver(harness) == 4  # to each department's official: the map pin, then the push
    push = await water.expect("Burst pipe on Jungheung-ro")
    assert number in push.text and "Filed by: web (through Open311)" in push.text
    assert "Address: Jungheung-ro 12 &amp; 14" in push.html and "✅ Acknowledge" in push.button_texts()
    push_ko = await buk.expect("Burst pipe on Jungheung-ro")
    assert "신청인: web (Open311 연계)" in push_ko.text and "주소: Jungheung-ro 12" in push_ko.text
    assignments = await harness.sql("SELECT department, state FROM assignments ORDER BY id")
    assert assignments == [{"department": "water", "state": "new"}, {"department": "buk_office", "state": "new"}]
    outbox = await harness.sql("SELECT kind, chat_id, state FROM outbox ORDER BY id")
    assert outbox == [{"kind": kind, "chat_id": chat, "state": "sent"} for chat in (811, 812)
                      for kind in ("assignment_location", "assignment")]
    assert [m.location for m in water.messages() if m.location] == [{"latitude": 35.174, "longitude": 126.912}]

    resident = fake.user(821, first_name="Minji", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Gwangju")
    await resident.send_text("🔎 Browse")
    listing = await resident.expect("1 item, page 1 of 1")
    await resident.press("Burst pipe on Jungheung-ro", message=listing)
    card = await resident.expect(number)
    assert "Water is gushing" in card.text and "Water Supply Headquarters" in card.text


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_media_url_serves_the_first_photo_without_the_token(harness):
    fake, app = harness.fake, harness.app
    filer = fake.user(831, first_name="Ara", language_code="ko")
    await file_water_complaint(filer)  # two photos, sent in the bot
    (first,) = await harness.sql("SELECT file_id FROM attachments WHERE position = 0")
    files = TelegramFiles(create_bot(fake.token, fake.base_url))
    try:
        async with api_client(app.engine, api_city(app.city), harness.clock, files=files,
                              public_url="https://open311.example.go.kr/") as api:
            listed = await api.get(f"{V2}/requests.json")
            body = await listed.read()
            (request,) = json.loads(body)
            url = request["media_url"]
            assert url == f"https://open311.example.go.kr{V2}/media/{request['service_request_id']}.jpg"
            photo = await api.get(url.removeprefix("https://open311.example.go.kr"))
            content = await photo.read()
            assert photo.status == 200 and photo.content_type == "image/jpeg"
            assert content == fake.files.content(first["file_id"])
            assert fake.calls_of("getFile")[-1]["file_id"] == first["file_id"]
            served = body + content + b"".join(f"{k}: {v}".encode() for k, v in photo.headers.items())
            assert fake.token.encode() not in served and fake.token.split(":")[1].encode() not in served
            missing = await api.get(f"{V2}/media/GJ-2026-999999.jpg")
            assert missing.status == 404 and missing.content_type == "text/xml"
            # Telegram down for good: the bot's session retries a 5xx (bot/telegram_retry.py), then gives up.
            fake.fail("getFile", 502, "Bad Gateway", times=1 + TRANSIENT_RETRIES)
            down = await api.get(url.removeprefix("https://open311.example.go.kr"))
            assert down.status == 502 and fake.token.encode() not in await down.read()
            async with app.engine.begin() as connection:  # hidden by moderation: no photo either
                await connection.execute(text("UPDATE items SET status = 'hidden'"))
            gone = await api.get(url.removeprefix("https://open311.example.go.kr"))
            assert gone.status == 404 and json.loads(await (await api.get(f"{V2}/requests.json")).read()) == []
    finally:
        await files.close()
