"""Resident text inside the bot's HTML messages: escaped, and never longer than its place.

Every screen that repeats what a resident typed (a title, a description, a comment, a search,
a command) quotes it through here with the room that screen gives it, so the message stays
under Telegram's 4,096 characters and each Fluent placeable under Fluent's 2,500, with the
text at its maximum and full of characters that escaping lengthens. What does not fit is cut
before a whole character (never inside an entity such as &amp;) and says that it was shortened.
"""

from __future__ import annotations

from html import escape

from aiogram.types import Message
from aiogram_i18n import I18nContext

from storage.rules import units

# Room, in UTF-16 code units of the escaped text (how Telegram counts), per place of a quote.
# A screen's fixed text plus its quotes stays well under 4,096; each is far under Fluent's 2,500.
MESSAGE = 4096  # a whole message, the limit every screen stays under
TITLE = 600  # a title of 100 characters fits whole even when every one is escaped
TITLE_IN_LIST = 200  # the similar items under a filing preview
BODY_IN_PREVIEW = 2000
BODY_IN_CARD = 1500
BODY_IN_DETAIL = 1500
COMMENT = 700  # five to a page
NOTE = 1500  # a status event's note, which the city's platform may write at any length
ANSWER_IN_CARD = 1000  # each message of an item's thread on its card, the newest that fit
QUERY = 100
COMMAND = 64


def fit(text: str, limit: int, marker: str) -> str:
    """`text` HTML-escaped, at most `limit` units; when cut, it ends with `marker`."""
    escaped = escape(text, quote=False)
    if units(escaped) <= limit:
        return escaped
    room = limit - units(marker)
    pieces: list[str] = []
    for char in text:
        piece = escape(char, quote=False)
        room -= units(piece)
        if room < 0:
            break
        pieces.append(piece)
    return "".join(pieces).rstrip() + marker


def quote(i18n: I18nContext, text: str, limit: int) -> str:
    """`fit` with the "… (shortened)" marker in the resident's language, looked up only when
    needed: cards are drawn on every tap."""
    escaped = escape(text, quote=False)
    if units(escaped) <= limit:
        return escaped
    return fit(text, limit, i18n.get("text-shortened"))


def command_word(message: Message) -> str:
    """The command a resident typed (its first word), to repeat it in a refusal."""
    words = (message.text or "").split(maxsplit=1)
    return words[0] if words else ""
