"""Status changes made one item at a time go through here: each checks the lifecycle,
re-checks the current status under the row lock, and writes its status event.

(The threshold crossing comes here too, from storage/services/participation.py; the
worker's sweep is the same move done in bulk SQL, see storage/services/sweep.py.)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.lifecycle import HIDE, can_move, can_restore
from storage.models import Item, StatusEvent, stored_id, table_of
from storage.types import utcnow


class IllegalMove(Exception):
    def __init__(self, item_id: int, source: str, target: str) -> None:
        super().__init__(f"item {item_id}: {source} -> {target} is not allowed")


def record_initial(session: AsyncSession, item: Item, actor: str) -> StatusEvent:
    event = StatusEvent(item_id=stored_id(item), from_status=None, to_status=item.status, actor=actor)
    session.add(event)
    return event


async def move(
    session: AsyncSession, item_id: int, kind: str, source: str, target: str, actor: str,
    note: str | None = None, resident_id: int | None = None, now: dt.datetime | None = None,
    told: bool = False,
) -> bool:
    """Moves the item from `source` to `target` in the caller's transaction, with its event.

    Returns False when the item is no longer at `source` (or, if given, not filed by
    `resident_id`): a concurrent move won. Raises IllegalMove for a move the lifecycle forbids.
    `told`: the caller queues its own notices, so the event is written already notified and
    the worker's fan-out leaves it alone (moderation tells the author its own way).
    """
    if not can_move(kind, source, target):
        raise IllegalMove(item_id, source, target)
    return await _apply(session, item_id, source, target, actor, note, resident_id, now or utcnow(), told)


async def restore(session: AsyncSession, item_id: int, kind: str, target: str, actor: str,
                  now: dt.datetime, note: str | None = None, told: bool = False) -> bool:
    """A moderator's Restore: from hidden back to `target`, the status the item had when it
    was hidden (lifecycle.can_restore), with its event. False when it is no longer hidden."""
    if not can_restore(kind, target):
        raise IllegalMove(item_id, HIDE, target)
    return await _apply(session, item_id, HIDE, target, actor, note, None, now, told)


async def _apply(session: AsyncSession, item_id: int, source: str, target: str, actor: str,
                 note: str | None, resident_id: int | None, now: dt.datetime, told: bool) -> bool:
    items = table_of(Item)
    statement = (
        update(items)
        .where(items.c.id == item_id, items.c.status == source)
        .values(status=target, updated_at=now)
        .returning(items.c.id)
    )
    if resident_id is not None:
        statement = statement.where(items.c.resident_id == resident_id)
    connection = await session.connection()
    if (await connection.execute(statement)).first() is None:
        return False
    await connection.execute(table_of(StatusEvent).insert().values(
        item_id=item_id, from_status=source, to_status=target, actor=actor, note=note, created_at=now,
        notified_at=now if told else None))
    return True
