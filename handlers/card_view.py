"""How an item card looks: stage, progress toward the next threshold, the buttons."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from handlers.callbacks import BrowseAction, BrowseCb, CardOrigin, ItemAction, ItemCb, MineAction, MyItemsCb
from handlers.quote import ANSWER_IN_CARD, BODY_IN_CARD, MESSAGE, TITLE, quote, units
from storage.city import CityConfig
from storage.lifecycle import Kind, Status, has_discussion
from storage.models import Item, Resident, stored_id
from storage.services.items import Card
from storage.services.thread import Entry, Thread
from storage.visibility import is_public
from storage.vocabulary import AnswerAuthor, Stance

BAR_CELLS = 5
STANCE_ICONS = {Stance.SUPPORT: "👍", Stance.OPPOSE: "👎", Stance.NEUTRAL: "🤔"}


_FIXED: dict[tuple[str, str], str] = {}


def fixed(i18n: I18nContext, key: str) -> str:
    """A text without variables, formatted once per language: cards are drawn on every tap."""
    cache_key = (i18n.locale, key)
    if cache_key not in _FIXED:
        _FIXED[cache_key] = i18n.get(key)
    return _FIXED[cache_key]


def num(value: int) -> str:
    """12,345: the same grouping in Korean and English, without Fluent's slower NUMBER()."""
    return f"{value:,}"


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
    return i18n.get(key, bar=progress_bar(count, goal), count=num(count), goal=num(goal),
                    days=num(days_left(item.stage_deadline, now)))


def short_label(i18n: I18nContext, item: Item) -> str:
    """One line for lists: number, title and where it stands."""
    if item.status == Status.COLLECTING and item.endorsement_goal:
        where = f"{item.endorsement_count}/{item.endorsement_goal}"
    else:
        where = fixed(i18n, f"status-{item.status}")
    return f"{item.title[:34]} · {where}"


def card_text(i18n: I18nContext, city: CityConfig, card: Card, now: dt.datetime) -> str:
    item = card.item
    category, district = city.category(item.category), city.district(item.district)
    lines = [
        i18n.get("card-head", number=item.public_number, kind=fixed(i18n, f"kind-{item.kind}"),
                 title=quote(i18n, item.title, TITLE),
                 category=category.name(i18n.locale) if category else item.category,
                 district=district.name(i18n.locale) if district else item.district,
                 status=fixed(i18n, f"status-{item.status}")),
    ]
    progress = progress_line(i18n, item, now)
    if progress:
        lines.append(progress)
    if item.kind == Kind.PROPOSAL and item.status != Status.COLLECTING:
        lines.append(i18n.get("card-endorsements", count=num(item.endorsement_count)))
    if card.stance_counts:
        lines.append(" · ".join(f"{icon} {card.stance_counts.get(s, 0)}" for s, icon in STANCE_ICONS.items()))
    lines += ["", quote(i18n, item.body, BODY_IN_CARD)]
    if card.endorsed:
        lines.append("\n" + fixed(i18n, "card-you-endorsed"))
    text = "\n".join(lines)
    return text + thread_text(i18n, city, card.thread, MESSAGE - units(text))


# Kept free under a card's thread for its heading and the line counting what it could not show.
OMITTED_ROOM = 120


def thread_text(i18n: I18nContext, city: CityConfig, thread: Thread, room: int) -> str:
    """The departments an item went to (✅ once answered) and the newest messages of its
    thread that fit in `room`, oldest first, with how many earlier ones are not shown."""
    if not thread.departments and not thread.entries:
        return ""
    parts = []
    if thread.departments:
        names = " · ".join(f"{department_name(city, d.department, i18n.locale)} {'✅' if d.answered else '⏳'}"
                           for d in thread.departments)
        parts.append(i18n.get("card-departments", departments=names))
    head = "\n\n" + "\n".join(parts)
    room -= units(head) + OMITTED_ROOM
    shown: list[str] = []
    for entry in reversed(thread.entries):  # the newest first, until the room is used
        block = "\n\n" + _entry(i18n, city, entry)
        if units(block) > room:
            break
        room -= units(block)
        shown.insert(0, block)
    omitted = thread.total - len(shown)
    if thread.total:
        head += "\n\n" + fixed(i18n, "card-thread-head")
    if omitted:
        head += "\n" + i18n.get("card-thread-omitted", count=num(omitted))
    return head + "".join(shown)


def department_name(city: CityConfig, code: str, locale: str) -> str:
    """The department's name in the resident's language; the code of one the city file no
    longer lists (the platform may have answered for it)."""
    return city.department_name(code, locale)


def _entry(i18n: I18nContext, city: CityConfig, entry: Entry) -> str:
    key = "card-reply" if entry.author == AnswerAuthor.FILER else "card-answer"
    date = city.local(entry.created_at).strftime("%Y-%m-%d")
    header = i18n.get(key, department=department_name(city, entry.department, i18n.locale), date=date)
    return header + "\n" + quote(i18n, entry.body, ANSWER_IN_CARD)


def card_markup(i18n: I18nContext, card: Card, resident: Resident, back: CardOrigin, page: int) -> InlineKeyboardMarkup:
    """Built row by row without InlineKeyboardBuilder: this runs on every endorsement."""
    item, item_id = card.item, stored_id(card.item)

    def button(key: str, action: ItemAction, **kw: Any) -> InlineKeyboardButton:
        data = ItemCb(action=action, item=item_id, back=back, page=page).pack()
        return InlineKeyboardButton(text=i18n.get(key, **kw) if kw else fixed(i18n, key), callback_data=data)

    first: list[InlineKeyboardButton] = []
    if item.status == Status.COLLECTING and item.resident_id != resident.id:
        count = num(item.endorsement_count)
        first.append(button("card-withdraw", ItemAction.WITHDRAW, count=count) if card.endorsed
                     else button("card-endorse", ItemAction.ENDORSE, count=count))
    if has_discussion(item):
        first.append(button("card-discuss", ItemAction.DISCUSS))
    if item.kind == Kind.PROPOSAL and item.status == Status.COLLECTING and item.resident_id == resident.id:
        first.append(button("card-retract", ItemAction.RETRACT))
    # A private complaint is seen by its filer and the city only: nothing to follow or share.
    second = [] if item.is_private else [
        button("card-unfollow", ItemAction.UNFOLLOW) if card.following else button("card-follow", ItemAction.FOLLOW),
        button("card-share", ItemAction.SHARE),
    ]
    if is_public(item) and item.resident_id != resident.id:
        second.append(button("report-button", ItemAction.REPORT))
    rows = [row for row in (first, second) if row]
    back_data = _back_button(back, page)
    if back_data is not None:
        rows.append([InlineKeyboardButton(text=fixed(i18n, "card-back"), callback_data=back_data.pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


# Where Back on a card leads, by where the card was opened from.
BACK: dict[CardOrigin, Callable[[int], CallbackData]] = {
    CardOrigin.BROWSE: lambda page: BrowseCb(action=BrowseAction.PAGE, page=page),
    CardOrigin.MINE: lambda page: MyItemsCb(action=MineAction.PAGE, page=page),
    CardOrigin.ENDORSED: lambda page: MyItemsCb(action=MineAction.ENDORSED, page=page),
}


def _back_button(back: CardOrigin, page: int) -> CallbackData | None:
    target = BACK.get(back)
    return target(page) if target else None
