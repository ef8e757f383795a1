"""RoleAdministration against SQLite and PostgreSQL: granting, revoking, listing, invites."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import text

from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.services.officials_admin import (
    INVITE_PREFIX,
    InviteOutcome,
    RoleAdministration,
    RoleRefused,
    parse_duration,
)
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import Role


@pytest.fixture
def factory(engine):
    return create_session_factory(engine)


async def _admin(factory, city, clock=None):
    session = factory()
    return session, RoleAdministration(session, city, clock or ManualClock())


async def test_grant_is_idempotent_and_revoke_names_what_is_held(factory, city):
    session, admin = await _admin(factory, city)
    async with session:
        assert await admin.add(7001, Role.OFFICIAL, "water", "ko") is True
        assert await admin.add(7001, Role.OFFICIAL, "water", "ko") is False
        assert await admin.add(7001, Role.ADMIN, None, "ko") is True
        assert await admin.add(7001, Role.ADMIN, None, "ko") is False  # no department: the partial index
        assert await admin.add(7001, Role.OFFICIAL, "buk_office", "ko") is True
        with pytest.raises(RoleRefused, match="holds no such role \\(their roles: official of water, "
                                              "admin, official of buk_office\\)"):
            await admin.remove(7001, Role.MODERATOR, None)
        with pytest.raises(RoleRefused, match="no resident has telegram id 42"):
            await admin.remove(42, None, None)
        removed = await admin.remove(7001, Role.OFFICIAL, None)  # every department at once
        assert [r.department for r in removed] == ["water", "buk_office"]
        assert [(h.telegram_id, h.role) for h in await admin.holders()] == [(7001, Role.ADMIN)]


async def test_a_department_gone_from_the_city_file_can_be_listed_and_revoked(factory, city, engine):
    session, admin = await _admin(factory, city)
    async with session:
        await admin.add(7002, Role.OFFICIAL, "water", "en")
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE roles SET department = 'old_office'"))
    session, admin = await _admin(factory, city)
    async with session:
        (holder,) = await admin.holders()
        assert (holder.department, holder.known) == ("old_office", None)
        assert [r.department for r in await admin.remove(7002, None, "old_office")] == ["old_office"]


async def test_invite_tokens_fit_the_link_and_the_column(factory, city):
    session, admin = await _admin(factory, city)
    async with session:
        tokens = {(await admin.invite(Role.OFFICIAL, "audit")).token for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert token.startswith(INVITE_PREFIX) and len(token) <= 32
        assert all(c.isascii() and (c.isalnum() or c in "_-") for c in token)


async def test_two_people_opening_one_invite_at_once_make_one_official(factory, city):
    clock = ManualClock()
    session, admin = await _admin(factory, city, clock)
    async with session:
        await admin.add(7100, Role.ADMIN, None, "ko")
        token = (await admin.invite(Role.OFFICIAL, "water")).token
    people = []
    for telegram_id in (7101, 7102, 7103):
        async with factory() as session:
            resident, _ = await ResidentService(session, "ko").identify(TelegramPerson(telegram_id, "P", None, "ko"))
            people.append(resident)

    async def open_it(resident):
        async with factory() as session:
            return (await RoleAdministration(session, city, clock).accept(token, resident)).outcome

    outcomes = await asyncio.gather(*(open_it(person) for person in people))
    assert sorted(outcomes) == sorted([InviteOutcome.JOINED, InviteOutcome.USED, InviteOutcome.USED])
    async with factory() as session:
        admin = RoleAdministration(session, city, clock)
        officials = [h.telegram_id for h in await admin.holders() if h.role is Role.OFFICIAL]
    winner = people[outcomes.index(InviteOutcome.JOINED)]
    assert officials == [winner.telegram_id]
    async with factory() as session:
        notices = (await session.execute(text("SELECT chat_id, kind FROM outbox"))).all()
    assert [tuple(n) for n in notices] == [(7100, "admin")]


@pytest.mark.parametrize(("text", "lifetime"), [("30m", dt.timedelta(minutes=30)), ("48h", dt.timedelta(hours=48)),
                                                ("7d", dt.timedelta(days=7)), ("30d", dt.timedelta(days=30))])
def test_durations(text, lifetime):
    assert parse_duration(text) == lifetime


@pytest.mark.parametrize("text", ["", "0h", "48", "h", "-1d", "1w", "31d", "1.5h", "721h"])
def test_durations_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)
