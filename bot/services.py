"""The services a handler may use, built on the update's database session."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.models import Resident
from storage.services.browse import BrowseService
from storage.services.filing import FilingService
from storage.services.items import ItemQueries
from storage.services.participation import ParticipationService
from storage.services.residents import ResidentCache, ResidentService, TelegramPerson


class Services:
    """Opens the update's database session on first use, so updates that need none
    (a cached resident pressing a button answered from memory) never create one."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        city: CityConfig,
        default_language: str,
        clock: Clock = system_clock,
        resident_cache: ResidentCache | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.resident_cache = resident_cache
        self.city = city
        self.default_language = default_language
        self.clock = clock

    @cached_property
    def session(self) -> AsyncSession:
        return self.session_factory()

    async def close(self) -> None:
        if "session" in self.__dict__:
            await self.session.close()

    async def identify(self, person: TelegramPerson) -> tuple[Resident, bool]:
        """The resident behind an update. Most come from the cache, with no session opened."""
        cached = self.resident_cache.get(person) if self.resident_cache else None
        if cached is not None:
            return cached, False
        return await self.residents.identify(person)

    @cached_property
    def residents(self) -> ResidentService:
        return ResidentService(self.session, self.default_language, self.resident_cache)

    @cached_property
    def filing(self) -> FilingService:
        return FilingService(self.session, self.city, self.clock)

    @cached_property
    def items(self) -> ItemQueries:
        return ItemQueries(self.session)

    @cached_property
    def participation(self) -> ParticipationService:
        return ParticipationService(self.session, self.clock)

    @cached_property
    def browse(self) -> BrowseService:
        return BrowseService(self.session, self.clock)
