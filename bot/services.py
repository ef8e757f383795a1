"""The services a handler may use, built on the update's database session."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.models import Resident
from storage.services.bans import BanService
from storage.services.broadcast_progress import ProgressService
from storage.services.broadcasts import BroadcastService
from storage.services.browse import BrowseService
from storage.services.command_menus import CommandMenus
from storage.services.filing import FilingService
from storage.services.followups import FollowupService
from storage.services.items import ItemQueries
from storage.services.moderation import ModerationService
from storage.services.officials import OfficialActions
from storage.services.officials_admin import RoleAdministration
from storage.services.participation import ParticipationService
from storage.services.polls import PollService
from storage.services.reports import ReportService
from storage.services.residents import ResidentCache, ResidentService, TelegramPerson
from storage.services.statistics import StatisticsService
from storage.services.thread import ThreadService


class Services:
    """Opens the update's database sessions on first use, so updates that need none
    (a cached resident pressing a button answered from memory) never create one.

    Two sessions: `session` for the services that write (on SQLite its transactions take
    the write lock at BEGIN) and `reading` for those that only read (they never take it).
    `end_transactions` closes both before each Bot API call (bot.middlewares), so no
    transaction is held open while Telegram answers; a later query simply begins anew.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        city: CityConfig,
        default_language: str,
        clock: Clock = system_clock,
        resident_cache: ResidentCache | None = None,
        reading_factory: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.reading_factory = reading_factory or session_factory
        self.resident_cache = resident_cache
        self.city = city
        self.default_language = default_language
        self.clock = clock

    @cached_property
    def session(self) -> AsyncSession:
        return self.session_factory()

    @cached_property
    def reading(self) -> AsyncSession:
        return self.reading_factory()

    async def end_transactions(self) -> None:
        """Ends any open transaction (rolling back what a service left uncommitted) and
        returns the connections to the pool. Loaded rows stay readable (detached)."""
        for name in ("session", "reading"):
            if name in self.__dict__:
                await self.__dict__[name].close()

    async def close(self) -> None:
        await self.end_transactions()

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
        return ItemQueries(self.reading)

    @cached_property
    def participation(self) -> ParticipationService:
        return ParticipationService(self.session, self.clock, self.city.moderation)

    @cached_property
    def browse(self) -> BrowseService:
        return BrowseService(self.reading, self.clock)

    @cached_property
    def officials(self) -> OfficialActions:
        """Officials' actions (on the writing session: they read the role in the same
        transaction that acts)."""
        return OfficialActions(self.session, self.city)

    @cached_property
    def official_reads(self) -> OfficialActions:
        """The inbox and the official view, which only read."""
        return OfficialActions(self.reading, self.city)

    @cached_property
    def thread(self) -> ThreadService:
        return ThreadService(self.session, self.clock)

    @cached_property
    def followups(self) -> FollowupService:
        return FollowupService(self.session, self.city, self.clock)

    @cached_property
    def command_menus(self) -> CommandMenus:
        return CommandMenus(self.reading, self.session)

    @cached_property
    def roles(self) -> RoleAdministration:
        return RoleAdministration(self.session, self.city, self.clock)

    @cached_property
    def reports(self) -> ReportService:
        return ReportService(self.session, self.city, self.clock)

    @cached_property
    def moderation(self) -> ModerationService:
        """Moderators' queue and decisions (on the writing session: the role is read in the
        transaction that acts)."""
        return ModerationService(self.session, self.clock, self.bans)

    @cached_property
    def bans(self) -> BanService:
        """Bans with this process's resident cache, so they hold from the resident's next update."""
        return BanService(self.session, self.resident_cache)

    @cached_property
    def broadcasts(self) -> BroadcastService:
        """Composing, queueing and controlling broadcasts (on the writing session: who may is
        read in the transaction that acts)."""
        return BroadcastService(self.session, self.city, self.clock)

    @cached_property
    def broadcast_reads(self) -> BroadcastService:
        """Who may broadcast and audience sizes, while composing: reads only."""
        return BroadcastService(self.reading, self.city, self.clock)

    @cached_property
    def broadcast_progress(self) -> ProgressService:
        return ProgressService(self.session, self.clock)

    @cached_property
    def polls(self) -> PollService:
        """Answering a poll and an admin's actions (on the writing session: the poll is held
        and the role read in the transaction that acts)."""
        return PollService(self.session, self.city, self.clock)

    @cached_property
    def poll_reads(self) -> PollService:
        """Who may create polls, the open polls, a poll's view and the admins' counts: reads only."""
        return PollService(self.reading, self.city, self.clock)

    @cached_property
    def statistics(self) -> StatisticsService:
        """District statistics (they only read), and who may see them."""
        return StatisticsService(self.reading, self.city)
