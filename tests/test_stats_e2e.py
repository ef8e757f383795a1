"""/stats through the real polling loop and the fake Bot API server: an official picks a period
and gets the charts as a photo with a caption, then the CSV as a document; anyone else, and
any forged button, is refused and nothing is counted."""

from __future__ import annotations

import csv
import io
import time

from storage.repositories.officials import OfficialsRepository
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import Role
from tests.stats_data import NOW, known_items, png_size, write


async def _person(harness, telegram_id, name, language, role=None, department=None):
    harness.fake.user(telegram_id, first_name=name, language_code=language)
    async with harness.app.session_factory() as session:
        resident, _ = await ResidentService(session, language).identify(
            TelegramPerson(telegram_id, name, None, language))
        if role is not None:
            await OfficialsRepository(session).grant(resident.id, role, department, "test")
        await session.commit()
    return harness.fake.user(telegram_id)


def _upload(harness, message):
    file_id = message.photo[-1]["file_id"] if message.photo else message.document["file_id"]
    return harness.fake.files.uploads[file_id]


async def test_an_official_gets_the_charts_then_the_csv(harness, clock):
    clock.now = NOW
    await write(harness.app.engine, known_items())
    user = await _person(harness, 9001, "Wendy", "en", Role.OFFICIAL, "water")
    await user.send_text("/stats")
    choose = await user.expect("Choose the period")
    assert choose.button_texts() == ["Last 30 days", "Last 90 days", "Last 365 days"]
    await user.press("Last 30 days", message=choose)
    photo = await user.expect(lambda m: m.photo is not None, timeout=20)
    assert png_size(_upload(harness, photo)) == (1000, 1400)
    assert photo.caption.startswith("📊 Gwangju Metropolitan City: statistics by district, last 30 days "
                                    "(2026-01-30 09:00 – 2026-03-01 09:00)")
    assert "City: 9 filed · 0.06 per 10,000 residents · 6 open · 2 resolved" in photo.caption
    assert "median 0.8 days · 90th percentile 1.2 days · 40% in time" in photo.caption
    assert "Dong-gu: 4 filed · 0.40 per 10k (×6.18) · median 0.8 d (×1.11) · in time 50% (+10 pts)" in photo.caption
    assert "Buk-gu: 5 filed · 0.12 per 10k (×1.86) · median 0.6 d (×0.86) · in time 33% (−7 pts)" in photo.caption
    assert photo.button_texts() == ["📄 CSV of every category", "Last 30 days", "Last 90 days", "Last 365 days"]

    clock.advance(hours=5)  # the CSV counts the period the charts showed, not a later one
    await user.press("📄 CSV of every category", message=photo)
    document = await user.expect(lambda m: m.document is not None, timeout=20)
    assert document.document["file_name"] == "sotong-stats-30d-20260301-0900.csv"
    assert document.caption.startswith("📄 last 30 days (2026-01-30 09:00 – 2026-03-01 09:00)")
    rows = list(csv.DictReader(io.StringIO(_upload(harness, document).decode("utf-8-sig"))))
    assert len(rows) == 6 + 5 * 6  # the city and each district: all categories, then each of 5
    dong = next(r for r in rows if r["district"] == "dong" and r["category"] == "")
    assert (dong["filed"], dong["filed_per_10k"], dong["median_days"], dong["within_sla_pct"]) == (
        "4", "0.4000", "0.8333", "50.00")


async def test_an_admin_reads_them_in_korean(harness, clock):
    clock.now = NOW
    await write(harness.app.engine, known_items())
    user = await _person(harness, 9002, "보라", "ko", Role.ADMIN)
    await user.send_text("/stats")
    await user.press("최근 365일", message=await user.expect("기간을 고르세요"))
    photo = await user.expect(lambda m: m.photo is not None, timeout=20)
    assert "광주광역시 구별 통계" in photo.caption and "동구: 접수 5 ·" in photo.caption  # the item of 40 days ago too
    png_size(_upload(harness, photo))


async def test_anyone_else_is_refused_and_forged_buttons_count_nothing(harness, clock):
    clock.now = NOW
    official = await _person(harness, 9001, "Wendy", "en", Role.OFFICIAL, "water")
    resident = await _person(harness, 12, "Eun", "en")
    moderator = await _person(harness, 13, "Min", "en", Role.MODERATOR)
    for user in (resident, moderator):
        await user.send_text("/stats")
        await user.expect("/stats is for the city's officials and admins")
    end = int(NOW.timestamp())
    for user in (resident, moderator):
        await user.send_text("/start")
        menu = await user.expect(lambda m: m.from_bot)
        for data in ("st:p:30:0", "st:p:365:0", f"st:c:30:{end}", f"st:c:365:{end - 3600}"):
            await user.press_data(data, menu)
            alert = await user.expect_alert()
            assert alert.get("show_alert") and "only for the city's officials and admins" in alert["text"], data
    # The official's own forged buttons: a period not offered, an end not given or in the future.
    await official.send_text("/stats")
    choose = await official.expect("Choose the period")
    for data in ("st:p:7:0", "st:c:7:0", "st:c:30:0", f"st:c:30:{end + 60}", "st:c:30:99999999999999",
                 "st:p:abc:0", "st:x:30:0"):
        await official.press_data(data, choose)
        alert = await official.expect_alert()
        assert alert.get("text"), data
    assert harness.fake.calls_of("sendPhoto") == [] and harness.fake.calls_of("sendDocument") == []
    assert time.time()  # the loop is still serving
