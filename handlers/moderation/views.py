"""What a moderator reads about a hidden target: one builder for the push (rendered by the
outbox sender) and for /moderate, so both say the same. Everything residents typed is escaped
and cut to its room: at their maximum, full of '<&>', the message stays under 4,096."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.moderation.callbacks import Choice, ModCb
from handlers.quote import TITLE, fit
from storage.city import CityConfig
from storage.services.bans import is_forever
from storage.vocabulary import ReportTarget

T = Callable[..., str]  # i18n.get in handlers, Texts in renderers: t("key", name=value)
TEXT = 2000  # the item's body or the comment
NAME = 100  # a moderator's name in the history
PAST_SHOWN = 5  # the latest decisions on the target


def case_text(t: T, args: dict[str, Any]) -> str:
    lines = [t("moderation-case-head", target=args["target"], number=args["number"],
               title=fit(args["title"], TITLE, t("text-shortened")))]
    lines += ["", fit(args["text"], TEXT, t("text-shortened")), ""]
    lines += [t("moderation-reason-line", reason=t(f"report-reason-{reason}"), count=f"{count:,}")
              for reason, count in args["reasons"].items()]
    for past in args.get("past", [])[-PAST_SHOWN:]:
        lines.append(t("moderation-past", moderator=fit(past["moderator"], NAME, "…"),
                       decision=t(f"moderation-decision-{past['decision']}")))
    return "\n".join(lines)


def case_markup(t: T, target: str, target_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for choice in Choice:
        builder.button(text=t(f"moderation-btn-{choice}"),
                       callback_data=ModCb(choice=choice, target=ReportTarget(target), id=target_id))
    builder.adjust(2, 3)
    return builder.as_markup()


def until_text(t: T, city: CityConfig, until: dt.datetime | str | None) -> str:
    """"until 2026-11-27 18:00" in the city's time, or "for good"."""
    if until is None:
        return ""
    moment = dt.datetime.fromisoformat(until) if isinstance(until, str) else until
    if is_forever(moment):
        return t("moderation-forever")
    return t("moderation-until", time=f"{moment.astimezone(ZoneInfo(city.city.timezone)):%Y-%m-%d %H:%M}")


def decided_text(t: T, city: CityConfig, args: dict[str, Any]) -> str:
    """The note to the other moderators: who decided what on which target."""
    return t("moderation-decided", moderator=fit(args["moderator"], NAME, "…"), target=args["target"],
             number=args["number"], title=fit(args["title"], TITLE, t("text-shortened")),
             decision=t(f"moderation-decision-{args['decided']}"),
             until=until_text(t, city, args.get("banned_until")))
