"""How the sender renders a broadcast's message for one resident (bot/notices.py)."""

from __future__ import annotations

from html import escape

from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import BufferedInputFile

from bot.notices import Outgoing, renders
from storage.vocabulary import NoticeKind


@renders(NoticeKind.BROADCAST)
def announcement(out: Outgoing) -> SendMessage | SendPhoto:
    """The city's heading and the text in the resident's language (else the other one), under
    its photo when it has one. The texts were checked against their limits when composed."""
    content = out.broadcast
    if content is None:
        raise LookupError("a broadcast message without its broadcast")
    language = out.texts.language
    text = out.texts("broadcast-heading", city=out.city.city.name(language)) + "\n\n" + escape(content.text(language))
    paid = content.paid or None  # sent only when the city allows paid broadcasts
    photo = content.photo(language)
    if photo is None:
        return SendMessage(chat_id=out.chat_id, text=text, allow_paid_broadcast=paid)
    source = photo.file_id or BufferedInputFile(photo.data or b"", filename=f"{content.id}.jpg")
    return SendPhoto(chat_id=out.chat_id, photo=source, caption=text, allow_paid_broadcast=paid)
