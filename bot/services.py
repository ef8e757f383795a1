"""The services a handler may use, built on the update's database session."""

from __future__ import annotations

from functools import cached_property

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.services.filing import FilingService
from storage.services.items import ItemQueries
from storage.services.residents import ResidentService


class Services:
    def __init__(self, session: AsyncSession, city: CityConfig, default_language: str) -> None:
        self.session = session
        self.city = city
        self.default_language = default_language

    @cached_property
    def residents(self) -> ResidentService:
        return ResidentService(self.session, self.default_language)

    @cached_property
    def filing(self) -> FilingService:
        return FilingService(self.session, self.city)

    @cached_property
    def items(self) -> ItemQueries:
        return ItemQueries(self.session)
