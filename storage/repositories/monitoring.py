"""What monitoring reads (bot/observability.py): is the database there, and how far behind the
outbox's sender is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import OutboxMessage, table_of
from storage.vocabulary import OutboxState

outbox = table_of(OutboxMessage)


async def ping(connection: AsyncConnection) -> None:
    """One round trip: the database answers."""
    await connection.execute(select(literal(1)))


@dataclass(frozen=True)
class Backlog:
    pending: int  # messages waiting to be sent (retries and those not yet due included)
    oldest_age: float  # seconds since the oldest of them was queued; 0 when none waits


async def outbox_backlog(connection: AsyncConnection, now: dt.datetime) -> Backlog:
    """Counted over the pending rows only, which the partial index ix_outbox_pending holds: a
    scrape reads the queue, not the table's history of sent messages."""
    query = select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.state == OutboxState.PENDING.value)
    pending, oldest = (await connection.execute(query)).one()
    age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    return Backlog(int(pending), age)
