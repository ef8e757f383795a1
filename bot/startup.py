"""What every command checks before it serves: the database and its schema, Redis.

`ensure_schema` is the one schema check of every command that opens the database
(`sotong run`, `sotong worker`, `sotong console`, and those still to come)."""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from redis.exceptions import RedisError, ResponseError
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.failures import ConfigurationError, DatabaseUnavailable, RedisUnavailable, SchemaNotReady, first_line
from storage.migrate import all_revisions, pending, upgrade

if TYPE_CHECKING:  # aiogram takes seconds to import: commands that only open the database skip it
    from aiogram.fsm.storage.base import BaseStorage
    from redis.asyncio import Redis

log = logging.getLogger(__name__)


def safe_url(url: str | URL) -> str:
    return make_url(url).render_as_string(hide_password=True)


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL (None for another engine or an in-memory database)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


async def check_connection(engine: AsyncEngine) -> None:
    """Opens one connection, so that a refused one is reported as such, once, before any work."""
    path = sqlite_file(engine.url)
    if path is not None and not path.parent.is_dir():
        # Said before trying: aiosqlite's thread for a connection that failed may still call
        # back into the event loop after the command has ended, printing a traceback.
        raise DatabaseUnavailable(
            f"SOTONG_DATABASE_URL: cannot connect to {safe_url(engine.url)}: unable to open database file: "
            f"the folder {path.parent} does not exist. Create it, or point the URL at another file")
    try:
        async with engine.connect():
            pass
    except (OSError, SQLAlchemyError) as exc:
        raise DatabaseUnavailable(
            f"SOTONG_DATABASE_URL: cannot connect to {safe_url(engine.url)}: {first_line(exc)}. "
            "Check that the database server is running and that the URL, user and password are right"
        ) from exc


async def migrate(engine: AsyncEngine) -> tuple[str | None, str | None]:
    """Applies pending migrations; returns the revision before and after."""
    await check_connection(engine)
    return await upgrade(engine)


async def ensure_schema(engine: AsyncEngine, *, auto_migrate: bool) -> None:
    """Brings the schema up to date, or, with SOTONG_AUTO_MIGRATE=false, refuses an out-of-date
    one: handlers would fail on every update instead. Refusing leaves no empty SQLite file behind."""
    path = sqlite_file(engine.url)
    if not auto_migrate and path is not None and not path.exists():
        raise _not_ready(all_revisions())
    if auto_migrate:
        before, after = await migrate(engine)
        if before != after:
            log.info("database migrated from %s to %s", before or "an empty database", after)
        return
    await check_connection(engine)
    missing = await pending(engine)
    if missing:
        raise _not_ready(missing)


def _not_ready(missing: list[str]) -> SchemaNotReady:
    return SchemaNotReady(
        f"the database lacks migrations {', '.join(missing)} and SOTONG_AUTO_MIGRATE=false: "
        "run `sotong migrate` first"
    )


def safe_redis_url(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


async def check_redis(storage: BaseStorage, url: str | None) -> bool:
    """Refuses a Redis that does not answer; warns when it would lose drafts on a restart.
    True when drafts are known to survive a restart of the bot and of Redis."""
    from aiogram.fsm.storage.redis import RedisStorage

    if url is None or not isinstance(storage, RedisStorage):
        return False
    try:
        await storage.redis.ping()
    except (RedisError, OSError) as exc:
        raise RedisUnavailable(
            f"SOTONG_REDIS_URL: cannot connect to {safe_redis_url(url)}: {first_line(exc)}. "
            "Check that Redis is running and that the URL and password are right"
        ) from exc
    persistent = await redis_persistence(storage.redis)
    if persistent is False:
        log.warning("Redis at %s keeps no data on disk (no RDB save rules, appendonly no): drafts are "
                    "lost when it restarts; enable appendonly yes (see README)", safe_redis_url(url))
    elif persistent is None:
        log.info("Redis at %s does not let us check its persistence (CONFIG is not allowed); drafts "
                 "survive a Redis restart only if it keeps data on disk", safe_redis_url(url))
    return persistent is True


async def redis_persistence(redis: Redis) -> bool | None:
    """True when Redis keeps data on disk (RDB save rules or AOF), False when not, None if unknown."""
    try:
        config = {**await redis.config_get("save"), **await redis.config_get("appendonly")}
    except ResponseError:  # CONFIG disabled or renamed, as many managed services do
        try:
            info = await redis.info("persistence")
        except ResponseError:
            return None
        return True if str(info.get("aof_enabled")) == "1" else None
    return bool(str(config.get("save", "")).strip()) or config.get("appendonly") == "yes"


@contextlib.contextmanager
def one_worker_on_sqlite(url: str | URL) -> Iterator[bool]:
    """SQLite has one writer at a time, so a second `sotong worker` on the same file adds no
    throughput, only waits for its lock: it is refused, by an advisory lock on `<file>-worker`
    that the system lets go when the process ends, however it ends. Several workers run on
    PostgreSQL. Yields whether this is surely the only worker (SQLite, locked)."""
    path = sqlite_file(make_url(url))
    try:
        import fcntl
    except ImportError:  # not on POSIX: documented only
        path = None
    if path is None:
        yield False
        return
    with open(f"{path}-worker", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise ConfigurationError(
                f"SOTONG_DATABASE_URL: another `sotong worker` ({holder}) is running on {path}; SQLite takes "
                "one worker: stop that one, or run several workers on PostgreSQL") from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        yield True


async def open_redis(url: str) -> Redis:
    """A Redis client for `sotong worker`'s shared send budget; refuses one that does not answer."""
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    try:
        await redis.ping()
    except (RedisError, OSError) as exc:
        await redis.aclose()
        raise RedisUnavailable(
            f"SOTONG_REDIS_URL: cannot connect to {safe_redis_url(url)}: {first_line(exc)}. "
            "Check that Redis is running and that the URL and password are right"
        ) from exc
    return redis
