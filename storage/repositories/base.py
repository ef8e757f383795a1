"""Helpers shared by repositories."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession


def insert_for(session: AsyncSession, table):  # type: ignore[no-untyped-def]
    """An INSERT that knows ON CONFLICT for the session's dialect (SQLite or PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)
