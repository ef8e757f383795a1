"""District disparity statistics: what residents ask for, district by district and category by
category, and how fast the city answers.

The figures, over the items filed in [until - days, until):
- filed: items filed; per 10,000 residents with the district's `population` from the city file
  (the city's rate over the districts that have one);
- open and resolved: by the item's status now (storage/lifecycle.py STATISTICS_OPEN and
  STATISTICS_RESOLVED);
- days to the first answer (the first `answers` row by a department): median and 90th
  percentile over the items answered so far, counted in whole hours;
- within the SLA: of the items routed to a department whose first answer was due by now or
  that have one, the share first answered at or before the earliest due date of their
  assignments;
- proposals, and those that reached discussion (a status event to `discussion`).
Private items count like any other (the figures are aggregates, for officials and admins
only); hidden items are left out, as spam and abuse would distort a district's figures.

Each district (and each district × category) is set against the city (the same category
city-wide): rates and days as a ratio (1.0: as the city), the SLA share as a difference in
percentage points. The numbers are computed in SQL (storage/repositories/statistics.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.repositories.officials import OfficialsRepository
from storage.repositories.statistics import Row, StatisticsRepository

PERIODS: tuple[int, ...] = (30, 90, 365)  # the periods /stats offers, in days
MAX_PERIOD_DAYS = 3660
PER = 10_000  # residents a rate is given for
HOURS_A_DAY = 24
# Who may see the statistics: any department's official, and the admins.


def parse_period(text: str) -> int:
    """'30d' (or '30') → 30 days, from 1 to MAX_PERIOD_DAYS."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*d?\s*", text)
    if match is None or not 1 <= int(match.group(1)) <= MAX_PERIOD_DAYS:
        raise ValueError(f"'{text}' is not a period: write a number of days from 1 to {MAX_PERIOD_DAYS}, "
                         f"such as 30d or 365d")
    return int(match.group(1))


@dataclass(frozen=True)
class Figures:
    filed: int = 0
    open: int = 0
    resolved: int = 0
    answered: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    sla_counted: int = 0
    sla_met: int = 0
    proposals: int = 0
    discussion: int = 0
    population: int | None = None
    per_10k: float | None = None

    @property
    def within_sla(self) -> float | None:
        """The share (0 to 1) answered within the SLA, of the items it applies to so far."""
        return self.sla_met / self.sla_counted if self.sla_counted else None


@dataclass(frozen=True)
class Comparison:
    """A district's (or cell's) figures against the city's: ratios, and the SLA difference."""

    per_10k: float | None  # district rate / city rate
    median_days: float | None  # district median / city median: above 1 is slower
    p90_days: float | None
    within_sla_points: float | None  # (district share - city share) × 100


@dataclass(frozen=True)
class Line:
    """One district (or the city, district None), all categories (category None) or one."""

    district: str | None
    category: str | None
    figures: Figures
    vs_city: Comparison | None  # None on the city's own lines


@dataclass(frozen=True)
class Report:
    days: int
    since: dt.datetime
    until: dt.datetime
    city: Line
    districts: list[Line]  # the city file's order, then codes it no longer lists
    categories: list[str]  # the city file's order, then codes it no longer lists
    city_categories: dict[str, Line] = field(default_factory=dict)
    cells: dict[tuple[str, str], Line] = field(default_factory=dict)  # every district × category

    def cell(self, district: str, category: str) -> Line:
        """A district's figures in one category (zero when it had no item)."""
        return self.cells[(district, category)]


def _ratio(value: float | None, city: float | None) -> float | None:
    return value / city if value is not None and city else None


def compare(figures: Figures, city: Figures) -> Comparison:
    share, city_share = figures.within_sla, city.within_sla
    points = (share - city_share) * 100 if share is not None and city_share is not None else None
    return Comparison(_ratio(figures.per_10k, city.per_10k), _ratio(figures.median_days, city.median_days),
                      _ratio(figures.p90_days, city.p90_days), points)


def _line(district: str | None, category: str | None, figures: Figures, city: Figures | None) -> Line:
    return Line(district, category, figures, compare(figures, city) if city is not None else None)


def _figures(row: Row | None, population: int | None, filed_with_population: int | None = None) -> Figures:
    """A row's figures; the rate counts `filed_with_population` (the city's: the items of the
    districts with a population) when given, else all of the row's items."""
    if row is None:
        return Figures(population=population, per_10k=0.0 if population else None)
    counted = row.filed if filed_with_population is None else filed_with_population
    return Figures(
        filed=row.filed, open=row.open, resolved=row.resolved, answered=row.answered,
        median_days=None if row.median_hours is None else row.median_hours / HOURS_A_DAY,
        p90_days=None if row.p90_hours is None else row.p90_hours / HOURS_A_DAY,
        sla_counted=row.sla_counted, sla_met=row.sla_met, proposals=row.proposals, discussion=row.discussion,
        population=population, per_10k=counted * PER / population if population else None)


def _ordered(known: list[str], found: set[str]) -> list[str]:
    return known + sorted(found - set(known))


def build_report(city: CityConfig, rows: list[Row], days: int, since: dt.datetime, until: dt.datetime) -> Report:
    """Puts the SQL's rows together: the rates, each line against the city's."""
    cells = {(r.district, r.category): r for r in rows if r.district is not None and r.category is not None}
    by_district = {r.district: r for r in rows if r.district is not None and r.category is None}
    by_category = {r.category: r for r in rows if r.district is None and r.category is not None}
    city_row = next((r for r in rows if r.district is None and r.category is None and r.filed), None)
    populations = {d.code: d.population for d in city.districts if d.population is not None}
    districts = _ordered([d.code for d in city.districts], set(by_district))
    categories = _ordered([c.code for c in city.categories], set(by_category))
    population = sum(populations.values()) or None

    def counted(category: str | None) -> int:
        return sum(r.filed for (d, c), r in cells.items() if d in populations and (category is None or c == category))

    city_figures = _figures(city_row, population, counted(None))
    city_categories = {c: _line(None, c, _figures(by_category.get(c), population, counted(c)), None)
                       for c in categories}
    report_cells = {(d, c): _line(d, c, _figures(cells.get((d, c)), populations.get(d)), city_categories[c].figures)
                    for d in districts for c in categories}
    return Report(
        days=days, since=since, until=until, city=_line(None, None, city_figures, None),
        districts=[_line(d, None, _figures(by_district.get(d), populations.get(d)), city_figures) for d in districts],
        categories=categories, city_categories=city_categories, cells=report_cells)


class StatisticsService:
    def __init__(self, session: AsyncSession, city: CityConfig) -> None:
        self.session = session
        self.city = city

    async def may_see(self, resident_id: int) -> bool:
        """Officials of any department and admins, as the roles table says now."""
        grants = await OfficialsRepository(self.session).grants_of(resident_id)
        await self.session.rollback()
        return grants.sees_statistics

    async def report(self, days: int, until: dt.datetime) -> Report:
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise ValueError(f"a period of {days} days is outside 1 to {MAX_PERIOD_DAYS}")
        since = until - dt.timedelta(days=days)
        rows = await StatisticsRepository(self.session).figures(since, until)
        await self.session.rollback()
        return build_report(self.city, rows, days, since, until)
