"""Telling residents what became of items: status events and answers, fanned out into the outbox.

Every status event and every answer is written with `notified_at` null, by Sotong or by the
city's platform (docs/schema.md). The worker claims such rows with one conditional UPDATE
and queues their notifications in the same transaction, so a row is fanned out exactly once
even with several workers, and a row that commits late (ids from a sequence become visible
out of order) is still found: there is no "last id seen" that could have passed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, and_, cast, literal, or_, select, true, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.lifecycle import Kind, Status
from storage.models import (
    Answer,
    Assignment,
    Follow,
    Item,
    OfficialRole,
    OutboxMessage,
    Resident,
    StatusEvent,
    table_of,
)
from storage.repositories.base import insert_for
from storage.services.assignments import AssignmentService
from storage.vocabulary import AnswerAuthor, NoticeKind, NotifyScope, OutboxState, Role

events = table_of(StatusEvent)
answers = table_of(Answer)
items = table_of(Item)
follows = table_of(Follow)
residents = table_of(Resident)
roles = table_of(OfficialRole)
assignment_rows = table_of(Assignment)
outbox = table_of(OutboxMessage)
BATCH = 200


@dataclass(frozen=True)
class FannedOut:
    events: int
    answers: int


class Notifier:
    def __init__(self, session: AsyncSession, city: CityConfig) -> None:
        self.session = session
        self.city = city

    async def run(self, now: dt.datetime, batch: int = BATCH) -> FannedOut:
        """Fans out up to `batch` status events and `batch` answers; commits."""
        done = FannedOut(await self._events(now, batch), await self._answers(now, batch))
        await self.session.commit()
        return done

    async def _claim(self, table: Any, now: dt.datetime, batch: int) -> list[Any]:
        waiting = (select(table.c.id).where(table.c.notified_at.is_(None)).order_by(table.c.id)
                   .limit(batch).scalar_subquery())
        statement = (update(table).where(table.c.id.in_(waiting), table.c.notified_at.is_(None))
                     .values(notified_at=now).returning(*table.c))
        connection = await self.session.connection()
        return sorted((await connection.execute(statement)).all(), key=lambda row: row.id)

    async def _events(self, now: dt.datetime, batch: int) -> int:
        claimed = await self._claim(events, now, batch)
        for event in claimed:
            item = await self.session.get(Item, event.item_id)
            if item is None or event.from_status is None:  # the filing itself: the filer saw it
                continue
            await self._react(item, event, now)
            args = {"item_id": item.id, "number": item.public_number, "title": item.title, "kind": item.kind,
                    "from_status": event.from_status, "to_status": event.to_status, "note": event.note}
            only_filer = event.to_status == Status.HIDDEN
            await self._to_followers(item, NoticeKind.STATUS, args, f"status:{event.id}:", only_filer, now)
        return len(claimed)

    async def _react(self, item: Item, event: Any, now: dt.datetime) -> None:
        """What a move means beyond telling people, whoever made it (the platform included)."""
        if item.kind == Kind.COMPLAINT and event.to_status == Status.RESOLVED:
            due = event.created_at + dt.timedelta(days=self.city.routing.followup_days)
            await self._execute(update(items).where(items.c.id == item.id, items.c.status == Status.RESOLVED)
                                       .values(followup_due_at=due))
        if item.kind == Kind.PROPOSAL and event.to_status == Status.REVIEW:
            await AssignmentService(self.session, self.city).route(item, now)  # no-op when already routed

    async def _answers(self, now: dt.datetime, batch: int) -> int:
        claimed = await self._claim(answers, now, batch)
        for answer in claimed:
            item = await self.session.get(Item, answer.item_id)
            if item is None:
                continue
            args = {"item_id": item.id, "number": item.public_number, "title": item.title, "kind": item.kind,
                    "answer_id": answer.id, "department": answer.department, "body": answer.body,
                    "filer_id": item.resident_id}
            if answer.author == AnswerAuthor.FILER:
                await self._to_department(item, answer, args, now)
            else:
                await self._to_followers(item, NoticeKind.ANSWER, args, f"answer:{answer.id}:", False, now)
        return len(claimed)

    async def _to_followers(self, item: Item, kind: NoticeKind, args: dict[str, Any], key: str,
                            only_filer: bool, now: dt.datetime) -> None:
        """One INSERT … SELECT for every follower who wants it: 20,000 followers are one statement."""
        is_filer = residents.c.id == item.resident_id
        wanted: ColumnElement[bool] = or_(residents.c.notify == NotifyScope.ALL, and_(residents.c.notify == NotifyScope.OWN, is_filer))
        where = [follows.c.item_id == item.id, residents.c.blocked.is_(False), wanted]
        if only_filer or item.is_private:
            where.append(is_filer)
        recipients = select(residents.c.telegram_id, residents.c.id, residents.c.language).join(
            follows, follows.c.resident_id == residents.c.id).where(*where)
        await self._insert(recipients, kind, args, key, now)

    async def _to_department(self, item: Item, answer: Any, args: dict[str, Any], now: dt.datetime) -> None:
        """A filer's reply goes to the officials of the department they replied to."""
        assignment_id = (await self._execute(select(assignment_rows.c.id).where(
            assignment_rows.c.item_id == item.id, assignment_rows.c.department == answer.department))).scalar()
        officials = select(residents.c.telegram_id, residents.c.id, residents.c.language).join(
            roles, roles.c.resident_id == residents.c.id).where(
            roles.c.role == Role.OFFICIAL, roles.c.department == answer.department, residents.c.blocked.is_(False))
        await self._insert(officials, NoticeKind.REPLY, {**args, "assignment_id": assignment_id},
                           f"reply:{answer.id}:", now)

    async def _insert(self, recipients: Any, kind: NoticeKind, args: dict[str, Any], key: str, now: dt.datetime) -> None:
        chosen = recipients.subquery()
        rows = select(
            chosen.c.telegram_id, chosen.c.id, literal(kind.value), chosen.c.language,
            literal(args, JSON), literal(key) + cast(chosen.c.id, String), literal(OutboxState.PENDING.value),
            literal(0), literal(now, events.c.created_at.type), literal(now, events.c.created_at.type),
        ).where(true())  # SQLite parses INSERT … SELECT … ON CONFLICT only with a WHERE
        columns = ["chat_id", "resident_id", "kind", "language", "args", "dedupe_key", "state", "attempts",
                   "not_before", "created_at"]
        statement = insert_for(self.session, outbox).from_select(columns, rows).on_conflict_do_nothing(
            index_elements=["dedupe_key"])
        await self._execute(statement)

    async def _execute(self, statement: Any) -> Any:
        return await (await self.session.connection()).execute(statement)
