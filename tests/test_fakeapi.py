"""The fake Bot API refuses what Telegram refuses: the protocol mistakes the bot could make.

Driven through a real aiogram Bot over HTTP. The fake's conveniences (pressing buttons,
waiting for answers) are exercised by every end-to-end test instead.
"""

from __future__ import annotations

import re

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from fakeapi import FakeTelegram

ALICE = 1001


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


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


async def test_text_markup_and_limits_are_checked_like_telegram(fake, bot):
    fake.user(ALICE)
    text_button = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="no action")]])
    cases = [
        (bot.send_message(999, "x"), "chat not found"),
        (bot.send_message(ALICE, " "), "message text is empty"),
        (bot.send_message(ALICE, "x" * 4097), "message is too long"),
        (bot.send_message(ALICE, "<b>open", parse_mode="HTML"), "can't parse entities"),
        (bot.send_message(ALICE, "<div>x</div>", parse_mode="HTML"), "Unsupported start tag"),
        (bot.send_message(ALICE, "resident wrote I <3 you", parse_mode="HTML"), "Unsupported start tag"),
        (bot.send_message(ALICE, "x", reply_markup=keyboard(("t", "d" * 65))), "BUTTON_DATA_INVALID"),
        (bot.send_message(ALICE, "x", reply_markup=keyboard(("t", "공" * 22))), "BUTTON_DATA_INVALID"),
        (bot.send_message(ALICE, "x", reply_markup=text_button), "Text buttons are unallowed"),
        (bot.edit_message_text("x", chat_id=ALICE, message_id=77), "message to edit not found"),
        (bot.delete_message(ALICE, 77), "message to delete not found"),
        (bot.answer_callback_query("nope"), "query is too old"),
    ]
    for call, expected in cases:
        with pytest.raises(TelegramBadRequest, match=re.escape(expected)):
            await call
    # the limit counts the text after entity parsing; escaped characters count once
    ok = await bot.send_message(ALICE, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
    assert ok.text == "&" * 4096
    assert await bot.send_message(ALICE, "x", reply_markup=keyboard(("t", "d" * 64)))


async def test_edit_needs_a_change_and_a_bot_message(fake, bot):
    alice = fake.user(ALICE)
    sent = await bot.send_message(ALICE, "v1", reply_markup=keyboard(("A", "a")))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("v1", chat_id=ALICE, message_id=sent.message_id,
                                    reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text("v1", chat_id=ALICE, message_id=sent.message_id)
    assert edited.reply_markup is None  # dropping the buttons is a change
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=ALICE, message_id=sent.message_id)
    mine = await alice.send_text("mine")
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=mine.message_id)
    await bot.delete_message(ALICE, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("v2", chat_id=ALICE, message_id=sent.message_id)


async def test_callback_query_is_answered_once(fake, bot):
    alice = fake.user(ALICE)
    await bot.send_message(ALICE, "?", reply_markup=keyboard(("Go", "go")))
    await alice.press("Go")
    query = (await bot.get_updates())[0].callback_query
    assert await bot.answer_callback_query(query.id, text="Done!", show_alert=True)
    assert (await alice.expect_alert())["text"] == "Done!"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)


async def test_commands_are_validated(fake, bot):
    await bot.set_my_commands([BotCommand(command="start", description="시작")], language_code="ko")
    assert fake.commands[("default", "ko")] == [{"command": "start", "description": "시작"}]
    for command, description, error in [("Bad Command", "x", "BOT_COMMAND_INVALID"),
                                        ("ok", "x" * 257, "BOT_COMMAND_DESCRIPTION_INVALID")]:
        with pytest.raises(TelegramBadRequest, match=error):
            await bot.set_my_commands([BotCommand(command=command, description=description)])


async def test_blocked_resident_and_flood_limit(fake, bot):
    alice = fake.user(ALICE)
    fake.block(ALICE)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(ALICE, "hi")
    fake.unblock(ALICE)
    updates = await bot.get_updates()
    assert [u.my_chat_member.new_chat_member.status for u in updates] == ["kicked", "member"]
    await bot.send_message(ALICE, "back")

    fake.flood_limit = 2
    bob = fake.user(2002)
    await bot.send_message(ALICE, "1")
    await bot.send_message(ALICE, "2")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(ALICE, "3")
    assert info.value.retry_after == 1
    await bot.send_message(bob.chat_id, "other chat is fine")
    assert [m.body for m in alice.messages()] == ["back", "1", "2"]
