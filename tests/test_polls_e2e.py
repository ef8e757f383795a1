""""Asking Citizens" end to end, as a city runs it: the poll is created with `sotong polls
create` (a subprocess, as an operator runs it), the real worker sends it through the fake Bot
API, three residents in two districts answer by tapping its buttons while the polling bot edits
each message, one changes their answer, the admin reads the live counts with /polls, the poll
closes when its time comes, and the real worker sends the results chart to the admin and to the
three, each in their language. The charts are what the fake Telegram received: valid PNGs of a
plausible size; the counts behind them are checked in the database and in the CSV of
`sotong polls export`, by district too.

Then the refusals: forged callback data (an unknown poll, positions 0 and 11, a poll that does
not ask the resident, an admin's buttons pressed by a resident without the role) gets an alert
and stores and queues nothing."""

from __future__ import annotations

import csv
import io
import struct

import pytest
from sqlalchemy import text

from bot.charts import PNG_SIGNATURE
from bot.poll_closing import close_polls
from handlers.callbacks import PollAction, PollCb
from storage.services.officials_admin import RoleAdministration
from storage.types import utcnow
from storage.vocabulary import Role
from tests.outbox import deliver
from tests.test_city_loop_e2e import WAIT, running_worker
from tests.test_officials_cli import run

POLL_FILE = """
question_ko = "금남로를 주말마다 '차 없는 거리'로 운영할까요?"
question_en = "Should Geumnam-ro be car-free every weekend?"
closes_in_days = 1
show_results = true
[audience]
districts = ["nam", "buk"]
[[options]]
ko = "찬성"
en = "For"
[[options]]
ko = "반대"
en = "Against"
"""


async def resident(harness, telegram_id: int, name: str, language: str, district: str | None):  # type: ignore[no-untyped-def]
    user = harness.fake.user(telegram_id, first_name=name, language_code=language)
    await user.send_text("/start")
    await user.expect("")
    async with harness.app.session_factory() as session:
        await session.execute(text("UPDATE residents SET district = :d WHERE telegram_id = :t"),
                              {"d": district, "t": telegram_id})
        await session.commit()
    return user


async def admin(harness, telegram_id: int, language: str):  # type: ignore[no-untyped-def]
    async with harness.app.session_factory() as session:
        await RoleAdministration(session, harness.app.city, harness.clock).add(
            telegram_id, Role.ADMIN, None, language, granted_by="test", name="Admin")
    user = harness.fake.user(telegram_id, first_name="Admin", language_code=language)
    await user.send_text("/start")
    await user.expect("")
    return user


async def sotong(harness, tmp_path, *args: str) -> str:  # type: ignore[no-untyped-def]
    """`sotong ARGS` on the harness's database. It reads the system clock: the test's clock,
    which stood still meanwhile, is brought level so that what it queued is due."""
    code, out, err = await run(*args, cwd=tmp_path, SOTONG_DATABASE_URL=harness.settings.database_url)
    assert code == 0, err
    harness.clock.now = max(harness.clock.now, utcnow())
    return out


def png_dimensions(png: bytes) -> tuple[int, int]:
    """A PNG's width and height from its header, after checking its signature."""
    assert png.startswith(PNG_SIGNATURE), png[:8]
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


