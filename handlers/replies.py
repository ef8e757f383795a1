"""Answering a button press by changing the message that carried the button."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.telegram import message_gone

log = logging.getLogger(__name__)

# Telegram failing after bot.telegram_retry's retries. Taking buttons off a message or deleting
# it only tidies up: its failure must not stop what the handler says next (the item was filed,
# the draft was dropped), nor have the resident told that nothing happened.
TIDYING_FAILURES = (TelegramBadRequest, TelegramServerError, TelegramNetworkError, TelegramRetryAfter)

# The message that carried a pressed button. Telegram sends an InaccessibleMessage for one the
# bot may no longer edit; the bot can still answer in its chat.
Pressed = Message | InaccessibleMessage


def pressed(callback: CallbackQuery) -> Pressed:
    """The message whose button was pressed. Only inline-mode messages come without one, and
    Sotong sends none: a press without one fails like any other unexpected update."""
    if callback.message is None:
        raise LookupError(f"callback query {callback.id} carries no message")
    return callback.message


async def edit_in_place(
    callback: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    notice: str | None = None,
    alert: bool = False,
) -> None:
    """Answers the press (with `notice` as a toast, or an alert) and shows `text` in its
    message. A press that changes nothing is fine; a message too old to edit gets the text
    as a new message instead."""
    await callback.answer(notice, show_alert=alert)
    message = pressed(callback)
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
            if not message_gone(exc.message):
                raise
    await message.answer(text, reply_markup=markup)


async def retire_buttons(message: Pressed) -> None:
    """Takes the buttons off a message that has been answered, so old taps cannot land."""
    if not isinstance(message, Message):
        return  # too old to edit: as below, nothing can be done about its buttons
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest:
        pass  # already without buttons, or too old to edit: nothing left to press either way
    except TIDYING_FAILURES as exc:  # its buttons stay; a press on them is refused as stale
        log.warning("could not take the buttons off message %s: %s", message.message_id, exc)


async def delete_pressed(message: Pressed) -> None:
    """Deletes the message whose button was pressed; one too old to edit stays."""
    if not isinstance(message, Message):
        return
    try:
        await message.delete()
    except TIDYING_FAILURES as exc:  # too old to delete, or Telegram failing: it stays
        log.warning("could not delete message %s: %s", message.message_id, exc)
