"""A closed poll's results chart, one PNG per language (bot/poll_closing.py draws it when the
worker closes the poll).

The chart has two panels: the options as horizontal bars with each one's count and share of
those who answered, and the results by district as 100 % stacked bars (each district's
answers split by option, with its number of residents who answered). Labels are in the
chart's language (Hangul through bot/charts.py's packaged font); texts come from locales/.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.charts import render_png
from bot.notices import Texts
from storage.city import CityConfig
from storage.services.polls import Counts, PollResults

WIDTH = 10.0  # inches (100 dpi: 1,000 pixels)
LABEL = 30  # characters a line of an option's or district's label
QUESTION = 80  # characters a line of the question over the chart


@dataclass(frozen=True)
class Labels:
    """Every word on one language's chart, looked up before drawing (in the event loop)."""

    question: str
    options: list[str]  # "1. …" in order
    districts: list[str]  # "Nam-gu (12)" in the results' order
    options_title: str
    districts_title: str
    residents: str


def labels(results: PollResults, city: CityConfig, texts: Texts) -> Labels:
    language = texts.language
    districts = []
    for code, counts in results.by_district:
        district = city.district(code) if code is not None else None
        name = district.name(language) if district else (code or texts("asking-no-district"))
        districts.append(f"{name} ({texts('asking-chart-answered', answered=f'{counts.answered:,}')})")
    return Labels(
        question=results.poll.question[language],
        options=[f"{option.position}. {option.text[language]}" for option in results.poll.options],
        districts=districts,
        options_title=texts("asking-chart-options"),
        districts_title=texts("asking-chart-districts"),
        residents=texts("asking-chart-residents"),
    )


def _wrapped(text: str, width: int, lines: int) -> str:
    return "\n".join(textwrap.wrap(" ".join(text.split()), width, max_lines=lines, placeholder="…"))


def results_png(results: PollResults, words: Labels) -> bytes:
    options, districts = len(results.poll.options), max(1, len(results.by_district))
    height = 1.6 + 0.55 * options + 0.5 * districts + 1.2
    return render_png(functools.partial(_draw, results, words), width=WIDTH, height=height)


def _draw(results: PollResults, words: Labels, figure: Figure) -> None:
    figure.suptitle(_wrapped(words.question, QUESTION, 3), fontsize=13)
    top, bottom = figure.subplots(2, 1, height_ratios=[len(results.poll.options), max(1, len(results.by_district)) + 1])
    colours = [colormaps["tab10"](i % 10) for i in range(len(results.poll.options))]
    _options_panel(top, results, words, colours)
    _districts_panel(bottom, results, words, colours)


def _options_panel(axes: Axes, results: PollResults, words: Labels, colours: Sequence[tuple[float, ...]]) -> None:
    total = results.total
    positions = [option.position for option in results.poll.options]
    counts = [total.of(position) for position in positions]
    rows = list(range(len(positions)))
    axes.barh(rows, counts, color=colours)
    axes.set_yticks(rows, [_wrapped(label, LABEL, 2) for label in words.options])
    axes.invert_yaxis()
    most = max(counts, default=0) or 1
    axes.set_xlim(0, most * 1.3)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for row, position in zip(rows, positions, strict=True):
        axes.text(total.of(position) + most * 0.01, row, f"{total.of(position):,} ({total.share(position):.0%})",
                  va="center", fontsize=10)
    axes.set_title(words.options_title, loc="left", fontsize=11)
    axes.set_xlabel(words.residents)
    axes.spines[["top", "right"]].set_visible(False)


def _districts_panel(axes: Axes, results: PollResults, words: Labels, colours: Sequence[tuple[float, ...]]) -> None:
    positions = [option.position for option in results.poll.options]
    rows = list(range(len(results.by_district)))
    left = [0.0] * len(rows)
    for position, colour in zip(positions, colours, strict=True):
        shares = [_choice_share(counts, position) for _code, counts in results.by_district]
        axes.barh(rows, shares, left=left, color=colour, label=str(position))
        for row, (start, width) in enumerate(zip(left, shares, strict=True)):
            if width >= 0.08:
                axes.text(start + width / 2, row, f"{width:.0%}", ha="center", va="center", fontsize=9, color="white")
        left = [start + width for start, width in zip(left, shares, strict=True)]
    axes.set_yticks(rows, [_wrapped(label, LABEL, 2) for label in words.districts])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(lambda value, _position: f"{value:.0%}")
    axes.set_title(words.districts_title, loc="left", fontsize=11)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=min(len(positions), 10), frameon=False,
                fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)


def _choice_share(counts: Counts, position: int) -> float:
    """The option's share of the district's choices (with multiple choice a resident makes
    several, so the bar adds up to 100 % of choices rather than of residents)."""
    choices = sum(counts.chosen.values())
    return counts.of(position) / choices if choices else 0.0
