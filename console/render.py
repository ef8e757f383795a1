"""Bot events as terminal lines, with every button numbered."""

from __future__ import annotations

from dataclasses import dataclass

from fakeapi import BotEvent, FakeMessage

INDENT = "     "


@dataclass(frozen=True)
class Button:
    number: int
    label: str
    raw: dict
    message: FakeMessage | None = None  # the bot message of an inline button; None: reply keyboard

    @property
    def requests_location(self) -> bool:
        return self.message is None and bool(self.raw.get("request_location"))


def collapse(events: list[BotEvent]) -> list[BotEvent]:
    """Each message once, in its latest state, plus callback answers with text; in order."""
    shown: dict[tuple, BotEvent] = {}
    for index, event in enumerate(events):
        if event.kind in ("message", "edit") and event.message is not None:
            key = ("message", event.message.message_id)
            kind = shown[key].kind if key in shown else event.kind
            shown[key] = BotEvent(kind, event.chat_id, message=event.message)
        elif event.kind == "delete" and event.message is not None:
            shown.pop(("message", event.message.message_id), None)
        elif event.kind == "callback_answer" and (event.callback_answer or {}).get("text"):
            shown[("answer", index)] = event
    return list(shown.values())


def _text_lines(head: str, body: str) -> list[str]:
    first, *rest = body.split("\n")
    return [f"{head}{first}", *(f"{INDENT}{line}".rstrip() for line in rest)]


class Numbering:
    """Gives the buttons of one batch of output the numbers 1, 2, 3 ..."""

    def __init__(self) -> None:
        self.buttons: list[Button] = []

    def row(self, raw_row: list, message: FakeMessage | None) -> str:
        cells = []
        for raw in raw_row:
            raw = raw if isinstance(raw, dict) else {"text": str(raw)}
            button = Button(len(self.buttons) + 1, raw.get("text", ""), raw, message)
            self.buttons.append(button)
            cells.append(f"[{button.number}] {button.label}")
        return "  ".join(cells)


def message_lines(event: BotEvent, numbering: Numbering) -> list[str]:
    msg = event.message
    if msg is None:  # collapse() keeps messages and edits with their message only
        return []
    head = "bot (edited): " if event.kind == "edit" else "bot: "
    lines = _text_lines(head, msg.body)  # the bot sends text only
    markup = msg.reply_markup or {}
    lines += [INDENT + numbering.row(row, msg) for row in markup.get("inline_keyboard") or []]
    lines += [f"{INDENT}⌨ " + numbering.row(row, None) for row in markup.get("keyboard") or []]
    return lines


def answer_lines(event: BotEvent) -> list[str]:
    answer = event.callback_answer or {}
    kind = "alert" if answer.get("show_alert") else "notice"
    return _text_lines(f"bot ({kind}): ", answer.get("text", ""))


def render(events: list[BotEvent]) -> tuple[list[str], list[Button]]:
    """Lines to print and the buttons they numbered (empty when none were shown)."""
    numbering, lines = Numbering(), []
    for event in collapse(events):
        lines += answer_lines(event) if event.kind == "callback_answer" else message_lines(event, numbering)
    return lines, numbering.buttons


def screen_lines(last: FakeMessage | None, reply_keyboard: dict | None,
                 with_text: bool = True) -> tuple[list[str], list[Button]]:
    """What a resident sees now: the bot's last message, its buttons and the reply keyboard."""
    numbering, lines = Numbering(), []
    if last is not None and with_text:
        lines += _text_lines("bot (last message): ", last.body)
    if last is not None:
        lines += [INDENT + numbering.row(row, last) for row in last.inline_buttons()]
    for row in (reply_keyboard or {}).get("keyboard") or []:
        lines.append(f"{INDENT}⌨ " + numbering.row(row, None))
    return lines, numbering.buttons


def inline_buttons(messages: list[FakeMessage]) -> list[Button]:
    """The inline buttons of the bot's messages, newest message first (all stay pressable)."""
    numbering = Numbering()
    for msg in reversed(messages):
        if msg.from_bot:
            for row in msg.inline_buttons():
                numbering.row(row, msg)
    return numbering.buttons
