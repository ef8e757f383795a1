"""Banning a resident (moderation): while banned, nothing they send is stored or shown."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Resident, table_of

residents = table_of(Resident)
# A ban "for good" is stored as this instant, so that one column answers "banned until when?".
FOREVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
# How often a banned resident who keeps writing is told of the ban.
NOTICE_EVERY = dt.timedelta(days=1)


def is_banned(resident: Resident, now: dt.datetime) -> bool:
    return resident.banned_until is not None and resident.banned_until > now


def is_forever(until: dt.datetime | None) -> bool:
    return until is not None and until >= FOREVER


class BanService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ban(self, resident_id: int, until: dt.datetime) -> None:
        """Bans in the caller's transaction (a moderator's decision commits it with its record)."""
        await self._set(resident_id, banned_until=until, ban_notice_at=None)

    async def lift(self, resident_id: int) -> None:
        await self._set(resident_id, banned_until=None, ban_notice_at=None)

    async def should_tell(self, resident_id: int, now: dt.datetime) -> bool:
        """Whether to answer a banned resident now (once a day at most); records it if so.
        One conditional UPDATE, so two updates at once answer once."""
        statement = (update(residents).where(
            residents.c.id == resident_id,
            (residents.c.ban_notice_at.is_(None)) | (residents.c.ban_notice_at <= now - NOTICE_EVERY))
            .values(ban_notice_at=now).returning(residents.c.id))
        told = (await (await self.session.connection()).execute(statement)).first() is not None
        await self.session.commit()
        return told

    async def _set(self, resident_id: int, **values: dt.datetime | None) -> None:
        statement = update(residents).where(residents.c.id == resident_id).values(**values)
        await (await self.session.connection()).execute(statement)
