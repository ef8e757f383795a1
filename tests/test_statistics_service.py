"""The statistics' numbers for a data set whose answers are known, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.database import create_session_factory
from storage.lifecycle import STATISTICS_LEFT_OUT, STATISTICS_OPEN, STATISTICS_RESOLVED, Status
from storage.repositories.officials import OfficialsRepository
from storage.repositories.statistics import StatisticsRepository
from storage.services.residents import ResidentService, TelegramPerson
from storage.services.statistics import Figures, StatisticsService, parse_period
from storage.vocabulary import Role
from tests.stats_data import DAY, EXPECTED, HOUR, NOW, POPULATION, Planned, known_items, write

FIGURES = ("filed", "open", "resolved", "answered", "sla_counted", "sla_met", "proposals", "discussion")


def _assert_figures(figures: Figures, expected: dict, population: int | None) -> None:
    assert {name: getattr(figures, name) for name in FIGURES} == {name: expected[name] for name in FIGURES}
    assert figures.median_days == pytest.approx(expected["median_hours"] / 24)
    assert figures.p90_days == pytest.approx(expected["p90_hours"] / 24)
    assert figures.within_sla == pytest.approx(expected["sla_met"] / expected["sla_counted"])
    assert figures.population == population
    assert figures.per_10k == pytest.approx(expected["filed"] * 10_000 / population)


async def _report(engine, city, days=30, until=NOW):
    async with create_session_factory(engine, reads_only=True)() as session:
        return await StatisticsService(session, city).report(days, until)


async def test_each_figure_by_district_category_and_city(engine, city):
    await write(engine, known_items())
    report = await _report(engine, city)
    assert (report.since, report.until, report.days) == (NOW - 30 * DAY, NOW, 30)
    districts = {line.district: line for line in report.districts}
    assert list(districts) == ["dong", "seo", "nam", "buk", "gwangsan"]  # the city file's order
    _assert_figures(districts["dong"].figures, EXPECTED["dong"], POPULATION["dong"])
    _assert_figures(districts["buk"].figures, EXPECTED["buk"], POPULATION["buk"])
    _assert_figures(report.city.figures, EXPECTED["city"], sum(POPULATION.values()))
    _assert_figures(report.cell("dong", "roads").figures, EXPECTED[("dong", "roads")], POPULATION["dong"])
    _assert_figures(report.cell("buk", "officials").figures, EXPECTED[("buk", "officials")], POPULATION["buk"])
    _assert_figures(report.city_categories["roads"].figures, EXPECTED[("city", "roads")], sum(POPULATION.values()))
    quiet = districts["seo"].figures
    assert (quiet.filed, quiet.per_10k, quiet.median_days, quiet.within_sla) == (0, 0.0, None, None)
    assert report.cell("seo", "roads").figures.filed == 0


async def test_each_district_against_the_city(engine, city):
    await write(engine, known_items())
    report = await _report(engine, city)
    dong = next(line for line in report.districts if line.district == "dong").vs_city
    city_rate = 9 * 10_000 / sum(POPULATION.values())
    assert dong.per_10k == pytest.approx(0.4 / city_rate)  # 6.18 times the city's rate
    assert dong.median_days == pytest.approx(20 / 18)
    assert dong.p90_days == pytest.approx(28 / 28.8)
    assert dong.within_sla_points == pytest.approx(50 - 40)
    # A district's category against the same category city-wide.
    roads = report.cell("dong", "roads").vs_city
    assert roads.median_days == pytest.approx(20 / 26) and roads.p90_days == pytest.approx(28 / 29.2)
    assert roads.within_sla_points == pytest.approx(50 - 100 / 3)
    assert report.city.vs_city is None


async def test_percentiles_interpolate_between_whole_hours(engine, city):
    # Eleven answers at 0 … 10 hours and one at 59 minutes (0 whole hours): 12 values.
    delays = [h * HOUR for h in range(11)] + [dt.timedelta(minutes=59)]
    await write(engine, [Planned("gwangsan", "culture", NOW - DAY, "answered", answers=[("department", delay)])
                         for delay in delays])
    figures = next(line for line in (await _report(engine, city)).districts if line.district == "gwangsan").figures
    # Sorted: 0, 0, 1, …, 10. Median: 0-based position 5.5, between 4 and 5 h; p90: 9.9, between
    # the values at positions 9 and 10 (8 and 9 h), as PostgreSQL's percentile_cont gives.
    assert figures.median_days * 24 == pytest.approx(4.5)
    assert figures.p90_days * 24 == pytest.approx(8.9)


async def test_a_district_without_population_has_no_rate_and_the_city_rate_leaves_it_out(engine, city):
    await write(engine, known_items())
    districts = [d.model_copy(update={"population": None}) if d.code == "dong" else d for d in city.districts]
    report = await _report(engine, city.model_copy(update={"districts": districts}))
    dong = report.districts[0]
    assert dong.figures.per_10k is None and dong.vs_city.per_10k is None
    others = sum(p for code, p in POPULATION.items() if code != "dong")
    assert report.city.figures.population == others
    assert report.city.figures.per_10k == pytest.approx(5 * 10_000 / others)  # Buk's 5 items


async def test_an_empty_period_gives_zeros(engine, city):
    report = await _report(engine, city)
    assert report.city.figures.filed == 0 and report.city.figures.median_days is None
    assert [line.figures.filed for line in report.districts] == [0] * 5


async def test_the_sql_returns_a_few_rows_not_the_items(engine, city):
    await write(engine, known_items())
    async with create_session_factory(engine, reads_only=True)() as session:
        rows = await StatisticsRepository(session).figures(NOW - 30 * DAY, NOW)
    # Cells with items (dong: roads, water; buk: roads, environment, officials, culture, water),
    # 2 districts, 5 categories, the city.
    assert len(rows) == 7 + 2 + 5 + 1


async def test_only_officials_and_admins_may_see(engine, city):
    factory = create_session_factory(engine)
    people = {}
    async with factory() as session:
        for n, role, department in ((1, Role.OFFICIAL, "water"), (2, Role.ADMIN, None), (3, Role.MODERATOR, None),
                                    (4, None, None)):
            resident, _ = await ResidentService(session, "en").identify(TelegramPerson(n, f"P{n}", None, "en"))
            if role is not None:
                await OfficialsRepository(session).grant(resident.id, role, department, "test")
            people[n] = resident.id
        await session.commit()
    async with factory() as session:
        service = StatisticsService(session, city)
        assert [await service.may_see(people[n]) for n in (1, 2, 3, 4)] == [True, True, False, False]


def test_open_and_resolved_come_from_the_lifecycle_and_cover_every_status():
    left = {STATISTICS_LEFT_OUT, Status.EXPIRED, Status.WITHDRAWN}
    assert STATISTICS_OPEN.isdisjoint(STATISTICS_RESOLVED) and not left & (STATISTICS_OPEN | STATISTICS_RESOLVED)
    assert STATISTICS_OPEN | STATISTICS_RESOLVED | left == set(Status)


@pytest.mark.parametrize(("text", "days"), [("30d", 30), ("365d", 365), ("7", 7), (" 90d ", 90)])
def test_periods(text, days):
    assert parse_period(text) == days


@pytest.mark.parametrize("text", ["0d", "30w", "d", "", "-5d", "3661d", "1e3d"])
def test_bad_periods(text):
    with pytest.raises(ValueError, match="number of days from 1 to 3660"):
        parse_period(text)
