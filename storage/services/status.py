"""Every status change goes through here, so each one writes its status event."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.lifecycle import can_move
from storage.models import Item, StatusEvent
from storage.types import utcnow


class IllegalMove(Exception):
    def __init__(self, item: Item, target: str) -> None:
        super().__init__(f"{item.public_number}: {item.status} -> {target} is not allowed")


def record_initial(session: AsyncSession, item: Item, actor: str) -> StatusEvent:
    event = StatusEvent(item_id=item.id, from_status=None, to_status=item.status, actor=actor)
    session.add(event)
    return event


def move(session: AsyncSession, item: Item, target: str, actor: str, note: str | None = None) -> StatusEvent:
    """Changes the item's status in the caller's transaction, with its status event."""
    if not can_move(item.kind, item.status, target):
        raise IllegalMove(item, target)
    event = StatusEvent(
        item_id=item.id, from_status=item.status, to_status=target, actor=actor, note=note
    )
    item.status = target
    item.updated_at = utcnow()
    session.add(item)
    session.add(event)
    return event


async def move_if_current(
    session: AsyncSession, item_id: int, source: str, target: str, actor: str,
    note: str | None = None, resident_id: int | None = None,
) -> bool:
    """Moves the item only if it is still at `source` (and, if given, filed by `resident_id`),
    with its status event, in the caller's transaction. A concurrent move wins cleanly."""
    items = Item.__table__
    statement = (
        update(items)
        .where(items.c.id == item_id, items.c.status == source)
        .values(status=target, updated_at=utcnow())
        .returning(items.c.id)
    )
    if resident_id is not None:
        statement = statement.where(items.c.resident_id == resident_id)
    connection = await session.connection()
    if (await connection.execute(statement)).first() is None:
        return False
    await connection.execute(StatusEvent.__table__.insert().values(
        item_id=item_id, from_status=source, to_status=target, actor=actor, note=note, created_at=utcnow()))
    return True
