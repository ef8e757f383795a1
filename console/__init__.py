"""`sotong console`: the real bot in a terminal, against the in-process fake Bot API.

No token and no network: the bot (same handlers, middlewares and database as `sotong run`)
long-polls `fakeapi.FakeTelegram` on 127.0.0.1, and the terminal plays the residents.
"""

from .runtime import Runtime, console_settings, start_runtime
from .session import Console
from .terminal import run_console

__all__ = ["Console", "Runtime", "console_settings", "run_console", "start_runtime"]
