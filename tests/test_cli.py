"""The `sotong` command as an operator runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.failures import EXIT_CONFIG
from storage.migrate import all_revisions

ROOT = Path(__file__).resolve().parent.parent


def sotong(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd, env={**clean, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60,
    )


def test_help_on_every_command(tmp_path):
    for args in (["--help"], ["run", "--help"], ["migrate", "--help"], ["check-config", "--help"],
                 ["worker", "--help"], ["console", "--help"], ["stats", "--help"]):
        result = sotong(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "usage: sotong" in result.stdout


def test_missing_token_says_how_to_get_one(tmp_path):
    result = sotong("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "SOTONG_BOT_TOKEN is not set" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config(tmp_path):
    result = sotong("check-config", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Gwangju Metropolitan City, 5 districts, 11 categories" in result.stdout

    bad = tmp_path / "city.toml"
    bad.write_text((ROOT / "config" / "gwangju.toml").read_text(encoding="utf-8").replace(
        "lon = 126.9231", "lon = 500"), encoding="utf-8")
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(bad))
    assert result.returncode == 2
    assert "districts[0].lon" in result.stderr and "Traceback" not in result.stderr


def test_bad_setting_is_named(tmp_path):
    result = sotong("check-config", cwd=tmp_path, SOTONG_DEFAULT_LOCALE="fr")
    assert result.returncode == 2
    assert "SOTONG_DEFAULT_LOCALE" in result.stderr and "Traceback" not in result.stderr


def test_migrate_creates_the_schema_with_wal(tmp_path):
    result = sotong("migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    connection = sqlite3.connect(tmp_path / "sotong.db")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"residents", "items", "attachments", "status_events", "alembic_version"} <= tables
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()
    again = sotong("migrate", cwd=tmp_path)
    assert again.returncode == 0 and "up to date" in again.stdout


def test_worker_once_sweeps(tmp_path):
    assert sotong("migrate", cwd=tmp_path).returncode == 0
    connection = sqlite3.connect(tmp_path / "sotong.db")
    connection.execute("INSERT INTO residents (telegram_id, language, full_name, blocked, created_at, updated_at) "
                       "VALUES (1, 'ko', 'R', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
    connection.execute(
        "INSERT INTO items (public_number, public_token, kind, category, district, title, body, is_anonymous, "
        "is_private, status, resident_id, endorsement_count, participant_count, endorsement_goal, "
        "participant_goal, discussion_days, stage_deadline, submission_key, created_at, updated_at) VALUES "
        "('GJ-2026-000001', 'tok', 'proposal', 'roads', 'dong', 'Old idea', 'An idea whose time passed.', 0, 0, "
        "'collecting', 1, 3, 0, 50, 100, 30, '2026-02-01 00:00:00', 'k1', '2026-01-01 00:00:00', "
        "'2026-01-01 00:00:00')")
    connection.commit()
    result = sotong("worker", "--once", cwd=tmp_path, SOTONG_BOT_TOKEN="123:abc")  # nothing to send
    assert result.returncode == 0, result.stderr
    assert "moved 1 item(s)" in result.stdout and "sent 0 message(s)" in result.stdout
    assert sotong("worker", "--once", cwd=tmp_path).returncode == EXIT_CONFIG  # it needs the token
    status = connection.execute("SELECT status FROM items").fetchone()[0]
    events = connection.execute("SELECT from_status, to_status, actor FROM status_events").fetchall()
    connection.close()
    assert status == "expired" and events == [("collecting", "expired", "system")]


def test_run_refuses_an_unmigrated_database_when_auto_migrate_is_off(tmp_path):
    result = sotong("run", cwd=tmp_path, SOTONG_BOT_TOKEN="123:abc", SOTONG_AUTO_MIGRATE="false")
    assert result.returncode == 3
    assert f"lacks migrations {', '.join(all_revisions())}" in result.stderr and "sotong migrate" in result.stderr
    assert "Traceback" not in result.stderr
