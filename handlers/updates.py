"""What residents receive about the city's side of an item: a new stage, a department's answer,
and "Is it fixed?" (rendered from outbox rows by bot/notices.py, in each resident's language)."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.notices import Outgoing, Texts, renders
from handlers.callbacks import FollowupCb, ItemAction, ItemCb, ReplyCb
from handlers.card_view import department_name
from handlers.quote import MESSAGE, NOTE, TITLE, fit, units
from storage.vocabulary import NoticeKind


def _quoted(texts: Texts, text: str, limit: int) -> str:
    return fit(text, limit, texts("text-shortened"))


def _open_button(texts: Texts, item_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=texts("update-open"),
                                callback_data=ItemCb(action=ItemAction.CARD, item=item_id).pack())


def _head(texts: Texts, key: str, args: dict[str, Any], **kw: Any) -> str:
    return texts(key, number=args["number"], title=_quoted(texts, args["title"], TITLE), **kw)


@renders(NoticeKind.STATUS)
def status_update(out: Outgoing) -> SendMessage:
    args, texts = out.args, out.texts
    lines = [_head(texts, "update-status", args, status=texts(f"status-{args['to_status']}"))]
    if args.get("note"):
        lines.append(texts("update-note", note=_quoted(texts, args["note"], NOTE)))
    markup = InlineKeyboardMarkup(inline_keyboard=[[_open_button(texts, args["item_id"])]])
    return SendMessage(chat_id=out.chat_id, text="\n".join(lines), reply_markup=markup)


@renders(NoticeKind.ANSWER)
def answer_update(out: Outgoing) -> SendMessage:
    args, texts = out.args, out.texts
    department = department_name(out.city, args["department"], texts.language)
    head = _head(texts, "update-answer", args, department=department) + "\n\n"
    # The answer stays outside Fluent (whose placeables stop at 2,500) and gets the room left.
    text = head + _quoted(texts, args["body"], MESSAGE - units(head))
    rows = [[_open_button(texts, args["item_id"])]]
    if out.resident_id is not None and out.resident_id == args.get("filer_id"):
        rows[0].append(InlineKeyboardButton(text=texts("update-reply"),
                                            callback_data=ReplyCb(answer=args["answer_id"]).pack()))
    return SendMessage(chat_id=out.chat_id, text=text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@renders(NoticeKind.FOLLOWUP)
def followup_question(out: Outgoing) -> SendMessage:
    args, texts = out.args, out.texts
    item_id = args["item_id"]
    markup = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=texts("followup-yes"), callback_data=FollowupCb(item=item_id, fixed=True).pack()),
         InlineKeyboardButton(text=texts("followup-no"), callback_data=FollowupCb(item=item_id, fixed=False).pack())],
        [_open_button(texts, item_id)],
    ])
    return SendMessage(chat_id=out.chat_id, text=_head(texts, "followup-ask", args), reply_markup=markup)
