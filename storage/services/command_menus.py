"""Each role holder's chat shows the commands of their roles in Telegram's command menu
(/inbox first for an official), in their language; a resident who lost their roles gets the
default menu back. `sotong worker` compares, every few seconds, what each chat should show
with what was last queued for it (table command_menus) and queues the difference as an
outbox message (kind `command_menu`, bot/commands.py renders it), so a role granted or removed
anywhere (an invitation, `sotong officials`, the platform writing the roles table) and a change
of language reach the menu without a restart, once."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock
from storage.models import Resident, stored_id
from storage.permissions import Grants
from storage.repositories import command_menus as repository
from storage.repositories.outbox import Notice, enqueue
from storage.vocabulary import NoticeKind


def recorded_as(language: str, commands: tuple[str, ...]) -> str | None:
    """How a menu is recorded (command_menus.menu): "<language>:<commands>"; None: the default menu."""
    return f"{language}:{','.join(commands)}" if commands else None


async def queue_menus(session_factory: async_sessionmaker[AsyncSession], city: CityConfig, clock: Clock) -> int:
    """Queues a new command menu for each chat whose menu is not the one its roles call for;
    returns how many it queued."""
    async with session_factory() as session:
        notices = []
        for holder in await repository.holders(session):
            commands = Grants.of(holder.roles).commands(city)
            menu = recorded_as(holder.language, commands)
            if menu == holder.menu or not await repository.replace(session, holder, menu):
                continue
            notices.append(Notice(holder.telegram_id, holder.resident_id, holder.language, NoticeKind.COMMAND_MENU,
                                  {"commands": list(commands)}))
        await enqueue(session, notices, clock())
        await session.commit()
    return len(notices)


class CommandMenus:
    """The bot's side: a role holder whose menu Telegram refused before they had talked to the
    bot (an admin added with `sotong officials add`, who opens the bot later) gets it queued
    again once they write /start."""

    def __init__(self, reading: AsyncSession, writing: AsyncSession) -> None:
        self.reading, self.writing = reading, writing

    async def after_start(self, resident: Resident) -> None:
        if not await repository.last_refused(self.reading, resident.telegram_id):
            return
        await repository.forget(self.writing, stored_id(resident))
        await self.writing.commit()
