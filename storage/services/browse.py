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
from storage.services.items import SEARCH_COUNT_CAP, Page, paged, paged_by_ids
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
        conditions, order = self._conditions(wanted), self._order(wanted.sort)
        if search_words(wanted.query or ""):
            return await self._searched(conditions, order, page, size)
        matching = select(Item).where(*conditions)
        ordered = matching.order_by(*order)

        async def fetch(offset: int, limit: int) -> Sequence[Item]:
            return (await self.session.exec(ordered.offset(offset).limit(limit))).all()

        return await paged(lambda limit: count_at_most(self.session, matching, limit), fetch, page, size)

    async def _searched(self, conditions: list[ColumnElement[bool]], order: list, page: int, size: int) -> Page:
        """A search's words are checked row by row: the matches are found once, as ids in the
        list's order up to the count's horizon, and the page's items then read by id."""

        async def ids_up_to(limit: int) -> Sequence[int]:
            statement = select(table_of(Item).c.id).where(*conditions).order_by(*order).limit(limit)
            return (await (await self.session.connection()).execute(statement)).scalars().all()

        async def load(ids: Sequence[int]) -> Sequence[Item]:
            found = {item.id: item for item in (await self.session.exec(select(Item).where(col(Item.id).in_(ids))))}
            return [found[i] for i in ids if i in found]

        return await paged_by_ids(ids_up_to, load, page, size, SEARCH_COUNT_CAP)
