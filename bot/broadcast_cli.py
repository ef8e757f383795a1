"""`sotong broadcast` (queue an announcement from files) and `sotong broadcasts` (list them,
pause, resume or cancel one), as an operator runs them.

Two commands rather than one with actions: `sotong broadcast --text-ko FILE ...` is the
issue's own syntax, and argparse cannot put optional sub-actions beside options; `sotong
broadcasts list|pause|resume|cancel` then reads like `sotong officials list`.

The broadcast is checked and queued by storage/services/broadcasts.py, as one composed in the
bot is (the operator is its author: author None); `sotong worker` sends it.
"""

from __future__ import annotations

import argparse
import asyncio
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli_support import city_of, with_database
from bot.failures import OperatorError
from bot.settings import Settings
from storage import rules
from storage.audience import Audience, AudienceError
from storage.city import CityConfig
from storage.repositories.broadcasts import Summary
from storage.services.broadcasts import BroadcastRefused, BroadcastService, PhotoSource
from storage.vocabulary import BroadcastState

T = TypeVar("T")

# The formats Telegram takes as a photo, by the bytes a file of each begins with.
PHOTO_SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


def photo_format(data: bytes) -> str | None:
    """JPEG, PNG or WEBP when `data` looks like one; None otherwise."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return next((name for signature, name in PHOTO_SIGNATURES.items() if data.startswith(signature)), None)


def _read(option: str, path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OperatorError(f"{option}: cannot read '{path}': {exc.strerror or exc}") from None


def read_texts(args: argparse.Namespace) -> dict[str, str]:
    """The texts of --text-ko and --text-en (UTF-8 files); one of them at least."""
    given = {language: path for language, path in (("ko", args.text_ko), ("en", args.text_en)) if path}
    if not given:
        raise OperatorError("give the text: --text-ko FILE, --text-en FILE or both (UTF-8 text files)")
    texts = {}
    for language, path in given.items():
        try:
            texts[language] = _read(f"--text-{language}", path).decode("utf-8")
        except UnicodeDecodeError:
            raise OperatorError(f"--text-{language}: '{path}' is not UTF-8 text") from None
    return texts


def read_photo(path: Path | None) -> PhotoSource | None:
    if path is None:
        return None
    data = _read("--photo", path)
    if len(data) > rules.BROADCAST_PHOTO_MAX_BYTES:
        raise OperatorError(f"--photo: '{path}' has {len(data):,} bytes; a photo may have at most "
                            f"{rules.BROADCAST_PHOTO_MAX_BYTES:,}")
    if photo_format(data) is None:
        raise OperatorError(f"--photo: '{path}' is not a JPEG, PNG or WEBP image")
    return PhotoSource(data=data)


def check_texts(service: BroadcastService, texts: dict[str, str], photo: PhotoSource | None) -> None:
    """The service's check, one language at a time, so the refusal names the file at fault."""
    if not any(text.strip() for text in texts.values()):
        raise OperatorError("the text files are empty: nothing to broadcast")
    limit = rules.broadcast_text_max(photo is not None)
    for language, text in texts.items():
        try:
            service.check_texts({language: text}, photo)
        except BroadcastRefused as exc:
            if exc.reason == "too-long":
                raise OperatorError(f"--text-{language}: {rules.units(text.strip()):,} characters (an emoji counts "
                                    f"as two); a broadcast's text may have "
                                    f"at most {limit:,}{' under a photo' if photo else ''}") from None
            if exc.reason != "empty":  # one empty language falls back to the other
                raise OperatorError(f"--text-{language}: refused ({exc.reason})") from None


def audience_of(args: argparse.Namespace, city: CityConfig) -> Audience:
    audience = Audience(everyone=args.everyone, districts=tuple(dict.fromkeys(args.district)),
                        categories=tuple(dict.fromkeys(args.category)), topics=tuple(dict.fromkeys(args.topic)))
    if audience.is_empty():
        raise OperatorError("name the audience: --everyone, --district CODE, --category CODE or --topic CODE")
    try:
        audience.check(city)
    except AudienceError as exc:
        raise OperatorError(f"{exc}; {_known(audience, city)}") from None
    return audience


def _known(audience: Audience, city: CityConfig) -> str:
    """The codes the city file has, for each kind of code the audience names wrongly."""
    kinds = (("districts", audience.districts, city.districts), ("categories", audience.categories, city.categories),
             ("topics", audience.topics, city.topics))
    return "; ".join(f"the city file's {name}: {', '.join(item.code for item in known) or 'none'}"
                     for name, named, known in kinds if any(code not in {i.code for i in known} for code in named))


def describe(audience: Audience) -> str:
    parts = ["everyone"] if audience.everyone else []
    parts += [f"{name} {', '.join(codes)}" for name, codes in (("districts", audience.districts),
                                                               ("categories", audience.categories),
                                                               ("topics", audience.topics)) if codes]
    return "; ".join(parts)


async def _with_service(settings: Settings, city: CityConfig, work: Callable[[BroadcastService], Awaitable[T]]) -> T:

    async def run(factory: async_sessionmaker[AsyncSession]) -> T:
        async with factory() as session:
            return await work(BroadcastService(session, city))

    return await with_database(settings, run)


