"""`sotong polls`: create a poll from a TOML file, list the polls, export a poll's results as CSV.

The poll file (config/poll-example.toml shows every key):

    question_ko = "…"            question_en = "…"          (1 to 300 characters each)
    multiple = false              show_results = true        (optional; these are the defaults)
    closes_in_days = 7            or closes_at = 2026-12-01T18:00:00  (no offset: the city's time)
    audience = "everyone"         or [audience] districts / categories / topics = ["code", …]
    [[options]] ko = "…" en = "…" (2 to 10 of them, 1 to 100 characters each)

The CSV (`export`): one row per option and district, then per option the total, then the
residents who answered (option 0): see README.md "Asking Citizens".
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli_support import city_of, with_database
from bot.failures import OperatorError
from bot.settings import Settings
from storage import rules
from storage.audience import Audience, AudienceError
from storage.city import CityConfig
from storage.clock import system_clock
from storage.repositories import polls as repository
from storage.services.polls import PollDraft, PollRefused, PollResults, PollService, problem
from storage.vocabulary import LANGUAGES

T = TypeVar("T")
KEYS = ("question_ko", "question_en", "options", "multiple", "show_results", "closes_at", "closes_in_days", "audience")
AUDIENCE_KEYS = ("everyone", "districts", "categories", "topics")
CSV_HEADER = ("poll_id", "option", "option_ko", "option_en", "district", "answers")
ALL = "ALL"  # the district column of an option's total
RESPONDENTS = 0  # the option column of the rows counting residents who answered
LISTED = 50


class PollFileError(OperatorError):
    """The poll file is missing, not TOML, or a key in it is wrong: one line naming the key."""


# -- reading a poll file ---------------------------------------------------------------
def read_poll_file(path: Path, city: CityConfig, now: dt.datetime) -> PollDraft:
    """The draft in the file, checked as the bot checks one; raises PollFileError."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PollFileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PollFileError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PollFileError(f"{path}: not valid TOML: {exc}") from None
    try:
        draft = _draft(raw, city, now)
    except ValueError as exc:
        raise PollFileError(f"{path}: {exc}") from None
    reason = problem(draft, city, now)
    if reason is not None:
        raise PollFileError(f"{path}: {_explain(reason, draft, city, now)}")
    return draft


def _draft(raw: dict[str, Any], city: CityConfig, now: dt.datetime) -> PollDraft:
    unknown = [key for key in raw if key not in KEYS]
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' (known: {', '.join(KEYS)})")
    question = {language: _text(raw, f"question_{language}") for language in LANGUAGES}
    options = raw.get("options")
    if not isinstance(options, list) or not all(isinstance(option, dict) for option in options):
        raise ValueError("options: give each option as an [[options]] table with ko and en")
    return PollDraft(question=question, options=[_option(option, i) for i, option in enumerate(options, start=1)],
                     audience=_audience(raw.get("audience")), closes_at=_closes(raw, city, now),
                     multiple=_flag(raw, "multiple", False), show_results=_flag(raw, "show_results", True))


def _text(table: dict[str, Any], key: str, where: str = "") -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{where}{key}: {'missing' if value is None else 'must be a text in quotes'}")
    return value


def _option(table: dict[str, Any], number: int) -> dict[str, str]:
    where = f"options[{number}]."
    unknown = [key for key in table if key not in LANGUAGES]
    if unknown:
        raise ValueError(f"{where}{unknown[0]}: unknown key (an option has {' and '.join(LANGUAGES)})")
    return {language: _text(table, language, where) for language in LANGUAGES}


