"""Tests of the fake Telegram Bot API, driven through a real aiogram Bot over HTTP."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)

from fakeapi import BotEvent, FakeMessage, FakeTelegram

ALICE = 1001


def make_bot(fake: FakeTelegram, token: str | None = None) -> Bot:
    api = TelegramAPIServer.from_base(fake.base_url)
    return Bot(token or fake.token, session=AiohttpSession(api=api))


async def close_bot(bot: Bot) -> None:
    # AiohttpSession.close() sleeps 250 ms for SSL shutdown; plain HTTP needs no wait.
    if bot.session._session is not None:
        await bot.session._session.close()


@pytest.fixture
async def fake():
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
    assert server.server_errors == []


@pytest.fixture
async def bot(fake):
    instance = make_bot(fake)
    yield instance
    await close_bot(instance)


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs]
    )


# -- basics -------------------------------------------------------------------
async def test_get_me_and_routing(fake, bot):
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (123456, "sotong_test_bot", "Sotong", True)
    assert fake.base_url.startswith("http://127.0.0.1:")
    assert fake.calls_of("getme") == [{}]

    wrong = make_bot(fake, token="999:WRONG")
    with pytest.raises(TelegramUnauthorizedError):
        await wrong.get_me()
    await close_bot(wrong)

    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.base_url}/bot{fake.token}/noSuchMethod") as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False, "error_code": 404, "description": "Not Found: method not found"}
        url = f"{fake.base_url}/bot{fake.token}/SENDMESSAGE?chat_id={ALICE}&text=hi"
        fake.user(ALICE)
        async with http.get(url) as resp:
            body = await resp.json()
            assert body["ok"] is True and body["result"]["text"] == "hi"
        markup = {"inline_keyboard": [[{"text": "x", "callback_data": "y"}]]}
        payload = {"chat_id": ALICE, "text": "json body", "reply_markup": markup}
        async with http.post(f"{fake.base_url}/bot{fake.token}/sendMessage", json=payload) as resp:
            body = await resp.json()
            assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "y"
    assert [m.body for m in fake.user(ALICE).messages()] == ["hi", "json body"]


async def test_send_message_html_and_expect(fake, bot):
    alice = fake.user(ALICE, "Alice")
    markup = keyboard(("Yes", "vote:yes"), ("No", "vote:no"))
    sent = await bot.send_message(ALICE, "<b>Hello</b> &amp; 환영 <a href='https://x.org'>link</a>",
                                  parse_mode="HTML", reply_markup=markup)
    assert isinstance(sent, Message)
    assert sent.text == "Hello & 환영 link"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 5), ("text_link", 11, 4)]
    assert sent.reply_markup.inline_keyboard[1][0].callback_data == "vote:no"
    assert sent.from_user.id == fake.bot_id and sent.chat.id == ALICE and sent.chat.type == "private"

    got = await alice.expect("Hello &")
    assert got.html.startswith("<b>Hello</b>")
    assert got.button_texts() == ["Yes", "No"]
    assert got.find_button(re.compile("^N"))["callback_data"] == "vote:no"
    assert alice.last_bot_message().message_id == sent.message_id
    params = fake.calls_of("sendMessage")[0]
    assert params["chat_id"] == str(ALICE)
    assert params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Yes"


async def test_validation_errors(fake, bot):
    fake.user(ALICE)
    cases = [
        (bot.send_message(999, "x"), "chat not found"),
        (bot.send_message(ALICE, ""), "message text is empty"),
        (bot.send_message(ALICE, "x" * 4097), "message is too long"),
        (bot.send_message(ALICE, "<b>open", parse_mode="HTML"), "can't parse entities"),
        (bot.send_message(ALICE, "<div>x</div>", parse_mode="HTML"), "Unsupported start tag"),
        (bot.send_message(ALICE, "unescaped I <3 you", parse_mode="HTML"), "Unsupported start tag"),
        (bot.send_message(ALICE, "x", reply_markup=keyboard(("t", "d" * 65))), "BUTTON_DATA_INVALID"),
        (bot.send_photo(ALICE, BufferedInputFile(b"x", "a.jpg"), caption="c" * 1025),
         "message caption is too long"),
        (bot.edit_message_text("x", chat_id=ALICE, message_id=77), "message to edit not found"),
        (bot.delete_message(ALICE, 77), "message to delete not found"),
        (bot.answer_callback_query("nope"), "query is too old"),
        (bot.send_photo(ALICE, "no-such-file-id"), "wrong file identifier"),
    ]
    for call, expected in cases:
        with pytest.raises(TelegramBadRequest, match=re.escape(expected)):
            await call
    # after entity parsing the text fits
    ok = await bot.send_message(ALICE, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert len(ok.text) == 4096


async def test_edit_and_not_modified_and_delete(fake, bot):
    alice = fake.user(ALICE)
    sent = await bot.send_message(ALICE, "v1", reply_markup=keyboard(("A", "a")))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("v1", chat_id=ALICE, message_id=sent.message_id,
                                    reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text("v2", chat_id=ALICE, message_id=sent.message_id)
    assert edited.text == "v2" and edited.reply_markup is None and edited.edit_date is not None
    await bot.edit_message_reply_markup(chat_id=ALICE, message_id=sent.message_id,
                                        reply_markup=keyboard(("B", "b")))
    await bot.delete_message(ALICE, sent.message_id)
    kinds = [(e.kind, e.message.body, e.message.button_texts()) for e in alice.drain()]
    assert kinds == [("message", "v1", ["A"]), ("edit", "v2", []), ("edit", "v2", ["B"]),
                     ("delete", "v2", ["B"])]
    assert alice.messages() == []
    user_msg = await alice.send_text("mine")
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=user_msg.message_id)


async def test_updates_offsets_and_entities(fake, bot):
    alice = fake.user(ALICE, "Alice", username="alice")
    await alice.send_text("/report@sotong_test_bot now")
    await alice.open_link("ref-42")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["/report@sotong_test_bot now", "/start ref-42"]
    assert updates[0].message.entities[0].type == "bot_command"
    assert updates[0].message.entities[0].length == len("/report@sotong_test_bot")
    assert updates[1].message.from_user.language_code == "ko"
    assert updates[1].update_id > updates[0].update_id
    assert updates[1].message.message_id == updates[0].message.message_id + 1
    again = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
    assert [u.update_id for u in again] == [updates[1].update_id]
    assert await bot.get_updates(offset=updates[1].update_id + 1, timeout=0) == []


async def test_long_poll_wakes_times_out_and_stops(fake, bot):
    alice = fake.user(ALICE)
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    started = loop.time()
    await alice.send_text("wake up")
    updates = await poll
    assert updates[0].message.text == "wake up" and loop.time() - started < 1

    started = loop.time()
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=1) == []
    assert 0.9 < loop.time() - started < 2

    pending = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.05)
    started = loop.time()
    await fake.stop()
    assert await pending == [] and loop.time() - started < 2


async def test_second_poller_conflicts(fake, bot):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError):
        await first
    assert await second == []


async def test_reply_keyboard_and_press(fake, bot):
    alice = fake.user(ALICE)
    kb = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="📍 Share location", request_location=True)],
                                       [KeyboardButton(text="Cancel")]])
    await bot.send_message(ALICE, "Where?", reply_markup=kb)
    texts = [b["text"] for row in alice.reply_keyboard["keyboard"] for b in row]
    assert texts == ["📍 Share location", "Cancel"]
    assert (await alice.expect("Where?")).button_texts() == ["📍 Share location", "Cancel"]
    with pytest.raises(ValueError, match="send_location"):
        await alice.press("Share location")
    pressed = await alice.press("Cancel")
    assert pressed.text == "Cancel" and not pressed.from_bot
    await alice.send_location(37.56, 126.97)
    updates = await bot.get_updates()
    assert updates[0].message.text == "Cancel"
    assert updates[1].message.location.latitude == pytest.approx(37.56)
    await bot.send_message(ALICE, "ok", reply_markup=ReplyKeyboardRemove())
    assert alice.reply_keyboard is None
    with pytest.raises(AssertionError, match="no button matching 'Missing'"):
        await alice.press("Missing")


async def test_press_inline_and_answer(fake, bot):
    alice = fake.user(ALICE)
    old = await bot.send_message(ALICE, "old", reply_markup=keyboard(("Go", "go:old")))
    await bot.send_message(ALICE, "new", reply_markup=keyboard(("Go", "go:new"), ("Stop", "stop")))
    await alice.press("Go")
    await alice.press("Go", message=FakeMessage(old.message_id, ALICE, True))
    await alice.press_data("forged", alice.last_bot_message())
    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates]
    assert [q.data for q in queries] == ["go:new", "go:old", "forged"]
    assert queries[0].message.text == "new" and queries[1].message.message_id == old.message_id
    assert len({q.id for q in queries}) == 3
    assert await bot.answer_callback_query(queries[0].id, text="Done!", show_alert=True)
    alert = await alice.expect_alert()
    assert alert["text"] == "Done!" and alert["show_alert"] is True
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(queries[0].id)


async def test_photos_files_and_albums(fake, bot):
    alice = fake.user(ALICE)
    await alice.send_photo(caption="pothole")
    await alice.send_album(3, caption="street")
    await alice.send_document("plan.pdf")
    await alice.send_voice()
    await alice.send_sticker()
    updates = await bot.get_updates()
    messages = [u.message for u in updates]
    assert messages[0].caption == "pothole" and len(messages[0].photo) == 3
    album = messages[1:4]
    assert len({m.media_group_id for m in album}) == 1 and album[0].media_group_id is not None
    assert album[0].media_group_id != messages[0].media_group_id
    assert [m.caption for m in album] == ["street", None, None]
    assert messages[4].document.file_name == "plan.pdf"
    assert messages[5].voice.duration == 3 and messages[6].sticker.width == 512
    all_ids = [p.file_id for m in messages[:4] for p in m.photo]
    assert len(set(all_ids)) == 12

    biggest = messages[0].photo[-1]
    file = await bot.get_file(biggest.file_id)
    assert file.file_path.endswith(".jpg")
    data = await bot.download_file(file.file_path)
    assert len(data.read()) == file.file_size > 0

    resent = await bot.send_photo(ALICE, biggest.file_id, caption="<i>seen</i>", parse_mode="HTML")
    assert resent.photo[-1].file_id == biggest.file_id and resent.caption == "seen"
    uploaded = await bot.send_photo(ALICE, BufferedInputFile(b"\xff\xd8jpeg-bytes", "p.jpg"))
    assert uploaded.photo[0].file_id not in all_ids
    group = await bot.send_media_group(ALICE, [
        InputMediaPhoto(media=biggest.file_id, caption="one"),
        InputMediaPhoto(media=BufferedInputFile(b"\xff\xd8two", "two.jpg")),
    ])
    assert len(group) == 2 and group[0].media_group_id == group[1].media_group_id
    doc = await bot.send_document(ALICE, BufferedInputFile(b"%PDF", "report.pdf"), caption="r")
    assert doc.document.file_name == "report.pdf"
    edited = await bot.edit_message_caption(chat_id=ALICE, message_id=doc.message_id, caption="r2")
    assert edited.caption == "r2"
    bodies = [m.body for m in alice.messages() if m.from_bot]
    assert bodies == ["seen", "", "one", "", "r2"]


async def test_location_action_and_reply(fake, bot):
    alice = fake.user(ALICE)
    mine = await alice.send_text("here")
    await bot.send_chat_action(ALICE, "typing")
    reply_to = ReplyParameters(message_id=mine.message_id)
    loc = await bot.send_location(ALICE, 37.5, 127.0, reply_parameters=reply_to)
    assert loc.location.longitude == 127.0 and loc.reply_to_message.text == "here"
    events = alice.drain()
    assert [(e.kind, e.action) for e in events] == [("chat_action", "typing"), ("message", None)]
    assert events[1].message.location == {"latitude": 37.5, "longitude": 127.0}
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(ALICE, "x", reply_parameters=ReplyParameters(message_id=999))
    chat = await bot.get_chat(ALICE)
    assert chat.id == ALICE and chat.first_name == "Resident"


async def test_commands_by_scope_and_language(fake, bot):
    await bot.set_my_commands([BotCommand(command="start", description="Start")])
    await bot.set_my_commands([BotCommand(command="report", description="신고")],
                              scope=BotCommandScopeAllPrivateChats(), language_code="ko")
    assert fake.commands[(None, None)] == [{"command": "start", "description": "Start"}]
    assert fake.commands[("all_private_chats", "ko")][0]["command"] == "report"
    got = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="ko")
    assert [c.command for c in got] == ["report"]
    assert await bot.get_my_commands(language_code="en") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])
    await bot.delete_my_commands()
    assert (None, None) not in fake.commands


async def test_block_and_flood(fake, bot):
    alice = fake.user(ALICE)
    fake.block(ALICE)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(ALICE, "hi")
    fake.unblock(ALICE)
    updates = await bot.get_updates()
    statuses = [u.my_chat_member.new_chat_member.status for u in updates]
    assert statuses == ["kicked", "member"]
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


async def test_expect_timeout_reports_transcript(fake, bot):
    alice = fake.user(ALICE)
    await alice.send_text("question")
    await bot.send_message(ALICE, "unrelated answer")
    with pytest.raises(AssertionError) as info:
        await alice.expect("expected words", timeout=0.2)
    report = str(info.value)
    assert "unrelated answer" in report and "user #1: 'question'" in report
    await bot.send_message(ALICE, "number 42")
    assert (await alice.expect(lambda m: "42" in m.text, timeout=1)).text == "number 42"


async def test_subscribers_get_every_event(fake, bot):
    seen: list[BotEvent] = []
    received = asyncio.Event()

    async def async_subscriber(event: BotEvent) -> None:
        received.set()

    fake.subscribe(seen.append)
    fake.subscribe(async_subscriber)
    fake.user(ALICE)
    fake.user(2002)
    await bot.send_message(ALICE, "a")
    await bot.send_message(2002, "b")
    await asyncio.wait_for(received.wait(), 1)
    summary = [(e.kind, e.chat_id, e.message.text) for e in seen]
    assert summary == [("message", ALICE, "a"), ("message", 2002, "b")]


async def test_dispatcher_polling_end_to_end(fake):
    bot = make_bot(fake)
    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}", reply_markup=keyboard(("Like", "like")))

    @dp.callback_query(F.data == "like")
    async def like(query: CallbackQuery) -> None:
        await query.answer("Thanks!")
        await query.message.edit_text(f"{query.message.text} ❤️")

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        alice = fake.user(ALICE, "Alice")
        await alice.send_text("안녕하세요")
        reply = await alice.expect("echo: 안녕하세요")
        assert reply.button_texts() == ["Like"]
        await alice.press("Like")
        assert (await alice.expect_alert())["text"] == "Thanks!"
        edited = await alice.expect("❤️", kinds=("edit",))
        assert edited.message_id == reply.message_id and edited.inline_buttons() == []
        assert sorted(fake.calls_of("getUpdates")[0]["allowed_updates"]) == ["callback_query", "message"]
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)
