"""What /stats and `sotong stats` show, from figures given: each chart a valid PNG of plausible
size in both languages, the caption within Telegram's 1,024 characters with the city file's
names at their longest and full of characters that HTML escaping lengthens, the CSV's columns
and values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings

import pytest

from bot.i18n import create_core
from bot.notices import Texts
from bot.stats_report import CAPTION, COLUMNS, caption, chart_png, csv_bytes, file_name
from fakeapi.content import caption_text
from fakeapi.media import checked_photo
from handlers.quote import units
from storage.city import CityConfig, load_city_config
from storage.repositories.statistics import Row
from storage.services.statistics import build_report
from tests.harness import TEST_CITY
from tests.stats_data import NOW, PNG_SIGNATURE, png_size

SINCE = NOW - dt.timedelta(days=30)


@pytest.fixture
async def core():
    core = create_core("ko")
    await core.startup()
    return core


def row(district, category, filed, answered=0, median=None, p90=None, sla=(0, 0), proposals=0, discussion=0):
    return Row(district=district, category=category, filed=filed, open=filed // 2, resolved=filed // 3,
               answered=answered, median_hours=median, p90_hours=p90, sla_counted=sla[0], sla_met=sla[1],
               proposals=proposals, discussion=discussion)


def known_rows() -> list[Row]:
    """The figures of tests/stats_data.py's data set, as the SQL gives them."""
    return [row("dong", "roads", 3, 2, 20, 28, (2, 1), 1, 1), row("dong", "water", 1),
            row("buk", "roads", 1, 1, 26, 26, (1, 0)), row("buk", "environment", 1, sla=(1, 0)),
            row("buk", "officials", 1, 1, 5, 5, (1, 1)), row("buk", "culture", 1, proposals=1), row("buk", "water", 1),
            row("dong", None, 4, 2, 20, 28, (2, 1), 1, 1), row("buk", None, 5, 2, 15.5, 23.9, (3, 1), 1, 0),
            row(None, "roads", 4, 3, 26, 29.2, (3, 1), 1, 1), row(None, "water", 2), row(None, "environment", 1, sla=(1, 0)),
            row(None, "officials", 1, 1, 5, 5, (1, 1)), row(None, "culture", 1, proposals=1),
            row(None, None, 9, 4, 18, 28.8, (5, 2), 2, 1)]


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_charts_are_one_valid_png_in_each_language(core, language):
    city = load_city_config(TEST_CITY)
    report = build_report(city, known_rows(), 30, SINCE, NOW)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the font, a layout that does not fit
        png = await chart_png(Texts(core, language), city, report)
    assert png_size(png) == (1000, 1400)


async def test_the_charts_of_an_empty_period(core):
    city = load_city_config(TEST_CITY)
    png = await chart_png(Texts(core, "en"), city, build_report(city, [], 30, SINCE, NOW))
    assert png_size(png) == (1000, 1400)


def crowded_city() -> CityConfig:
    """The most a city file allows: 40 districts and 40 categories, every name 40 characters of
    & < > (each escapes to 4 or 5), one district without population."""
    name = ("&<>" * 14)[:40]
    base = load_city_config(TEST_CITY)
    districts = [base.districts[0].model_copy(update={
        "code": f"d{i}", "name_ko": name, "name_en": name, "population": None if i == 3 else 1000 + i})
        for i in range(40)]
    categories = [base.categories[0].model_copy(update={"code": f"c{i}", "name_ko": name, "name_en": name})
                  for i in range(40)]
    city = base.city.model_copy(update={"name_ko": name, "name_en": name})
    return base.model_copy(update={"districts": districts, "categories": categories, "city": city})


def crowded_rows() -> list[Row]:
    rows = [row(f"d{d}", f"c{c}", 1_000_000 + d, 900_000, 1234.5, 98765.4, (999_999, 1)) for d in range(40)
            for c in range(40)]
    rows += [row(f"d{d}", None, 99_999_999, 900_000, 1234.5, 98765.4, (999_999, 1)) for d in range(40)]
    rows += [row(None, f"c{c}", 99_999_999, 900_000, 1.5, 2.5, (999_999, 999_998)) for c in range(40)]
    return [*rows, row(None, None, 999_999_999, 900_000, 1.5, 2.5, (999_999, 999_998))]


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_caption_fits_telegram_with_the_longest_names(core, language):
    city = crowded_city()
    text = caption(Texts(core, language), city, build_report(city, crowded_rows(), 3660, SINCE, NOW))
    assert units(text) <= CAPTION
    assert caption_text(text, "HTML")["caption"]  # Telegram's HTML parses, and within 1,024 once parsed
    assert "&amp;&lt;&gt;" in text and "<b>" in text
    assert text.count("\n") > 4  # some districts are named, the rest counted
    assert ("CSV" in text.splitlines()[-2])


