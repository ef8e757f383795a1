""""Is it fixed?": asking the filer of a resolved complaint some days later, and the answer.

The Notifier sets items.followup_due_at when a complaint moves to resolved (whoever moved it);
`ask_followups`, a periodic job of `sotong worker`, asks once it is due. No reopens the item and
pushes it again to every department it is with.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock
from storage.lifecycle import Kind, Status
from storage.models import Assignment, Item, Resident, stored_id, table_of
from storage.repositories.outbox import Notice, enqueue
from storage.services import status
from storage.services.assignments import AssignmentService
from storage.vocabulary import ACTIVE_ASSIGNMENT_STATES, AssignmentState, NoticeKind, NotifyScope

items = table_of(Item)
residents = table_of(Resident)
assignments = table_of(Assignment)
BATCH = 200


async def ask_followups(session_factory: async_sessionmaker[AsyncSession], city: CityConfig, clock: Clock) -> int:
    """Queues "Is it fixed?" to the filer of every resolved complaint that is due, and clears
    its due time, in one transaction; returns how many were queued."""
    now = clock()
    async with session_factory() as session:
        connection = await session.connection()
        due = (await connection.execute(
            select(items.c.id, items.c.public_number, items.c.title, items.c.followup_due_at,
                   residents.c.telegram_id, residents.c.id.label("resident_id"), residents.c.language,
                   residents.c.blocked, residents.c.notify)
            .join(residents, residents.c.id == items.c.resident_id)
            .where(items.c.kind == Kind.COMPLAINT, items.c.status == Status.RESOLVED,
                   items.c.followup_due_at <= now)
            .order_by(items.c.followup_due_at, items.c.id).limit(BATCH))).all()
        notices = []
        for row in due:
            # Conditional: of two workers, the one whose UPDATE finds it still due asks.
            claimed = await connection.execute(
                update(items).where(items.c.id == row.id, items.c.status == Status.RESOLVED,
                                    items.c.followup_due_at.is_not(None)).values(followup_due_at=None))
            if claimed.rowcount != 1 or row.blocked or row.notify == NotifyScope.NONE:
                continue
            args = {"item_id": row.id, "number": row.public_number, "title": row.title}
            notices.append(Notice(row.telegram_id, row.resident_id, row.language, NoticeKind.FOLLOWUP, args,
                                  f"followup:{row.id}:{int(row.followup_due_at.timestamp())}"))
        await enqueue(session, notices, now)
        await session.commit()
    return len(notices)


class FollowupOutcome(StrEnum):
    DONE = "done"
    NOT_YOURS = "not_yours"  # no such item, not a complaint, or someone else filed it
    ALREADY = "already"      # no longer resolved: answered before, or moved since


class FollowupService:
    def __init__(self, session: AsyncSession, city: CityConfig, clock: Clock) -> None:
        self.session = session
        self.city = city
        self.clock = clock

    async def confirm_fixed(self, item_id: int, resident: Resident) -> FollowupOutcome:
        """Yes: nothing changes; the filer is thanked while the complaint is still resolved."""
        try:
            item = await self._filed_by(item_id, resident)
            if item is None:
                return FollowupOutcome.NOT_YOURS
            return FollowupOutcome.DONE if item.status == Status.RESOLVED else FollowupOutcome.ALREADY
        finally:
            await self.session.rollback()

    async def reopen(self, item_id: int, resident: Resident) -> FollowupOutcome:
        """No: the complaint moves resolved → reopened and every department it is with gets it
        again as new, with a fresh due date and pushes; one transaction, committed."""
        now = self.clock()
        try:
            item = await self._filed_by(item_id, resident)
            if item is None:
                return FollowupOutcome.NOT_YOURS
            actor = f"resident:{stored_id(resident)}"
            if not await status.move(self.session, item_id, item.kind, Status.RESOLVED, Status.REOPENED, actor,
                                     resident_id=stored_id(resident), now=now):
                return FollowupOutcome.ALREADY
            await self._push_again(item, now)
            await self.session.commit()
            return FollowupOutcome.DONE
        finally:
            await self.session.rollback()

    async def _push_again(self, item: Item, now: dt.datetime) -> None:
        service = AssignmentService(self.session, self.city)
        for assignment in await service.of_item(stored_id(item)):
            if assignment.state not in ACTIVE_ASSIGNMENT_STATES:
                continue
            department = self.city.department(assignment.department)
            # A department since removed from the city file keeps the time it was given.
            sla = (dt.timedelta(days=department.sla_days) if department
                   else assignment.due_at - assignment.received_at)
            await (await self.session.connection()).execute(
                update(assignments).where(assignments.c.id == stored_id(assignment)).values(
                    state=AssignmentState.NEW.value, received_at=now, due_at=now + sla,
                    acknowledged_at=None, answered_at=None, updated_at=now))
            await self.session.refresh(assignment)
            await service.push(item, assignment, now, reopened=True)

    async def _filed_by(self, item_id: int, resident: Resident) -> Item | None:
        item = await self.session.get(Item, item_id)
        if item is None or item.kind != Kind.COMPLAINT or item.resident_id != stored_id(resident):
            return None
        return item
