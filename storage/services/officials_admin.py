"""Who acts for the city: granting and revoking roles (`sotong officials`, the console) and the
one-time invite links that make whoever opens them first an official of a department."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig, Department
from storage.clock import Clock, system_clock
from storage.models import Invite, OfficialRole, Resident, stored_id
from storage.repositories.invites import InvitesRepository
from storage.repositories.officials import OfficialsRepository
from storage.repositories.outbox import Notice, enqueue
from storage.repositories.residents import ResidentRepository
from storage.vocabulary import NoticeKind, Role

# The start parameter of an invite link; share links of cards use "i_" (handlers.card).
INVITE_PREFIX = "o_"
# 18 random bytes: 24 characters, 26 with the prefix: within invites.token's 32 and the 64 of
# Telegram's start parameter, in its alphabet (letters, digits, "_" and "-").
INVITE_BYTES = 18
DEFAULT_INVITE_LIFETIME = dt.timedelta(hours=48)
# A link forwarded around for months would make anyone who finds it an official.
MAX_INVITE_LIFETIME = dt.timedelta(days=30)
_DURATION = re.compile(r"([1-9][0-9]{0,5})([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class RoleRefused(Exception):
    """The request cannot be carried out; the message says why, for the operator."""


def parse_duration(text: str) -> dt.timedelta:
    """`30m`, `48h`, `7d`: at least a minute, at most MAX_INVITE_LIFETIME."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"'{text}' is not a duration: use minutes, hours or days, e.g. 30m, 48h, 7d")
    lifetime = dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if lifetime > MAX_INVITE_LIFETIME:
        raise ValueError(f"'{text}' is longer than the {MAX_INVITE_LIFETIME.days} days an invite may live")
    return lifetime


@dataclass(frozen=True)
class RoleHolder:
    telegram_id: int
    name: str
    role: Role
    department: str | None  # its code
    known: Department | None  # None when the city file no longer names that department


class InviteOutcome(StrEnum):
    JOINED = "joined"
    ALREADY_YOURS = "already_yours"  # the person who used it opened it again
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"  # no such invite, or its department is gone from the city file


@dataclass(frozen=True)
class Acceptance:
    outcome: InviteOutcome
    role: Role | None = None
    department: Department | None = None


