"""What an official reads: the push, the item in the official view, and their buttons.

One text builder for the push (rendered by the outbox sender, in the official's language)
and for the view the handlers draw, so both say the same. Everything a resident or an
official typed is escaped and cut to its room: with every text at its maximum and full of
characters escaping lengthens, the message stays under Telegram's 4,096.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.notices import Texts
from handlers.officials.callbacks import InboxCb, OfficialAction, OfficialCb
from handlers.quote import TITLE, fit
from storage.city import CityConfig
from storage.services.officials import OfficialView, ThreadEntry
from storage.vocabulary import AnswerAuthor, AssignmentState

NAME = 300  # a filer's name (256 characters at most)
ADDRESS = 300  # an address an Open311 client sent (250 characters at most)


@dataclass(frozen=True)
class Room:
    """Room, in UTF-16 units of escaped text, for what others typed in one message."""

    body: int
    note: int
    thread_entry: int


PUSH = Room(body=2000, note=600, thread_entry=0)
# The view adds the thread's last messages, so the item's own text gets less room.
VIEW = Room(body=1000, note=300, thread_entry=250)

STATE_KEYS = {
    AssignmentState.NEW: "officials-state-new",
    AssignmentState.ACKNOWLEDGED: "officials-state-acknowledged",
    AssignmentState.ANSWERED: "officials-state-answered",
    AssignmentState.TRANSFERRED: "officials-state-transferred",
    AssignmentState.DECLINED: "officials-state-declined",
}


def cut(t: Texts, text: str, limit: int) -> str:
    return fit(text, limit, t("text-shortened"))


def department_name(t: Texts, city: CityConfig, code: str) -> str:
    return escape(city.department_name(code, t.language), quote=False)


def local_time(city: CityConfig, moment: dt.datetime) -> str:
    return f"{city.local(moment):%Y-%m-%d %H:%M}"


def item_lines(t: Texts, city: CityConfig, args: dict[str, Any], room: Room) -> list[str]:
    """The push's content: number, kind, title, where, who, when it is due, and the text."""
    district, category = city.district(args["district"]), city.category(args["category"])
    lines = [
        t("officials-push-head", number=args["number"], kind=t(f"kind-{args['kind']}")),
        t("officials-push-title", title=cut(t, args["title"], TITLE)),
        t("officials-push-where", district=escape(district.name(t.language) if district else args["district"]),
          category=escape(category.name(t.language) if category else args["category"])),
        t("officials-push-department", department=department_name(t, city, args["department"])),
        t("officials-push-filer", filer=filer_text(t, args)),
        t("officials-push-due", due=local_time(city, dt.datetime.fromisoformat(args["due_at"]))),
    ]
    if args.get("address"):
        lines.append(t("open311-push-address", address=cut(t, args["address"], ADDRESS)))
    if args.get("reopened"):
        lines.append(t("officials-push-reopened"))
    if args.get("transferred_from"):
        lines.append(t("officials-push-transferred", department=department_name(t, city, args["transferred_from"]),
                       note=cut(t, args.get("note") or "", room.note)))
    return [*lines, "", cut(t, args["body"], room.body)]


def filer_text(t: Texts, args: dict[str, Any]) -> str:
    """The filer's name, "anonymous", or the Open311 client an item came through (no name)."""
    if args.get("api_client"):
        return t("open311-filer", client=escape(args["api_client"]))
    return cut(t, args["filer"], NAME) if args.get("filer") else t("officials-anonymous")


def push_text(t: Texts, city: CityConfig, args: dict[str, Any]) -> str:
    return "\n".join(item_lines(t, city, args, PUSH))


def view_text(t: Texts, city: CityConfig, view: OfficialView) -> str:
    lines = item_lines(t, city, view.args, VIEW)
    lines += ["", t("officials-view-state", state=t(STATE_KEYS[AssignmentState(view.state)]),
                    status=t(f"status-{view.status}"))]
    if view.thread:
        lines.append(t("officials-thread-head", count=view.thread_total))
        lines += [thread_line(t, city, entry) for entry in view.thread]
    return "\n".join(lines)


def thread_line(t: Texts, city: CityConfig, entry: ThreadEntry) -> str:
    body, date = cut(t, entry.body, VIEW.thread_entry), local_time(city, entry.created_at)
    if entry.author == AnswerAuthor.FILER:
        return t("officials-thread-filer", date=date, body=body)
    return t("officials-thread-department", department=department_name(t, city, entry.department),
             date=date, body=body)


def actions_markup(t: Texts, assignment_id: int, private: bool = False, inbox: bool = False,
                   acknowledged: bool = False) -> InlineKeyboardMarkup:
    """Acknowledge (until done), Answer, Transfer (never for a private item), Not ours, Set status."""
    builder = InlineKeyboardBuilder()
    buttons = [(OfficialAction.ACKNOWLEDGE, "officials-btn-acknowledge"), (OfficialAction.ANSWER, "officials-btn-answer"),
               (OfficialAction.TRANSFER, "officials-btn-transfer"), (OfficialAction.DECLINE, "officials-btn-decline"),
               (OfficialAction.STATUS, "officials-btn-status")]
    for action, key in buttons:
        if (action is OfficialAction.TRANSFER and private) or (action is OfficialAction.ACKNOWLEDGE and acknowledged):
            continue
        builder.button(text=t(key), callback_data=OfficialCb(action=action, assignment=assignment_id))
    if inbox:
        builder.button(text=t("officials-btn-inbox"), callback_data=InboxCb(page=0))
    builder.adjust(2)
    return builder.as_markup()


def view_markup(t: Texts, view: OfficialView) -> InlineKeyboardMarkup | None:
    """The actions while the department still holds the item; only the inbox once it let go."""
    if view.state not in (AssignmentState.NEW, AssignmentState.ACKNOWLEDGED, AssignmentState.ANSWERED):
        builder = InlineKeyboardBuilder()
        builder.button(text=t("officials-btn-inbox"), callback_data=InboxCb(page=0))
        return builder.as_markup()
    return actions_markup(t, view.args["assignment_id"], view.private, inbox=True,
                          acknowledged=view.state != AssignmentState.NEW)
