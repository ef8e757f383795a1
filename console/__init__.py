"""`sotong console`: the real bot in a terminal, against the in-process fake Bot API.

No token and no network: the bot (same handlers, middlewares and database as `sotong run`)
long-polls `fakeapi.FakeTelegram` on 127.0.0.1, and the terminal plays the residents.
It keeps its data in a throwaway database unless told otherwise (`console_storage`).
"""

from .runtime import Runtime, console_settings, console_storage, start_runtime
from .session import Console
from .terminal import run_console

__all__ = ["Console", "Runtime", "console_settings", "console_storage", "run_console", "start_runtime"]
