"""Banning a resident (moderation): while banned, nothing they send is stored or shown.

The bot reads `banned_until` from the resident's row as cached for `resident_cache_seconds`
(storage/services/residents.py ResidentCache): a ban made through this service with the
process's cache takes effect at the resident's next update; one made by another process (the
`sotong residents` command, another bot worker, the platform) within that many seconds.
A ban's end needs no such care: it is compared with the clock at every update.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, update
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Resident, stored_id, table_of
from storage.repositories.residents import ResidentRepository
from storage.services.residents import ResidentCache

residents = table_of(Resident)
# A ban "for good" is stored as this instant, so that one column answers "banned until when?".
FOREVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
# How often a banned resident who keeps writing is told of the ban.
NOTICE_EVERY = dt.timedelta(days=1)


def is_banned(resident: Resident, now: dt.datetime) -> bool:
    return resident.banned_until is not None and resident.banned_until > now


def is_forever(until: dt.datetime | None) -> bool:
    return until is not None and until >= FOREVER


class BanRefused(Exception):
    """The ban cannot be carried out; the message says why, for the operator."""


class BanService:
    def __init__(self, session: AsyncSession, cache: ResidentCache | None = None) -> None:
        self.session = session
        self.cache = cache

    async def ban(self, resident_id: int, until: dt.datetime) -> None:
        """Bans in the caller's transaction (a moderator's decision commits it with its record)."""
        await self._set(resident_id, banned_until=until, ban_notice_at=None)

    async def lift(self, resident_id: int) -> None:
        await self._set(resident_id, banned_until=None, ban_notice_at=None)

    async def ban_person(self, telegram_id: int, until: dt.datetime) -> Resident:
        """`sotong residents ban`: bans whoever has this Telegram id, and commits."""
        resident = await self._person(telegram_id)
        await self.ban(stored_id(resident), until)
        await self.session.commit()
        return resident

    async def lift_person(self, telegram_id: int) -> bool:
        """`sotong residents unban`: lifts their ban and commits; False if they had none."""
        resident = await self._person(telegram_id)
        was_banned = resident.banned_until is not None
        await self.lift(stored_id(resident))
        await self.session.commit()
        return was_banned

    async def _person(self, telegram_id: int) -> Resident:
        resident = await ResidentRepository(self.session).by_telegram_id(telegram_id)
        if resident is None:
            raise BanRefused(f"telegram id {telegram_id} has never written to the bot: there is "
                             "nobody with that id to ban or unban")
        return resident

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
        statement = (update(residents).where(residents.c.id == resident_id).values(**values)
                     .returning(residents.c.telegram_id))
        telegram_id = (await (await self.session.connection()).execute(statement)).scalar()
        if self.cache is not None and telegram_id is not None:
            # Read afresh at their next update. Before the caller commits, that read may still
            # see the old row and cache it again: so it is forgotten once more on commit.
            self.cache.forget(telegram_id)
            self._forget_on_commit(telegram_id)

    def _forget_on_commit(self, telegram_id: int) -> None:
        cache = self.cache
        assert cache is not None

        def forget(_session: Session) -> None:
            cache.forget(telegram_id)

        event.listen(self.session.sync_session, "after_commit", forget, once=True)
