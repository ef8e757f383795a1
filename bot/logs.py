"""The process's log: one line per event (one JSON object a line with SOTONG_LOG_JSON=true),
and never the bot's token.

aiogram and aiohttp put request URLs in some of their messages and errors (`/bot<token>/getMe`),
so every record is redacted on its way to the handler, its exception text included. Residents'
texts are kept out at the source: SQLAlchemy engines hide statement parameters
(storage/database.py), and our own log calls name ids, never what a resident wrote. A pydantic
validation error quotes the value it refused (`input_value=...`), which may be a resident's
text or forged callback data: that value is hidden in every record too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable
from types import TracebackType
from typing import TextIO

# Any bot token, as @BotFather hands them out: the bot's id, a colon, 35 letters, digits, _ and -.
TOKEN_PATTERN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
REDACTED = "[redacted]"
# pydantic's "[type=..., input_value=<repr, one line>, input_type=str]": greedy to the line's last
# ", input_type=", so a value that itself contains those words is hidden whole.
PYDANTIC_INPUT = re.compile(r"input_value=.*, input_type=")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Redact(logging.Filter):
    """Replaces the given secrets (the configured token) and anything shaped like a bot token in
    a record's message, exception and stack text. Put it on a handler: a logger's filters do not
    see the records its children pass up."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = PYDANTIC_INPUT.sub(f"input_value={REDACTED}, input_type=", text)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: still logged, still redacted
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonLines(logging.Formatter):
    """One JSON object per event: time (UTC, ISO 8601), level, logger, message, and the
    exception's traceback as one string when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def handler(*, json_lines: bool, secrets: Iterable[str] = (), stream: TextIO | None = None) -> logging.Handler:
    """The one handler the process logs through (stderr by default)."""
    out = logging.StreamHandler(stream or sys.stderr)
    out.setFormatter(JsonLines() if json_lines else logging.Formatter(PLAIN_FORMAT))
    out.addFilter(Redact(secrets))
    return out


def configure(level: str, *, json_lines: bool = False, secrets: Iterable[str] = ()) -> None:
    """Replaces the root logger's handlers with ours; an uncaught exception (a bug) is logged
    through it too, so it is redacted and, with json_lines, one line like the rest."""
    logging.basicConfig(level=level, handlers=[handler(json_lines=json_lines, secrets=secrets)], force=True)
    if level != "DEBUG":  # Alembic's start-up lines; `sotong migrate` says from which revision to which
        logging.getLogger("alembic").setLevel(logging.WARNING)
    sys.excepthook = _log_uncaught


def _log_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    logging.getLogger("sotong").critical("uncaught exception", exc_info=(kind, exc, tb))
