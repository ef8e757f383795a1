"""`sotong stats`: the district statistics of /stats, written to a PNG (and a CSV) from the
command line, for a report or a script. Every `sotong` command imports this module for its
options, so what only the counting and drawing need (matplotlib, Fluent) is imported then."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.failures import ConfigurationError
from storage.city import CityConfig
from storage.database import create_session_factory
from storage.services.statistics import MAX_PERIOD_DAYS, parse_period
from storage.vocabulary import LANGUAGES

if TYPE_CHECKING:
    from fluent.runtime import FluentBundle

# The bot's texts (bot/i18n.py LOCALES_DIR, which this module must not import: see LocaleTexts).
LOCALES = Path(__file__).resolve().parent.parent / "locales"


@dataclass(frozen=True)
class LocaleTexts:
    """The texts of locales/<language>/ read with fluent.runtime, as the bot reads them through
    aiogram-i18n, which would import aiogram: seconds of start-up a one-shot command is spared."""

    bundle: FluentBundle
    language: str

    @classmethod
    def load(cls, language: str) -> LocaleTexts:
        from fluent.runtime import FluentBundle, FluentResource

        # Only the statistics' own file: every text they show is there.
        bundle = FluentBundle([language], use_isolating=False)
        bundle.add_resource(FluentResource((LOCALES / language / "stats.ftl").read_text(encoding="utf-8")))
        return cls(bundle, language)

    def __call__(self, key: str, /, **kwargs: Any) -> str:
        pattern = self.bundle.get_message(key).value
        if pattern is None:
            raise KeyError(f"{self.language} text {key} has no value")
        text, errors = self.bundle.format_pattern(pattern, kwargs)
        if errors:
            raise ValueError(f"{self.language} text {key}: {errors}")
        return str(text)


def _period(text: str) -> int:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("example: sotong stats --period 365d --out report.png --csv report.csv --language en; "
                     "the period ends now; see README.md, District statistics, for what each figure means")
    parser.add_argument("--period", type=_period, default=30, metavar="DAYS",
                        help=f"the days before now whose filings count: 30d, 90d, 365d (1 to {MAX_PERIOD_DAYS}; "
                             "default 30d)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="where to write the charts (PNG)")
    parser.add_argument("--csv", type=Path, default=None, metavar="FILE.csv",
                        help="also write every district's and category's figures as CSV (UTF-8)")
    parser.add_argument("--language", choices=LANGUAGES, default=None,
                        help="the labels' language (default: SOTONG_DEFAULT_LOCALE)")


def _writable(path: Path | None) -> None:
    """A file that cannot be written is said before the counting starts."""
    if path is not None and not path.parent.is_dir():
        raise ConfigurationError(f"cannot write {path}: the folder {path.parent} does not exist")
    if path is not None and path.is_dir():
        raise ConfigurationError(f"cannot write {path}: it is a folder")


def check_outputs(args: argparse.Namespace) -> None:
    _writable(args.out)
    _writable(args.csv)


async def write_report(args: argparse.Namespace, factory: async_sessionmaker[AsyncSession], city: CityConfig,
                       language: str) -> str:
    """Counts, draws, writes the files; returns what to tell the operator."""
    from storage.services.statistics import StatisticsService

    # The charts' module brings matplotlib (a second or more to import): it loads in a thread
    # while the database counts, which is most of the wait on a big city.
    drawing = asyncio.create_task(asyncio.to_thread(importlib.import_module, "bot.stats_report"))
    reading = create_session_factory(factory.kw["bind"], reads_only=True)
    async with reading() as session:
        report = await StatisticsService(session, city).report(args.period, dt.datetime.now(dt.UTC))
    await drawing
    from bot.stats_report import chart_png, csv_bytes

    t = LocaleTexts.load(language)
    png = await chart_png(t, city, report)
    args.out.write_bytes(png)
    written = [f"{args.out} ({len(png) // 1024:,} KB)"]
    if args.csv is not None:
        args.csv.write_bytes(csv_bytes(city, report, language))
        written.append(str(args.csv))
    start, end = city.local(report.since), city.local(report.until)
    return (f"{report.city.figures.filed:,} item(s) filed from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} "
            f"({city.city.timezone}); wrote {' and '.join(written)}")