def cmd_broadcast(args: argparse.Namespace, settings: Settings) -> None:
    city = city_of(settings)
    texts, photo = read_texts(args), read_photo(args.photo)
    audience = audience_of(args, city)

    async def queue(service: BroadcastService) -> tuple[int, int | None]:
        check_texts(service, texts, photo)
        size = await service.audience_size(audience)
        if size == 0:
            raise OperatorError(f"nobody is in this audience ({describe(audience)}): no resident there takes "
                                "these broadcasts (Settings › Broadcasts) without having blocked the bot; "
                                "nothing was queued")
        if args.dry_run:
            return size, None
        broadcast = await service.announce(None, texts, audience, photo=photo)
        return broadcast.audience_size, broadcast.id

    size, broadcast_id = asyncio.run(_with_service(settings, city, queue))
    print(f"audience: {size:,} resident(s) ({describe(audience)})")
    if broadcast_id is None:
        print("dry run: nothing was queued")
        return
    rate = float(city.broadcasts.paid_rate) if city.broadcasts.paid else settings.send_rate
    print(f"queued as broadcast {broadcast_id}: `sotong worker` sends it after any pending notices, in about "
          f"{_duration(size / rate)} at {rate:g} messages a second; `sotong broadcasts list` shows how far it is")


def _duration(seconds: float) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{math.ceil(seconds)} s" if seconds < 90 else f"{minutes} min"


def broadcast_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("example: sotong broadcast --text-ko cut.ko.txt --text-en cut.en.txt --district nam --dry-run; "
                     "a resident gets the text in their language, else the other one")
    parser.add_argument("--text-ko", type=Path, metavar="FILE", help="the Korean text (UTF-8 file)")
    parser.add_argument("--text-en", type=Path, metavar="FILE", help="the English text (UTF-8 file)")
    parser.add_argument("--photo", type=Path, metavar="FILE",
                        help=f"a JPEG, PNG or WEBP photo (at most {rules.BROADCAST_PHOTO_MAX_BYTES // 2**20} MB); "
                             f"the text then goes as its caption (at most {rules.BROADCAST_CAPTION_MAX} characters)")
    for option, what in (("--district", "residents of the district"),
                         ("--category", "residents following an item of the category"),
                         ("--topic", "residents who picked the topic")):
        parser.add_argument(option, action="extend", nargs="+", default=[], metavar="CODE",
                            help=f"{what} (a code of the city file; several may be given)")
    parser.add_argument("--everyone", action="store_true", help="every resident who takes city-wide broadcasts")
    parser.add_argument("--dry-run", action="store_true", help="print the audience's size, queue nothing")


def _list(args: argparse.Namespace, settings: Settings) -> None:
    city = city_of(settings)
    listed = asyncio.run(_with_service(settings, city, lambda service: service.recent(args.limit)))
    if not listed:
        print("no broadcast yet: `sotong broadcast` queues one")
        return
    zone = ZoneInfo(city.city.timezone)
    rows = [("id", "kind", "state", "size", "sent", "failed", "blocked", "pending", "cancelled", "created"),
            *(_row(summary, zone) for summary in listed)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _row(summary: Summary, zone: ZoneInfo) -> tuple[str, ...]:
    done = summary.progress
    return (str(summary.id), summary.kind, summary.state, str(summary.audience_size), str(done.sent),
            str(done.failed), str(done.blocked), str(done.pending), str(done.cancelled),
            f"{summary.created_at.astimezone(zone):%Y-%m-%d %H:%M}")


# What each operator action moves a broadcast to, and from which states (BroadcastService.MOVES).
CONTROLS = {"pause": BroadcastState.PAUSED, "resume": BroadcastState.SENDING, "cancel": BroadcastState.CANCELLED}
FROM = {"pause": "sending", "resume": "paused", "cancel": "sending or paused"}
DONE = {"pause": "paused", "resume": "resumed", "cancel": "cancelled"}


def _control(args: argparse.Namespace, settings: Settings) -> None:
    to_state = CONTROLS[args.action]

    async def move(service: BroadcastService) -> None:
        if not await service.control_as_operator(args.id, to_state):
            state = await service.state_of(args.id)
            if state is None:
                raise OperatorError(f"there is no broadcast {args.id}: `sotong broadcasts list` shows them")
            raise OperatorError(f"broadcast {args.id} is {state}; only a {FROM[args.action]} broadcast can be "
                                f"{DONE[args.action]}")
        done = await service.progress(args.id)
        print(f"broadcast {args.id} is now {to_state.value}: {done.sent} sent, {done.pending} pending, "
              f"{done.cancelled} cancelled")

    asyncio.run(_with_service(settings, city_of(settings), move))


BROADCASTS_ACTIONS: dict[str, tuple[Callable[[argparse.Namespace, Settings], None], str]] = {
    "list": (_list, "list the last broadcasts (newest first) with their messages sent, failed, blocked, pending"),
    "pause": (_control, "pause a broadcast: nothing more is sent until it is resumed"),
    "resume": (_control, "resume a paused broadcast where it stopped"),
    "cancel": (_control, "cancel a broadcast for good: what is not sent yet never will be"),
}


def cmd_broadcasts(args: argparse.Namespace, settings: Settings) -> None:
    BROADCASTS_ACTIONS[args.action][0](args, settings)


def _number(text: str) -> int:
    """A broadcast id or a count: 1 up to what the database's integers hold."""
    if not text.isdigit() or not 1 <= int(text) <= 2_147_483_647:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 1 to 2147483647")
    return int(text)


def broadcasts_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = "example: sotong broadcasts pause 7; a message already sent stays sent"
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, (_func, help_text) in BROADCASTS_ACTIONS.items():
        action = actions.add_parser(name, help=help_text, description=help_text)
        if name == "list":
            action.add_argument("--limit", type=_number, default=20, metavar="N", help="how many (default 20)")
        else:
            action.add_argument("id", type=_number, metavar="ID", help="the broadcast's id (`sotong broadcasts list`)")
