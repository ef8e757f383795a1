"""Invite links of `sotong officials invite`, opened through the real polling loop."""

from __future__ import annotations

import datetime as dt
import json

from storage.services.officials_admin import RoleAdministration
from storage.vocabulary import Role


async def _invite(harness, department: str | None = "water", role: Role = Role.OFFICIAL, **lifetime) -> str:
    async with harness.app.session_factory() as session:
        admin = RoleAdministration(session, harness.app.city, harness.clock)
        kwargs = {"lifetime": dt.timedelta(**lifetime)} if lifetime else {}
        invite = await admin.invite(role, department, **kwargs)
    return invite.token


async def _grant(harness, telegram_id: int, role: Role, department: str | None = None, language: str = "ko") -> None:
    async with harness.app.session_factory() as session:
        await RoleAdministration(session, harness.app.city).add(telegram_id, role, department, language)


async def _roles(harness) -> list[tuple[int, str, str | None, str]]:
    rows = await harness.sql("SELECT r.telegram_id, o.role, o.department, o.granted_by FROM roles o "
                             "JOIN residents r ON r.id = o.resident_id ORDER BY o.id")
    return [(row["telegram_id"], row["role"], row["department"], row["granted_by"]) for row in rows]


async def test_the_first_to_open_an_invite_becomes_an_official_and_the_admins_are_told(harness):
    await _grant(harness, 900, Role.ADMIN, language="en")
    token = await _invite(harness)
    assert token.startswith("o_") and len(token) <= 32

    newcomer = harness.fake.user(31, first_name="Dana <&>", language_code="en")
    await newcomer.open_link(token)
    welcome = await newcomer.expect("You are now an official")
    assert "Water Supply Headquarters" in welcome.text and "/inbox" in welcome.text
    roles = await _roles(harness)
    assert roles == [(900, "admin", None, "cli"), (31, "official", "water", f"invite:{token}")]
    used = await harness.sql("SELECT used_by, used_at FROM invites WHERE token = :t", t=token)
    assert used[0]["used_at"] is not None

    (notice,) = await harness.sql("SELECT chat_id, kind, language, args FROM outbox")
    args = notice["args"] if isinstance(notice["args"], dict) else json.loads(notice["args"])
    assert (notice["chat_id"], notice["kind"], notice["language"]) == (900, "admin", "en")
    assert args == {"key": "admin-invite-used", "name": "Dana <&>", "telegram_id": "31", "department": "water"}

    second = harness.fake.user(32, language_code="ko")
    await second.open_link(token)
    await second.expect("이미 사용된 초대 링크")
    await newcomer.open_link(token)  # the same person again: nothing more happens
    await newcomer.expect("already accepted")
    assert len(await _roles(harness)) == 2
    assert len(await harness.sql("SELECT id FROM outbox")) == 1


async def test_an_expired_or_unknown_invite_is_refused(harness):
    token = await _invite(harness, hours=1)
    harness.clock.advance(hours=1, seconds=1)
    late = harness.fake.user(41, language_code="ko")
    await late.open_link(token)
    await late.expect("기한이 지난 초대 링크")
    await late.open_link("o_NoSuchInviteAtAll")
    await late.expect("유효하지 않은 초대 링크")
    assert await _roles(harness) == []
    unused = await harness.sql("SELECT used_by FROM invites")
    assert unused == [{"used_by": None}]


async def test_a_moderator_invite_has_no_department(harness):
    token = await _invite(harness, department=None, role=Role.MODERATOR, days=7)
    harness.clock.advance(days=6)
    person = harness.fake.user(51, language_code="en")
    await person.open_link(token)
    await person.expect("You are now a moderator of Gwangju")
    assert await _roles(harness) == [(51, "moderator", None, f"invite:{token}")]
