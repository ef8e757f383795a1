"""The limits' one counting rule on both databases, and `sotong residents ban|unban`."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import text

from bot.failures import EXIT_CONFIG
from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.services import limits
from storage.services.filing import FilingService
from storage.services.residents import ResidentService, TelegramPerson
from tests.test_officials_cli import rows, run


def _draft(n: int) -> Draft:
    return Draft(kind=Kind.COMPLAINT, category="roads", district="dong", title=f"Pothole number {n}",
                 body="A pothole on the corner makes cyclists swerve.", anonymous=False)


async def test_one_residents_concurrent_filings_stop_at_the_limit(engine, city):
    """Twelve submits of one resident at once: five are filed, seven told when to come back."""
    factory = create_session_factory(engine)
    clock = ManualClock()
    async with factory() as session:
        resident, _ = await ResidentService(session, "ko").identify(TelegramPerson(1, "R", None, "ko"))

    async def file(n: int) -> dt.datetime | None:
        async with factory() as session:
            try:
                await FilingService(session, city, clock).submit(_draft(n), resident)
            except limits.LimitReached as reached:
                return reached.until
            return None

    outcomes = await asyncio.gather(*(file(n) for n in range(12)))
    assert outcomes.count(None) == city.moderation.items_per_day == 5
    assert set(outcomes) - {None} == {clock() + dt.timedelta(days=1)}
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM items"))).scalar() == 5
    async with factory() as session:
        assert await limits.wait_until(session, limits.Limit.ITEMS, resident.id, clock(), city) is not None
        clock.advance(days=1)
        assert await limits.wait_until(session, limits.Limit.ITEMS, resident.id, clock(), city) is None
        assert await limits.wait_until(session, limits.Limit.REPORTS, resident.id, clock(), city) is None


async def test_residents_ban_and_unban(tmp_path):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'sotong.db'}"
    code, _, err = await run("residents", "ban", "--telegram-id", "7001", cwd=tmp_path)
    assert code == EXIT_CONFIG and "telegram id 7001 has never written to the bot" in err
    await run("officials", "add", "--telegram-id", "7001", "--role", "moderator", cwd=tmp_path)  # a row

    code, out, _ = await run("residents", "ban", "--telegram-id", "7001", "--hours", "5", cwd=tmp_path)
    assert code == 0 and "telegram id 7001 is banned until " in out and "(Asia/Seoul)" in out
    (until,), = await rows(database_url, "SELECT banned_until FROM residents")
    left = dt.datetime.fromisoformat(until).replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=4, minutes=58) < left <= dt.timedelta(hours=5)

    code, out, _ = await run("residents", "ban", "--telegram-id", "7001", "--forever", cwd=tmp_path)
    assert (code, out.split(";")[0]) == (0, "telegram id 7001 is banned for good")
    assert await rows(database_url, "SELECT banned_until FROM residents") == [("9999-12-31 00:00:00.000000",)]
    code, out, _ = await run("residents", "unban", "--telegram-id", "7001", cwd=tmp_path)
    assert (code, out) == (0, "telegram id 7001 is no longer banned\n")
    assert await rows(database_url, "SELECT banned_until, ban_notice_at FROM residents") == [(None, None)]
    code, out, _ = await run("residents", "unban", "--telegram-id", "7001", cwd=tmp_path)
    assert (code, out) == (0, "telegram id 7001 was not banned\n")
