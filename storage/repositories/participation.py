"""Endorsements, follows and stances, in SQLAlchemy Core: these run on every tap.

Each action that changes an item's counter first updates the item's row with its rules in
the WHERE clause. The row lock makes concurrent taps on one item queue there, and both
engines evaluate the rules on the row as it stands after the lock (PostgreSQL re-checks
the WHERE clause of an UPDATE on the newest row version; SQLite's write lock is taken at
BEGIN), so a tap that waited behind the one that closed the stage is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Delete,
    Executable,
    Insert,
    Select,
    Update,
    and_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.lifecycle import Kind, Status
from storage.models import Endorsement, Follow, Item, Stance, table_of
from storage.repositories.base import insert_for
from storage.types import UTCDateTime
from storage.visibility import public_clause

items = table_of(Item)
endorsements = table_of(Endorsement)
follows = table_of(Follow)
stances = table_of(Stance)

ITEM_STATE = (
    items.c.id, items.c.kind, items.c.status, items.c.resident_id, items.c.is_private,
    items.c.stage_deadline, items.c.endorsement_count, items.c.endorsement_goal,
    items.c.participant_count, items.c.participant_goal, items.c.discussion_days,
)


# The rules are written with bound parameters, so each statement built from them is built
# (and compiled) once and then reused with the tap's item, resident and time.
# (Named unlike any column: an UPDATE reserves column names for its SET clause.)
ITEM_ID: BindParameter[int] = bindparam("tap_item")
RESIDENT_ID: BindParameter[int] = bindparam("tap_resident")
NOW: BindParameter[dt.datetime] = bindparam("tap_now", type_=UTCDateTime())


@dataclass(frozen=True)
class Rule:
    """One condition an action needs, and the refusal (an Outcome value) when it fails."""

    refusal: str
    condition: ColumnElement[bool]


VISIBLE = Rule("unavailable", public_clause(items))
VISIBLE_PROPOSAL = Rule("unavailable", and_(public_clause(items), items.c.kind == Kind.PROPOSAL.value))
NOT_FILED_BY_RESIDENT = Rule("own_item", items.c.resident_id != RESIDENT_ID)


def at_stage(stage: Status) -> Rule:
    """At `stage`, with its deadline still ahead."""
    return Rule("closed", and_(items.c.status == stage.value, items.c.stage_deadline > NOW))


Rules = tuple[Rule, ...]


def _all(rules: Rules) -> ColumnElement[bool]:
    return and_(items.c.id == ITEM_ID, *(rule.condition for rule in rules))


@cache
def _count(rules: Rules, step: int) -> Update:
    """Adds `step` to the endorsement count of the item if it passes `rules`; the item after."""
    return (update(items).where(_all(rules))
            .values(endorsement_count=items.c.endorsement_count + step, updated_at=NOW)
            .returning(*items.c))


@cache
def _refusal(rules: Rules) -> Select:
    return select(*(rule.condition.label(f"rule_{n}") for n, rule in enumerate(rules))).where(items.c.id == ITEM_ID)


@cache
def _lock(rules: Rules) -> Select:
    return select(*ITEM_STATE).where(_all(rules)).with_for_update()


REASON: BindParameter[str] = bindparam("tap_reason")


@cache
def _add_once(dialect: str, table: str) -> Insert:
    """The resident's endorsement or follow of the item, unless it exists already."""
    values = {"item_id": ITEM_ID, "resident_id": RESIDENT_ID, "created_at": NOW}
    if table == "follows":
        values["reason"] = REASON
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    return insert({"endorsements": endorsements, "follows": follows}[table]).values(**values) \
        .on_conflict_do_nothing(index_elements=["item_id", "resident_id"])


@cache
def _remove(table: str) -> Delete:
    """The resident's endorsement or follow of the item, if there is one: the mirror of _add_once."""
    target = {"endorsements": endorsements, "follows": follows}[table]
    return delete(target).where(target.c.item_id == ITEM_ID, target.c.resident_id == RESIDENT_ID)


def _params(item_id: int, resident_id: int, now: dt.datetime | None = None) -> dict:
    return {ITEM_ID.key: item_id, RESIDENT_ID.key: resident_id, NOW.key: now}


class ParticipationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._held: tuple[object, AsyncConnection] | None = None

    async def _run(self, statement: Executable, params: dict | None = None) -> CursorResult:
        # Core on the session's connection: same transaction, none of the ORM's per-row cost.
        return await (await self._connection()).execute(statement, params)

    async def _connection(self) -> AsyncConnection:
        """The session's connection, asked for once per transaction (each ask is a hop
        through SQLAlchemy's greenlet bridge)."""
        transaction = self.session.sync_session.get_transaction()
        if transaction is None or self._held is None or self._held[0] is not transaction:
            connection = await self.session.connection()
            self._held = (self.session.sync_session.get_transaction(), connection)
        return self._held[1]

    async def _changed(self, statement: Executable, params: dict | None = None) -> bool:
        """Whether the statement changed a row: its row count, where RETURNING would cost
        fetching a row (on SQLite, another trip to aiosqlite's thread)."""
        return (await self._run(statement, params)).rowcount > 0

    async def item(self, item_id: int) -> Item | None:
        row = (await self._run(select(items).where(items.c.id == item_id))).mappings().first()
        return None if row is None else Item(**row)

    async def refusal(self, item_id: int, rules: Rules, resident_id: int, now: dt.datetime) -> str | None:
        """The first of `rules` the item fails now ("unavailable" when there is no such
        item), or None when it passes them all."""
        params = _params(item_id, resident_id, now)
        row = (await self._run(_refusal(rules), params)).first()
        if row is None:
            return "unavailable"
        return next((rule.refusal for rule, passed in zip(rules, row, strict=True) if not passed), None)

    async def lock_item(self, item_id: int, rules: Rules, resident_id: int, now: dt.datetime) -> Row | None:
        """The item's state, row-locked, if it passes `rules` under the lock."""
        params = _params(item_id, resident_id, now)
        return (await self._run(_lock(rules), params)).first()

    async def count_endorsement(self, item_id: int, rules: Rules, resident_id: int, now: dt.datetime) -> Item | None:
        """Adds one to the item's count if it passes `rules`; the whole item afterwards."""
        params = _params(item_id, resident_id, now)
        row = (await self._run(_count(rules, 1), params)).mappings().first()
        return None if row is None else Item(**row)

    async def add_endorsement(self, item_id: int, resident_id: int, now: dt.datetime) -> bool:
        """False when the resident already endorses the item (the unique key decides)."""
        statement = _add_once(self.session.get_bind().dialect.name, "endorsements")
        return await self._changed(statement, _params(item_id, resident_id, now))

    async def open_discussion(self, item_id: int, deadline: dt.datetime, now: dt.datetime) -> None:
        await self._run(update(items).where(items.c.id == item_id).values(stage_deadline=deadline, updated_at=now))

    async def remove_endorsement(self, item_id: int, resident_id: int) -> bool:
        """False when the resident did not endorse the item."""
        return await self._changed(_remove("endorsements"), _params(item_id, resident_id))

    async def uncount_endorsement(self, item_id: int, rules: Rules, resident_id: int, now: dt.datetime) -> Row | None:
        params = _params(item_id, resident_id, now)
        return (await self._run(_count(rules, -1), params)).first()

    async def follow(self, item_id: int, resident_id: int, reason: str, now: dt.datetime) -> bool:
        statement = _add_once(self.session.get_bind().dialect.name, "follows")
        return await self._changed(statement, _params(item_id, resident_id, now) | {REASON.key: reason})

    async def unfollow(self, item_id: int, resident_id: int) -> bool:
        return await self._changed(_remove("follows"), _params(item_id, resident_id))

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

    async def count_participant(self, item_id: int, now: dt.datetime) -> int:
        """The item's participant count after adding one. Called with the item locked and
        checked (lock_item) in the same transaction, so the row is there."""
        statement = (
            update(items)
            .where(items.c.id == item_id)
            .values(participant_count=items.c.participant_count + 1, updated_at=now)
            .returning(items.c.participant_count)
        )
        return (await self._run(statement)).scalar_one()

    async def stance_counts(self, item_id: int) -> dict[str, int]:
        statement = (
            select(stances.c.stance, func.count())
            .where(stances.c.item_id == item_id)
            .group_by(stances.c.stance)
        )
        return {stance: count for stance, count in (await self._run(statement)).all()}

    async def comments(self, item_id: int, offset: int, limit: int) -> list[Row]:
        statement = (
            select(stances.c.id, stances.c.resident_id, stances.c.stance, stances.c.comment, stances.c.updated_at)
            .where(*_shown_comments(item_id))
            .order_by(stances.c.updated_at.desc(), stances.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list((await self._run(statement)).all())

    async def comment_count(self, item_id: int) -> int:
        statement = select(func.count()).where(*_shown_comments(item_id))
        return (await self._run(statement)).scalar_one()



def _shown_comments(item_id: int) -> tuple[ColumnElement[bool], ...]:
    """The item's comments anyone may read: not those hidden by reports (their stances still count)."""
    return stances.c.item_id == item_id, stances.c.comment.is_not(None), stances.c.hidden.is_(False)
