"""Answering a button press by changing the message that carried the button."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

GONE = ("message to edit not found", "message can't be edited")

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
            if not any(reason in exc.message for reason in GONE):
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


async def delete_pressed(message: Pressed) -> None:
    """Deletes the message whose button was pressed; one too old to edit stays."""
    if isinstance(message, Message):
        await message.delete()
