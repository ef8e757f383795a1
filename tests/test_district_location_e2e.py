"""A location shared at the district step, through the running bot."""

from __future__ import annotations

from storage.city import load_city_config
from tests.backends import sqlite_url
from tests.flows import reach_district_step
from tests.harness import TEST_CITY, BotHarness
from tests.places import DAMYANG, nearer_other_centre


async def _at_district_step(resident) -> None:
    await reach_district_step(resident, "complaint", "Roads and transport", "en")


async def test_location_suggests_the_district_holding_it(harness):
    resident = harness.fake.user(4001, first_name="Hana", language_code="en")
    await _at_district_step(resident)
    lat, lon = nearer_other_centre(load_city_config(TEST_CITY), "seo", "gwangsan")[0]
    await resident.send_location(lat, lon)  # in Seo-gu, though nearer Gwangsan-gu's centre
    suggestion = await resident.expect("That place is in")
    assert "<b>Seo-gu</b>" in suggestion.html and "Gwangsan" not in suggestion.body
    await resident.press("✅ Yes, Seo-gu", message=suggestion)
    await resident.expect("short title")


async def test_location_outside_the_city_keeps_the_district_step(harness):
    resident = harness.fake.user(4002, first_name="Jisu", language_code="ko")
    await reach_district_step(resident, "complaint", "도로·교통")
    await resident.send_location(*DAMYANG)
    step = await resident.expect("시 경계 밖")
    assert "어느 구" in step.body and "남구" in step.button_texts()
    await resident.press("남구", message=step)  # the resident still chooses a district
    await resident.expect("제목")


async def test_without_boundaries_the_nearest_centre_within_30_km(tmp_path, fake_telegram):
    text = TEST_CITY.read_text(encoding="utf-8")
    city = tmp_path / "city.toml"
    city.write_text("\n".join(line for line in text.splitlines() if not line.startswith("boundaries")))
    bot = BotHarness(fake_telegram, sqlite_url(tmp_path), None)
    bot.settings = bot.settings.model_copy(update={"city_config": city})
    await bot.start()
    try:
        resident = fake_telegram.user(4003, first_name="Min", language_code="en")
        await _at_district_step(resident)
        await resident.send_location(37.5665, 126.9780)  # Seoul
        await resident.expect("outside the city")
        lat, lon = nearer_other_centre(load_city_config(TEST_CITY), "seo", "gwangsan")[0]
        await resident.send_location(lat, lon)
        suggestion = await resident.expect("The nearest district is")
        assert "Gwangsan-gu" in suggestion.body and "km away" in suggestion.body
    finally:
        await bot.stop()
