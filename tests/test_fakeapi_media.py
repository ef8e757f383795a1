"""The fake Bot API's photos, albums and map pins, and its send limits, as Telegram has them."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.types import BufferedInputFile, InputMediaPhoto

from fakeapi import FakeTelegram

ALICE, BOB, CAROL = 1001, 1002, 1003


@pytest.fixture
async def fake():
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
    assert server.server_errors == []


@pytest.fixture
async def bot(fake):
    instance = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url)))
    yield instance
    await instance.session.close()


async def test_photos_albums_and_pins_reach_the_chat(fake, bot):
    alice = fake.user(ALICE)
    sent = [await alice.send_photo() for _ in range(3)]
    ids = [message.photo[-1]["file_id"] for message in sent]
    one = await bot.send_photo(ALICE, ids[0], caption="<b>GJ-1</b>", parse_mode="HTML")
    assert one.photo[-1].file_id == ids[0] and one.caption == "GJ-1"
    album = await bot.send_media_group(ALICE, [InputMediaPhoto(media=i, caption="c" if n == 0 else None)
                                             for n, i in enumerate(ids)])
    assert len(album) == 3 and len({m.media_group_id for m in album}) == 1
    uploaded = await bot.send_photo(ALICE, BufferedInputFile(b"\x89PNG", "a.png"))
    assert uploaded.photo
    pin = await bot.send_location(ALICE, 35.16, 126.85)
    assert pin.location.latitude == 35.16
    mine = [m for m in fake.chats[ALICE].transcript() if m.from_bot]
    assert [bool(m.location) for m in mine] == [False] * 5 + [True]
    assert {m.media_group_id for m in mine[1:4]} == {album[0].media_group_id}


async def test_media_limits_are_telegrams(fake, bot):
    alice = fake.user(ALICE)
    photo = (await alice.send_photo()).photo[0]["file_id"]
    cases = [
        (bot.send_photo(ALICE, "no-such-file"), "wrong file identifier"),
        (bot.send_photo(ALICE, photo, caption="x" * 1025), "message caption is too long"),
        (bot.send_media_group(ALICE, [InputMediaPhoto(media=photo)]), "2 to 10"),
        (bot.send_media_group(ALICE, [InputMediaPhoto(media=photo)] * 11), "2 to 10"),
        (bot.send_media_group(ALICE, [InputMediaPhoto(media=photo, caption="<&>" * 342, parse_mode=None)] * 2),
         "caption is too long"),
        (bot.send_location(ALICE, 91, 0), "wrong latitude"),
        (bot.send_message(ALICE, "x" * 4097), "message is too long"),
    ]
    for call, error in cases:
        with pytest.raises(TelegramBadRequest, match=error):
            await call
    await bot.send_photo(ALICE, photo, caption="x" * 1024)  # the limit itself is fine


async def test_global_and_per_chat_limits_answer_429_and_are_recorded(fake, bot):
    for chat in (ALICE, BOB, CAROL):
        fake.user(chat)
    fake.limits.per_second, fake.flood_limit = 2, 1
    await bot.send_message(ALICE, "1")
    await bot.send_message(BOB, "2")
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(CAROL, "3")
    assert refused.value.retry_after == 1
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(ALICE, "4")
    assert [(t.chat_id, t.scope) for t in fake.limits.throttles] == [(CAROL, "global"), (ALICE, "chat")]
    assert [chat for _, chat in fake.limits.all_sends()] == [ALICE, BOB]
    assert fake.limits.busiest_second() == 2
