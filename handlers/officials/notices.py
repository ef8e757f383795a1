"""Renderers of what the outbox sends officials and admins (bot/notices.py calls them)."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendLocation, SendMediaGroup, SendMessage, SendPhoto, TelegramMethod
from aiogram.types import InputMediaPhoto
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.notices import Outgoing, renders
from handlers.officials.callbacks import InboxCb, OfficialAction, OfficialCb
from handlers.officials.views import actions_markup, cut, department_name, push_text
from handlers.quote import TITLE
from storage.vocabulary import NoticeKind

ALBUM_MAX = 10  # photos Telegram takes in one media group
REPLY_BODY = 3000  # a filer's reply (the longest answer a thread holds) with room for the rest
ADMIN_VALUE = 600  # each value an admin notice quotes


@renders(NoticeKind.ASSIGNMENT)
def assignment(out: Outgoing) -> TelegramMethod[Any]:
    markup = actions_markup(out.texts, out.args["assignment_id"], private=_private(out))
    return SendMessage(chat_id=out.chat_id, text=push_text(out.texts, out.city, out.args), reply_markup=markup)


def _private(out: Outgoing) -> bool:
    category = out.city.category(out.args.get("category"))
    return bool(category and category.private)


@renders(NoticeKind.ASSIGNMENT_ALBUM)
def album(out: Outgoing) -> TelegramMethod[Any]:
    photos: list[str] = out.args["photos"][:ALBUM_MAX]
    caption = out.texts("officials-album-caption", number=out.args["number"])
    if len(photos) == 1:
        return SendPhoto(chat_id=out.chat_id, photo=photos[0], caption=caption)
    media: list[Any] = [InputMediaPhoto(media=photo, caption=caption if i == 0 else None) for i, photo in enumerate(photos)]
    return SendMediaGroup(chat_id=out.chat_id, media=media)


@renders(NoticeKind.ASSIGNMENT_LOCATION)
def location(out: Outgoing) -> TelegramMethod[Any]:
    return SendLocation(chat_id=out.chat_id, latitude=out.args["lat"], longitude=out.args["lon"])


@renders(NoticeKind.REPLY)
def reply(out: Outgoing) -> TelegramMethod[Any]:
    """The filer's reply to the department's answer, with a way to answer again."""
    t, args = out.texts, out.args
    # The reply itself follows the head outside the Fluent message: a placeable holds at most 1,000.
    head = t("officials-reply", number=args["number"], title=cut(t, args["title"], TITLE),
             department=department_name(t, out.city, args["department"]))
    text = head + "\n\n" + cut(t, args["body"], REPLY_BODY)
    markup = None
    if args.get("assignment_id"):
        builder = InlineKeyboardBuilder()
        builder.button(text=t("officials-btn-answer-again"),
                       callback_data=OfficialCb(action=OfficialAction.ANSWER, assignment=args["assignment_id"]))
        builder.button(text=t("officials-btn-open"),
                       callback_data=OfficialCb(action=OfficialAction.VIEW, assignment=args["assignment_id"]))
        markup = builder.as_markup()
    return SendMessage(chat_id=out.chat_id, text=text, reply_markup=markup)


@renders(NoticeKind.REMINDER)
def reminder(out: Outgoing) -> TelegramMethod[Any]:
    """A department's overdue assignments: how many, the first few, and the way to /inbox."""
    t, args = out.texts, out.args
    lines = [t("officials-reminder", department=department_name(t, out.city, args["department"]), count=args["count"])]
    lines += [t("officials-reminder-item", number=entry["number"], title=cut(t, entry["title"], TITLE))
              for entry in args["items"]]
    builder = InlineKeyboardBuilder()
    builder.button(text=t("officials-btn-inbox"), callback_data=InboxCb(page=0))
    return SendMessage(chat_id=out.chat_id, text="\n".join(lines), reply_markup=builder.as_markup())


@renders(NoticeKind.ADMIN)
def admin(out: Outgoing) -> TelegramMethod[Any]:
    """A notice for admins: args name the text's key and give its values (escaped here)."""
    t = out.texts
    values = {name: cut(t, value, ADMIN_VALUE) if isinstance(value, str) else value
              for name, value in out.args.items() if name != "key"}
    if "department" in out.args:
        values["department"] = department_name(t, out.city, out.args["department"])
    return SendMessage(chat_id=out.chat_id, text=t(out.args["key"], **values))
