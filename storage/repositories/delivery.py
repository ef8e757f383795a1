"""What the outbox's sender (bot/outbox.py) reads and writes: due messages and their fate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import aliased
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage, Resident, table_of
from storage.vocabulary import OutboxState

outbox = table_of(OutboxMessage)
residents = table_of(Resident)
PENDING = OutboxState.PENDING.value
BLOCKED = "the resident blocked the bot"


@dataclass(frozen=True)
class Due:
    """One pending message the sender may send now."""

    id: int
    chat_id: int
    resident_id: int | None
    kind: str
    language: str
    args: dict[str, Any]
    attempts: int
    blocked: bool  # the resident is marked blocked: drop it, do not send it


async def due(session: AsyncSession, now: dt.datetime, limit: int, per_chat: int) -> list[Due]:
    """Pending messages whose time has come, in id order, at most `per_chat` of each chat (its
    first ones), and none queued behind an earlier message of its chat that waits for a retry:
    one chat's messages go out in the order queued."""
    earlier = aliased(outbox)
    waiting = exists().where(earlier.c.chat_id == outbox.c.chat_id, earlier.c.state == PENDING,
                             earlier.c.id < outbox.c.id, earlier.c.not_before > now)
    place = func.row_number().over(partition_by=outbox.c.chat_id, order_by=outbox.c.id).label("place")
    ranked = (select(outbox.c.id, outbox.c.chat_id, outbox.c.resident_id, outbox.c.kind, outbox.c.language,
                     outbox.c.args, outbox.c.attempts, place)
              .where(outbox.c.state == PENDING, outbox.c.not_before <= now, ~waiting).subquery())
    query = (select(ranked.c.id, ranked.c.chat_id, ranked.c.resident_id, ranked.c.kind, ranked.c.language,
                    ranked.c.args, ranked.c.attempts, func.coalesce(residents.c.blocked, False))
             .outerjoin(residents, residents.c.id == ranked.c.resident_id)
             .where(ranked.c.place <= per_chat).order_by(ranked.c.id).limit(limit))
    rows = (await (await session.connection()).execute(query)).all()
    return [Due(*row) for row in rows]


async def _set(session: AsyncSession, where: Any, **values: Any) -> int:
    result = await (await session.connection()).execute(update(outbox).where(where).values(**values))
    await session.commit()
    return int(result.rowcount or 0)


async def mark_sent(session: AsyncSession, message_ids: list[int], now: dt.datetime) -> None:
    await _set(session, and_(outbox.c.id.in_(message_ids), outbox.c.state == PENDING),
               state=OutboxState.SENT.value, sent_at=now, attempts=outbox.c.attempts + 1)


async def retry_later(session: AsyncSession, message_id: int, attempts: int, error: str,
                      not_before: dt.datetime) -> None:
    await _set(session, and_(outbox.c.id == message_id, outbox.c.state == PENDING),
               attempts=attempts, last_error=error, not_before=not_before)


async def give_up(session: AsyncSession, message_id: int, attempts: int, error: str) -> None:
    await _set(session, and_(outbox.c.id == message_id, outbox.c.state == PENDING),
               state=OutboxState.FAILED.value, attempts=attempts, last_error=error)


async def drop(session: AsyncSession, message_ids: list[int]) -> None:
    """Messages to residents marked blocked: never sent (they get nothing until they write again)."""
    if message_ids:
        await _set(session, and_(outbox.c.id.in_(message_ids), outbox.c.state == PENDING),
                   state=OutboxState.DROPPED.value, last_error=BLOCKED)


async def blocked_by(session: AsyncSession, chat_id: int, resident_id: int | None, now: dt.datetime) -> int:
    """Telegram refused a message (403): the resident blocked the bot. Marks them blocked and
    drops everything still queued for the chat; returns how many were dropped."""
    who = residents.c.id == resident_id if resident_id is not None else residents.c.telegram_id == chat_id
    await (await session.connection()).execute(update(residents).where(who).values(blocked=True, updated_at=now))
    return await _set(session, and_(outbox.c.chat_id == chat_id, outbox.c.state == PENDING),
                      state=OutboxState.DROPPED.value, last_error=BLOCKED)
