"""The rows behind role holders' command menus (storage/services/command_menus.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CommandMenu, OfficialRole, OutboxMessage, Resident, table_of
from storage.repositories.base import insert_for
from storage.types import utcnow
from storage.vocabulary import NoticeKind, OutboxState

residents, roles, menus = table_of(Resident), table_of(OfficialRole), table_of(CommandMenu)
outbox = table_of(OutboxMessage)


@dataclass
class MenuHolder:
    """A resident whose chat has, or should have, a command menu of its own."""

    resident_id: int
    telegram_id: int
    language: str
    menu: str | None  # the one last queued (None: the default)
    roles: list[tuple[str, str | None]] = field(default_factory=list)


async def holders(session: AsyncSession) -> list[MenuHolder]:
    """Everyone holding a role, and everyone whose chat was given a menu (who may hold none now)."""
    query = (select(residents.c.id, residents.c.telegram_id, residents.c.language, menus.c.menu,
                    roles.c.role, roles.c.department)
             .select_from(residents.outerjoin(roles, roles.c.resident_id == residents.c.id)
                          .outerjoin(menus, menus.c.resident_id == residents.c.id))
             .where(or_(roles.c.id.is_not(None), menus.c.resident_id.is_not(None)))
             .order_by(residents.c.id, roles.c.id))
    found: dict[int, MenuHolder] = {}
    for resident_id, telegram_id, language, menu, role, department in (
            await (await session.connection()).execute(query)).all():
        holder = found.setdefault(resident_id, MenuHolder(resident_id, telegram_id, language, menu))
        if role is not None:
            holder.roles.append((role, department))
    return list(found.values())


async def replace(session: AsyncSession, holder: MenuHolder, menu: str | None) -> bool:
    """Records `menu` (None: the default) as the one queued for the holder's chat, if what is
    recorded is still what `holder` read: False when another worker got there first."""
    connection = await session.connection()
    mine = menus.c.resident_id == holder.resident_id
    if holder.menu is None:
        statement = insert_for(session, menus).values(resident_id=holder.resident_id, menu=menu, updated_at=utcnow())
        return (await connection.execute(statement.on_conflict_do_nothing())).rowcount == 1
    if menu is None:
        return (await connection.execute(delete(menus).where(mine, menus.c.menu == holder.menu))).rowcount == 1
    changed = update(menus).where(mine, menus.c.menu == holder.menu).values(menu=menu, updated_at=utcnow())
    return (await connection.execute(changed)).rowcount == 1


async def forget(session: AsyncSession, resident_id: int) -> None:
    """The menu of this chat is queued again at the worker's next look (if their roles give one)."""
    await (await session.connection()).execute(delete(menus).where(menus.c.resident_id == resident_id))


async def last_refused(session: AsyncSession, chat_id: int) -> bool:
    """Whether the last command menu queued for this chat was given up (Telegram answers "chat
    not found" to a chat that never talked to the bot)."""
    query = (select(outbox.c.state).where(outbox.c.chat_id == chat_id, outbox.c.kind == NoticeKind.COMMAND_MENU.value)
             .order_by(outbox.c.id.desc()).limit(1))
    return (await (await session.connection()).execute(query)).scalar() == OutboxState.FAILED.value
