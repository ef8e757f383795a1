"""Finding public items: filters, sort orders and text search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import rules
from storage.clock import Clock
from storage.listing import public_window_clause
from storage.models import Item, table_of
from storage.repositories.base import count_at_most
from storage.services.items import COUNT_CAP, SEARCH_COUNT_CAP, Page, paged
from storage.visibility import public_clause


class Sort(StrEnum):
    NEWEST = "new"
    MOST_ENDORSED = "top"
    ENDING_SOON = "end"


@dataclass(frozen=True)
class BrowseFilter:
    sort: str = Sort.NEWEST
    district: str | None = None
    category: str | None = None
    kind: str | None = None
    stage: str | None = None
    query: str | None = None

    def with_(self, **changes: Any) -> "BrowseFilter":
        return replace(self, **changes)


def search_words(text: str) -> list[str]:
    return text[:rules.SEARCH_MAX].split()[:rules.SEARCH_MAX_WORDS]


class BrowseService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    def _conditions(self, wanted: BrowseFilter) -> list[ColumnElement[bool]]:
        # The first condition is the predicate of the order's partial indexes (storage/models.py).
        items = table_of(Item)
        ending = wanted.sort == Sort.ENDING_SOON
        conditions = [public_window_clause(items) if ending else public_clause(items)]
        for column, value in ((col(Item.district), wanted.district), (col(Item.category), wanted.category),
                              (col(Item.kind), wanted.kind), (col(Item.status), wanted.stage)):
            if value:
                conditions.append(column == value)
        for word in search_words(wanted.query or ""):
            conditions.append(or_(col(Item.title).icontains(word, autoescape=True),
                                  col(Item.body).icontains(word, autoescape=True)))
        if ending:
            conditions.append(col(Item.stage_deadline) > self.clock())
        return conditions

    @staticmethod
    def _order(sort: str) -> list:
        if sort == Sort.MOST_ENDORSED:
            return [col(Item.endorsement_count).desc(), col(Item.id).desc()]
        if sort == Sort.ENDING_SOON:
            return [col(Item.stage_deadline).asc(), col(Item.id).asc()]
        return [col(Item.created_at).desc(), col(Item.id).desc()]

    async def page(self, wanted: BrowseFilter, page: int, size: int) -> Page:
        matching = select(Item).where(*self._conditions(wanted))
        ordered = matching.order_by(*self._order(wanted.sort))

        async def fetch(offset: int, limit: int) -> Sequence[Item]:
            return (await self.session.exec(ordered.offset(offset).limit(limit))).all()

        cap = SEARCH_COUNT_CAP if search_words(wanted.query or "") else COUNT_CAP
        return await paged(lambda limit: count_at_most(self.session, matching, limit), fetch, page, size, cap)
