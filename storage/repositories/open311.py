"""The Open311 API's reads: public items with what the standard shows of each, in one statement.

Each request row carries its departments, the latest department answer, the earliest open due
date and whether it has a photo as correlated subqueries, each an index lookup per row, so a
page of 1,000 is one round trip on either engine. The WHERE starts with storage/visibility.py's
public clause, spelled as the browse indexes' predicate, so PostgreSQL reads the newest public
items from `ix_items_public_created` and stops at the limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, Row, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Answer, Assignment, Attachment, Item, table_of
from storage.visibility import public_clause
from storage.vocabulary import ACTIVE_ASSIGNMENT_STATES, OPEN_ASSIGNMENT_STATES, AnswerAuthor

items = table_of(Item)
assignments = table_of(Assignment)
answers = table_of(Answer)
attachments = table_of(Attachment)

# Department codes joined in one column: both engines aggregate strings, neither in a set order.
SEPARATOR = ","


@dataclass(frozen=True)
class RequestQuery:
    """Which public items to list. With `numbers`, only those (the standard: service_request_id
    overrides every other argument); otherwise the categories, statuses and window given."""

    numbers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    limit: int = 1000


def _departments() -> ColumnElement[str]:
    return (select(func.aggregate_strings(assignments.c.department, SEPARATOR))
            .where(assignments.c.item_id == items.c.id, assignments.c.state.in_(ACTIVE_ASSIGNMENT_STATES))
            .scalar_subquery())


def _latest_answer() -> ColumnElement[str]:
    return (select(answers.c.body)
            .where(answers.c.item_id == items.c.id, answers.c.author == AnswerAuthor.DEPARTMENT.value)
            .order_by(answers.c.created_at.desc(), answers.c.id.desc()).limit(1)
            .scalar_subquery())


def _earliest_due() -> ColumnElement[dt.datetime]:
    return (select(func.min(assignments.c.due_at))
            .where(assignments.c.item_id == items.c.id, assignments.c.state.in_(OPEN_ASSIGNMENT_STATES))
            .scalar_subquery())


def _a_photo() -> ColumnElement[int]:
    # A LIMIT 1 lookup per row: written as EXISTS, PostgreSQL hashes every photo of the table.
    return select(attachments.c.id).where(attachments.c.item_id == items.c.id).limit(1).scalar_subquery()


REQUEST_COLUMNS = (
    items.c.id, items.c.public_number, items.c.kind, items.c.category, items.c.district, items.c.title,
    items.c.body, items.c.status, items.c.latitude, items.c.longitude, items.c.address, items.c.created_at,
    items.c.updated_at,
    _departments().label("departments"), _latest_answer().label("latest_answer"),
    _earliest_due().label("earliest_due"), _a_photo().label("a_photo"),
)


class RequestRow(NamedTuple):
    """One row of REQUEST_COLUMNS, field for column (a test checks). A Row's attributes are looked up by name on every access,
    ten times the cost of a tuple's: on a page of 1,000 rows that is most of the mapping."""

    id: int
    public_number: str
    kind: str
    category: str
    district: str
    title: str
    body: str
    status: str
    latitude: float | None
    longitude: float | None
    address: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    departments: str | None
    latest_answer: str | None
    earliest_due: dt.datetime | None
    a_photo: int | None


class Open311Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def requests(self, query: RequestQuery) -> list[RequestRow]:
        where: list[ColumnElement[bool]] = [public_clause(items)]
        if query.numbers:
            where.append(items.c.public_number.in_(query.numbers))
        else:
            if query.categories:
                where.append(items.c.category.in_(query.categories))
            if query.statuses:
                where.append(items.c.status.in_(query.statuses))
            if query.start is not None:
                where.append(items.c.created_at >= query.start)
            if query.end is not None:
                where.append(items.c.created_at <= query.end)
        statement = (select(*REQUEST_COLUMNS).where(*where)
                     .order_by(items.c.created_at.desc(), items.c.id.desc()).limit(query.limit))
        rows = (await (await self.session.connection()).execute(statement)).all()
        return [RequestRow._make(row) for row in rows]

    async def first_photo(self, number: str) -> str | None:
        """The Telegram file id of a public item's first photo."""
        statement = (select(attachments.c.file_id).join(items, items.c.id == attachments.c.item_id)
                     .where(public_clause(items), items.c.public_number == number)
                     .order_by(attachments.c.position, attachments.c.id).limit(1))
        return (await (await self.session.connection()).execute(statement)).scalar_one_or_none()

    async def departments_of(self, item_id: int) -> Sequence[Row]:
        """An item's active assignments (department, due date), in the order they were made."""
        statement = (select(assignments.c.department, assignments.c.due_at)
                     .where(assignments.c.item_id == item_id, assignments.c.state.in_(ACTIVE_ASSIGNMENT_STATES))
                     .order_by(assignments.c.id))
        return (await (await self.session.connection()).execute(statement)).all()
