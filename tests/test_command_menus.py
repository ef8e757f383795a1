"""Role holders' command menus: what each role grants (storage/permissions.py), what the worker
queues when roles or a language change (storage/services/command_menus.py), and what reaches
Telegram through the outbox's sender (bot/commands.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.notices import load_renderers
from bot.outbox import SendPolicy, create_sender, sending_bot
from storage.clock import system_clock
from storage.database import create_session_factory
from storage.models import CommandMenu, OutboxMessage, Resident, table_of
from storage.permissions import Grants
from storage.services.command_menus import queue_menus
from storage.services.officials_admin import RoleAdministration
from storage.vocabulary import NoticeKind, Role

outbox, residents, menus = table_of(OutboxMessage), table_of(Resident), table_of(CommandMenu)
OFFICIAL, MODERATOR, ADMIN, RESIDENT = 720_001, 720_002, 720_003, 720_004


def test_what_each_role_grants(city):
    def commands(*roles: tuple[Role, str | None]) -> tuple[str, ...]:
        return Grants.of([(role.value, department) for role, department in roles]).commands(city)

    assert commands() == ()
    assert commands((Role.OFFICIAL, "transport")) == ("inbox", "stats")
    assert commands((Role.OFFICIAL, "water")) == ("inbox", "stats", "broadcast")  # [broadcasts] departments
    assert commands((Role.MODERATOR, None)) == ("moderate",)
    assert commands((Role.ADMIN, None)) == ("stats", "broadcast", "newpoll")
    assert commands((Role.ADMIN, None), (Role.MODERATOR, None), (Role.OFFICIAL, "transport")) == (
        "inbox", "moderate", "stats", "broadcast", "newpoll")


async def grant(engine, city, telegram_id: int, role: Role, department: str | None, language: str = "ko") -> None:
    async with create_session_factory(engine)() as session:
        await RoleAdministration(session, city).add(telegram_id, role, department, language, granted_by="test")


async def revoke(engine, city, telegram_id: int) -> None:
    async with create_session_factory(engine)() as session:
        await RoleAdministration(session, city).remove(telegram_id, None, None)


async def queued(engine) -> list[tuple[int, str, list[str]]]:
    """The command-menu messages queued so far: (chat, language, commands), in order."""
    async with engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.chat_id, outbox.c.language, outbox.c.args)
                                         .where(outbox.c.kind == NoticeKind.COMMAND_MENU.value)
                                         .order_by(outbox.c.id))).all()
    return [(chat, language, args["commands"]) for chat, language, args in rows]


async def test_a_menu_is_queued_once_per_change_of_roles_or_language(engine, city):
    factory, clock = create_session_factory(engine), system_clock
    await grant(engine, city, OFFICIAL, Role.OFFICIAL, "transport")
    await grant(engine, city, MODERATOR, Role.MODERATOR, None, "en")
    await grant(engine, city, ADMIN, Role.ADMIN, None)
    async with factory() as session:
        session.add(Resident(telegram_id=RESIDENT, language="ko"))
        await session.commit()

    assert await queue_menus(factory, city, clock) == 3
    assert await queued(engine) == [(OFFICIAL, "ko", ["inbox", "stats"]), (MODERATOR, "en", ["moderate"]),
                                    (ADMIN, "ko", ["stats", "broadcast", "newpoll"])]
    assert await queue_menus(factory, city, clock) == 0  # nothing changed: nothing queued

    await grant(engine, city, OFFICIAL, Role.MODERATOR, None)  # a second role
    async with engine.begin() as connection:  # a language chosen in the bot
        await connection.execute(residents.update().where(residents.c.telegram_id == MODERATOR).values(language="ko"))
    await revoke(engine, city, ADMIN)
    assert await queue_menus(factory, city, clock) == 3
    assert (await queued(engine))[3:] == [(OFFICIAL, "ko", ["inbox", "moderate", "stats"]),
                                          (MODERATOR, "ko", ["moderate"]), (ADMIN, "ko", [])]
    assert await queue_menus(factory, city, clock) == 0
    async with engine.connect() as connection:
        recorded = dict((await connection.execute(select(residents.c.telegram_id, menus.c.menu)
                                                  .join(menus, menus.c.resident_id == residents.c.id))).all())
    assert recorded == {OFFICIAL: "ko:inbox,moderate,stats", MODERATOR: "ko:moderate"}


async def test_the_menu_reaches_the_chat_and_goes_again(engine, city, fake_telegram):
    fake, factory, clock = fake_telegram, create_session_factory(engine), system_clock
    load_renderers()
    for telegram_id, language in ((OFFICIAL, "ko"), (ADMIN, "en")):
        fake.user(telegram_id, language_code=language)
    await grant(engine, city, OFFICIAL, Role.OFFICIAL, "transport")
    await grant(engine, city, ADMIN, Role.ADMIN, None, "en")

    async def send() -> None:
        await queue_menus(factory, city, clock)
        sender = await create_sender(factory, city, sending_bot(fake.token, fake.base_url), "ko", clock,
                                     policy=SendPolicy(rate=30))
        try:
            await sender.send_due()
        finally:
            await sender.close()

    await send()
    official = fake.commands[(f"chat:{OFFICIAL}", None)]
    assert [c["command"] for c in official] == ["inbox", "stats", "start", "menu", "browse", "search", "polls",
                                                "cancel", "language", "help"]
    assert official[0]["description"] == "우리 부서의 처리할 민원·제안 (기한 지난 것 먼저)"
    admin = fake.commands[(f"chat:{ADMIN}", None)]
    assert [c["command"] for c in admin][:3] == ["stats", "broadcast", "newpoll"]
    assert admin[1]["description"] == "Send an announcement to residents"

    await revoke(engine, city, OFFICIAL)
    await send()
    assert (f"chat:{OFFICIAL}", None) not in fake.commands  # the default menu again
    assert (f"chat:{ADMIN}", None) in fake.commands


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_a_menu_telegram_refused_goes_again_after_start(harness):
    """An admin added with `sotong officials add` before they opened the bot: Telegram answers
    "chat not found" and the sender gives up; their /start has it queued again."""
    app, fake, newcomer = harness.app, harness.fake, 720_005
    async with app.session_factory() as session:
        await RoleAdministration(session, app.city).add(newcomer, Role.ADMIN, None, "en", granted_by="test")

    async def send() -> None:
        await queue_menus(app.session_factory, app.city, harness.clock)
        sender = await create_sender(app.session_factory, app.city, sending_bot(fake.token, fake.base_url), "ko",
                                     harness.clock, policy=SendPolicy(max_attempts=1))
        try:
            await sender.send_due()
        finally:
            await sender.close()

    await send()
    rows = await harness.sql("SELECT state, last_error FROM outbox WHERE kind = 'command_menu'")
    assert [row["state"] for row in rows] == ["failed"] and "chat not found" in rows[0]["last_error"]

    admin = fake.user(newcomer, language_code="en")
    await admin.send_text("/start")
    await admin.expect("Gwangju Metropolitan City", timeout=15)
    await send()
    assert [c["command"] for c in fake.commands[(f"chat:{newcomer}", None)]][:3] == ["stats", "broadcast", "newpoll"]
    await admin.send_text("/start")  # the menu in place: nothing queued again
    await admin.expect("Gwangju Metropolitan City", timeout=15)
    assert await queue_menus(app.session_factory, app.city, harness.clock) == 0
