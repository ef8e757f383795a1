"""Routing items to departments and pushing each new assignment to that department's officials.

`route` runs in the transaction that files the item (or moves a proposal to review), so an
item is never stored without its assignments, nor an assignment without its pushes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlmodel as sql
from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig, Department
from storage.models import Assignment, Attachment, Item, Resident, stored_id, table_of
from storage.repositories.base import insert_for
from storage.repositories.officials import OfficialsRepository
from storage.repositories.outbox import Notice, enqueue
from storage.routing import departments_for
from storage.vocabulary import AssignmentState, NoticeKind, Role

assignments = table_of(Assignment)
attachments = table_of(Attachment)
residents = table_of(Resident)


class AssignmentService:
    def __init__(self, session: AsyncSession, city: CityConfig) -> None:
        self.session = session
        self.city = city
        self.officials = OfficialsRepository(session)

    async def route(self, item: Item, now: dt.datetime) -> list[Assignment]:
        """Assigns the item to every department the city file routes it to, and pushes it."""
        made = []
        for department in departments_for(self.city, item.kind, item.category, item.district):
            assignment = await self.assign(item, department, now)
            if assignment is not None:
                made.append(assignment)
        return made

    async def assign(self, item: Item, department: Department, now: dt.datetime,
                     transferred_from: str | None = None, note: str | None = None) -> Assignment | None:
        """A new assignment with its pushes; None when the department already has the item."""
        statement = insert_for(self.session, assignments).values(
            item_id=stored_id(item), department=department.code, state=AssignmentState.NEW.value,
            received_at=now, due_at=now + dt.timedelta(days=department.sla_days),
            transferred_from=transferred_from, note=note, updated_at=now,
        ).on_conflict_do_nothing(index_elements=["item_id", "department"]).returning(assignments.c.id)
        connection = await self.session.connection()
        assignment_id = (await connection.execute(statement)).scalar_one_or_none()
        if assignment_id is None:
            return None
        assignment = await self.session.get(Assignment, assignment_id)
        assert assignment is not None
        await self.push(item, assignment, now)
        return assignment

    async def push(self, item: Item, assignment: Assignment, now: dt.datetime, reopened: bool = False) -> None:
        """Queues the item for every official of the assignment's department: its photos (an
        album), its location (a map pin), then the message with the official's buttons."""
        officials = await self.officials.holders(Role.OFFICIAL, assignment.department)
        if not officials:
            return
        photos = await self._photos(stored_id(item))
        filer = None if item.is_anonymous or item.resident_id is None else await self._filer_name(item.resident_id)
        args = push_args(item, assignment, filer, reopened)
        round_ = int(assignment.received_at.timestamp())
        notices: list[Notice] = []
        for official in officials:
            if official.blocked:
                continue
            key = f"{stored_id(assignment)}:{stored_id(official)}:{round_}"
            if photos:
                notices.append(Notice.to(official, NoticeKind.ASSIGNMENT_ALBUM,
                                         {"photos": photos, "number": item.public_number}, f"album:{key}"))
            if item.latitude is not None and item.longitude is not None:
                notices.append(Notice.to(official, NoticeKind.ASSIGNMENT_LOCATION,
                                         {"lat": item.latitude, "lon": item.longitude}, f"location:{key}"))
            notices.append(Notice.to(official, NoticeKind.ASSIGNMENT, args, f"assignment:{key}"))
        await enqueue(self.session, notices, now)

    async def _photos(self, item_id: int) -> list[str]:
        statement = (select(attachments.c.file_id).where(attachments.c.item_id == item_id)
                     .order_by(attachments.c.position))
        return list((await (await self.session.connection()).execute(statement)).scalars().all())

    async def _filer_name(self, resident_id: int) -> str | None:
        statement = select(residents.c.full_name).where(residents.c.id == resident_id)
        return (await (await self.session.connection()).execute(statement)).scalar_one_or_none()

    async def of_item(self, item_id: int) -> Sequence[Assignment]:
        statement = sql.select(Assignment).where(Assignment.item_id == item_id).order_by(sql.col(Assignment.id))
        return (await self.session.exec(statement)).all()


def push_args(item: Item, assignment: Assignment, filer: str | None, reopened: bool) -> dict[str, Any]:
    """What the push shows, captured now (an anonymous filer's name is never captured)."""
    return {
        "assignment_id": stored_id(assignment), "item_id": stored_id(item), "number": item.public_number,
        "kind": item.kind, "title": item.title, "body": item.body, "district": item.district,
        "category": item.category, "department": assignment.department, "filer": filer,
        "due_at": assignment.due_at.isoformat(), "transferred_from": assignment.transferred_from,
        "note": assignment.note, "reopened": reopened,
        # Filed through Open311: the client it came from, and the address it gave.
        "api_client": item.api_client, "address": item.address,
    }
