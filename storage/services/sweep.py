"""Time-based moves: a collecting window that ends below its goal, a discussion that ends.

Each move is one conditional UPDATE that re-checks status and deadline, so several
workers may sweep at once and every item still moves exactly once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock
from storage.lifecycle import Kind, Status, can_move
from storage.models import Item, StatusEvent, table_of
from storage.services.assignments import AssignmentService
from storage.services.status import IllegalMove

items = table_of(Item)
events = table_of(StatusEvent)
BATCH = 500


@dataclass(frozen=True)
class Move:
    item_id: int
    source: str
    target: str


# (from, to, extra condition, note) in the order they are tried.
RULES: tuple[tuple[Status, Status, ColumnElement[bool] | None, str], ...] = (
    (Status.COLLECTING, Status.EXPIRED, None, "endorsement window ended below the goal"),
    (Status.DISCUSSION, Status.REVIEW, items.c.participant_count >= items.c.participant_goal,
     "discussion ended with enough participants"),
    (Status.DISCUSSION, Status.EXPIRED, items.c.participant_count < items.c.participant_goal,
     "discussion ended below the participant goal"),
)


class LifecycleSweep:
    def __init__(self, session: AsyncSession, clock: Clock, city: CityConfig) -> None:
        self.session = session
        self.clock = clock
        self.assignments = AssignmentService(session, city)

    async def run(self) -> list[Move]:
        moves: list[Move] = []
        for source, target, condition, note in RULES:
            moves += await self._apply(source, target, condition, note)
        return moves

    async def _apply(self, source: Status, target: Status, condition: ColumnElement[bool] | None, note: str) -> list[Move]:
        if not can_move(Kind.PROPOSAL, source, target):  # the lifecycle has the last word
            raise IllegalMove(0, source, target)
        now = self.clock()
        due = items.c.id.in_(
            items.select().with_only_columns(items.c.id)
            .where(items.c.status == source, items.c.stage_deadline <= now, items.c.kind == Kind.PROPOSAL)
            .limit(BATCH).scalar_subquery()
        )
        statement = (
            update(items)
            .where(due, items.c.status == source, items.c.stage_deadline <= now)
            .values(status=target, updated_at=now)
            .returning(items.c.id)
        )
        if condition is not None:
            statement = statement.where(condition)
        connection = await self.session.connection()
        moved = [row.id for row in (await connection.execute(statement)).all()]
        if moved:
            await connection.execute(events.insert(), [
                dict(item_id=i, from_status=source, to_status=target, actor="system", note=note, created_at=now)
                for i in moved
            ])
        if target == Status.REVIEW:  # every proposal in review gets its official answer
            await self._route(moved, now)
        await self.session.commit()
        return [Move(i, source, target) for i in moved]

    async def _route(self, item_ids: list[int], now: dt.datetime) -> None:
        for item_id in item_ids:
            item = await self.session.get(Item, item_id)
            if item is not None:
                await self.assignments.route(item, now)
