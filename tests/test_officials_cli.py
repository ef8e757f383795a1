"""`sotong officials` and the departments and routing of `sotong check-config`, as an operator runs them."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.failures import EXIT_CONFIG, EXIT_TELEGRAM_UNREACHABLE
from storage.database import create_engine
from tests.harness import TEST_CITY
from tests.test_cli import sotong

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"^https://t\.me/(\w+)\?start=(o_[A-Za-z0-9_-]+)$", re.MULTILINE)


async def run(*args: str, cwd: Path, **env: str) -> tuple[int, str, str]:
    """`sotong ARGS` without blocking the event loop, which serves the fake Telegram."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
    clean.update(PYTHONPATH=str(ROOT), SOTONG_CITY_CONFIG=str(TEST_CITY), **env)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=cwd, env=clean,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert b"Traceback" not in err, err.decode()
    return process.returncode or 0, out.decode(), err.decode()


async def rows(database_url: str, query: str) -> list[tuple]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(query))]
    finally:
        await engine.dispose()


async def test_add_list_remove(tmp_path):
    """On SQLite only: each run imports aiogram (seconds); tests/test_officials_admin.py runs
    the same service on PostgreSQL too."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'sotong.db'}"
    code, out, _ = await run("officials", "add", "--telegram-id", "5001", "--department", "water",
                             cwd=tmp_path, SOTONG_DEFAULT_LOCALE="en")
    assert (code, out) == (0, "telegram id 5001 is now official of water\n")
    # Someone the bot never met gets a resident row in the default language.
    assert await rows(database_url, "SELECT telegram_id, language FROM residents") == [(5001, "en")]
    code, _, err = await run("officials", "add", "--telegram-id", "5001", "--role", "admin", cwd=tmp_path)
    assert code == 0, err
    await run("officials", "add", "--telegram-id", "5002", "--role", "moderator", cwd=tmp_path)

    code, out, _ = await run("officials", "list", cwd=tmp_path, SOTONG_DEFAULT_LOCALE="en")
    lines = [line.split() for line in out.splitlines()]
    assert lines[0] == ["telegram", "id", "name", "role", "department", "department", "name"]
    assert sorted(lines[1:]) == sorted([["5001", "-", "admin", "-", "-"], ["5002", "-", "moderator", "-", "-"],
                                        ["5001", "-", "official", "water", "Water", "Supply", "Headquarters"]])

    code, out, _ = await run("officials", "remove", "--telegram-id", "5001", "--department", "water", cwd=tmp_path)
    assert (code, out) == (0, "telegram id 5001 is no longer official of water\n")
    code, _, err = await run("officials", "remove", "--telegram-id", "5002", "--role", "admin", cwd=tmp_path)
    assert code == EXIT_CONFIG and "telegram id 5002 holds no such role (their roles: moderator)" in err
    assert await rows(database_url, "SELECT role FROM roles ORDER BY role") == [("admin",), ("moderator",)]


async def test_refusals_name_the_problem(tmp_path):
    cases = [
        (["add", "--telegram-id", "1", "--department", "sewers"],
         "unknown department 'sewers': the city file names civil, audit, policy, transport, water, "
         "environment, buk_office, nam_office"),
        (["add", "--telegram-id", "1"], "an official needs --department CODE"),
        (["add", "--telegram-id", "1", "--role", "admin", "--department", "water"],
         "the role admin is not of a department"),
        (["invite", "--department", "sewers"], "unknown department 'sewers'"),
        (["invite", "--expires", "31d", "--department", "water"], "longer than the 30 days"),
        (["invite", "--expires", "soon", "--department", "water"], "'soon' is not a duration"),
    ]
    for args, message in cases:
        code, _, err = await run("officials", *args, cwd=tmp_path)
        assert code == EXIT_CONFIG and message in err, (args, err)
    assert not (tmp_path / "sotong.db").exists()  # refused before the database is opened


async def test_invite_prints_a_one_time_link(tmp_path, fake_telegram):
    env = {"SOTONG_BOT_TOKEN": fake_telegram.token, "SOTONG_TELEGRAM_API_URL": fake_telegram.base_url}
    before = dt.datetime.now(dt.UTC)
    code, out, err = await run("officials", "invite", "--department", "water", "--expires", "7d", cwd=tmp_path, **env)
    assert code == 0, err
    username, token = LINK.search(out).groups()
    assert username == fake_telegram.bot_username and "an official of water" in out
    database = f"sqlite+aiosqlite:///{tmp_path / 'sotong.db'}"
    ((stored, role, department, expires_at, used_by),) = await rows(
        database, "SELECT token, role, department, expires_at, used_by FROM invites")
    assert (stored, role, department, used_by) == (token, "official", "water", None)
    assert len(token) <= 32 and not token.startswith("i_")  # never taken for a card's share link
    expires = dt.datetime.fromisoformat(str(expires_at)).replace(tzinfo=dt.UTC)
    assert dt.timedelta(days=7) <= expires - before < dt.timedelta(days=7, minutes=1)

    code, out, _ = await run("officials", "invite", "--department", "audit", cwd=tmp_path, **env)
    assert LINK.search(out).group(2) != token
    assert len(await rows(database, "SELECT token FROM invites")) == 2
    (default_expiry,) = await rows(database, "SELECT expires_at FROM invites WHERE department = 'audit'")
    expires = dt.datetime.fromisoformat(str(default_expiry[0])).replace(tzinfo=dt.UTC)
    assert dt.timedelta(hours=48) <= expires - before < dt.timedelta(hours=48, minutes=1)


async def test_invite_without_telegram_creates_nothing(tmp_path):
    code, _, err = await run("officials", "invite", "--department", "water", cwd=tmp_path,
                             SOTONG_BOT_TOKEN="123:abc", SOTONG_TELEGRAM_API_URL="http://127.0.0.1:9")
    assert code == EXIT_TELEGRAM_UNREACHABLE
    assert "cannot reach Telegram at 127.0.0.1:9" in err and "no invite was created" in err
    assert not (tmp_path / "sotong.db").exists()


def test_help_on_every_officials_command(tmp_path):
    for action in ("add", "list", "remove", "invite"):
        result = sotong("officials", action, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "usage: sotong officials" in result.stdout


def test_check_config_shows_departments_and_routing(tmp_path):
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(TEST_CITY))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "departments: 8 (6 city level, 2 district level)" in out
    assert re.search(r"buk_office +district buk +answers within +7 days +Buk-gu Office", out)
    assert "routing: no rule matches -> civil; private categories -> audit; proposals in review -> policy" in out
    assert "rules[3]: roads, water, environment in buk -> buk_office" in out
    assert "rules[0]: roads in every district -> transport" in out


CITY = TEST_CITY.read_text(encoding="utf-8")
BROKEN = [
    ('categories = ["roads"]\n', 'categories = ["roads", "potholes"]\n',
     "routing.rules[0].categories: unknown category 'potholes'"),
    ('districts = ["buk"]', 'districts = ["buk", "mars"]', "routing.rules[3].districts: unknown district 'mars'"),
    ('departments = ["transport"]', 'departments = ["transport", "sewers"]',
     "routing.rules[0].departments: unknown department 'sewers'"),
    ('fallback = "civil"', 'fallback = "nobody"', "routing.fallback: unknown department 'nobody'"),
    ('private = "audit"', 'private = "nobody"', "routing.private: unknown department 'nobody'"),
    ('proposals = "policy"', 'proposals = "nobody"', "routing.proposals: unknown department 'nobody'"),
    ('district = "nam"', 'district = "mars"', "departments[7].district: unknown district 'mars'"),
    ('code = "nam_office"', 'code = "buk_office"', "departments[7].code: code 'buk_office' is used twice"),
    ('categories = ["water"]', 'categories = ["water", "officials"]',
     "routing.rules[1].categories: 'officials' is private and goes only to routing.private"),
]


@pytest.mark.parametrize(("old", "new", "problem"), BROKEN, ids=[case[2].split(":")[0] for case in BROKEN])
def test_check_config_names_the_key_of_each_routing_problem(tmp_path, old, new, problem):
    assert CITY.count(old) == 1
    broken = tmp_path / "city.toml"
    broken.write_text(CITY.replace(old, new).replace("../../config/", str(ROOT / "config") + "/"), encoding="utf-8")
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(broken))
    assert result.returncode == EXIT_CONFIG
    assert f"\n  {problem}\n" in result.stderr + "\n", result.stderr
    assert "Traceback" not in result.stderr and "Value error" not in result.stderr


def test_check_config_lists_every_problem_each_on_its_line(tmp_path):
    city = CITY.replace("../../config/", str(ROOT / "config") + "/")
    for old, new, _ in BROKEN[:4]:
        city = city.replace(old, new)
    broken = tmp_path / "city.toml"
    broken.write_text(city, encoding="utf-8")
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(broken))
    problems = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert sorted(problems) == sorted(case[2] for case in BROKEN[:4])
