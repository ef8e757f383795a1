"""The terminal chat: what each typed line does, and what the bot's answers look like."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable

from bot.startup import safe_url
from fakeapi import BotEvent, FakeMessage, FakeUser

from .render import Button, inline_buttons, render, screen_lines
from .runtime import Runtime

ReadLine = Callable[[], Awaitable[str | None]]  # None at the end of input
Write = Callable[[str], None]

HELP = """\
Console commands (everything else you type is sent to the bot as text, /start and /help too):
  N                  press button [N] of the latest buttons shown
  #text              press the button whose label contains text (e.g. #Submit)
  /buttons           show the bot's last message and the buttons on screen again
  /as N              become resident N (a new resident starts a new chat); /as 1 to come back
  /photo [caption]   send a photo           /album N   send an album of N photos
  /location LAT LON  send a location (e.g. /location 35.1745 126.9118)
  /sticker           send a sticker         an empty line shows what arrived meanwhile
  /console-help      this help              /quit (or end of input) leaves"""

_NUMBER = re.compile(r"[0-9]{1,3}")
_RESIDENT = re.compile(r"[1-9][0-9]{0,8}")
_MAX_ALBUM = 10


def _lines(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


class Console:
    """Plays residents against the running bot: reads lines, prints what the bot does."""

    def __init__(self, runtime: Runtime, read_line: ReadLine, write: Write, *,
                 language: str, echo: bool = False) -> None:
        self.runtime, self.read_line, self.write = runtime, read_line, write
        self.language, self.echo = language, echo
        self.buttons: list[Button] = []
        self.unseen: Counter[int] = Counter()
        self.fresh: Counter[int] = Counter()
        self.running = True
        runtime.fake.subscribe(self._count_unseen)
        self.current = self._resident(1)

    # -- residents ------------------------------------------------------------
    def _resident(self, number: int) -> FakeUser:
        return self.runtime.fake.user(number, first_name=f"Resident {number}",
                                      language_code=self.language)

    def _count_unseen(self, event: BotEvent) -> None:
        if event.kind == "message" and event.chat_id != self.current.id:
            self.unseen[event.chat_id] += 1
            self.fresh[event.chat_id] += 1

    # -- output ---------------------------------------------------------------
    def say(self, *lines: str) -> None:
        if lines:
            self.write(_lines(*lines))

    def banner(self) -> list[str]:
        database = safe_url(self.runtime.app.settings.database_url)
        return [
            f"Sotong console: the real bot on {database}, with a local fake Telegram. "
            f"You are resident {self.current.id} ({self.language}).",
            "Type to send text (/start, /help, /cancel go to the bot). "
            "N presses button [N]; #text presses the button labelled ...text...",
            "/as N switch resident · /photo · /album N · /location LAT LON · /sticker · "
            "/buttons · /console-help · /quit",
        ]

    def show_new(self) -> bool:
        """Prints what the bot did in the current chat since last time; False if nothing."""
        lines, buttons = render(self.current.drain())
        self.unseen.pop(self.current.id, None)
        if buttons:
            self.buttons = buttons
        self.say(*lines)
        notes = [f"(resident {chat} has {self.unseen[chat]} new message(s): /as {chat} to read)"
                 for chat in sorted(self.fresh) if self.unseen[chat]]
        self.fresh.clear()
        self.say(*notes)
        return bool(lines)

    # -- the loop -------------------------------------------------------------
    async def run(self) -> None:
        self.say(*self.banner())
        while self.running:
            if self.runtime.polling.done():
                self.say("(the bot has stopped)")
                return
            self.write(f"resident {self.current.id}> ")
            line = await self.read_line()
            if line is None:
                self.say("", "(end of input)")
                return
            line = line.rstrip("\r\n")
            if self.echo:
                self.say(line)
            await self.step(line)

    async def step(self, line: str) -> None:
        """Acts on one typed line, waits until the bot is quiet, prints what it did."""
        await self.handle(line)
        if self.running:
            await self.runtime.settle()
            self.show_new()

    async def handle(self, line: str) -> None:
        text = line.strip()
        word, _, rest = text.partition(" ")
        command = COMMANDS.get(word.lower())
        if command is not None:
            await command(self, rest.strip())
        elif _NUMBER.fullmatch(text):
            await self.press_number(int(text))
        elif text.startswith("#") and text[1:].strip():
            await self.press_label(text[1:].strip())
        elif text:
            await self.current.send_text(text)

    # -- buttons --------------------------------------------------------------
    async def press_number(self, number: int) -> None:
        if not self.buttons:
            self.say("(no buttons shown yet: /buttons shows the ones on screen)")
        elif not 1 <= number <= len(self.buttons):
            self.say(f"(no button [{number}]: the latest buttons are [1] to [{len(self.buttons)}])")
        else:
            await self.press(self.buttons[number - 1])

    async def press_label(self, wanted: str) -> None:
        key = wanted.casefold()
        candidates = [*self.buttons, *self.screen()[1], *inline_buttons(self.current.messages())]
        for button in candidates:
            if key in button.label.casefold():
                await self.press(button)
                return
        self.say(f"(no button labelled ...{wanted}...: /buttons shows the ones on screen)")

    async def press(self, button: Button) -> None:
        if button.requests_location:
            self.say(f"({button.label} shares a location: type /location LAT LON instead, "
                     "e.g. /location 35.1745 126.9118)")
            return
        if button.message is not None and not self._still_there(button.message, button.label):
            self.say(f"(the button {button.label} is gone: the bot changed or removed its message)")
            return
        self.say(f"(you pressed {button.label})")
        try:
            if button.message is None:
                await self.current.send_text(button.label)
            else:
                await self.current.press(button.label, message=button.message)
        except (AssertionError, ValueError) as exc:
            self.say(f"(cannot press {button.label}: {str(exc).splitlines()[0]})")

    def _still_there(self, message: FakeMessage, label: str) -> bool:
        live = next((m for m in self.current.messages()
                     if m.message_id == message.message_id and m.from_bot), None)
        return live is not None and any(b.get("text") == label
                                        for row in live.inline_buttons() for b in row)

    def screen(self, with_text: bool = True) -> tuple[list[str], list[Button]]:
        """The bot's last message in the current chat, with its buttons and the reply keyboard."""
        return screen_lines(self.current.last_bot_message(), self.current.reply_keyboard, with_text)

    def show_screen(self, with_text: bool = True) -> None:
        lines, self.buttons = self.screen(with_text)
        self.say(*(lines or ["(nothing on screen yet)"]))

    # -- console commands -----------------------------------------------------
    async def cmd_buttons(self, _arg: str) -> None:
        self.show_screen()

    async def cmd_as(self, arg: str) -> None:
        if arg.lower() in ("official", "officials"):
            self.say("(officials are not available in the console yet: only residents for now)")
            return
        if not _RESIDENT.fullmatch(arg):
            self.say("(usage: /as N, e.g. /as 2)")
            return
        new = int(arg) not in self.runtime.fake.users
        self.current, self.buttons = self._resident(int(arg)), []
        self.say(f"--- you are now resident {arg}{' (new)' if new else ''} ---")
        shown = self.show_new()  # what came while away
        if not self.buttons and not new:
            self.show_screen(with_text=not shown)

    async def cmd_photo(self, arg: str) -> None:
        await self.current.send_photo(caption=arg or None)

    async def cmd_album(self, arg: str) -> None:
        if not _NUMBER.fullmatch(arg) or not 1 <= int(arg) <= _MAX_ALBUM:
            self.say(f"(usage: /album N, with N from 1 to {_MAX_ALBUM})")
            return
        await self.current.send_album(int(arg))

    async def cmd_location(self, arg: str) -> None:
        try:
            latitude, longitude = (float(part) for part in arg.replace(",", " ").split())
        except ValueError:
            latitude = longitude = float("nan")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.say("(usage: /location LAT LON, e.g. /location 35.1745 126.9118)")
            return
        await self.current.send_location(latitude, longitude)

    async def cmd_sticker(self, _arg: str) -> None:
        await self.current.send_sticker()

    async def cmd_help(self, _arg: str) -> None:
        self.say(HELP)

    async def cmd_quit(self, _arg: str) -> None:
        self.running = False
        self.say("(bye)")


COMMANDS: dict[str, Callable[[Console, str], Awaitable[None]]] = {
    "/as": Console.cmd_as,
    "/photo": Console.cmd_photo,
    "/album": Console.cmd_album,
    "/location": Console.cmd_location,
    "/sticker": Console.cmd_sticker,
    "/buttons": Console.cmd_buttons,
    "/console-help": Console.cmd_help,
    "/quit": Console.cmd_quit,
}
