"""How an item card looks: stage, progress toward the next threshold, the buttons."""

from __future__ import annotations

import datetime as dt
import math
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from handlers.callbacks import BrowseCb, ItemCb, MyItemsCb
from storage.city import CityConfig
from storage.lifecycle import Status
from storage.models import Item, Resident
from storage.services.items import Card

BAR_CELLS = 5
STANCE_ICONS = {"support": "👍", "oppose": "👎", "neutral": "🤔"}


def progress_bar(count: int, goal: int) -> str:
    filled = min(BAR_CELLS, math.floor(BAR_CELLS * count / goal)) if goal else BAR_CELLS
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def days_left(deadline: dt.datetime | None, now: dt.datetime) -> int:
    if deadline is None:
        return 0
    return max(0, math.ceil((deadline - now).total_seconds() / 86400))


def progress_line(i18n: I18nContext, item: Item, now: dt.datetime) -> str | None:
    """"▰▰▰▱▱ 32/50 · 12 days left" toward the goal of the stage the proposal is in."""
    if item.status == Status.COLLECTING and item.endorsement_goal:
        count, goal, key = item.endorsement_count, item.endorsement_goal, "card-progress-endorse"
    elif item.status == Status.DISCUSSION and item.participant_goal:
        count, goal, key = item.participant_count, item.participant_goal, "card-progress-discuss"
    else:
        return None
    return i18n.get(key, bar=progress_bar(count, goal), count=count, goal=goal,
                    days=days_left(item.stage_deadline, now))


def short_label(i18n: I18nContext, item: Item) -> str:
    """One line for lists: number, title and where it stands."""
    if item.status == Status.COLLECTING and item.endorsement_goal:
        where = f"{item.endorsement_count}/{item.endorsement_goal}"
    else:
        where = i18n.get(f"status-{item.status}")
    return f"{item.title[:34]} · {where}"


def card_text(i18n: I18nContext, city: CityConfig, card: Card, now: dt.datetime) -> str:
    item = card.item
    category, district = city.category(item.category), city.district(item.district)
    lines = [
        i18n.get("card-head", number=item.public_number, kind=i18n.get(f"kind-{item.kind}"),
                 title=escape(item.title),
                 category=category.name(i18n.locale) if category else item.category,
                 district=district.name(i18n.locale) if district else item.district,
                 status=i18n.get(f"status-{item.status}")),
    ]
    progress = progress_line(i18n, item, now)
    if progress:
        lines.append(progress)
    if item.kind == "proposal" and item.status != Status.COLLECTING:
        lines.append(i18n.get("card-endorsements", count=item.endorsement_count))
    if card.stance_counts:
        lines.append(" · ".join(f"{icon} {card.stance_counts.get(s, 0)}" for s, icon in STANCE_ICONS.items()))
    body = item.body if len(item.body) <= 600 else item.body[:600] + "…"
    lines += ["", escape(body)]
    if card.endorsed:
        lines.append("\n" + i18n.get("card-you-endorsed"))
    return "\n".join(lines)


def card_markup(i18n: I18nContext, card: Card, resident: Resident, back: str, page: int) -> InlineKeyboardMarkup:
    item = card.item
    builder = InlineKeyboardBuilder()
    sizes = []

    def add(key: str, action: str, **kw) -> None:  # type: ignore[no-untyped-def]
        builder.button(text=i18n.get(key, **kw), callback_data=ItemCb(action=action, item=item.id, back=back, page=page))

    first_row = 0
    if item.status == Status.COLLECTING and item.resident_id != resident.id:
        add("card-withdraw" if card.endorsed else "card-endorse", "withdraw" if card.endorsed else "endorse",
            count=item.endorsement_count)
        first_row += 1
    if item.kind == "proposal" and item.status not in (Status.COLLECTING, Status.WITHDRAWN, Status.EXPIRED):
        add("card-discuss", "discuss")
        first_row += 1
    if first_row:
        sizes.append(first_row)
    add("card-unfollow" if card.following else "card-follow", "unfollow" if card.following else "follow")
    if not item.is_private:
        add("card-share", "share")
        sizes.append(2)
    else:
        sizes.append(1)
    back_button = _back_button(i18n, back, page)
    if back_button:
        builder.button(text=i18n.get("card-back"), callback_data=back_button)
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def _back_button(i18n: I18nContext, back: str, page: int):  # type: ignore[no-untyped-def]
    if back == "b":
        return BrowseCb(action="page", page=page)
    if back == "m":
        return MyItemsCb(action="page", page=page)
    if back == "e":
        return MyItemsCb(action="endorsed", page=page)
    return None
