"""Who is talking to the bot: first contact, language, district, blocked state."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import Topic
from storage.models import Resident, stored_id
from storage.repositories.residents import ResidentRepository
from storage.vocabulary import LANGUAGES, BroadcastScope, NotifyScope


def language_from_telegram(language_code: str | None, default: str) -> str:
    """ko and en are served as such; any other Telegram language gets the default."""
    base = (language_code or "").split("-")[0].lower()
    return base if base in LANGUAGES else default


@dataclass(frozen=True)
class TelegramPerson:
    telegram_id: int
    full_name: str
    username: str | None
    language_code: str | None


class ResidentCache:
    """Recently seen residents, so an ordinary update needs no lookup in the database.

    An entry lives `ttl` seconds; changes made through this process update it at once,
    changes made elsewhere (another worker, the platform) show within `ttl`.
    """

    def __init__(self, ttl: float = 60.0, size: int = 50_000) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[int, tuple[float, Resident]] = OrderedDict()

    def get(self, person: TelegramPerson) -> Resident | None:
        entry = self._entries.get(person.telegram_id)
        if entry is None or time.monotonic() - entry[0] > self.ttl:
            return None
        resident = entry[1]
        if resident.full_name != person.full_name[:256] or resident.username != person.username:
            return None  # their profile changed: refresh the row
        return resident

    def put(self, resident: Resident) -> None:
        if self.ttl <= 0:
            return
        self._entries[resident.telegram_id] = (time.monotonic(), resident)
        self._entries.move_to_end(resident.telegram_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget(self, telegram_id: int) -> None:
        self._entries.pop(telegram_id, None)


class ResidentService:
    def __init__(self, session: AsyncSession, default_language: str, cache: ResidentCache | None = None) -> None:
        self.session = session
        self.repo = ResidentRepository(session)
        self.default_language = default_language
        self.cache = cache or ResidentCache(ttl=0)

    async def identify(self, person: TelegramPerson) -> tuple[Resident, bool]:
        """The resident's row (detached), created on first contact; says whether it is new.
        Reads the database: callers look in the cache first (bot.services.Services.identify)."""
        resident, created = await self._load(person)
        # Detached, the row stays readable even after a service rolls back its transaction.
        self.session.expunge(resident)
        self.cache.put(resident)
        return resident, created

    async def _load(self, person: TelegramPerson) -> tuple[Resident, bool]:
        resident = await self.repo.by_telegram_id(person.telegram_id)
        created = False
        if resident is None:
            language = language_from_telegram(person.language_code, self.default_language)
            await self.repo.insert_if_absent(
                person.telegram_id, language, person.full_name[:256], person.username
            )
            await self.session.commit()
            resident = await self.repo.by_telegram_id(person.telegram_id)
            created = True
        assert resident is not None
        self._refresh(resident, person)
        # Ends the transaction either way, so no lock outlives the lookup.
        await self.session.commit()
        return resident, created

    @staticmethod
    def _refresh(resident: Resident, person: TelegramPerson) -> None:
        if resident.full_name != person.full_name[:256] or resident.username != person.username:
            resident.full_name, resident.username = person.full_name[:256], person.username
        if resident.blocked:  # they wrote to us, so they have unblocked the bot
            resident.blocked = False

    async def set_language(self, resident: Resident, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        resident.language = language
        await self._save(resident)

    async def _save(self, resident: Resident) -> None:
        resident = await self.session.merge(resident)
        await self.session.commit()
        self.session.expunge(resident)
        self.cache.put(resident)

    async def set_district(self, resident: Resident, district: str | None) -> None:
        resident.district = district
        await self._save(resident)

    async def set_notify(self, resident: Resident, scope: str) -> None:
        """Which status updates reach them: all they follow, their own items, or none."""
        resident.notify = NotifyScope(scope).value
        await self._save(resident)

    async def set_broadcasts(self, resident: Resident, scope: str) -> None:
        """Which city broadcasts reach them (storage/audience.py applies it); raises ValueError
        for a scope that is not a BroadcastScope, storing nothing."""
        resident.broadcasts = BroadcastScope(scope).value
        await self._save(resident)

    async def topics(self, resident: Resident) -> set[str]:
        """The codes of the broadcast topics they picked."""
        return await self.repo.topics(stored_id(resident))

    async def choose_topic(self, resident: Resident, topic: Topic, wanted: bool) -> None:
        """Opts them in to (or out of) one of the city file's topics; saying the same twice is fine."""
        if wanted:
            await self.repo.add_topic(stored_id(resident), topic.code)
        else:
            await self.repo.remove_topic(stored_id(resident), topic.code)
        await self.session.commit()

    async def mark_blocked(self, telegram_id: int) -> None:
        await self._set_blocked(telegram_id, True)

    async def mark_unblocked(self, telegram_id: int) -> None:
        await self._set_blocked(telegram_id, False)

    async def _set_blocked(self, telegram_id: int, blocked: bool) -> None:
        """Someone who never wrote to the bot has no row, and gets none from this."""
        resident = await self.repo.by_telegram_id(telegram_id)
        if resident is not None and resident.blocked != blocked:
            resident.blocked = blocked
            await self.session.commit()
        self.cache.forget(telegram_id)