async def test_a_poll_from_the_command_line_to_the_results_chart(harness, tmp_path):
    fake = harness.fake
    boss = await admin(harness, 990, "en")
    ara = await resident(harness, 991, "Ara", "ko", "nam")
    ben = await resident(harness, 992, "Ben", "en", "nam")
    chul = await resident(harness, 993, "Chul", "ko", "buk")
    (tmp_path / "poll.toml").write_text(POLL_FILE, encoding="utf-8")
    out = await sotong(harness, tmp_path, "polls", "create", str(tmp_path / "poll.toml"))
    assert out.startswith("poll 1 created; audience size 3 ")  # the admin has no district: not asked

    async with running_worker(harness):
        asked = {}
        for user, words in ((ara, "차 없는 거리"), (ben, "car-free"), (chul, "차 없는 거리")):
            asked[user.id] = await user.expect(words, timeout=WAIT)
        assert asked[ara.id].button_texts() == ["찬성", "반대"]
        assert asked[ben.id].button_texts() == ["For", "Against"]

        await ara.press("찬성", message=asked[ara.id])
        shown = await ara.expect("지금까지의 결과(1명 응답)", kinds=("edit",))
        assert shown.button_texts() == ["✓ 찬성", "반대"] and "1. 찬성 — 1 (100%)" in shown.text
        await ben.press("Against", message=asked[ben.id])
        await ben.expect("Results so far (2 answered)", kinds=("edit",))
        await chul.press("찬성", message=asked[chul.id])
        await chul.expect("3명 응답", kinds=("edit",))
        await chul.press("반대", message=asked[chul.id])  # changes their answer
        changed = await chul.expect(lambda m: "✓ 반대" in m.button_texts(), kinds=("edit",))
        assert "1. 찬성 — 1 (33%)" in changed.text and "2. 반대 — 2 (67%)" in changed.text

        # "Asking Citizens" in the main menu lists it, ✓ as answered, and opens it.
        await ara.press("🗳 시민에게 묻다")
        listed = await ara.expect("진행 중인 시의 질문")
        await ara.press("✓ 금남로를", message=listed)
        opened = await ara.expect(lambda m: "✓ 찬성" in m.button_texts(), kinds=("edit",))
        assert "◀ 진행 중인 설문 목록" in opened.button_texts()

        # The admin's /polls: live counts and turnout by district.
        await boss.send_text("/polls")
        await boss.expect("No open questions for you")
        live = await boss.expect("Poll #1")
        assert "Answered: 3 of 3 asked (100%)" in live.text
        assert "Nam-gu: 2 (67%)" in live.text and "Buk-gu: 1 (33%)" in live.text
        assert "1. For — 1 (33%)" in live.text and "2. Against — 2 (67%)" in live.text

        for user in (ara, ben, chul, boss):
            user.drain()
        harness.clock.advance(days=1, minutes=1)  # the worker's poll closing job sees it is time
        charts = {}
        for user, words in ((ara, "결과"), (ben, "Results"), (chul, "결과"), (boss, "Results")):
            chart = await user.expect(lambda m: bool(m.photo), timeout=WAIT)
            assert words in chart.caption and "3" in chart.caption
            charts[user.id] = fake.files.uploads[chart.photo[-1]["file_id"]]

        # A tap on the old message now says the poll is closed, and changes nothing.
        await ara.press("반대", message=asked[ara.id])
        assert "마감된 설문" in (await ara.expect_alert())["text"]
        closed = await ara.expect("마감된 설문입니다", kinds=("edit",))
        assert closed.button_texts() == ["🔒 마감된 설문입니다"]

    for png in charts.values():
        width, height = png_dimensions(png)
        assert width == 1000 and 400 <= height <= 3000
        assert 10_000 <= len(png) <= 3_000_000
    assert charts[ara.id] == charts[chul.id] != charts[ben.id] == charts[boss.id]  # one chart per language

    # The counts behind the chart, in the database …
    by_district = await harness.sql(
        "SELECT a.district, o.position, count(*) AS n FROM poll_choices c JOIN poll_answers a ON a.id = c.answer_id "
        "JOIN poll_options o ON o.id = c.option_id GROUP BY a.district, o.position ORDER BY a.district, o.position")
    assert [(r["district"], r["position"], r["n"]) for r in by_district] == [("buk", 2, 1), ("nam", 1, 1), ("nam", 2, 1)]
    assert len(await harness.sql("SELECT id FROM poll_answers")) == 3
    # … and in the CSV export.
    rows = list(csv.DictReader(io.StringIO(await sotong(harness, tmp_path, "polls", "export", "1"))))
    got = {(r["option"], r["district"]): int(r["answers"]) for r in rows}
    assert got[("1", "nam")] == 1 and got[("1", "buk")] == 0 and got[("1", "ALL")] == 1
    assert got[("2", "nam")] == 1 and got[("2", "buk")] == 1 and got[("2", "ALL")] == 2
    assert got[("0", "nam")] == 2 and got[("0", "buk")] == 1 and got[("0", "ALL")] == 3
    assert got[("1", "dong")] == 0 and rows[0]["option_ko"] == "찬성" and rows[0]["option_en"] == "For"
    assert await harness.sql("SELECT state FROM outbox WHERE state != 'sent'") == []


