"""Who is talking to the bot: first contact, language, district, blocked state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Resident
from storage.repositories.residents import ResidentRepository

SUPPORTED_LANGUAGES = ("ko", "en")


def language_from_telegram(language_code: str | None, default: str) -> str:
    """ko and en are served as such; any other Telegram language gets the default."""
    base = (language_code or "").split("-")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else default


@dataclass(frozen=True)
class TelegramPerson:
    telegram_id: int
    full_name: str
    username: str | None
    language_code: str | None


class ResidentService:
    def __init__(self, session: AsyncSession, default_language: str) -> None:
        self.session = session
        self.repo = ResidentRepository(session)
        self.default_language = default_language

    async def identify(self, person: TelegramPerson) -> tuple[Resident, bool]:
        """The resident's row, created on first contact; says whether it is new."""
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
        if self._refresh(resident, person):
            await self.session.commit()
        return resident, created

    @staticmethod
    def _refresh(resident: Resident, person: TelegramPerson) -> bool:
        changed = False
        if resident.full_name != person.full_name[:256] or resident.username != person.username:
            resident.full_name, resident.username = person.full_name[:256], person.username
            changed = True
        if resident.blocked:  # they wrote to us, so they have unblocked the bot
            resident.blocked = False
            changed = True
        return changed

    async def set_language(self, resident: Resident, language: str) -> None:
        if language not in SUPPORTED_LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        resident.language = language
        self.session.add(resident)
        await self.session.commit()

    async def set_district(self, resident: Resident, district: str | None) -> None:
        resident.district = district
        self.session.add(resident)
        await self.session.commit()

    async def mark_blocked(self, telegram_id: int) -> None:
        resident = await self.repo.by_telegram_id(telegram_id)
        if resident is not None and not resident.blocked:
            resident.blocked = True
            await self.session.commit()