async def test_the_charts_of_the_most_crowded_city_render(core):
    city = crowded_city()
    png = await chart_png(Texts(core, "ko"), city, build_report(city, crowded_rows(), 3660, SINCE, NOW))
    width, height = png_size(png)
    assert width == 1000 and 1400 < height and width + height <= 10_000  # Telegram's limit of a photo
    assert checked_photo(png) == png


def test_the_csv_columns_and_values(core):
    city = load_city_config(TEST_CITY)
    report = build_report(city, known_rows(), 30, SINCE, NOW)
    data = csv_bytes(city, report, "ko")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for spreadsheets
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    table = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    categories = [c.code for c in city.categories]
    assert [(r["scope"], r["district"], r["category"]) for r in table[:6]] == [
        ("city", "", ""), *(("city", "", c) for c in categories)]
    assert len(table) == (1 + len(categories)) * (1 + len(city.districts))
    city_row, dong = table[0], next(r for r in table if r["district"] == "dong" and r["category"] == "")
    assert city_row["district_name"] == "광주광역시" and city_row["period_start"] == "2026-01-30T09:00:00+09:00"
    assert city_row["period_end"] == "2026-03-01T09:00:00+09:00" and city_row["population"] == "1390000"
    assert {k: dong[k] for k in ("district_name", "population", "filed", "filed_per_10k", "open", "resolved",
                                 "answered", "median_days", "p90_days", "sla_counted", "sla_met", "within_sla_pct",
                                 "proposals", "reached_discussion", "filed_per_10k_vs_city", "median_days_vs_city",
                                 "p90_days_vs_city", "within_sla_vs_city_points")} == {
        "district_name": "동구", "population": "100000", "filed": "4", "filed_per_10k": "0.4000", "open": "2",
        "resolved": "1", "answered": "2", "median_days": "0.8333", "p90_days": "1.1667", "sla_counted": "2",
        "sla_met": "1", "within_sla_pct": "50.00", "proposals": "1", "reached_discussion": "1",
        "filed_per_10k_vs_city": "6.1778", "median_days_vs_city": "1.1111", "p90_days_vs_city": "0.9722",
        "within_sla_vs_city_points": "10.00"}
    seo_roads = next(r for r in table if r["district"] == "seo" and r["category"] == "roads")
    assert (seo_roads["filed"], seo_roads["filed_per_10k"], seo_roads["median_days"], seo_roads["sla_met"]) == (
        "0", "0.0000", "", "0")
    assert file_name(city, report, "csv") == "sotong-stats-30d-20260301-0900.csv"


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_command_line_reads_the_same_texts_as_the_bot(core, language):
    from bot.stats_cli import LocaleTexts

    ours, bots = LocaleTexts.load(language), Texts(core, language)
    city = load_city_config(TEST_CITY)
    report = build_report(city, known_rows(), 365, SINCE, NOW)
    assert caption(ours, city, report) == caption(bots, city, report)
    for key, args in (("stats-chart-count", {"count": "1,234"}), ("stats-chart-title", {"city": "A", "period": "B"}),
                      ("stats-btn-period", {"days": 3660})):
        assert ours(key, **args) == bots(key, **args)


def test_the_fake_bot_api_refuses_a_photo_telegram_would_refuse():
    from fakeapi.params import ApiError

    def header(width: int, height: int) -> bytes:
        return PNG_SIGNATURE + b"\x00\x00\x00\x0dIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big")

    assert checked_photo(header(1000, 9000)) == header(1000, 9000)
    for width, height in ((1000, 9001), (100, 2001), (0, 10)):
        with pytest.raises(ApiError, match="PHOTO_INVALID_DIMENSIONS"):
            checked_photo(header(width, height))
