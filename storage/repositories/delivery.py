"""What the outbox's sender (bot/outbox.py) reads and writes: due messages and their fate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
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
    broadcast_id: int | None = None  # the broadcast it is one of (its content: storage/repositories/broadcasts.py)
    priority: int = 0  # OutboxPriority

    @property
    def order(self) -> tuple[int, int]:
        """Where it goes among its chat's messages: notices first, then in the order queued."""
        return self.priority, self.id


# Rows looked at per row wanted: enough that chats with many rows queued do not starve the batch.
LOOK_AHEAD = 4
COLUMNS = (outbox.c.id, outbox.c.chat_id, outbox.c.resident_id, outbox.c.kind, outbox.c.language, outbox.c.args,
           outbox.c.attempts)


async def claim(session: AsyncSession, worker: str, now: dt.datetime, until: dt.datetime, limit: int,
                per_chat: int) -> list[Due]:
    """Claims for `worker`, until `until`, the pending messages it may send now and returns them
    (those it already holds among them too, their claim renewed): notices before broadcasts
    (OutboxPriority), then in id order; at most `per_chat` of each chat (its first ones), none
    queued behind an earlier message of its chat that waits for a retry, and none of a chat
    another worker holds a live claim on: one chat's messages of one priority go out in the
    order queued, from one worker at a time. Only the first `limit * LOOK_AHEAD` due rows are
    ranked, so a broadcast of 100,000 queued rows costs each claim a bounded look.

    On PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED (a row another worker is
    claiming or writing is passed over, not waited for) and re-checked on their newest version;
    of each chat only the candidates before the first one passed over are claimed, so two
    workers claiming at once never split a chat. SQLite runs the same statements in a
    transaction that holds its one write lock (storage/database.py)."""
    candidates = await _candidates(session, worker, now, limit, per_chat)
    if not candidates:
        await session.commit()
        return []
    mine = (outbox.c.claimed_by.is_(None)) | (outbox.c.claimed_by == worker) | (outbox.c.claimed_until <= now)
    blocked = select(residents.c.id).where(residents.c.id == outbox.c.resident_id, residents.c.blocked).exists()
    locking = (select(*COLUMNS, blocked, outbox.c.broadcast_id, outbox.c.priority)
               .where(outbox.c.id.in_(list(candidates)), outbox.c.state == PENDING, mine)
               .order_by(outbox.c.priority, outbox.c.id)
               .with_for_update(of=outbox, skip_locked=True))
    connection = await session.connection()
    locked = {row.id: Due(*tuple(row)) for row in (await connection.execute(locking)).all()}
    taken, broken = [], set()
    for row_id, chat_id in candidates.items():
        if chat_id in broken or row_id not in locked:
            broken.add(chat_id)  # a chat's later messages wait for the one passed over
            continue
        taken.append(locked[row_id])
    if taken:
        await connection.execute(update(outbox).where(outbox.c.id.in_([row.id for row in taken]))
                                 .values(claimed_by=worker, claimed_until=until))
    await session.commit()
    return taken


async def _candidates(session: AsyncSession, worker: str, now: dt.datetime, limit: int,
                      per_chat: int) -> dict[int, int]:
    """The ids (and chats) `claim` tries to take, in the order they go out."""
    other = aliased(outbox)
    held_back = exists().where(other.c.chat_id == outbox.c.chat_id, other.c.state == PENDING, or_(
        and_(other.c.id < outbox.c.id, other.c.not_before > now),  # an earlier one waits for a retry
        and_(other.c.claimed_until > now, other.c.claimed_by != worker)))  # another worker holds the chat
    first = (select(outbox.c.id, outbox.c.chat_id, outbox.c.priority)
             .where(outbox.c.state == PENDING, outbox.c.not_before <= now, ~held_back)
             .order_by(outbox.c.priority, outbox.c.id).limit(limit * LOOK_AHEAD).subquery())
    place = func.row_number().over(partition_by=first.c.chat_id, order_by=(first.c.priority, first.c.id)).label("place")
    ranked = select(first, place).subquery()
    query = (select(ranked.c.id, ranked.c.chat_id).where(ranked.c.place <= per_chat)
             .order_by(ranked.c.priority, ranked.c.id).limit(limit))
    rows = (await (await session.connection()).execute(query)).all()
    return {int(row_id): int(chat_id) for row_id, chat_id in rows}


async def renew(session: AsyncSession, worker: str, message_ids: list[int], until: dt.datetime) -> set[int]:
    """Extends `worker`'s claim on the messages it holds; returns those still its own (a claim
    that lapsed may have been taken by another worker: those must not be sent)."""
    if not message_ids:
        return set()
    query = (update(outbox).where(outbox.c.id.in_(message_ids), outbox.c.claimed_by == worker)
             .values(claimed_until=until).returning(outbox.c.id))
    kept = set((await (await session.connection()).execute(query)).scalars())
    await session.commit()
    return kept


async def release(session: AsyncSession, worker: str | None) -> None:
    """A worker stopping lets go of the pending messages it held: others need not wait for the
    lease. None: every worker's (the one worker SQLite takes, starting: the others are gone)."""
    mine = outbox.c.claimed_by == worker if worker is not None else outbox.c.claimed_by.is_not(None)
    await _set(session, and_(mine, outbox.c.state == PENDING), claimed_by=None, claimed_until=None)


async def held_elsewhere(session: AsyncSession, worker: str, now: dt.datetime) -> bool:
    """Whether another worker holds a live claim on a message due now."""
    query = select(exists().where(outbox.c.state == PENDING, outbox.c.not_before <= now,
                                  outbox.c.claimed_until > now, outbox.c.claimed_by != worker))
    return bool((await (await session.connection()).execute(query)).scalar())


async def _set(session: AsyncSession, where: Any, **values: Any) -> int:
    result = await (await session.connection()).execute(update(outbox).where(where).values(**values))
    await session.commit()
    return int(result.rowcount or 0)


# A message Telegram accepted is sent, also when its broadcast was paused or cancelled while it
# was in flight (resuming must not send it again).
UNSENT = (PENDING, OutboxState.PAUSED.value, OutboxState.CANCELLED.value)


async def mark_sent(session: AsyncSession, message_ids: list[int], now: dt.datetime) -> None:
    await _set(session, and_(outbox.c.id.in_(message_ids), outbox.c.state.in_(UNSENT)),
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
