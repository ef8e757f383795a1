"""What every `sotong` command shares: the city file and the database, opened one way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.failures import ConfigurationError
from bot.settings import Settings
from storage.city import CityConfig, CityConfigError, load_city_config

T = TypeVar("T")


def city_of(settings: Settings) -> CityConfig:
    try:
        return load_city_config(settings.city_config)
    except CityConfigError as exc:
        raise ConfigurationError(f"SOTONG_CITY_CONFIG: {exc}") from None


async def with_database(settings: Settings, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    """Opens the database as `sotong worker` does (migrating it unless told not to), runs `work`."""
    from bot.startup import ensure_schema
    from storage.database import create_engine, create_session_factory

    engine = create_engine(settings.database_url)
    try:
        await ensure_schema(engine, auto_migrate=settings.auto_migrate)
        return await work(create_session_factory(engine))
    finally:
        await engine.dispose()
