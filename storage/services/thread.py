"""An item's thread as residents see it: the departments it went to, their answers, and the
filer's replies to them.

A reply is an `answers` row with author 'filer'; the worker's Notifier tells the department's
officials (storage/services/notifications.py), as it does for rows the platform writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clock import Clock
from storage.models import Answer, Assignment, Item, Resident, stored_id, table_of
from storage.vocabulary import ACTIVE_ASSIGNMENT_STATES, AnswerAuthor, AssignmentState

answers = table_of(Answer)
assignments = table_of(Assignment)

# The newest answers a card reads; it shows as many of them as fit and counts the rest.
THREAD_READ = 20


@dataclass(frozen=True)
class Routed:
    """A department an item is with, and whether it has answered."""

    department: str
    answered: bool


@dataclass(frozen=True)
class Entry:
    department: str
    author: str
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Thread:
    departments: Sequence[Routed] = ()
    entries: Sequence[Entry] = ()  # the newest THREAD_READ, oldest first
    total: int = 0  # every answer and reply of the item
    omitted: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "omitted", self.total - len(self.entries))


async def thread_of(session: AsyncSession, item_id: int) -> Thread:
    """What the card shows of the city's side of an item."""
    connection = await session.connection()
    # Answered: marked so by an official, or answered since it last got the item (the platform
    # writes answers without touching assignments; a reopened item is received anew).
    latest = (select(answers.c.department, func.max(answers.c.created_at).label("at"))
              .where(answers.c.item_id == item_id, answers.c.author == AnswerAuthor.DEPARTMENT)
              .group_by(answers.c.department).subquery())
    routed = (await connection.execute(
        select(assignments.c.department, assignments.c.state, assignments.c.received_at, latest.c.at)
        .outerjoin(latest, latest.c.department == assignments.c.department)
        .where(assignments.c.item_id == item_id, assignments.c.state.in_(ACTIVE_ASSIGNMENT_STATES))
        .order_by(assignments.c.id))).all()
    total = (await connection.execute(
        select(func.count()).select_from(answers).where(answers.c.item_id == item_id))).scalar_one()
    if not routed and not total:
        return Thread()
    newest = (await connection.execute(
        select(answers.c.department, answers.c.author, answers.c.body, answers.c.created_at)
        .where(answers.c.item_id == item_id)
        .order_by(answers.c.created_at.desc(), answers.c.id.desc()).limit(THREAD_READ))).all()
    return Thread(
        departments=[Routed(row.department, _answered(row)) for row in routed],
        entries=[Entry(row.department, row.author, row.body, row.created_at) for row in reversed(newest)],
        total=total,
    )


def _answered(row: Any) -> bool:
    return bool(row.state == AssignmentState.ANSWERED or (row.at is not None and row.at >= row.received_at))


class ReplyOutcome(StrEnum):
    DONE = "done"
    NOT_YOURS = "not_yours"          # no such item, or someone else filed it
    NO_DEPARTMENT = "no_department"  # the department has no assignment on the item


@dataclass(frozen=True)
class ReplyTarget:
    item_id: int
    number: str
    department: str


class ThreadService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def reply_target(self, answer_id: int, resident: Resident) -> ReplyTarget | None:
        """What a Reply under an answer replies to, if this resident may reply to it."""
        answer = await self.session.get(Answer, answer_id)
        if answer is None or answer.author != AnswerAuthor.DEPARTMENT:
            return None
        item = await self._filed_by(answer.item_id, resident)
        if item is None or not await self._assigned(answer.item_id, answer.department):
            return None
        return ReplyTarget(answer.item_id, item.public_number, answer.department)

    async def reply(self, item_id: int, department: str, resident: Resident, body: str) -> ReplyOutcome:
        """Stores the filer's reply to a department on the item; commits."""
        try:
            if await self._filed_by(item_id, resident) is None:
                return ReplyOutcome.NOT_YOURS
            if not await self._assigned(item_id, department):
                return ReplyOutcome.NO_DEPARTMENT
            await (await self.session.connection()).execute(answers.insert().values(
                item_id=item_id, department=department, author=AnswerAuthor.FILER.value,
                resident_id=stored_id(resident), body=body, created_at=self.clock()))
            await self.session.commit()
            return ReplyOutcome.DONE
        finally:
            await self.session.rollback()  # ends the transaction of a refusal; nothing after a commit

    async def _filed_by(self, item_id: int, resident: Resident) -> Item | None:
        item = await self.session.get(Item, item_id)
        return item if item is not None and item.resident_id == stored_id(resident) else None

    async def _assigned(self, item_id: int, department: str) -> bool:
        statement = select(assignments.c.id).where(
            assignments.c.item_id == item_id, assignments.c.department == department)
        return (await (await self.session.connection()).execute(statement)).first() is not None