def _flag(raw: dict[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key}: must be true or false")
    return value


def _closes(raw: dict[str, Any], city: CityConfig, now: dt.datetime) -> dt.datetime:
    if ("closes_at" in raw) == ("closes_in_days" in raw):
        raise ValueError("give either closes_at or closes_in_days (one of them)")
    if "closes_in_days" in raw:
        days = raw["closes_in_days"]
        if isinstance(days, bool) or not isinstance(days, int | float) or not 0 < days <= rules.POLL_DAYS_MAX:
            raise ValueError(f"closes_in_days: must be a number of days above 0, at most {rules.POLL_DAYS_MAX}")
        return now + dt.timedelta(days=days)
    moment = raw["closes_at"]
    if not isinstance(moment, dt.datetime):
        raise ValueError("closes_at: must be a date and time such as 2026-12-01T18:00:00 (without quotes)")
    if moment.tzinfo is None:  # the city's time, as residents read it
        moment = moment.replace(tzinfo=ZoneInfo(city.city.timezone))
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(f"closes_at: {moment} is out of range") from None


def _audience(raw: object) -> Audience:
    if raw == "everyone":
        return Audience(everyone=True)
    if not isinstance(raw, dict):
        raise ValueError('audience: "everyone", or an [audience] table with districts, categories or topics')
    unknown = [key for key in raw if key not in AUDIENCE_KEYS]
    if unknown:
        raise ValueError(f"audience.{unknown[0]}: unknown key (known: {', '.join(AUDIENCE_KEYS)})")
    everyone = raw.get("everyone", False)
    if not isinstance(everyone, bool):
        raise ValueError("audience.everyone: must be true or false")
    return Audience(everyone=everyone, districts=_codes(raw, "districts"), categories=_codes(raw, "categories"),
                    topics=_codes(raw, "topics"))


def _codes(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    codes = raw.get(key, [])
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValueError(f'audience.{key}: must be a list of codes, such as ["nam", "buk"]')
    return tuple(codes)


def _explain(reason: str, draft: PollDraft, city: CityConfig, now: dt.datetime) -> str:
    """The reason `problem` gave, said with the key and the value at fault."""
    if reason == "question":
        language = next(lang for lang in LANGUAGES if not 1 <= len(draft.question[lang].strip()) <= rules.POLL_QUESTION_MAX)
        return (f"question_{language}: {len(draft.question[language].strip())} characters; "
                f"1 to {rules.POLL_QUESTION_MAX} are allowed")
    if reason == "options-count":
        return f"options: {len(draft.options)} given; {rules.POLL_OPTIONS_MIN} to {rules.POLL_OPTIONS_MAX} are needed"
    if reason == "option":
        number, language = next((i, lang) for i, option in enumerate(draft.options, start=1) for lang in LANGUAGES
                                if not 1 <= len(option[lang].strip()) <= rules.POLL_OPTION_MAX)
        return (f"options[{number}].{language}: {len(draft.options[number - 1][language].strip())} characters; "
                f"1 to {rules.POLL_OPTION_MAX} are allowed")
    if reason == "closes":
        return (f"the poll would close {_local(draft.closes_at, city)}: it must close after now and within "
                f"{rules.POLL_DAYS_MAX} days")
    try:
        draft.audience.check(city)
    except AudienceError as exc:
        return f"audience: {exc}"
    return f"refused: {reason}"


def _local(moment: dt.datetime, city: CityConfig) -> str:
    return f"{moment.astimezone(ZoneInfo(city.city.timezone)):%Y-%m-%d %H:%M} ({city.city.timezone})"


# -- the commands --------------------------------------------------------------------------
def _create(args: argparse.Namespace, settings: Settings) -> None:
    city = city_of(settings)
    draft = read_poll_file(Path(args.file), city, system_clock())

    async def work(factory: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
        async with factory() as session:
            try:
                poll = await PollService(session, city).create(None, draft)
            except PollRefused as exc:  # checked above: only a clock crossing the closing time
                raise PollFileError(f"{args.file}: refused ({exc.reason})") from None
            poll_id = int(poll.id or 0)
            return poll_id, await repository.audience_size(session, poll_id) or 0

    poll_id, size = asyncio.run(with_database(settings, work))
    print(f"poll {poll_id} created; audience size {size:,} (queued for `sotong worker` to send); "
          f"it closes {_local(draft.closes_at, city)}")


def _list(_args: argparse.Namespace, settings: Settings) -> None:
    city = city_of(settings)

    async def work(factory: async_sessionmaker[AsyncSession]) -> list[tuple[Any, int, int | None]]:
        async with factory() as session:
            return await PollService(session, city).listing(LISTED)

    listed = asyncio.run(with_database(settings, work))
    if not listed:
        print("no polls yet: `sotong polls create FILE.toml` creates one")
        return
    rows = [("id", "state", "closes", "answered", "asked", "question")]
    for head, answered, asked in listed:
        state = "closed" if head.closed else "open"
        rows.append((str(head.id), state, _local(head.closes_at, city).split(" (")[0], str(answered),
                     "-" if asked is None else str(asked), _short(head.question["ko"], 60)))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]))


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _export(args: argparse.Namespace, settings: Settings) -> None:
    city = city_of(settings)

    async def work(factory: async_sessionmaker[AsyncSession]) -> PollResults | None:
        async with factory() as session:
            return await PollService(session, city).results(args.poll_id)

    results = asyncio.run(with_database(settings, work))
    if results is None:
        raise OperatorError(f"no poll {args.poll_id}: `sotong polls list` shows the polls")
    text = results_csv(results, city)
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OperatorError(f"--out {args.out}: cannot be written: {exc.strerror}") from None
    if not results.poll.closed:
        print(f"poll {results.poll.id} is still open: these are the counts so far", file=sys.stderr)


