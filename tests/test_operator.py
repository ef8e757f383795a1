"""An operator's first hour: each mistake they can make gets one line on stderr, an exit status
of its own and no traceback. Each case runs `sotong` as a subprocess, as the operator would."""

from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3

import pytest
from pydantic import ValidationError

from bot.failures import (
    EXIT_CONFIG,
    EXIT_DATABASE,
    EXIT_REDIS,
    EXIT_SCHEMA,
    ConfigurationError,
)
from bot.settings import Settings, require_token
from storage.city import load_city_config
from storage.migrate import all_revisions
from tests.backends import postgres_database
from tests.harness import TEST_CITY
from tests.test_cli import sotong

TOKEN = "123456:TEST-TOKEN"

HEAD = all_revisions()[-1]


def free_port() -> int:
    """A port nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_one_line(result, status: int, *words: str) -> str:
    """The exit status, one `sotong:` line naming what to fix, and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode == status, output
    assert "Traceback" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.startswith("sotong:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_worker_refuses_a_database_without_schema_and_leaves_no_file(tmp_path):
    result = sotong("worker", "--once", cwd=tmp_path, SOTONG_BOT_TOKEN=TOKEN, SOTONG_AUTO_MIGRATE="false")
    assert_one_line(result, EXIT_SCHEMA, "lacks migrations 0001", "sotong migrate")
    assert not (tmp_path / "sotong.db").exists()


def test_worker_migrates_like_run_when_allowed(tmp_path):
    result = sotong("worker", "--once", cwd=tmp_path, SOTONG_BOT_TOKEN=TOKEN)
    assert result.returncode == 0, result.stderr
    assert "moved 0 item(s)" in result.stdout
    connection = sqlite3.connect(tmp_path / "sotong.db")
    assert connection.execute("SELECT count(*) FROM items").fetchone() == (0,)
    connection.close()


def test_run_refuses_without_creating_the_database_file(tmp_path):
    result = sotong("run", cwd=tmp_path, SOTONG_BOT_TOKEN=TOKEN, SOTONG_AUTO_MIGRATE="false")
    assert_one_line(result, EXIT_SCHEMA, "sotong migrate")
    assert not (tmp_path / "sotong.db").exists()


def test_malformed_token(tmp_path):
    for command in ("run", "check-config"):
        result = sotong(command, cwd=tmp_path, SOTONG_BOT_TOKEN="abc")
        assert_one_line(result, EXIT_CONFIG, "SOTONG_BOT_TOKEN", "<digits>:<letters>", "@BotFather")
    assert not (tmp_path / "sotong.db").exists()


@pytest.mark.parametrize("token", ["123456", "123456:", "bot123456:ABC", "123456:AB C", ":ABC", "12:AB\"C"])
def test_token_format(token):
    with pytest.raises(ConfigurationError, match="<digits>:<letters>"):
        require_token(Settings(_env_file=None, bot_token=token))


def test_well_formed_tokens():
    for token in ("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "123456:TEST-TOKEN", " 1:a_b-c "):
        assert require_token(Settings(_env_file=None, bot_token=token)) == token.strip()


def test_check_config_accepts_a_well_formed_token(tmp_path):
    result = sotong("check-config", cwd=tmp_path, SOTONG_BOT_TOKEN="123456789:AAH-x_yz")
    assert result.returncode == 0, result.stderr
    assert "SOTONG_BOT_TOKEN well-formed" in result.stdout


def test_wrong_database_url_scheme(tmp_path):
    for command in ("migrate", "check-config"):
        result = sotong(command, cwd=tmp_path, SOTONG_DATABASE_URL="postgres://sotong@127.0.0.1/sotong")
        assert_one_line(result, EXIT_CONFIG, "SOTONG_DATABASE_URL", "postgresql+asyncpg://")


@pytest.mark.parametrize("url", ["postgresql://sotong@127.0.0.1/sotong", "sqlite:///sotong.db",
                                 "mysql+aiomysql://x@y/z", "sotong.db", "postgresql+psycopg://x@y/z"])
def test_database_url_schemes(url):
    with pytest.raises(ValidationError, match="sqlite\\+aiosqlite:///"):
        Settings(_env_file=None, database_url=url)


def test_wrong_redis_url_scheme(tmp_path):
    result = sotong("check-config", cwd=tmp_path, SOTONG_REDIS_URL="127.0.0.1:6379")
    assert_one_line(result, EXIT_CONFIG, "SOTONG_REDIS_URL", "redis://")


def test_database_refusing_connections(tmp_path):
    url = f"postgresql+asyncpg://sotong:secret@127.0.0.1:{free_port()}/sotong"
    for command in (("migrate",), ("worker", "--once"), ("run",)):
        result = sotong(*command, cwd=tmp_path, SOTONG_DATABASE_URL=url, SOTONG_BOT_TOKEN=TOKEN)
        line = assert_one_line(result, EXIT_DATABASE, "SOTONG_DATABASE_URL", "cannot connect")
        assert "secret" not in line


async def test_database_that_does_not_exist(tmp_path):
    async with postgres_database() as url:
        missing = url.rsplit("/", 1)[0] + "/sotong_no_such_database"
        result = sotong("migrate", cwd=tmp_path, SOTONG_DATABASE_URL=missing)
    assert_one_line(result, EXIT_DATABASE, "SOTONG_DATABASE_URL", "does not exist")


def test_sqlite_file_in_a_missing_folder(tmp_path):
    result = sotong("migrate", cwd=tmp_path, SOTONG_DATABASE_URL="sqlite+aiosqlite:///no/such/folder/sotong.db")
    assert_one_line(result, EXIT_DATABASE, "SOTONG_DATABASE_URL", "unable to open")


def test_redis_refusing_connections(tmp_path):
    result = sotong("run", cwd=tmp_path, SOTONG_BOT_TOKEN=TOKEN,
                    SOTONG_REDIS_URL=f"redis://:secret@127.0.0.1:{free_port()}/0")
    line = assert_one_line(result, EXIT_REDIS, "SOTONG_REDIS_URL", "cannot connect")
    assert "secret" not in line


def test_missing_city_file(tmp_path):
    for command in ("check-config", "run"):
        result = sotong(command, cwd=tmp_path, SOTONG_BOT_TOKEN=TOKEN, SOTONG_CITY_CONFIG="nowhere.toml")
        assert_one_line(result, EXIT_CONFIG, "SOTONG_CITY_CONFIG", "nowhere.toml", "file not found")


def test_log_level(tmp_path):
    assert_one_line(sotong("check-config", cwd=tmp_path, SOTONG_LOG_LEVEL="LOUD"),
                    EXIT_CONFIG, "SOTONG_LOG_LEVEL", "DEBUG, INFO")
    quiet = sotong("migrate", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert "alembic" not in quiet.stderr
    assert f"migrated from no schema to revision {HEAD}" in quiet.stdout
    detailed = sotong("migrate", cwd=tmp_path, SOTONG_LOG_LEVEL="debug")
    assert "alembic" in detailed.stderr
    assert f"up to date at revision {HEAD}" in detailed.stdout


async def test_worker_logs_a_database_outage_once(caplog):
    from bot.worker import run_worker
    from storage.database import create_engine, create_session_factory

    engine = create_engine(f"postgresql+asyncpg://sotong@127.0.0.1:{free_port()}/sotong")
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO, logger="bot.worker"):
        worker = asyncio.create_task(run_worker(create_session_factory(engine), load_city_config(TEST_CITY), interval=0.05, stop=stop))
        await asyncio.sleep(0.6)
        stop.set()
        await worker
    await engine.dispose()
    records = [r for r in caplog.records if r.name == "bot.worker"]
    assert [r.levelno for r in records] == [logging.WARNING], [r.getMessage() for r in records]
    assert "database is unreachable" in records[0].getMessage() and records[0].exc_info is None


async def test_bot_and_worker_migrating_at_once(tmp_path):
    """`sotong run` and `sotong worker` started together both apply migrations: one waits."""
    from storage.database import create_engine
    from storage.migrate import upgrade

    for url in (f"sqlite+aiosqlite:///{tmp_path / 'both.db'}", None):
        async with postgres_database() as postgres_url:
            engines = [create_engine(url or postgres_url) for _ in range(2)]
            try:
                results = await asyncio.wait_for(asyncio.gather(*(upgrade(engine) for engine in engines)), 60)
            finally:
                for engine in engines:
                    await engine.dispose()
        assert set(results) == {(None, HEAD), (HEAD, HEAD)}
