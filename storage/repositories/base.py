"""Helpers shared by repositories."""

from __future__ import annotations

from sqlalchemy import Select, Table, func, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession


def insert_for(session: AsyncSession, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that knows ON CONFLICT for the session's dialect (SQLite or PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


async def count_at_most(session: AsyncSession, statement: Select, limit: int) -> int:
    """How many rows the statement finds, counting no further than `limit`: a count over a
    million matches would cost as much as reading them."""
    found = statement.with_only_columns(literal_column("1")).order_by(None).limit(limit).subquery()
    return (await session.exec(select(func.count()).select_from(found))).one()