def results_csv(results: PollResults, city: CityConfig) -> str:
    """One row per option and district (every district of the city file, then any other the
    answers name, then residents without one, written as an empty district), the option's
    total (district ALL); then the same for residents who answered (option 0)."""
    counted = dict(results.by_district)
    codes: list[str | None] = [district.code for district in city.districts]
    codes += [code for code in counted if code not in codes]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    poll = results.poll
    for option in poll.options:
        for code in codes:
            count = counted[code].of(option.position) if code in counted else 0
            writer.writerow((poll.id, option.position, option.text["ko"], option.text["en"], code or "", count))
        writer.writerow((poll.id, option.position, option.text["ko"], option.text["en"], ALL,
                         results.total.of(option.position)))
    for code in codes:
        answered = counted[code].answered if code in counted else 0
        writer.writerow((poll.id, RESPONDENTS, "", "", code or "", answered))
    writer.writerow((poll.id, RESPONDENTS, "", "", ALL, results.total.answered))
    return buffer.getvalue()


ACTIONS: dict[str, tuple[Callable[[argparse.Namespace, Settings], None], str]] = {
    "create": (_create, "create a poll from a TOML file and queue it to its audience; prints its id and the "
                        "audience size"),
    "list": (_list, "the latest polls: state, closing time, residents who answered and who were asked"),
    "export": (_export, "a poll's results as CSV: answers per option and district, totals, and residents who "
                        "answered (option 0)"),
}


def cmd_polls(args: argparse.Namespace, settings: Settings) -> None:
    ACTIONS[args.action][0](args, settings)


def _poll_id(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 2_147_483_647:
        raise argparse.ArgumentTypeError(f"'{text}' is not a poll id (`sotong polls list` shows them)")
    return int(text)


def polls_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("example: sotong polls create config/poll-example.toml; the poll goes out with "
                     "`sotong worker`, which also closes it and sends the results chart")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, (_func, help_text) in ACTIONS.items():
        action = actions.add_parser(name, help=help_text, description=help_text)
        if name == "create":
            action.add_argument("file", metavar="FILE.toml", help="the poll (see config/poll-example.toml)")
        if name == "export":
            action.add_argument("poll_id", type=_poll_id, metavar="ID", help="the poll's id")
            action.add_argument("--out", metavar="FILE", default=None, help="write the CSV here instead of stdout")
