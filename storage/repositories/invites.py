"""One-time links that make whoever opens them first an official (`sotong officials invite`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Invite, table_of

invites = table_of(Invite)


class InvitesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: str, role: str, department: str | None, expires_at: dt.datetime,
                  now: dt.datetime) -> Invite:
        invite = Invite(token=token, role=role, department=department, expires_at=expires_at, created_at=now)
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def find(self, token: str) -> Invite | None:
        return (await self.session.exec(select(Invite).where(Invite.token == token))).first()

    async def claim(self, token: str, resident_id: int, now: dt.datetime) -> bool:
        """Marks the invite used by this resident, only if nobody has used it and it has not
        expired: of two people opening it at once, exactly one gets True."""
        statement = (update(invites)
                     .where(invites.c.token == token, invites.c.used_by.is_(None), invites.c.expires_at > now)
                     .values(used_by=resident_id, used_at=now))
        connection = await self.session.connection()
        return (await connection.execute(statement)).rowcount == 1
