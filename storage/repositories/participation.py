"""Endorsements, follows and stances, in SQLAlchemy Core: these run on every tap."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.lifecycle import Status
from storage.models import Endorsement, Follow, Item, Stance
from storage.repositories.base import insert_for

items = Item.__table__
endorsements = Endorsement.__table__
follows = Follow.__table__
stances = Stance.__table__

ITEM_STATE = (
    items.c.id, items.c.kind, items.c.status, items.c.resident_id, items.c.is_private,
    items.c.stage_deadline, items.c.endorsement_count, items.c.endorsement_goal,
    items.c.participant_count, items.c.participant_goal, items.c.discussion_days,
)


class ParticipationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _run(self, statement):  # type: ignore[no-untyped-def]
        # Core on the session's connection: same transaction, none of the ORM's per-row cost.
        connection = await self.session.connection()
        return await connection.execute(statement)

    async def item_state(self, item_id: int) -> Row | None:
        return (await self._run(select(*ITEM_STATE).where(items.c.id == item_id))).first()

    async def remove_endorsement(self, item_id: int, resident_id: int) -> bool:
        statement = (
            delete(endorsements)
            .where(endorsements.c.item_id == item_id, endorsements.c.resident_id == resident_id)
            .returning(endorsements.c.id)
        )
        return (await self._run(statement)).first() is not None

    async def uncount_endorsement(self, item_id: int, now: dt.datetime) -> Row | None:
        statement = (
            update(items)
            .where(items.c.id == item_id, items.c.status == Status.COLLECTING, items.c.stage_deadline > now)
            .values(endorsement_count=items.c.endorsement_count - 1, updated_at=now)
            .returning(items.c.endorsement_count)
        )
        return (await self._run(statement)).first()

    async def follow(self, item_id: int, resident_id: int, reason: str, now: dt.datetime) -> bool:
        statement = (
            insert_for(self.session, follows)
            .values(item_id=item_id, resident_id=resident_id, reason=reason, created_at=now)
            .on_conflict_do_nothing(index_elements=["item_id", "resident_id"])
            .returning(follows.c.item_id)
        )
        return (await self._run(statement)).first() is not None

    async def unfollow(self, item_id: int, resident_id: int) -> bool:
        statement = (
            delete(follows)
            .where(follows.c.item_id == item_id, follows.c.resident_id == resident_id)
            .returning(follows.c.item_id)
        )
        return (await self._run(statement)).first() is not None

    async def relations(self, item_id: int, resident_id: int) -> tuple[bool, bool, str | None]:
        """Whether the resident endorses and follows the item, and their stance, in one query."""
        endorsed = select(endorsements.c.id).where(
            endorsements.c.item_id == item_id, endorsements.c.resident_id == resident_id).exists()
        followed = select(follows.c.item_id).where(
            follows.c.item_id == item_id, follows.c.resident_id == resident_id).exists()
        stance = select(stances.c.stance).where(
            stances.c.item_id == item_id, stances.c.resident_id == resident_id).scalar_subquery()
        row = (await self._run(select(endorsed, followed, stance))).one()
        return bool(row[0]), bool(row[1]), row[2]

    async def add_stance(
        self, item_id: int, resident_id: int, stance: str, comment: str | None, now: dt.datetime
    ) -> bool:
        statement = (
            insert_for(self.session, stances)
            .values(item_id=item_id, resident_id=resident_id, stance=stance, comment=comment,
                    created_at=now, updated_at=now)
            .on_conflict_do_nothing(index_elements=["item_id", "resident_id"])
            .returning(stances.c.id)
        )
        return (await self._run(statement)).first() is not None

    async def change_stance(
        self, item_id: int, resident_id: int, stance: str, comment: str | None, now: dt.datetime
    ) -> None:
        await self._run(
            update(stances)
            .where(stances.c.item_id == item_id, stances.c.resident_id == resident_id)
            .values(stance=stance, comment=comment, updated_at=now)
        )

    async def count_participant(self, item_id: int, now: dt.datetime) -> Row | None:
        statement = (
            update(items)
            .where(items.c.id == item_id, items.c.status == Status.DISCUSSION)
            .values(participant_count=items.c.participant_count + 1, updated_at=now)
            .returning(items.c.participant_count)
        )
        return (await self._run(statement)).first()

    async def stance_counts(self, item_id: int) -> dict[str, int]:
        statement = (
            select(stances.c.stance, func.count())
            .where(stances.c.item_id == item_id)
            .group_by(stances.c.stance)
        )
        return {stance: count for stance, count in (await self._run(statement)).all()}

    async def comments(self, item_id: int, offset: int, limit: int) -> list[Row]:
        statement = (
            select(stances.c.stance, stances.c.comment, stances.c.updated_at)
            .where(stances.c.item_id == item_id, stances.c.comment.is_not(None))
            .order_by(stances.c.updated_at.desc(), stances.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list((await self._run(statement)).all())

    async def comment_count(self, item_id: int) -> int:
        statement = select(func.count()).where(stances.c.item_id == item_id, stances.c.comment.is_not(None))
        return (await self._run(statement)).scalar_one()

