"""The statistics as the reader gets them (/stats and `sotong stats`): one PNG of three charts,
a short caption, a CSV.

One PNG with three panels rather than three: it goes out as a single photo that carries the
caption and the buttons (an album can carry neither buttons nor, reliably, one caption), the
command line writes it to one file, and the three views read together, district by district.
Labels are in the reader's language (locales/*/stats.ftl; district and category names from
the city file). The numbers are the service's (storage/services/statistics.py); nothing here
counts anything.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from html import escape
from typing import Any, Protocol

from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.charts import render_png
from storage.city import CityConfig
from storage.services.statistics import Figures, Line, Report


class Texts(Protocol):
    """The reader's texts of locales/: bot.notices.Texts in the bot, a plain Fluent bundle in
    `sotong stats` (bot/stats_cli.py), which must not import aiogram (seconds of start-up)."""

    @property
    def language(self) -> str: ...

    def __call__(self, key: str, /, **kwargs: Any) -> str: ...

CAPTION = 1024  # Telegram's limit for a photo's caption
WIDTH, HEIGHT = 10.0, 14.0  # inches at 100 dpi: 1,000 × 1,400 pixels
NONE = "–"
MEDIAN_COLOUR, P90_COLOUR, CITY_COLOUR, RATE_COLOUR = "#1f77b4", "#aec7e8", "#d62728", "#2ca02c"


def number(value: float | None, digits: int = 1) -> str:
    return NONE if value is None else f"{value:,.{digits}f}"


def percent(share: float | None) -> str:
    return NONE if share is None else f"{share * 100:.0f}%"


def period_text(t: Texts, city: CityConfig, report: Report) -> str:
    return t("stats-period", days=report.days, start=f"{city.local(report.since):%Y-%m-%d %H:%M}",
             end=f"{city.local(report.until):%Y-%m-%d %H:%M}")


def district_name(city: CityConfig, code: str | None, language: str) -> str:
    district = city.district(code)
    return district.name(language) if district else str(code)


def category_name(city: CityConfig, code: str | None, language: str) -> str:
    category = city.category(code)
    return category.name(language) if category else str(code)


# -- the caption ------------------------------------------------------------------------------
def _ratio(t: Texts, ratio: float | None) -> str:
    return NONE if ratio is None else t("stats-ratio", ratio=f"{ratio:.2f}")


def _points(t: Texts, points: float | None) -> str:
    return NONE if points is None else t("stats-points", points=f"{points:+.0f}".replace("-", "−"))


def _district_line(t: Texts, city: CityConfig, line: Line) -> str:
    figures, vs = line.figures, line.vs_city
    assert vs is not None
    return t("stats-caption-district", district=escape(district_name(city, line.district, t.language), quote=False),
             filed=f"{figures.filed:,}", rate=number(figures.per_10k, 2), rate_vs=_ratio(t, vs.per_10k),
             median=number(figures.median_days), median_vs=_ratio(t, vs.median_days),
             sla=percent(figures.within_sla), sla_vs=_points(t, vs.within_sla_points))


def caption(t: Texts, city: CityConfig, report: Report) -> str:
    """The period, the city's figures and a line per district, at most Telegram's 1,024
    characters: the districts that do not fit are counted, and are all in the CSV."""
    from handlers.quote import units  # the bot's: it has the handlers loaded already

    whole = report.city.figures
    head = [
        t("stats-caption-head", city=escape(city.city.name(t.language), quote=False), period=period_text(t, city, report)),
        t("stats-caption-city", filed=f"{whole.filed:,}", rate=number(whole.per_10k, 2), open=f"{whole.open:,}",
          resolved=f"{whole.resolved:,}"),
        t("stats-caption-answers", median=number(whole.median_days), p90=number(whole.p90_days),
          sla=percent(whole.within_sla)),
        t("stats-caption-proposals", proposals=f"{whole.proposals:,}", discussion=f"{whole.discussion:,}"),
    ]
    foot = t("stats-caption-foot")
    lines = [_district_line(t, city, line) for line in report.districts]
    shown: list[str] = []
    for i, line in enumerate(lines):
        rest = len(lines) - i - 1
        more = [t("stats-caption-more", count=rest)] if rest else []
        if units("\n".join([*head, *shown, line, *more, foot])) > CAPTION:
            break
        shown.append(line)
    hidden = len(lines) - len(shown)
    return "\n".join([*head, *shown, *([t("stats-caption-more", count=hidden)] if hidden else []), foot])


# -- the CSV ------------------------------------------------------------------------------------
COLUMNS = ("period_start", "period_end", "scope", "district", "district_name", "category", "category_name",
           "population", "filed", "filed_per_10k", "open", "resolved", "answered", "median_days", "p90_days",
           "sla_counted", "sla_met", "within_sla_pct", "proposals", "reached_discussion",
           "filed_per_10k_vs_city", "median_days_vs_city", "p90_days_vs_city", "within_sla_vs_city_points")


def _cell(value: float | int | None, digits: int = 4) -> str:
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:.{digits}f}"


def _row(city: CityConfig, report: Report, line: Line, language: str) -> list[str]:
    f, vs = line.figures, line.vs_city
    share = None if f.within_sla is None else f.within_sla * 100
    return [
        city.local(report.since).isoformat(), city.local(report.until).isoformat(),
        "city" if line.district is None else "district", line.district or "",
        district_name(city, line.district, language) if line.district else city.city.name(language),
        line.category or "", category_name(city, line.category, language) if line.category else "",
        _cell(f.population), _cell(f.filed), _cell(f.per_10k), _cell(f.open), _cell(f.resolved), _cell(f.answered),
        _cell(f.median_days), _cell(f.p90_days), _cell(f.sla_counted), _cell(f.sla_met), _cell(share, 2),
        _cell(f.proposals), _cell(f.discussion),
        *(("", "", "", "") if vs is None else
          (_cell(vs.per_10k), _cell(vs.median_days), _cell(vs.p90_days), _cell(vs.within_sla_points, 2))),
    ]


def csv_bytes(city: CityConfig, report: Report, language: str) -> bytes:
    """The city, then each district: all categories first, then one row per category. UTF-8
    with a byte-order mark, so that spreadsheets open the Korean names right."""
    lines = [report.city, *(report.city_categories[c] for c in report.categories)]
    for district in report.districts:
        lines += [district, *(report.cell(str(district.district), c) for c in report.categories)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(city, report, line, language) for line in lines)
    return out.getvalue().encode("utf-8-sig")


FILE_PREFIX = "sotong-stats"


def file_name(city: CityConfig, report: Report, extension: str) -> str:
    """`sotong-stats-30d-20260301-0900.png`: the period's length and its end in the city's time."""
    return f"{FILE_PREFIX}-{report.days}d-{city.local(report.until):%Y%m%d-%H%M}.{extension}"


# -- the charts ---------------------------------------------------------------------------------
def _names(t: Texts, city: CityConfig, report: Report, with_city: bool = False) -> list[str]:
    names = [district_name(city, line.district, t.language) for line in report.districts]
    return [*names, t("stats-chart-city")] if with_city else names


def _rows(axes: Axes, names: list[str]) -> list[int]:
    """One row per name, top to bottom (positions, not names: two districts may share a name)."""
    positions = list(range(len(names)))
    axes.set_yticks(positions, names)
    axes.set_ylim(len(names) - 0.5, -0.5)
    return positions


def _rates(axes: Axes, t: Texts, city: CityConfig, report: Report) -> None:
    positions = _rows(axes, _names(t, city, report))
    rates = [line.figures.per_10k for line in report.districts]
    bars = axes.barh(positions, [rate or 0 for rate in rates], color=RATE_COLOUR)
    axes.bar_label(bars, labels=[t("stats-chart-no-population") if r is None else number(r, 2) for r in rates],
                   padding=3, fontsize=8)
    city_rate = report.city.figures.per_10k
    if city_rate is not None:
        axes.axvline(city_rate, color=CITY_COLOUR, linestyle="--", linewidth=1.5,
                     label=t("stats-chart-city-rate", rate=number(city_rate, 2)))
        axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)  # above, beside the title
    axes.set_title(t("stats-chart-rate-title"), loc="left")
    axes.set_xlabel(t("stats-chart-rate-axis"))
    axes.margins(x=0.25)


def _days(axes: Axes, t: Texts, city: CityConfig, report: Report) -> None:
    lines = [*report.districts, report.city]
    positions = _rows(axes, _names(t, city, report, with_city=True))
    height = 0.38
    for offset, colour, key, pick in ((-height / 2, MEDIAN_COLOUR, "stats-chart-median", _median),
                                      (height / 2, P90_COLOUR, "stats-chart-p90", _p90)):
        values = [pick(line.figures) for line in lines]
        bars = axes.barh([p + offset for p in positions], [v or 0 for v in values], height=height, color=colour,
                         label=t(key))
        axes.bar_label(bars, labels=[number(v) for v in values], padding=3, fontsize=8)
    axes.set_title(t("stats-chart-days-title"), loc="left")
    axes.set_xlabel(t("stats-chart-days-axis"))
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)  # above, beside the title
    axes.margins(x=0.15)


def _median(figures: Figures) -> float | None:
    return figures.median_days


def _p90(figures: Figures) -> float | None:
    return figures.p90_days


def _mix(axes: Axes, t: Texts, city: CityConfig, report: Report) -> None:
    """Each district's items by category, as shares of its own (bars of 100%), and its count."""
    lines = [*report.districts, report.city]
    positions = _rows(axes, _names(t, city, report, with_city=True))
    left = [0.0] * len(lines)
    colours = colormaps["tab20"]
    for i, category in enumerate(report.categories):
        counts = [_in(report, line, category) for line in lines]
        shares = [100 * n / line.figures.filed if line.figures.filed else 0.0
                  for n, line in zip(counts, lines, strict=True)]
        axes.barh(positions, shares, left=left, color=colours(i % colours.N),
                  label=category_name(city, category, t.language))
        left = [a + b for a, b in zip(left, shares, strict=True)]
    for y, line in zip(positions, lines, strict=True):
        axes.text(101, y, t("stats-chart-count", count=f"{line.figures.filed:,}"), va="center", fontsize=8)
    axes.set_xlim(0, 118)
    axes.set_xticks(range(0, 101, 20))
    axes.set_title(t("stats-chart-mix-title"), loc="left")
    axes.set_xlabel(t("stats-chart-mix-axis"))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=_legend_columns(t, city, report),
                fontsize=8, frameon=False)


