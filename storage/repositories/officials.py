"""Who acts for the city: roles of residents (officials of departments, moderators, admins)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OfficialRole, Resident, table_of
from storage.permissions import Grants
from storage.repositories.base import insert_for
from storage.types import utcnow
from storage.vocabulary import Role

roles = table_of(OfficialRole)


class OfficialsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def roles_of(self, resident_id: int) -> Sequence[OfficialRole]:
        statement = select(OfficialRole).where(OfficialRole.resident_id == resident_id).order_by(col(OfficialRole.id))
        return (await self.session.exec(statement)).all()

    async def grants_of(self, resident_id: int) -> Grants:
        """What this resident's roles let them do, read now (never from a button)."""
        statement = select(OfficialRole.role, OfficialRole.department).where(OfficialRole.resident_id == resident_id)
        return Grants.of((await self.session.exec(statement)).all())

    async def departments_of(self, resident_id: int) -> list[str]:
        """The departments this resident answers for, read now (never from a button)."""
        statement = select(OfficialRole.department).where(
            OfficialRole.resident_id == resident_id, OfficialRole.role == Role.OFFICIAL)
        return sorted(d for d in (await self.session.exec(statement)).all() if d is not None)

    async def has_role(self, resident_id: int, role: Role, department: str | None = None) -> bool:
        statement = select(OfficialRole.id).where(OfficialRole.resident_id == resident_id, OfficialRole.role == role)
        if department is not None:
            statement = statement.where(OfficialRole.department == department)
        return (await self.session.exec(statement.limit(1))).first() is not None

    async def holders(self, role: Role, department: str | None = None) -> Sequence[Resident]:
        """The residents holding a role (of a department), blocked ones included."""
        statement = (select(Resident).join(OfficialRole, col(OfficialRole.resident_id) == col(Resident.id))
                     .where(OfficialRole.role == role).order_by(col(Resident.id)))
        if department is not None:
            statement = statement.where(OfficialRole.department == department)
        return (await self.session.exec(statement)).all()

    async def grant(self, resident_id: int, role: Role, department: str | None, granted_by: str) -> bool:
        """Adds the role; False when they already had it."""
        statement = insert_for(self.session, roles).values(
            resident_id=resident_id, role=role.value, department=department, granted_by=granted_by,
            created_at=utcnow()).on_conflict_do_nothing()
        connection = await self.session.connection()
        return (await connection.execute(statement)).rowcount == 1

    async def revoke(self, resident_id: int, role: Role, department: str | None) -> bool:
        statement = delete(roles).where(roles.c.resident_id == resident_id, roles.c.role == role.value)
        statement = statement.where(roles.c.department == department if department else roles.c.department.is_(None))
        connection = await self.session.connection()
        return (await connection.execute(statement)).rowcount > 0

    async def all_roles(self) -> Sequence[tuple[OfficialRole, Resident]]:
        statement = (select(OfficialRole, Resident).join(Resident, col(OfficialRole.resident_id) == col(Resident.id))
                     .order_by(col(OfficialRole.department), col(OfficialRole.role), col(Resident.id)))
        return (await self.session.exec(statement)).all()
