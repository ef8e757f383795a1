"""Renderers of the moderation notices (bot/notices.py calls them)."""

from __future__ import annotations

from aiogram.methods import SendMessage

from bot.notices import Outgoing, renders
from handlers.moderation.views import case_markup, case_text, decided_text, until_text
from handlers.quote import TITLE, fit
from storage.vocabulary import NoticeKind


@renders(NoticeKind.MODERATION)
def moderation(out: Outgoing) -> SendMessage:
    """To a moderator: a target reports hid (with the decision buttons), or another
    moderator's decision on one."""
    t, args = out.texts, out.args
    if args.get("decided"):
        return SendMessage(chat_id=out.chat_id, text=decided_text(t, out.city, args))
    return SendMessage(chat_id=out.chat_id, text=case_text(t, args),
                       reply_markup=case_markup(t, args["target"], args["target_id"]))


@renders(NoticeKind.MODERATED)
def moderated(out: Outgoing) -> SendMessage:
    """To the author: under review, restored, or kept hidden (with the reason, and a ban's end)."""
    t, args = out.texts, out.args
    title = fit(args["title"], TITLE, t("text-shortened"))
    lines = [t(f"moderated-{args['state']}", target=args["target"], number=args["number"], title=title)]
    if args.get("reason"):
        lines.append(t("moderated-reason", reason=t(f"report-reason-{args['reason']}")))
    if args.get("banned_until"):
        lines.append(t("moderated-banned", until=until_text(t, out.city, args["banned_until"])))
    return SendMessage(chat_id=out.chat_id, text="\n".join(lines))
