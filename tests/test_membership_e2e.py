"""Private chats only, and blocking seen through my_chat_member, on every backend."""

from __future__ import annotations

import asyncio

import pytest

GROUP = -1001234567


async def _blocked(harness, telegram_id: int) -> list:
    rows = await harness.sql("SELECT blocked FROM residents WHERE telegram_id = :id", id=telegram_id)
    return [row["blocked"] in (True, 1) for row in rows]


async def _until_blocked_is(harness, telegram_id: int, wanted: bool) -> list:
    for _ in range(50):
        found = await _blocked(harness, telegram_id)
        if found == [wanted]:
            break
        await asyncio.sleep(0.1)
    return found


async def _until_handled(harness) -> None:
    """Every update sent so far fetched and handled."""
    for _ in range(100):
        if not harness.fake.updates.updates and not harness.app.updates_in_flight():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot did not handle its updates")


@pytest.mark.parametrize("kind", ["group", "supergroup"])
async def test_group_gets_only_a_pointer_to_the_private_chat(harness, kind):
    fake = harness.fake
    member = fake.group(GROUP, member=4004, kind=kind)
    await member.send_text("안녕하세요, 도로에 구멍이 있어요")
    await member.send_text("/help")
    await member.send_text(f"/start@{fake.bot_username}")
    pointer = await member.expect("개인 대화")
    assert f"https://t.me/{fake.bot_username}" in pointer.text and pointer.inline_buttons() == []
    await member.send_text("/start")
    await member.expect("개인 대화")
    await member.send_text("/start@some_other_bot")
    await _until_handled(harness)
    bot_lines = [m.text for m in member.messages() if m.from_bot]
    assert len(bot_lines) == 2 and bot_lines[0] == bot_lines[1], bot_lines
    assert await harness.sql("SELECT id FROM residents") == []  # group traffic leaves no resident

    resident = fake.user(4004)  # the same person in the private chat is served
    await resident.send_text("/start")
    await resident.expect("광주")
    assert len(await harness.sql("SELECT id FROM residents")) == 1


async def test_blocking_and_unblocking_are_kept_on_the_resident(harness):
    fake = harness.fake
    resident = fake.user(5005, first_name="Jiho", language_code="en")
    await resident.send_text("/start")
    await resident.expect("Hello")
    assert await _blocked(harness, 5005) == [False]
    fake.block(5005)  # Telegram sends my_chat_member: member -> kicked
    assert await _until_blocked_is(harness, 5005, True) == [True]
    fake.unblock(5005)  # kicked -> member
    assert await _until_blocked_is(harness, 5005, False) == [False]
    assert [m.text for m in resident.messages() if m.from_bot] == [resident.last_bot_message().text]

    fake.user(6006)
    fake.block(6006)  # never wrote to the bot: blocking it creates no resident
    await _until_handled(harness)
    assert await harness.sql("SELECT telegram_id FROM residents WHERE telegram_id = 6006") == []


async def test_allowed_updates_include_my_chat_member(harness):
    allowed = harness.fake.calls_of("getUpdates")[0]["allowed_updates"]
    assert "my_chat_member" in allowed and "message" in allowed
