"""Engine and session factory for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SQLITE_BUSY_TIMEOUT_MS = 10_000


def create_engine(url: str, **kwargs) -> AsyncEngine:  # type: ignore[no-untyped-def]
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # Every transaction here ends in COMMIT or ROLLBACK of its own (sessions, engine.begin(),
        # the endorse path), so the pool's extra ROLLBACK on return would only cost a thread hop.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        # Take the write lock at BEGIN, so concurrent writers queue instead of failing
        # half-way through with "database is locked".
        event.listen(engine.sync_engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    # No pre-ping: it costs a round trip on every checkout. A connection found dead raises
    # a disconnect error, SQLAlchemy drops the pool, and the next update reconnects.
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_async_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # aiosqlite opens in the stdlib's legacy transaction mode; let SQLAlchemy issue BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
