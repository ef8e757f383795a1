"""Once a day, each department with overdue open assignments hears of them in one message."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock
from storage.models import Assignment, Item, OutboxMessage, stored_id, table_of
from storage.repositories.officials import OfficialsRepository
from storage.repositories.outbox import Notice, enqueue
from storage.vocabulary import OPEN_ASSIGNMENT_STATES, NoticeKind, Role

assignments = table_of(Assignment)
items = table_of(Item)
outbox = table_of(OutboxMessage)
LISTED = 5  # overdue items named in the reminder; the count says how many there are


async def remind_overdue(session_factory: async_sessionmaker[AsyncSession], city: CityConfig, clock: Clock) -> int:
    """Queues a REMINDER to every official of each department with overdue open assignments,
    once per department and local day (the dedupe key holds the date, so running it every
    few minutes is safe). Returns how many reminders it queued now."""
    now = clock()
    local = city.local(now)
    if local.hour < city.routing.reminder_hour:
        return 0
    day = local.date().isoformat()
    overdue = (assignments.c.state.in_(OPEN_ASSIGNMENT_STATES), assignments.c.due_at < now)
    async with session_factory() as session:
        connection = await session.connection()
        counts = (await connection.execute(
            select(assignments.c.department, func.count()).where(*overdue)
            .group_by(assignments.c.department).order_by(assignments.c.department))).all()
        notices: list[Notice] = []
        for department, count in counts:
            listed = (await connection.execute(
                select(items.c.public_number, items.c.title).join(assignments, assignments.c.item_id == items.c.id)
                .where(assignments.c.department == department, *overdue)
                .order_by(assignments.c.due_at, assignments.c.id).limit(LISTED))).all()
            args = {"department": department, "count": count,
                    "items": [{"number": n, "title": t} for n, t in listed]}
            for official in await OfficialsRepository(session).holders(Role.OFFICIAL, department):
                if not official.blocked:
                    key = f"reminder:{department}:{day}:{stored_id(official)}"
                    notices.append(Notice.to(official, NoticeKind.REMINDER, args, key))
        keys = [n.dedupe_key for n in notices]
        queued = set((await connection.execute(
            select(outbox.c.dedupe_key).where(outbox.c.dedupe_key.in_(keys)))).scalars()) if keys else set()
        fresh = [n for n in notices if n.dedupe_key not in queued]
        await enqueue(session, fresh, now)
        await session.commit()
    return len(fresh)
