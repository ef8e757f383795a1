from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Resident, ResidentTopic, table_of
from storage.repositories.base import insert_for
from storage.types import utcnow

topics = table_of(ResidentTopic)


class ResidentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Resident | None:
        statement = select(Resident).where(Resident.telegram_id == telegram_id)
        return (await self.session.exec(statement)).first()

    async def by_id(self, resident_id: int) -> Resident | None:
        return await self.session.get(Resident, resident_id)

    async def insert_if_absent(
        self, telegram_id: int, language: str, full_name: str, username: str | None
    ) -> None:
        # Two updates of a new resident may arrive at once (an album); the second is a no-op.
        now = utcnow()
        statement = (
            insert_for(self.session, table_of(Resident))
            .values(
                telegram_id=telegram_id,
                language=language,
                full_name=full_name,
                username=username,
                blocked=False,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["telegram_id"])
        )
        await self.session.exec(statement)

    async def topics(self, resident_id: int) -> set[str]:
        """The broadcast topics the resident opted in to (codes, some maybe no longer in the city file)."""
        statement = select(topics.c.topic).where(topics.c.resident_id == resident_id)
        return {str(topic) for topic in (await (await self.session.connection()).execute(statement)).scalars()}

    async def add_topic(self, resident_id: int, topic: str) -> None:
        # A second press (or a double tap) of the same button finds the row there: a no-op.
        statement = (insert_for(self.session, topics)
                     .values(resident_id=resident_id, topic=topic, created_at=utcnow())
                     .on_conflict_do_nothing(index_elements=["resident_id", "topic"]))
        await (await self.session.connection()).execute(statement)

    async def remove_topic(self, resident_id: int, topic: str) -> None:
        statement = delete(topics).where(topics.c.resident_id == resident_id, topics.c.topic == topic)
        await (await self.session.connection()).execute(statement)
