from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Attachment, Endorsement, Item, NumberCounter, StatusEvent, table_of
from storage.repositories.base import count_at_most, insert_for
from storage.visibility import public_clause


class ItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_id(self, item_id: int) -> Item | None:
        return await self.session.get(Item, item_id)

    async def by_submission_key(self, key: str) -> Item | None:
        return (await self.session.exec(select(Item).where(Item.submission_key == key))).first()

    async def by_token(self, token: str) -> Item | None:
        return (await self.session.exec(select(Item).where(Item.public_token == token))).first()

    @staticmethod
    def _endorsed_by(resident_id: int) -> SelectOfScalar[Item]:
        return (
            select(Item)
            .join(Endorsement, col(Endorsement.item_id) == col(Item.id))
            .where(Endorsement.resident_id == resident_id, public_clause(table_of(Item)))
        )

    async def endorsed_by(self, resident_id: int, offset: int, limit: int) -> Sequence[Item]:
        statement = (
            self._endorsed_by(resident_id)
            .order_by(col(Endorsement.created_at).desc(), col(Endorsement.item_id).desc())
            .offset(offset)
            .limit(limit)
        )
        return (await self.session.exec(statement)).all()

    async def count_endorsed_by(self, resident_id: int, limit: int) -> int:
        return await count_at_most(self.session, self._endorsed_by(resident_id), limit)

    async def next_number(self, prefix: str, year: int) -> int:
        """Bumps the year's counter in one statement, so concurrent filings never share a number."""
        table = table_of(NumberCounter)
        statement = (
            insert_for(self.session, table)
            .values(prefix=prefix, year=year, last_value=1)
            .on_conflict_do_update(
                index_elements=["prefix", "year"],
                set_={"last_value": table.c.last_value + 1},
            )
            .returning(table.c.last_value)
        )
        return (await self.session.exec(statement)).scalar_one()

    async def by_resident(self, resident_id: int, offset: int, limit: int) -> Sequence[Item]:
        statement = (
            select(Item)
            .where(Item.resident_id == resident_id)
            .order_by(col(Item.created_at).desc(), col(Item.id).desc())
            .offset(offset)
            .limit(limit)
        )
        return (await self.session.exec(statement)).all()

    async def count_by_resident(self, resident_id: int, limit: int) -> int:
        statement = select(Item).where(Item.resident_id == resident_id)
        return await count_at_most(self.session, statement, limit)

    async def open_in(
        self, kind: str, category: str, district: str, statuses: Iterable[str], limit: int
    ) -> Sequence[Item]:
        statement = (
            select(Item)
            .where(
                Item.kind == kind,
                Item.category == category,
                Item.district == district,
                col(Item.status).in_(list(statuses)),
                public_clause(table_of(Item)),
            )
            .order_by(col(Item.created_at).desc())
            .limit(limit)
        )
        return (await self.session.exec(statement)).all()

    async def attachments(self, item_id: int) -> Sequence[Attachment]:
        statement = (
            select(Attachment).where(Attachment.item_id == item_id).order_by(col(Attachment.position))
        )
        return (await self.session.exec(statement)).all()

    async def timeline(self, item_id: int) -> Sequence[StatusEvent]:
        statement = (
            select(StatusEvent)
            .where(StatusEvent.item_id == item_id)
            .order_by(col(StatusEvent.created_at), col(StatusEvent.id))
        )
        return (await self.session.exec(statement)).all()