class RoleAdministration:
    def __init__(self, session: AsyncSession, city: CityConfig, clock: Clock = system_clock) -> None:
        self.session = session
        self.city = city
        self.clock = clock
        self.officials = OfficialsRepository(session)
        self.residents = ResidentRepository(session)
        self.invites = InvitesRepository(session)

    # -- granting and revoking ------------------------------------------------
    async def add(self, telegram_id: int, role: Role, department: str | None, language: str,
                  granted_by: str = "cli", name: str = "") -> bool:
        """Grants the role (creating the resident for a Telegram id never seen, in `language`);
        False when they already held it. Commits."""
        department_for(self.city, role, department)
        resident = await self.resident(telegram_id, language, name)
        granted = await self.officials.grant(stored_id(resident), role, department, granted_by)
        await self.session.commit()
        return granted

    async def resident(self, telegram_id: int, language: str, name: str = "") -> Resident:
        await self.residents.insert_if_absent(telegram_id, language, name, None)
        resident = await self.residents.by_telegram_id(telegram_id)
        assert resident is not None
        return resident

    async def remove(self, telegram_id: int, role: Role | None, department: str | None) -> list[OfficialRole]:
        """Revokes the matching roles (all of them when neither is given; `department` alone
        means official of it). A department gone from the city file can still be revoked."""
        if department is not None:
            role = role or Role.OFFICIAL
        if role is not None and department is not None:
            check_shape(role, department)
        resident = await self.residents.by_telegram_id(telegram_id)
        if resident is None:
            raise RoleRefused(f"no resident has telegram id {telegram_id}")
        held = await self.officials.roles_of(stored_id(resident))
        chosen = [r for r in held if (role is None or r.role == role)
                  and (department is None or r.department == department)]
        if not chosen:
            holding = ", ".join(describe(r.role, r.department) for r in held) or "none"
            raise RoleRefused(f"telegram id {telegram_id} holds no such role (their roles: {holding})")
        for row in chosen:
            await self.officials.revoke(stored_id(resident), Role(row.role), row.department)
        await self.session.commit()
        return chosen

    async def holders(self) -> list[RoleHolder]:
        return [RoleHolder(resident.telegram_id, resident.full_name, Role(row.role), row.department,
                           self.city.department(row.department))
                for row, resident in await self.officials.all_roles()]

    # -- invites --------------------------------------------------------------
    async def invite(self, role: Role, department: str | None,
                     lifetime: dt.timedelta = DEFAULT_INVITE_LIFETIME) -> Invite:
        department_for(self.city, role, department)
        now = self.clock()
        token = INVITE_PREFIX + secrets.token_urlsafe(INVITE_BYTES)
        invite = await self.invites.add(token, role.value, department, now + lifetime, now)
        await self.session.commit()
        return invite

    async def accept(self, token: str, resident: Resident) -> Acceptance:
        """The resident opened an invite link: the first to do so while it is valid gets its
        role, in the same transaction that marks it used, and the admins are told."""
        now = self.clock()
        invite = await self.invites.find(token)
        refusal = self._refusal(invite, resident, now)
        if invite is None or refusal is not None:
            await self.session.rollback()
            return refusal or Acceptance(InviteOutcome.INVALID)
        role, department = Role(invite.role), self.city.department(invite.department)
        if not await self.invites.claim(token, stored_id(resident), now):
            await self.session.rollback()  # someone else opened it a moment earlier
            return Acceptance(InviteOutcome.USED)
        await self.officials.grant(stored_id(resident), role, invite.department, f"invite:{token}")
        await enqueue(self.session, await self._tell_admins(resident, role, department, token), now)
        await self.session.commit()
        return Acceptance(InviteOutcome.JOINED, role, department)

    def _refusal(self, invite: Invite | None, resident: Resident, now: dt.datetime) -> Acceptance | None:
        if invite is None:
            return Acceptance(InviteOutcome.INVALID)
        role, department = Role(invite.role), self.city.department(invite.department)
        if role is Role.OFFICIAL and department is None:
            return Acceptance(InviteOutcome.INVALID)
        if invite.used_by is not None:
            mine = invite.used_by == resident.id
            return Acceptance(InviteOutcome.ALREADY_YOURS if mine else InviteOutcome.USED, role, department)
        if invite.expires_at <= now:
            return Acceptance(InviteOutcome.EXPIRED, role, department)
        return None

    async def _tell_admins(self, joined: Resident, role: Role, department: Department | None,
                           token: str) -> list[Notice]:
        # Plain values: the ADMIN renderer escapes them and names the department in each admin's language.
        name = joined.full_name[:128] or str(joined.telegram_id)
        notices = []
        for admin in await self.officials.holders(Role.ADMIN):
            if admin.id == joined.id:
                continue
            args: dict[str, str] = {"name": name, "telegram_id": str(joined.telegram_id)}
            if department is not None:
                args |= {"key": "admin-invite-used", "department": department.code}
            else:
                args |= {"key": "admin-invite-used-role", "role": role.value}
            notices.append(Notice.to(admin, NoticeKind.ADMIN, args, dedupe_key=f"invite:{token}:{admin.id}"))
        return notices


def department_for(city: CityConfig, role: Role, code: str | None) -> Department | None:
    """The department a role of this kind is granted for: an official needs one the city file
    names, a moderator or an admin takes none."""
    check_shape(role, code)
    if code is None:
        return None
    found = city.department(code)
    if found is None:
        known = ", ".join(d.code for d in city.departments)
        raise RoleRefused(f"unknown department '{code}': the city file names {known}")
    return found


def check_shape(role: Role, department: str | None) -> None:
    if role is Role.OFFICIAL and department is None:
        raise RoleRefused("an official needs --department CODE")
    if role is not Role.OFFICIAL and department is not None:
        raise RoleRefused(f"the role {role.value} is not of a department: leave out --department")


def describe(role: str, department: str | None) -> str:
    return f"{role} of {department}" if department else role