async def outbox_rows(harness) -> int:  # type: ignore[no-untyped-def]
    return len(await harness.sql("SELECT id FROM outbox"))


@pytest.mark.parametrize("harness", ["sqlite", "postgres"], indirect=True)
async def test_forged_taps_are_refused_and_store_nothing(harness, tmp_path):
    ara = await resident(harness, 981, "Ara", "en", "nam")
    for district in ("nam", "buk"):
        (tmp_path / "poll.toml").write_text(POLL_FILE.replace('"nam", "buk"', f'"{district}"'), encoding="utf-8")
        await sotong(harness, tmp_path, "polls", "create", str(tmp_path / "poll.toml"))
    polls = await harness.sql("SELECT id, closes_at FROM polls ORDER BY id")
    nam, buk = (row["id"] for row in polls)
    message = ara.last_bot_message()
    queued = await outbox_rows(harness)

    def data(action: PollAction, poll: int, position: int = 0) -> str:
        return PollCb(action=action, poll=poll, position=position).pack()

    cases = [
        (data(PollAction.ANSWER, 4242, 1), "not available"),  # no such poll
        (data(PollAction.ANSWER, nam, 0), "not available"),  # no option 0 …
        (data(PollAction.ANSWER, nam, 3), "not available"),  # … nor 3 in a poll of two
        (f"pl:a:{nam}:11:", "no longer active"),  # 11 is refused as the data is unpacked
        (f"pl:a:{nam}:-1:", "no longer active"),
        (data(PollAction.ANSWER, buk, 1), "asks other residents"),  # Ara lives in Nam-gu
        (data(PollAction.OPEN, buk), "not available"),
        (data(PollAction.STATS, nam), "Only the city's admins"),
        (data(PollAction.CLOSE, nam), "Only the city's admins"),
        (data(PollAction.CLOSE_YES, nam), "Only the city's admins"),
    ]
    for forged, words in cases:
        await ara.press_data(forged, message)
        alert = await ara.expect_alert()
        assert words in alert["text"] and alert.get("show_alert"), (forged, alert)
    assert await harness.sql("SELECT id FROM poll_answers") == []
    assert await harness.sql("SELECT id, closes_at FROM polls ORDER BY id") == polls  # still open, same times
    assert await outbox_rows(harness) == queued  # nothing queued
    assert await harness.sql("SELECT id FROM broadcasts WHERE kind = 'poll_results'") == []


@pytest.mark.parametrize("harness", ["sqlite"], indirect=True)
async def test_an_admin_closes_a_poll_early(harness, tmp_path):
    boss = await admin(harness, 970, "ko")
    (tmp_path / "poll.toml").write_text(POLL_FILE, encoding="utf-8")
    await sotong(harness, tmp_path, "polls", "create", str(tmp_path / "poll.toml"))
    await boss.send_text("/polls")
    await boss.expect("지금 답할 수 있는 설문이 없습니다")  # it asks Nam-gu and Buk-gu; the admin lives in neither
    live = await boss.expect("설문 #1")
    assert "응답: 0명" in live.text and live.button_texts() == ["🔄 새로고침", "⏹ 지금 마감"]
    await boss.press("🔄 새로고침", message=live)
    await boss.expect_alert()
    await boss.press("⏹ 지금 마감", message=live)
    await boss.press("⏹ 네, 마감합니다", message=await boss.expect("지금 마감할까요?", kinds=("edit",)))
    assert "1분 안에" in (await boss.expect_alert())["text"]
    closed = await boss.expect("마감", kinds=("edit",))
    assert closed.button_texts() == ["🔄 새로고침"]
    await boss.press("🔄 새로고침", message=closed)  # a second close is refused as already done
    await boss.expect_alert()
    await boss.press_data(PollCb(action=PollAction.CLOSE_YES, poll=1).pack(), closed)
    assert "이미 마감된" in (await boss.expect_alert())["text"]

    assert await close_polls(harness.app.session_factory, harness.app.city, harness.clock) == 1
    await deliver(harness)
    chart = await boss.expect(lambda m: bool(m.photo))
    assert "0명 응답" in chart.caption
    assert png_dimensions(harness.fake.files.uploads[chart.photo[-1]["file_id"]])[0] == 1000
