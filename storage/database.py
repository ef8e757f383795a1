"""Engine and session factory for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SQLITE_BUSY_TIMEOUT_MS = 10_000

# The execution option a transaction that only reads is opened with (see `reads_only`).
READS_ONLY = "sotong_reads_only"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    # A statement's error shows its SQL but not its parameters: they carry residents' texts,
    # and errors are logged (bot/logs.py).
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        # Every transaction here ends in COMMIT or ROLLBACK of its own (sessions, engine.begin()),
        # so the pool's extra ROLLBACK on return would only cost a thread hop.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    # Pre-ping: a connection the server dropped (a restart, a killed backend) is replaced at
    # checkout instead of failing the update that drew it. Its cost is in bench/endorse.py.
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_async_engine(url, **kwargs)


def _sqlite_begin(conn: Connection) -> None:
    """A transaction that writes takes the write lock at BEGIN, so concurrent writers queue
    (busy_timeout) instead of failing half-way with "database is locked"; one opened
    `reads_only` begins deferred and never takes it, so a reader blocks no writer."""
    deferred = conn.get_execution_options().get(READS_ONLY, False)
    conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
    # aiosqlite opens in the stdlib's legacy transaction mode; let SQLAlchemy issue BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    _use_wal(cursor)
    cursor.close()


def _use_wal(cursor: DBAPICursor) -> None:
    """Switches a new database file to WAL. The switch needs the file to itself and SQLite
    refuses it at once, without waiting, while another connection is using the file (two
    processes starting on a new database); once one of them switched, WAL is already set."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()
        if mode is not None and str(mode[0]).lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def create_session_factory(engine: AsyncEngine, *, reads_only: bool = False) -> async_sessionmaker[AsyncSession]:
    """Sessions whose transactions write (the default), or only read: on SQLite those begin
    deferred and take no write lock; on PostgreSQL the two are the same."""
    bind = engine.execution_options(**{READS_ONLY: True}) if reads_only else engine
    return async_sessionmaker(bind, class_=AsyncSession, expire_on_commit=False)
