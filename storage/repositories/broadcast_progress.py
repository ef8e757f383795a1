"""A broadcast's progress message in the database: where it is, which broadcasts still need
theirs edited, their messages by outbox state, and how many were sent lately (for the
estimate of the time left)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Broadcast, OutboxMessage, Resident, table_of
from storage.repositories.broadcasts import Progress
from storage.vocabulary import BroadcastState, OutboxState

broadcasts = table_of(Broadcast)
outbox = table_of(OutboxMessage)
residents = table_of(Resident)
UNFINISHED = (BroadcastState.SENDING.value, BroadcastState.PAUSED.value)


@dataclass(frozen=True)
class Watched:
    """A broadcast whose progress message may need an edit."""

    id: int
    state: str
    created_at: dt.datetime
    chat_id: int | None  # the progress message's chat and id (None before it was sent)
    message_id: int | None
    author_id: int | None
    language: str | None  # the author's


COLUMNS = (broadcasts.c.id, broadcasts.c.state, broadcasts.c.created_at, broadcasts.c.progress_chat_id,
           broadcasts.c.progress_message_id, broadcasts.c.author_id, residents.c.language)


async def remember_message(session: AsyncSession, broadcast_id: int, chat_id: int, message_id: int) -> None:
    """The progress message sent for the broadcast: the worker edits it from now on."""
    await (await session.connection()).execute(
        update(broadcasts).where(broadcasts.c.id == broadcast_id)
        .values(progress_chat_id=chat_id, progress_message_id=message_id))
    await session.commit()


async def forget_message(session: AsyncSession, broadcast_id: int, message_id: int) -> None:
    """The progress message is gone (its chat deleted it): no more edits are queued for it.
    The caller commits."""
    await (await session.connection()).execute(
        update(broadcasts).where(broadcasts.c.id == broadcast_id, broadcasts.c.progress_message_id == message_id)
        .values(progress_chat_id=None, progress_message_id=None))


async def one(session: AsyncSession, broadcast_id: int) -> Watched | None:
    query = (select(*COLUMNS).outerjoin(residents, residents.c.id == broadcasts.c.author_id)
             .where(broadcasts.c.id == broadcast_id))
    row = (await (await session.connection()).execute(query)).first()
    return Watched(*tuple(row)) if row is not None else None


async def watched(session: AsyncSession, finished_since: dt.datetime) -> list[Watched]:
    """Broadcasts with a progress message that are still going, or ended since `finished_since`
    (their last edit shows the final counts)."""
    query = (select(*COLUMNS).outerjoin(residents, residents.c.id == broadcasts.c.author_id)
             .where(broadcasts.c.progress_message_id.is_not(None), broadcasts.c.progress_chat_id.is_not(None),
                    or_(broadcasts.c.state.in_(UNFINISHED), broadcasts.c.finished_at >= finished_since))
             .order_by(broadcasts.c.id))
    return [Watched(*tuple(row)) for row in (await (await session.connection()).execute(query)).all()]


async def progresses(session: AsyncSession, ids: list[int]) -> dict[int, Progress]:
    """Each broadcast's messages by outbox state, in one grouped count."""
    if not ids:
        return {}
    query = (select(outbox.c.broadcast_id, outbox.c.state, func.count()).where(outbox.c.broadcast_id.in_(ids))
             .group_by(outbox.c.broadcast_id, outbox.c.state))
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    for broadcast_id, state, count in (await (await session.connection()).execute(query)).all():
        counts[int(broadcast_id)][str(state)] = int(count)
    return {i: Progress.of(found) for i, found in counts.items()}


async def sent_since(session: AsyncSession, ids: list[int], since: dt.datetime) -> dict[int, int]:
    """How many of each broadcast's messages were sent at or after `since`."""
    if not ids:
        return {}
    query = (select(outbox.c.broadcast_id, func.count())
             .where(and_(outbox.c.broadcast_id.in_(ids), outbox.c.state == OutboxState.SENT.value,
                         outbox.c.sent_at >= since))
             .group_by(outbox.c.broadcast_id))
    return {int(i): int(n) for i, n in (await (await session.connection()).execute(query)).all()}


async def queued_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of these dedupe keys the outbox already holds."""
    if not keys:
        return set()
    query = select(outbox.c.dedupe_key).where(outbox.c.dedupe_key.in_(keys))
    return {str(key) for key in (await (await session.connection()).execute(query)).scalars()}
