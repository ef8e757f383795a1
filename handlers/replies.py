"""Answering a button press by changing the message that carried the button."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

GONE = ("message to edit not found", "message can't be edited")


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
    try:
        await callback.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            return
        if not any(reason in exc.message for reason in GONE):
            raise
        await callback.message.answer(text, reply_markup=markup)


async def retire_buttons(message: Message) -> None:
    """Takes the buttons off a message that has been answered, so old taps cannot land."""
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest:
        pass  # already without buttons, or too old to edit: nothing left to press either way