def _in(report: Report, line: Line, category: str) -> int:
    if line.district is None:
        return report.city_categories[category].figures.filed
    return report.cell(line.district, category).figures.filed


def _legend_columns(t: Texts, city: CityConfig, report: Report) -> int:
    longest = max((len(category_name(city, c, t.language)) for c in report.categories), default=1)
    return max(1, min(4, 100 // (longest + 6)))


def size(t: Texts, city: CityConfig, report: Report) -> tuple[float, float]:
    """Inches at 100 dpi: 1,000 pixels wide, and taller with more districts and categories
    (1,400 pixels for Gwangju's five)."""
    rows = len(report.districts) + 1
    legend = -(-len(report.categories) // _legend_columns(t, city, report))
    return WIDTH, max(HEIGHT, 2.5 + 1.1 * rows + 0.2 * legend)


def draw(t: Texts, city: CityConfig, report: Report) -> Callable[[Figure], None]:
    rows = len(report.districts) + 1

    def on(figure: Figure) -> None:
        figure.suptitle(t("stats-chart-title", city=city.city.name(t.language), period=period_text(t, city, report)),
                        fontsize=14)
        rate, days, mix = figure.subplots(3, 1, height_ratios=[rows - 1 + 1, 1.4 * rows, rows + 2])
        _rates(rate, t, city, report)
        _days(days, t, city, report)
        _mix(mix, t, city, report)

    return on


async def chart_png(t: Texts, city: CityConfig, report: Report) -> bytes:
    """The three charts as one PNG, drawn in a thread: the event loop keeps serving others."""
    return await asyncio.to_thread(render_png, draw(t, city, report), *size(t, city, report))
