"""The terminal chat: what each typed line does, and what the bot's answers look like."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable

from bot.startup import safe_url
from fakeapi import BotEvent, FakeMessage, FakeUser
from storage.city import Department
from storage.services.officials_admin import RoleAdministration
from storage.vocabulary import Role

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
  /as official CODE  become the official of department CODE (made on first use): items routed
                     to it arrive there as pushes; /as official alone lists the departments
  /photo [caption]   send a photo           /album N   send an album of N photos
  /location LAT LON  send a location (e.g. /location 35.1745 126.9118)
  /sticker           send a sticker         an empty line shows what arrived meanwhile
  /console-help      this help              /quit (or end of input) leaves"""

_NUMBER = re.compile(r"[0-9]{1,3}")
_RESIDENT = re.compile(r"[1-9][0-9]{0,8}")
# The console's officials are Telegram users of their own, one per department, beyond the reach
# of /as N (at most nine digits) and above the ids Telegram gives today.
OFFICIAL_IDS = 10**12
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
        self.officials: dict[int, str] = {}  # user id -> department code
        runtime.fake.subscribe(self._count_unseen)
        self.current = self._resident(1)

    # -- residents ------------------------------------------------------------
    def _resident(self, number: int) -> FakeUser:
        return self.runtime.fake.user(number, first_name=f"Resident {number}",
                                      language_code=self.language)

    def who(self, user_id: int) -> str:
        code = self.officials.get(user_id)
        return f"official {code}" if code else f"resident {user_id}"

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
            f"You are {self.who(self.current.id)} ({self.language}).",
            "Type to send text (/start, /help, /cancel go to the bot). "
            "N presses button [N]; #text presses the button labelled ...text...",
            "/as N switch resident · /as official CODE be a department's official · /photo · "
            "/album N · /location LAT LON · /sticker · /buttons · /console-help · /quit",
        ]

    def show_new(self) -> bool:
        """Prints what the bot did in the current chat since last time; False if nothing."""
        lines, buttons = render(self.current.drain())
        self.unseen.pop(self.current.id, None)
        if buttons:
            self.buttons = buttons
        self.say(*lines)
        notes = [f"({self.who(chat)} has {self.unseen[chat]} new message(s): "
                 f"/as {self.who(chat).removeprefix('resident ')} to read)"
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
            self.write(f"{self.who(self.current.id)}> ")
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
        word, _, code = arg.partition(" ")
        if word.lower() in ("official", "officials"):
            await self.become_official(code.strip())
            return
        if not _RESIDENT.fullmatch(arg):
            self.say("(usage: /as N, e.g. /as 2, or /as official CODE)")
            return
        new = int(arg) not in self.runtime.fake.users
        self.switch(self._resident(int(arg)), new)

    async def become_official(self, code: str) -> None:
        """Becomes the console's official of a department, granting the role on first use."""
        city = self.runtime.app.city
        department = city.department(code)
        if department is None:
            known = ", ".join(d.code for d in city.departments)
            self.say(f"(no department '{code}': /as official CODE with one of {known})" if code
                     else f"(usage: /as official CODE, with CODE one of {known})")
            return
        user_id = OFFICIAL_IDS + city.departments.index(department) + 1
        new = user_id not in self.runtime.fake.users
        if new:
            await self._grant(user_id, department)
        self.switch(self.runtime.fake.user(user_id, first_name=self._official_name(department),
                                           language_code=self.language), new)

    def _official_name(self, department: Department) -> str:
        return f"Official of {department.name(self.language)}"[:64]

    async def _grant(self, user_id: int, department: Department) -> None:
        app = self.runtime.app
        async with app.session_factory() as session:
            await RoleAdministration(session, app.city, app.clock).add(
                user_id, Role.OFFICIAL, department.code, self.language, granted_by="console",
                name=self._official_name(department))
        self.officials[user_id] = department.code

    def switch(self, user: FakeUser, new: bool) -> None:
        self.current, self.buttons = user, []
        self.say(f"--- you are now {self.who(user.id)}{' (new)' if new else ''} ---")
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
